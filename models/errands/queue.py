"""The errand queue: filtered, sorted by urgency, read one page at a time.

Never the whole table: a page is the next `limit` rows after the last one shown
(keyset pagination on due date and id), so the queue opens as fast on 100,000
errands as on 100.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from peewee import JOIN, SQL, fn

from models.core.entities import Cadre
from models.core.i18n import t
from models.core.text import inert
from models.duty.holidays import unofficial_among
from models.errands.catalogue import active_items
from models.errands.entities import (
    OPEN_STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
    Status,
)
from models.people.entities import Household, Resident
from models.people.residents import matching_resident_ids, normalize_query
from models.station.team import active_cadres, groups_of

PAGE = 60
DUE_BUCKETS = ("overdue", "today", "week")
PRESETS = ("open", "mine", "overdue", "today", "carry", "callback", "flagged", "all")


@dataclass(frozen=True)
class QueueFilter:
    station_id: int
    statuses: tuple[str, ...] = OPEN_STATUSES  # () means every status
    modes: tuple[str, ...] = ()
    owner_id: int | None = None
    group_id: int | None = None
    item_id: int | None = None
    due: str = ""  # one of DUE_BUCKETS, or "" for any
    text: str = ""
    flagged: bool = False
    to_township: bool = False  # on the next trip to the township centre (带件)
    preset: str = "open"

    @property
    def mode(self) -> str | None:
        """The one way of handling the filter keeps, if it keeps only one."""
        return self.modes[0] if len(self.modes) == 1 else None


def preset_filter(name: str, station_id: int, cadre_id: int | None) -> QueueFilter:
    """The saved filters a cadre reaches with one key."""
    base = QueueFilter(station_id=station_id, preset=name)
    return {
        "open": base,
        "mine": replace(base, owner_id=cadre_id),
        "overdue": replace(base, due="overdue"),
        "today": replace(base, due="today"),
        "carry": replace(base, statuses=(), to_township=True),
        "callback": replace(base, statuses=("delivered",)),
        "flagged": replace(base, statuses=(), flagged=True),
        "all": replace(base, statuses=()),
    }[name]


@dataclass
class QueueRow:
    id: int
    number: str
    resident: str
    item: str
    mode: str
    status: str
    owner: str
    due_date: dt.date
    paused: bool
    flagged: bool
    version: int
    unofficial: bool  # the due date counts days of a year not yet published

    def due_text(self) -> str:
        """The due date in a list, marked 暂 when it counts days of a year whose
        holiday schedule is not published yet."""
        date = self.due_date.isoformat()
        return t("queue.due_unofficial", date=date) if self.unofficial else date

    def urgency(self, today: dt.date) -> str:
        """"overdue", "today" or "" — paused and closed errands are never late."""
        if self.paused or self.status not in OPEN_STATUSES:
            return ""
        if self.due_date < today:
            return "overdue"
        return "today" if self.due_date == today else ""


@dataclass
class QueuePage:
    rows: list[QueueRow] = field(default_factory=list)
    more: bool = False
    total: int | None = None  # counted with the first page only


def _to_township():
    """Tomorrow's trip: 代着办 errands not yet taken to the township centre, and
    流动办 ones whose papers the cadre brought back from the home visit (the
    township decides them; what is done at the home is closed there)."""
    papers_in_hand = fn.EXISTS(ErrandMaterial.select(SQL("1")).where(
        (ErrandMaterial.errand == Errand.id) & ErrandMaterial.received))
    return (((Errand.mode == "carried")
             & Errand.status.in_((Status.REGISTERED, Status.IN_PROGRESS)))
            | ((Errand.mode == "mobile")
               & Errand.status.in_((Status.IN_PROGRESS, Status.APPOINTMENT_SET))
               & papers_in_hand))


def _conditions(f: QueueFilter, today: dt.date) -> list:
    conditions = [Errand.station == f.station_id]
    if f.statuses:
        conditions.append(Errand.status.in_(f.statuses))
    if f.modes:
        conditions.append(Errand.mode.in_(f.modes))
    if f.owner_id is not None:
        conditions.append(Errand.owner == f.owner_id)
    if f.item_id is not None:
        conditions.append(Errand.item == f.item_id)
    if f.to_township:
        conditions.append(_to_township())
    if f.flagged:
        conditions.append(Errand.flagged == True)  # noqa: E712 (peewee expression)
    if f.due:
        late = (Errand.paused_since.is_null() & Errand.status.in_(OPEN_STATUSES))
        if f.due == "overdue":
            conditions += [late, Errand.due_date < today]
        elif f.due == "today":
            conditions += [late, Errand.due_date == today]
        elif f.due == "week":
            conditions += [late, Errand.due_date <= today + dt.timedelta(days=7)]
    if f.group_id is not None:
        conditions.append(Errand.resident.in_(
            Resident.select(Resident.id).join(Household)
            .where(Household.group == f.group_id)))
    text, raw = normalize_query(f.text), inert(f.text)
    if text:
        matches = Errand.number.endswith(raw) | Errand.number.startswith(raw)
        resident_ids = matching_resident_ids(text, f.station_id)
        if resident_ids:
            matches |= Errand.resident.in_(resident_ids)
        conditions.append(matches)
    return conditions


def queue_page(f: QueueFilter, after: tuple[dt.date, int] | None = None,
               limit: int = PAGE, today: dt.date | None = None) -> QueuePage:
    """The next page of the queue, most urgent first (due date, then number)."""
    today = today or dt.date.today()
    conditions = _conditions(f, today)
    query = (Errand.select(Errand.id, Errand.number, Errand.mode, Errand.status,
                           Errand.due_date, Errand.created_at, Errand.paused_since,
                           Errand.flagged,
                           Errand.version, Resident.name, ServiceItem.name.alias("item_name"),
                           Cadre.name.alias("owner_name"))
             .join(Resident).switch(Errand).join(ServiceItem).switch(Errand)
             .join(Cadre, JOIN.LEFT_OUTER, on=(Errand.owner == Cadre.id))
             .where(*conditions))
    if after is not None:
        due, last_id = after
        query = query.where((Errand.due_date > due)
                            | ((Errand.due_date == due) & (Errand.id > last_id)))
    rows = list(query.order_by(Errand.due_date, Errand.id).limit(limit + 1).objects())
    page = QueuePage(more=len(rows) > limit)
    rows = rows[:limit]

    def years(r) -> range:
        return range(r.created_at.year, r.due_date.year + 1)
    unofficial = unofficial_among({year for r in rows for year in years(r)})
    page.rows = [QueueRow(id=r.id, number=r.number, resident=r.name, item=r.item_name,
                          mode=r.mode, status=r.status, owner=r.owner_name or "",
                          due_date=r.due_date, paused=r.paused_since is not None,
                          flagged=r.flagged, version=r.version,
                          unofficial=not unofficial.isdisjoint(years(r))) for r in rows]
    if after is None:
        page.total = queue_count(f, today)
    return page


def queue_count(f: QueueFilter, today: dt.date | None = None) -> int:
    """How many errands a filter finds: the queue's total, and the home screen's
    figures (its overdue count is the overdue filter's, paused errands left out)."""
    conditions = _conditions(f, today or dt.date.today())
    return Errand.select(fn.COUNT(Errand.id)).where(*conditions).scalar()


@dataclass
class CarryEntry:
    """One errand on tomorrow's trip to the township, with what to take."""
    row: QueueRow
    materials: list[str]
    missing: list[str]
    originals: list[str]  # of the materials, originals held for the villager


def carry_list(station_id: int) -> list[CarryEntry]:
    f = preset_filter("carry", station_id, None)
    rows, after = [], None
    while True:  # the trip list is short; read it whole
        page = queue_page(f, after, limit=200)
        rows += page.rows
        if not page.more:
            break
        after = (rows[-1].due_date, rows[-1].id)
    materials: dict[int, list[ErrandMaterial]] = {}
    if rows:
        for m in (ErrandMaterial.select()
                  .where(ErrandMaterial.errand.in_([r.id for r in rows]))
                  .order_by(ErrandMaterial.id)):
            materials.setdefault(m.errand_id, []).append(m)
    return [CarryEntry(row, [m.name for m in materials.get(row.id, []) if m.received],
                       [m.name for m in materials.get(row.id, []) if not m.received],
                       [m.name for m in materials.get(row.id, []) if m.received
                        and m.original and m.returned_at is None])
            for row in rows]



@dataclass
class Facets:
    """Names the queue's filter offers and shows: id -> name."""
    groups: dict[int, str]
    owners: dict[int, str]
    items: dict[int, str]


def queue_facets(station_id: int) -> Facets:
    return Facets({g.id: g.name for g in groups_of(station_id)},
                  {c.id: c.name for c in active_cadres(station_id)},
                  {i.id: i.name for i in active_items(station_id)})
