"""Residents' search keys and shown reading made again, as the desk makes them now:
phone and ID digits from every position (found from the middle of a number), the
given name alone, ü as v, u and yu, traditional surnames read as simplified, and
the reading shown being the name's own (张长乐 "zhang chang le"). Every key is
derived from the resident's row, so all are replaced."""
from models.people.entities import Resident
from models.people.residents import resident_keys

BATCH = 500


def up(migrator, db):
    rows = db.execute_sql(
        "SELECT resident.id, resident.name, resident.pinyin_override, resident.phone, "
        "resident.id_number, resident.pinyin, household.number FROM resident "
        "LEFT JOIN household ON household.id = resident.household_id").fetchall()
    db.execute_sql("DELETE FROM resident_key")
    keys, readings = [], []
    for resident_id, name, override, phone, id_number, shown, number in rows:
        person = Resident(name=name, pinyin_override=override or "", phone=phone or "",
                          id_number=id_number)
        keys += [(resident_id, key) for key in resident_keys(person, number or "")]
        if person.pinyin != shown:
            readings.append((person.pinyin, resident_id))
    pair = f"({db.param}, {db.param})"
    for start in range(0, len(keys), BATCH):
        batch = keys[start:start + BATCH]
        db.execute_sql("INSERT INTO resident_key (resident_id, key) VALUES "
                       + ", ".join([pair] * len(batch)),
                       [value for row in batch for value in row])
    for reading, resident_id in readings:
        db.execute_sql(f"UPDATE resident SET pinyin = {db.param} WHERE id = {db.param}",
                       (reading, resident_id))


def down(migrator, db):
    """The keys made now still find everyone an older version would: nothing to undo."""
