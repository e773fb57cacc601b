"""The month's report for the township (`kiosk export report`): the statistics
screen's figures as tables, the list of every errand registered in the month, and
the cadres' appraisal form (考核表) to sign.

Everything comes from `station_figures` and `village_figures` (aggregate
queries) and the errand list (one query).
"""
from __future__ import annotations

import datetime as dt

from models.core.entities import Station, now
from models.core.i18n import t, weekday
from models.core.session import Session
from models.errands.entities import status_label
from models.reports.errand_list import errand_sheet
from models.reports.figures import CadreErrands, Period, StationFigures, period_label, \
    station_figures
from models.reports.sheets import Cell, Column, Kind, Sheet, ratio, require_head_export
from models.reports.village_figures import CadreRow, VillageFigures, cadre_rows, \
    village_figures

COUNT, RATIO, DAYS = Kind.COUNT, Kind.RATIO, Kind.DAYS


def _columns(*pairs: tuple[str, Kind]) -> list[Column]:
    return [Column(t(key), kind) for key, kind in pairs]


def _lines(lines: list[tuple[str, object, Kind]]) -> list[list]:
    """A table of mixed figures: what, and its value as its kind reads."""
    return [[t(key), Cell(value, kind)] for key, value, kind in lines]


def _overview(figures: StationFigures) -> list[list]:
    done, calls = figures.completion, figures.callbacks
    return _lines([
        ("stats.registered", figures.registered, COUNT),
        ("stats.completed", done.completed, COUNT),
        ("report.on_time", done.on_time, COUNT),
        ("report.late", done.late, COUNT),
        ("stats.overdue_rate", ratio(done.late, done.completed), RATIO),
        ("report.median_days", done.median_days, DAYS),
        ("report.p90_days", done.p90_days, DAYS),
        ("report.returned", done.returned, COUNT),
        ("report.cancelled", done.cancelled, COUNT),
        ("stats.open_overdue", figures.open_overdue, COUNT),
        ("report.callbacks", calls.made, COUNT),
        ("report.satisfied", calls.satisfied, COUNT),
        ("report.fairly", calls.fairly, COUNT),
        ("report.unsatisfied", calls.unsatisfied, COUNT),
        ("report.not_reached", calls.not_reached, COUNT),
        ("stats.satisfaction", ratio(calls.satisfied + calls.fairly, calls.answered), RATIO),
    ])


def _village(village: VillageFigures) -> list[list]:
    disputes = village.disputes
    return _lines([
        ("report.col.visits", village.visits, COUNT),
        ("report.households", village.households, COUNT),
        ("report.visited", village.visited, COUNT),
        ("report.coverage", ratio(village.visited, village.households), RATIO),
        ("report.households_overdue", village.overdue, COUNT),
        ("report.disputes_found", disputes.found, COUNT),
        ("report.disputes_settled", disputes.settled, COUNT),
        ("report.disputes_escalated", disputes.escalated, COUNT),
        ("report.open_high_risk", village.open_high_risk, COUNT),
    ])


def _shares(counts: list[tuple[str, int]]) -> list[list]:
    total = sum(count for _, count in counts)
    return [[label, count, ratio(count, total)] for label, count in counts]


def _errand_counts(mine: CadreErrands | None) -> list:
    if mine is None:
        return [0, 0, 0, 0, None, None]
    return [mine.registered, mine.completed, mine.on_time, mine.late,
            ratio(mine.late, mine.completed), mine.mean_days]


ERRAND_COLUMNS = (("stats.col.registered", COUNT), ("stats.col.completed", COUNT),
                  ("stats.col.on_time", COUNT), ("stats.col.late", COUNT),
                  ("stats.col.overdue_rate", RATIO), ("report.col.mean_days", DAYS))


def _village_counts(row: CadreRow) -> list[int]:
    mine = row.village
    if mine is None:
        return [0] * 5
    return [mine.visits, mine.households, mine.disputes.found, mine.disputes.settled,
            mine.disputes.escalated]


def appraisal(rows: list[CadreRow], title: str, station_of: dict[int, str] | None = None
              ) -> Sheet:
    """考核表: a row per cadre, each signed by the cadre, and the lines for the
    one who drew it up, the station head and the township. The township's names
    each cadre's station (`station_of`, by cadre id), and has no station head's line."""
    where = [("township.col.station", Kind.TEXT)] if station_of is not None else []
    lines = []
    for index, row in enumerate(rows, 1):
        duty = row.duty
        shifts = ([duty.shifts, duty.on_time, duty.late, duty.missed, duty.nights,
                   duty.required if duty.stays_in_village else None]
                  if duty else [None] * 6)
        station = [station_of[row.cadre_id]] if station_of is not None else []
        lines.append([index, *station, row.name, *shifts, *_errand_counts(row.errands),
                      *_village_counts(row), ""])
    columns = _columns(("report.col.index", COUNT), *where, ("duty.col.name", Kind.TEXT),
                       ("duty.col.shifts", COUNT), ("duty.col.on_time", COUNT),
                       ("duty.col.late", COUNT), ("duty.col.missed", COUNT),
                       ("report.col.nights", COUNT), ("report.col.nights_required", COUNT),
                       *ERRAND_COLUMNS, ("report.col.visits", COUNT),
                       ("report.col.households_visited", COUNT),
                       ("report.col.disputes_found", COUNT),
                       ("report.col.disputes_settled", COUNT),
                       ("report.col.disputes_escalated", COUNT),
                       ("report.col.signature", Kind.TEXT))
    footer = [t("report.sign.drawn_up"),
              *([t("report.sign.head")] if station_of is None else []),
              t("report.sign.township"), t("report.sign.date")]
    return Sheet(t("report.sheet.appraisal"), title, columns, lines, footer, landscape=True)


