"""The township's month (`kiosk export report` run by a township cadre): its
stations side by side — the township home's figures and the errands registered and
done — with the township as a whole below them, and the 考核表 of every station's
cadres, each row naming the cadre's station.

Counted across all the stations at once: one aggregate query per figure
(models.station.township, and the station report's per-cadre queries with no
station), never one round of queries per station.
"""
from __future__ import annotations

import datetime as dt

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Event, Station, now
from models.core.guard import require_township
from models.core.i18n import t
from models.core.session import Session
from models.reports.figures import Period, duty_by_cadre, errands_by_cadre, period_label
from models.reports.monthly import appraisal, monthly_report
from models.reports.sheets import Column, Kind, Sheet, ratio
from models.reports.village_figures import rows_by_cadre, village_by_cadre
from models.station.township import StationLine, township_lines, township_total

COUNT, RATIO = Kind.COUNT, Kind.RATIO
STATION_COLUMNS = (
    ("township.col.station", Kind.TEXT), ("township.report.registered", COUNT),
    ("township.report.done", COUNT), ("township.report.open_now", COUNT),
    ("township.report.overdue_now", COUNT), ("township.col.overdue", RATIO),
    ("township.report.answered", COUNT), ("township.report.satisfied", COUNT),
    ("township.col.satisfied", RATIO), ("report.col.nights", COUNT),
    ("report.col.nights_required", COUNT), ("report.households", COUNT),
    ("report.visited", COUNT), ("township.col.coverage", RATIO))


def _station_row(line: StationLine) -> list:
    return [line.name, line.registered, line.done, line.open, line.overdue,
            ratio(line.overdue, line.open), line.answered, line.satisfied,
            ratio(line.satisfied, line.answered), line.nights, line.nights_due,
            line.households, line.visited, ratio(line.visited, line.households)]


def township_name() -> str:
    """The township the stations belong to, as their settings name it."""
    names = [name for (name,) in Station.select(Station.township).distinct()
             .where(Station.township != "").order_by(Station.township).tuples()]
    return "、".join(names) or t("township.report.unnamed")


def township_report(actor: Session, period: Period, at: dt.datetime | None = None
                    ) -> list[Sheet]:
    """The township's sheets on `period` (a month): the stations, the 考核表."""
    require_township(actor)
    at = at or now()
    lines = township_lines(period.first.year, period.first.month, at.date())
    where, when = township_name(), period_label(period)

    def title(key: str) -> str:
        return t("report.title", station=where, period=when, table=t(key))

    stations = {line.station_id: line.name for line in lines}
    rank = {station_id: index for index, station_id in enumerate(stations)}
    cadre_station = dict(Cadre.select(Cadre.id, Cadre.station)
                         .where(Cadre.station.is_null(False)).tuples())
    rows = sorted(rows_by_cadre(errands_by_cadre(None, period), duty_by_cadre(None, period, at),
                                village_by_cadre(None, period)),
                  key=lambda row: (rank[cadre_station[row.cadre_id]], row.cadre_id))
    return [
        Sheet(t("township.report.sheet.stations"), title("township.report.sheet.stations"),
              [Column(t(key), kind) for key, kind in STATION_COLUMNS],
              [_station_row(line) for line in [*lines, township_total(lines)]],
              landscape=True),
        appraisal(rows, title("report.sheet.appraisal"),
                  {cadre_id: stations[station_id]
                   for cadre_id, station_id in cadre_station.items()}),
    ]


def month_report(actor: Session, period: Period, at: dt.datetime | None = None
                 ) -> list[Sheet]:
    """The month's report the signed-in cadre takes: the township's for a township
    cadre, else their station's (the station head's alone)."""
    if actor.is_township:
        return township_report(actor, period, at)
    return monthly_report(actor, period, at)


@writes
def note_township_export(actor: Session, table: str, destination: str, rows: int) -> Event:
    """The township's report taken out, in the event log under the township cadre
    (as `note_export` notes a station's files)."""
    cadre = require_township(actor)
    return history.record("cadre", cadre.id, "export", actor,
                          table=table, destination=destination, rows=rows)
