"""Every errand registered in a span of days, one row each, for the township: the
monthly report's list and `kiosk export errands`. Read in one query; villagers'
phones and ID numbers masked, as the desk shows them."""
from __future__ import annotations

import datetime as dt

from peewee import JOIN

from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import mask_id, mask_phone
from models.duty.calendar import working_days_between
from models.duty.holidays import calendar_around
from models.errands.entities import MODES, Errand, ServiceItem, Status, status_label
from models.people.entities import Household, Resident
from models.reports.figures import DONE, Period, period_label
from models.reports.sheets import Column, Kind, Sheet, require_head_export

COLUMNS = [
    Column(t("report.col.number")), Column(t("report.col.registered_at"), Kind.TIME),
    Column(t("report.col.villager")), Column(t("report.col.group")),
    Column(t("report.col.household")), Column(t("report.col.phone")),
    Column(t("report.col.id_number")), Column(t("report.col.item")),
    Column(t("report.col.mode")), Column(t("report.col.status")),
    Column(t("report.col.owner")), Column(t("report.col.due"), Kind.DATE),
    Column(t("report.col.delivered_at"), Kind.TIME),
    Column(t("report.col.working_days"), Kind.COUNT), Column(t("report.col.late")),
    Column(t("report.col.satisfaction")),
]


def _late(status: str, due: dt.date, delivered: dt.datetime | None,
          paused: dt.date | None, today: dt.date) -> str:
    """是 when finished after the due date, or still open past it (its clock
    running); blank when it ended without a result."""
    if status in (Status.RETURNED, Status.CANCELLED):
        return ""
    if status in DONE:
        return t("report.yes") if delivered and delivered.date() > due else t("report.no")
    return t("report.yes") if paused is None and today > due else t("report.no")


def errand_rows(station_id: int, period: Period, today: dt.date | None = None) -> list[list]:
    """The rows of `COLUMNS`, oldest first."""
    today = today or dt.date.today()
    owner = Cadre.alias()
    query = (Errand.select(Errand.number, Errand.created_at, Resident.name, VillagerGroup.number,
                           Household.number, Resident.phone, Resident.id_number,
                           ServiceItem.name, Errand.mode, Errand.status, owner.name,
                           Errand.due_date, Errand.delivered_at, Errand.paused_since,
                           Errand.satisfaction)
             .join(Resident).join(Household, JOIN.LEFT_OUTER)
             .join(VillagerGroup, JOIN.LEFT_OUTER)
             .switch(Errand).join(ServiceItem)
             .switch(Errand).join(owner, JOIN.LEFT_OUTER, on=(Errand.owner == owner.id))
             .where((Errand.station == station_id) & (Errand.created_at >= period.start)
                    & (Errand.created_at < period.end))
             .order_by(Errand.created_at, Errand.id).tuples())
    # every year from the first errand to the last one delivered (up to today)
    years = range(period.first.year, max(today, period.last).year + 1)
    calendar = calendar_around(*(dt.date(year, 1, 1) for year in years))
    modes = {mode: t(f"mode.{mode}") for mode in MODES}
    groups: dict[int, str] = {}
    took = {}  # (taken, finished) -> working days: many errands share a pair
    rows = []
    for (number, created, name, group, household, phone, id_number, item, mode, status,
         owner_name, due, delivered, paused, satisfaction) in query:
        finished = delivered if status in DONE and delivered else None
        days = None
        if finished:
            pair = (created.date(), finished.date())
            if pair not in took:
                took[pair] = working_days_between(*pair, *calendar)
            days = took[pair]
        if group and group not in groups:
            groups[group] = t("report.group", number=group)
        rows.append([number, created, name, groups[group] if group else "",
                     household or "", mask_phone(phone), mask_id(id_number), item,
                     modes.get(mode, mode), status_label(status, mode), owner_name or "", due,
                     finished, days, _late(status, due, finished, paused, today),
                     satisfaction])
    return rows


def errand_sheet(station_id: int, period: Period, name: str,
                 today: dt.date | None = None) -> Sheet:
    station = Station.get_by_id(station_id).name
    return Sheet(name, t("report.errands_title", station=station, period=period_label(period)),
                 COLUMNS, errand_rows(station_id, period, today), landscape=True)


def errand_list(actor: Session, period: Period, today: dt.date | None = None) -> Sheet:
    """`kiosk export errands`: the station head's."""
    require_head_export(actor)
    return errand_sheet(actor.station_id, period, t("report.sheet.errands_span"), today)
