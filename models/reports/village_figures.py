"""A station's visits and disputes for a month or any span of days: visits made,
households visited against all, households overdue for a visit at the period's
end, disputes found, settled and escalated, those at high risk still open; and per
cadre the visits, households and disputes.

Counted by the coverage and dispute queries of models.village (aggregates over
their indexes); nothing here reads a visit, a household or a dispute one by one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.core.entities import Cadre
from models.core.figures import percent
from models.core.scope import of_station
from models.duty.summary import CadreMonth
from models.reports.figures import CadreErrands, Period, StationFigures
from models.village.coverage import station_totals, visits_by_cadre
from models.village.dispute_lists import DisputeCounts, dispute_tally, open_high_risk


@dataclass
class CadreVillage:
    cadre_id: int
    name: str
    visits: int = 0
    households: int = 0  # distinct households the cadre visited
    disputes: DisputeCounts = field(default_factory=DisputeCounts)


@dataclass
class VillageFigures:
    period: Period
    visits: int  # made by the station's cadres in the period
    households: int  # all the station's households
    visited: int  # households visited at least once in the period
    overdue: int  # households past their visit rule at the period's end (or now)
    disputes: DisputeCounts  # found, settled, escalated in the period
    open_high_risk: int  # at high risk and still open at the period's end (or now)
    cadres: list[CadreVillage]  # those with a visit or a dispute counted

    @property
    def coverage(self) -> int | None:
        """Households visited, in percent of all."""
        return percent(self.visited, self.households)


def village_figures(station_id: int, period: Period,
                    now: dt.datetime | None = None) -> VillageFigures:
    at = min(period.end, now or dt.datetime.now())
    households = station_totals(station_id, period.first, period.after, at)
    visits, tally, cadres = _tallies(station_id, period)
    return VillageFigures(
        period=period,
        visits=sum(made for made, _ in visits.values()),
        households=households.households,
        visited=households.visited,
        overdue=households.overdue,
        disputes=sum(tally.values(), DisputeCounts()),
        open_high_risk=open_high_risk(station_id, period.after, at),
        cadres=cadres,
    )


def _tallies(station_id: int | None, period: Period):
    """Visits per cadre, disputes per cadre (None: settled by one since removed),
    and the cadres with either."""
    names = dict(Cadre.select(Cadre.id, Cadre.name).where(of_station(Cadre.station, station_id))
                 .order_by(Cadre.station, Cadre.id).tuples())
    visits = visits_by_cadre(list(names), period.first, period.after)
    tally = dispute_tally(station_id, period.first, period.after)
    cadres = [CadreVillage(cadre_id, name, *visits.get(cadre_id, (0, 0)),
                           tally.get(cadre_id, DisputeCounts()))
              for cadre_id, name in names.items() if cadre_id in visits or cadre_id in tally]
    return visits, tally, cadres


def village_by_cadre(station_id: int | None, period: Period) -> list[CadreVillage]:
    """Each cadre's visits and disputes in the period; None: the cadres of every
    station, counted across all of them at once."""
    return _tallies(station_id, period)[2]


@dataclass(frozen=True)
class CadreRow:
    """A cadre's line of the period: errands, duty, visits and disputes (None:
    nothing of that kind, or not counted yet)."""
    cadre_id: int
    name: str
    errands: CadreErrands | None
    duty: CadreMonth | None
    village: CadreVillage | None


def cadre_rows(figures: StationFigures | None, village: VillageFigures | None
               ) -> list[CadreRow]:
    """Each cadre with errands, duty, visits or disputes in the period, in that
    order: the statistics screen's lines and the report's."""
    return rows_by_cadre(figures.cadres if figures else [], figures.duty if figures else [],
                         village.cadres if village else [])


def rows_by_cadre(errands: list[CadreErrands], duty: list[CadreMonth],
                  village: list[CadreVillage]) -> list[CadreRow]:
    """The cadres' lines from their errands, duty and visits, in that order."""
    errands = {row.cadre_id: row for row in errands}
    duty = {row.cadre_id: row for row in duty}
    visits = {row.cadre_id: row for row in village}
    return [CadreRow(cadre_id,
                     (errands.get(cadre_id) or duty.get(cadre_id) or visits[cadre_id]).name,
                     errands.get(cadre_id), duty.get(cadre_id), visits.get(cadre_id))
            for cadre_id in dict.fromkeys([*errands, *duty, *visits])]