def monthly_report(actor: Session, period: Period, at: dt.datetime | None = None
                   ) -> list[Sheet]:
    """The sheets of the report on `period` (a month), in the order they are read."""
    require_head_export(actor)
    at = at or now()
    station_id = actor.station_id
    figures = station_figures(station_id, period, at)
    village = village_figures(station_id, period, at)
    station = Station.get_by_id(station_id).name
    when = period_label(period)

    def title(key: str) -> str:
        return t("report.title", station=station, period=when, table=t(key))

    rows = cadre_rows(figures, village)
    duty = [row.duty for row in rows if row.duty]
    daily_overdue = figures.daily_overdue + [None] * (len(figures.daily_intake)
                                                      - len(figures.daily_overdue))
    return [
        Sheet(t("report.sheet.overview"), title("report.sheet.overview"),
              _columns(("report.col.what", Kind.TEXT), ("report.col.value", Kind.TEXT)),
              _overview(figures)),
        Sheet(t("report.sheet.modes"), title("report.sheet.modes"),
              _columns(("report.col.mode", Kind.TEXT), ("report.col.count", COUNT),
                       ("report.col.share", RATIO)),
              _shares([(t(f"mode.{mode}"), count) for mode, count in figures.by_mode.items()])),
        Sheet(t("report.sheet.items"), title("report.sheet.items"),
              _columns(("report.col.item", Kind.TEXT), ("report.col.count", COUNT),
                       ("report.col.share", RATIO)),
              _shares(figures.by_item)),
        Sheet(t("report.sheet.statuses"), title("report.sheet.statuses"),
              _columns(("report.col.status", Kind.TEXT), ("report.col.count", COUNT),
                       ("report.col.share", RATIO)),
              _shares([(status_label(status, None), count) for status, count in
                       sorted(figures.by_status.items(), key=lambda kv: -kv[1])])),
        Sheet(t("report.sheet.cadres"), title("report.sheet.cadres"),
              _columns(("duty.col.name", Kind.TEXT), *ERRAND_COLUMNS),
              [[row.name, *_errand_counts(row.errands)] for row in rows if row.errands
               or row.duty]),
        Sheet(t("report.sheet.check_ins"), title("report.sheet.check_ins"),
              _columns(("duty.col.name", Kind.TEXT), ("duty.col.shifts", COUNT),
                       ("duty.col.on_time", COUNT), ("duty.col.late", COUNT),
                       ("duty.col.missed", COUNT), ("duty.col.punctuality", RATIO),
                       ("duty.col.errands", COUNT)),
              [[row.name, row.shifts, row.on_time, row.late, row.missed,
                ratio(row.on_time, row.on_time + row.late + row.missed),
                row.errands_handled] for row in duty]),
        Sheet(t("report.sheet.nights"), title("report.sheet.nights"),
              _columns(("duty.col.name", Kind.TEXT), ("report.col.stays", Kind.TEXT),
                       ("report.col.nights", COUNT), ("report.col.nights_required", COUNT),
                       ("report.col.nights_missing", COUNT)),
              [[row.name, t("report.yes" if row.stays_in_village else "report.no"),
                row.nights, row.required if row.stays_in_village else None,
                row.missing_nights if row.stays_in_village else None] for row in duty]),
        Sheet(t("report.sheet.daily"), title("report.sheet.daily"),
              _columns(("report.col.day", Kind.DATE), ("report.col.weekday", Kind.TEXT),
                       ("report.col.intake", COUNT), ("report.col.overdue", COUNT)),
              [[day, t("weekday.short", day=weekday(day)), intake, overdue]
               for day, intake, overdue in zip(figures.period.dates(), figures.daily_intake,
                                               daily_overdue)]),
        Sheet(t("report.sheet.village"), title("report.sheet.village"),
              _columns(("report.col.what", Kind.TEXT), ("report.col.value", Kind.TEXT)),
              _village(village)),
        errand_sheet(station_id, period, t("report.sheet.errands"), at.date()),
        appraisal(rows, title("report.sheet.appraisal")),
    ]
