"""The township: many stations on one server, and its read-only view of them.

A township cadre (role "township") belongs to no station (Cadre.station is empty).
Signed in, their Session names the station they are looking at; they switch from
one station to another and read what that station's cadres read, and every write
refuses them (models.core.guard.require_cadre). They also see the stations side by
side: one aggregate query per figure across every station, never one per station,
so the table costs the same for 3 stations as for 30.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Case, fn

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.session import Role, Session, session_for
from models.core.text import inert
from models.core.validation import fail, require_text
from models.core.i18n import t
from models.duty.calendar import working_days_between
from models.duty.holidays import calendar_around
from models.duty.entities import NightStay
from models.errands.entities import OPEN_STATUSES, Errand, Satisfaction
from models.people.entities import Household
from models.reports.figures import DONE, Period, called_back_in
from models.station.cadres import clean_login
from models.village.entities import Visit


def stations() -> list[Station]:
    return list(Station.select().order_by(Station.id))


def switch_station(session: Session, station_id: int) -> Session:
    """The township cadre's session, now looking at another station. Only a township
    cadre (still one in the database) may switch."""
    cadre = Cadre.get_or_none((Cadre.id == session.cadre_id) & Cadre.active)
    if session.role is not Role.TOWNSHIP or cadre is None or cadre.role != Role.TOWNSHIP:
        raise fail("station", "township.switch_refused")
    station = Station.get_or_none(Station.id == station_id)
    if station is None:
        raise fail("station", "scope.not_found")
    return session_for(station, cadre, session.login)


@writes
def add_township_cadre(login: str, name: str) -> Cadre:
    """A township cadre, of no station: run on the server by whoever keeps it
    (`kiosk township add-user`), as adding a station is; nobody is signed in."""
    values = {"login": clean_login(login),
              "name": require_text("name", name, t("cadre.name"), 40)}
    if values["login"] is None:
        raise fail("login", "township.login_needed")
    cadre = Cadre.create(station=None, role=Role.TOWNSHIP.value, **values)
    history.record("cadre", cadre.id, "create", session_for(None, cadre, cadre.login),
                   name=inert(name), role=Role.TOWNSHIP.value)
    return cadre


@dataclass(frozen=True)
class StationLine:
    """One station's figures for the month, beside the others'."""
    station_id: int
    name: str
    open: int  # open errands now
    overdue: int  # of those, past their due date (paused ones aside, as the queue)
    answered: int  # callbacks answered in the month (as the station's statistics count them)
    satisfied: int  # of those, 满意 or 基本满意
    nights: int  # nights resident cadres stayed in the village in the month
    nights_due: int  # what the station's rule asks of them for the whole month
    households: int
    visited: int  # households visited in the month
    registered: int  # errands registered in the month
    done: int  # errands the villager had the result of in the month

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None


def township_total(lines: list[StationLine]) -> StationLine:
    """The township as a whole: every station's figures added up (station id 0)."""
    counts = {name: sum(getattr(line, name) for line in lines)
              for name in StationLine.__dataclass_fields__ if name not in ("station_id", "name")}
    return StationLine(0, t("township.all"), **counts)


def _grouped(query) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in query.tuples()}


def township_lines(year: int, month: int, today: dt.date | None = None
                   ) -> list[StationLine]:
    """Every station's month side by side, in station order."""
    today = today or dt.date.today()
    period = Period.month(year, month)
    first, last, start, after = period.first, period.last, period.start, period.end
    late = Case(None, [((Errand.due_date < today) & Errand.paused_since.is_null(), 1)], 0)
    errands = _grouped(Errand.select(Errand.station, fn.COUNT(Errand.id), fn.SUM(late))
                       .where(Errand.status.in_(OPEN_STATUSES)).group_by(Errand.station))
    content = Case(None, [(Errand.satisfaction.in_((Satisfaction.SATISFIED,
                                                    Satisfaction.FAIRLY)), 1)], 0)
    callbacks = _grouped(Errand.select(Errand.station, fn.COUNT(Errand.id), fn.SUM(content))
                         .where(Errand.id.in_(called_back_in(period))
                                & Errand.satisfaction.in_(tuple(Satisfaction)))
                         .group_by(Errand.station))
    resident = Cadre.active & Cadre.stays_in_village & Cadre.station.is_null(False)
    nights = _grouped(NightStay.select(Cadre.station, fn.COUNT(NightStay.id)).join(Cadre)
                      .where(resident & NightStay.counted
                             & (NightStay.night >= first) & (NightStay.night <= last))
                      .group_by(Cadre.station))
    lodgers = _grouped(Cadre.select(Cadre.station, fn.COUNT(Cadre.id)).where(resident)
                       .group_by(Cadre.station))
    households = _grouped(Household.select(VillagerGroup.station, fn.COUNT(Household.id))
                          .join(VillagerGroup).group_by(VillagerGroup.station))
    registered = _grouped(Errand.select(Errand.station, fn.COUNT(Errand.id))
                          .where((Errand.created_at >= start) & (Errand.created_at < after))
                          .group_by(Errand.station))
    done = _grouped(Errand.select(Errand.station, fn.COUNT(Errand.id))
                    .where((Errand.delivered_at >= start) & (Errand.delivered_at < after)
                           & Errand.status.in_(DONE))
                    .group_by(Errand.station))
    visited = _grouped(Visit.select(VillagerGroup.station,
                                    fn.COUNT(fn.DISTINCT(Visit.household)))
                       .join(Household).join(VillagerGroup)
                       .where((Visit.visited_at >= start) & (Visit.visited_at < after))
                       .group_by(VillagerGroup.station))
    weekdays = working_days_between(first - dt.timedelta(days=1), last,
                                    *calendar_around(first, last))
    lines = []
    for station in stations():
        sid = station.id
        open_count, overdue = errands.get(sid, (0, 0))
        answered, satisfied = callbacks.get(sid, (0, 0))
        per_cadre = weekdays if station.nights_rule == "weekdays" else station.nights_required
        lines.append(StationLine(
            sid, station.name, open_count, overdue or 0, answered, satisfied or 0,
            nights.get(sid, (0,))[0], per_cadre * lodgers.get(sid, (0,))[0],
            households.get(sid, (0,))[0], visited.get(sid, (0,))[0],
            registered.get(sid, (0,))[0], done.get(sid, (0,))[0]))
    return lines
