"""The month's visit log (民情访问记录) for the township (`kiosk export visits`):
a count per cadre, every visit of the month, and a sheet per cadre with theirs.

One query for the visits (household, its head, the cadre, who was met) and one for
the errands the visits raised, whatever the number of visits.
"""
from __future__ import annotations

from peewee import JOIN, fn

from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.session import Session
from models.errands.entities import Errand
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.reports.figures import Period, period_label
from models.reports.sheets import Column, Kind, Sheet, require_head_export, unique_names
from models.village.entities import Visit, VisitErrand

COLUMNS = [
    Column(t("visits.col.when"), Kind.TIME), Column(t("visits.col.cadre")),
    Column(t("report.col.group")), Column(t("report.col.household")),
    Column(t("visits.col.head")), Column(t("visit.met")), Column(t("visits.col.duties")),
    Column(t("visit.found")), Column(t("visit.needs")),
    Column(t("visits.col.follow_up"), Kind.DATE), Column(t("visits.col.errands")),
]
CADRE_COLUMN = 1  # a cadre's own sheet leaves the column out


def _in_month(period: Period):
    return (Visit.visited_at >= period.start) & (Visit.visited_at < period.end)


def _errands(station_id: int, period: Period) -> dict[int, list[str]]:
    """Visit id -> the numbers of the errands it raised."""
    found: dict[int, list[str]] = {}
    for visit_id, number in (VisitErrand.select(VisitErrand.visit, Errand.number)
                             .join(Errand).switch(VisitErrand).join(Visit)
                             .where(_in_month(period) & (Errand.station == station_id))
                             .order_by(Errand.number).tuples()):
        found.setdefault(visit_id, []).append(number)
    return found


def visit_rows(station_id: int, period: Period) -> list[tuple[int, list]]:
    """(cadre id, row of COLUMNS) of every visit of the station's households in
    the period, in the order they were made."""
    met = Resident.alias()
    head = (Resident.select(fn.MIN(Resident.name))
            .where((Resident.household == Household.id)
                   & (Resident.relation == HEAD_OF_HOUSEHOLD)))
    query = (Visit.select(Visit.id, Visit.cadre, Visit.visited_at, Cadre.name,
                          VillagerGroup.number, Household.number, head.alias("head"),
                          met.name, Visit.met, Visit.duties, Visit.found, Visit.needs,
                          Visit.follow_up_due)
             .join(Household).join(VillagerGroup).switch(Visit).join(Cadre)
             .switch(Visit).join(met, JOIN.LEFT_OUTER, on=(Visit.met_resident == met.id))
             .where((VillagerGroup.station == station_id) & _in_month(period))
             .order_by(Visit.visited_at, Visit.id).tuples())
    errands = _errands(station_id, period)
    separator = t("import.list_separator")
    return [(cadre_id, [when, cadre, t("report.group", number=group), household, head_name or "",
                        separator.join(name for name in (met_name, met_text) if name),
                        separator.join(t(f"five_duty.{duty}") for duty in duties or []),
                        found, needs, follow_up,
                        separator.join(errands.get(visit_id, []))])
            for (visit_id, cadre_id, when, cadre, group, household, head_name, met_name,
                 met_text, duties, found, needs, follow_up) in query]


def visit_sheets(actor: Session, period: Period) -> list[Sheet]:
    """汇总 (visits and households per cadre), 全部走访, then each cadre's."""
    require_head_export(actor)
    station = Station.get_by_id(actor.station_id).name
    when = period_label(period)
    rows = visit_rows(actor.station_id, period)
    names = dict(Cadre.select(Cadre.id, Cadre.name)
                 .where(Cadre.station == actor.station_id).tuples())
    mine: dict[int, list[list]] = {}
    households: dict[int, set] = {}
    for cadre_id, row in rows:
        mine.setdefault(cadre_id, []).append(row)
        households.setdefault(cadre_id, set()).add(row[3])
    cadres = sorted(mine)  # in the order the cadres were added, as the report lists them
    own = [column for index, column in enumerate(COLUMNS) if index != CADRE_COLUMN]

    def title(table: str) -> str:
        return t("report.title", station=station, period=when, table=table)

    summary = Sheet(t("visits.sheet.summary"), title(t("visits.sheet.summary")),
                    [Column(t("duty.col.name")), Column(t("visits.col.count"), Kind.COUNT),
                     Column(t("visits.col.households"), Kind.COUNT)],
                    [[names.get(cadre_id, ""), len(mine[cadre_id]), len(households[cadre_id])]
                     for cadre_id in cadres])
    every = Sheet(t("visits.sheet.all"), title(t("visits.sheet.all")), COLUMNS,
                  [row for _, row in rows], landscape=True)
    sheet_names = unique_names([t("visits.sheet.summary"), t("visits.sheet.all")]
                               + [names.get(cadre_id, "") for cadre_id in cadres])[2:]
    return [summary, every] + [
        Sheet(name, title(t("visits.sheet.cadre", name=names.get(cadre_id, ""))), own,
              [row[:CADRE_COLUMN] + row[CADRE_COLUMN + 1:] for row in mine[cadre_id]],
              [t("visits.sign.cadre"), t("report.sign.head")], landscape=True)
        for name, cadre_id in zip(sheet_names, cadres)]
