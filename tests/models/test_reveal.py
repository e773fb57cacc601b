"""A villager's full ID number and phone: only on a reveal that is recorded; masked
in the edit form and in the trail of changes."""
import pytest
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.entities import Event
from models.core.history import history
from models.core.schema import upgrade_schema
from models.people.residents import (
    ResidentForm,
    form_of,
    reveal_identity,
    update_resident,
)
from tests.actors import acting

from ..conftest import ID_NUMBER


def test_reveal_returns_the_numbers_and_records_who_saw_them(zhang, admin):
    assert reveal_identity(zhang.id, acting(admin)) == (ID_NUMBER, "13812341234")
    assert reveal_identity(zhang.id, acting(admin), ("phone",)) == ("", "13812341234")
    seen = [e for e in history("resident", zhang.id) if e.action == "revealed"]
    assert [(e.actor.id, e.detail["fields"]) for e in seen] == [
        (admin.id, ["id_number", "phone"]), (admin.id, ["phone"])]
    with pytest.raises(ValueError):
        reveal_identity(zhang.id, acting(admin), ("note",))


def test_a_reveal_for_an_errand_is_in_the_errand_trail(zhang, admin, errand):
    reveal_identity(zhang.id, acting(admin), ("phone",), errand.id)
    event = history("errand", errand.id)[-1]
    assert (event.action, event.detail) == ("revealed",
                                            {"fields": ["phone"], "resident": zhang.id})


def test_the_edit_form_masks_and_keeps_the_numbers(zhang, admin):
    form = form_of(zhang)
    assert (form.id_number, form.phone) == ("110105********002X", "138****1234")
    form.relation = "户主"
    saved = update_resident(zhang.id, zhang.version, form, acting(admin))  # left as shown
    assert (saved.id_number, saved.phone, saved.relation) == (ID_NUMBER, "13812341234",
                                                             "户主")
    form = form_of(saved)
    form.id_number, form.phone = "440524188001010014", ""  # typed anew, cleared
    saved = update_resident(saved.id, saved.version, form, acting(admin))
    assert (saved.id_number, saved.phone) == ("440524188001010014", "")


def test_edit_events_keep_id_numbers_masked(zhang, admin):
    form = ResidentForm(name="张三", id_number="440524188001010014", phone="13812341234")
    update_resident(zhang.id, zhang.version, form, acting(admin))
    edit = next(e for e in history("resident", zhang.id) if e.action == "edit")
    assert edit.detail["changes"]["id_number"] == ["110105********002X",
                                                   "440524********0014"]


def test_older_edit_events_are_masked_on_upgrade(db_url):
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0007_drafts")
        old.execute_sql(
            "INSERT INTO event (entity, entity_id, action, at, detail) VALUES "
            "('resident', 1, 'edit', '2026-01-01', "
            f"'{{\"changes\": {{\"id_number\": [null, \"{ID_NUMBER}\"], "
            "\"phone\": [\"\", \"13812341234\"]}}')")
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        upgrade_schema(new)
        changes = Event.get().detail["changes"]
    assert changes == {"id_number": [None, "110105********002X"],
                       "phone": ["", "13812341234"]}
