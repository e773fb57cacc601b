"""How well households are covered by visits (不漏一户): per villager group, per
station and per cadre, for a period.

A household counts where it is now (a household moved to another group counts
there, its visits with it). It is visited in a period when it had a visit in it,
by whoever made it; it is overdue at a moment when its last visit is longer ago
than the tightest visit rule that applies to it allows (never visited: overdue).
The figures come from one aggregate query per group — each household's last
visit a MAX and its visits in the period a COUNT, both over the (household,
visited_at) index — so the cost follows the number of households, not of visits.

A cadre answers for the groups they covered (GroupCoverage) during the part of
the period they covered them: when the cover changes mid-month, the households
visited before the change count for the cadre who covered the group then.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, Case, fn

from models.core import scope
from models.core.entities import Cadre, GroupCoverage, VillagerGroup, now
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.village.entities import EVERY_HOUSEHOLD, HouseholdTag, Visit
from models.village.visits import tightest, visit_rules


@dataclass(frozen=True)
class DueHousehold:
    """A household against its visit rule: overdue when never visited or late."""
    household_id: int
    number: str
    head: str  # the head of household's name ("" when none is registered)
    group_number: int
    tags: tuple[str, ...]
    last_visit: dt.datetime | None  # None: never visited
    interval_days: float  # what its rule allows between two visits
    days_late: float | None  # beyond the interval (below 0: days left); None: never visited
    visits: int = 0  # in the period

    @property
    def overdue(self) -> bool:
        return self.days_late is None or self.days_late > 0


@dataclass(frozen=True)
class Coverage:
    """One villager group (or a cadre's groups) in a period [start, end)."""
    start: dt.date
    end: dt.date
    households: int
    visited: int  # households with a visit in the period
    overdue: tuple[DueHousehold, ...]  # worst first: never visited, then most late

    @property
    def not_visited(self) -> int:
        return self.households - self.visited


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _household_rows(group_ids: list[int], start: dt.date, end: dt.date,
                    at: dt.datetime) -> list[tuple]:
    """(group id, group number, household id, number, head, last visit up to `at`,
    visits in [start, end)) of every household of the groups."""
    # Both per household, each one range of the (household, visited_at) index: a
    # join of the period's visits would read every household's of the station.
    last = (Visit.select(fn.MAX(Visit.visited_at))
            .where((Visit.household == Household.id) & (Visit.visited_at <= at)))
    in_period = (Visit.select(fn.COUNT(SQL("*")))
                 .where((Visit.household == Household.id)
                        & (Visit.visited_at >= _moment(start))
                        & (Visit.visited_at < _moment(end))))
    head = (Resident.select(fn.MIN(Resident.name))
            .where((Resident.household == Household.id)
                   & (Resident.relation == HEAD_OF_HOUSEHOLD)))
    query = (Household.select(Household.group, VillagerGroup.number, Household.id,
                              Household.number, head.alias("head"), last.alias("last"),
                              in_period.alias("visits"))
             .join(VillagerGroup)
             .where(Household.group.in_(group_ids))
             .order_by(Household.number))
    return [(*row[:5], Visit.visited_at.python_value(row[5]), row[6])
            for row in query.tuples()]


def _tags(group_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    query = (HouseholdTag.select(HouseholdTag.household, HouseholdTag.tag)
             .join(Household).where(Household.group.in_(group_ids))
             .order_by(HouseholdTag.household, HouseholdTag.tag).tuples())
    for household_id, tag in query:
        found.setdefault(household_id, []).append(tag)
    return {household_id: tuple(tags) for household_id, tags in found.items()}


def _standings(station_id: int, group_ids: list[int], start: dt.date, end: dt.date,
               at: dt.datetime, of_groups: set[int] | None = None):
    """(group id, visits in the period, a DueHousehold or None) for every household
    of the groups: None for those of groups not in `of_groups` (all when None),
    which count but are not judged."""
    rules = visit_rules(station_id)
    tags = _tags(group_ids)
    for group_id, group_number, household_id, number, head, last, visits in \
            _household_rows(group_ids, start, end, at):
        if of_groups is not None and group_id not in of_groups:
            yield group_id, visits, None
            continue
        own = tags.get(household_id, ())
        interval = tightest(rules, own).interval_days
        elapsed = None if last is None else (at - last).total_seconds() / 86400
        yield group_id, visits, DueHousehold(
            household_id, number, head or "", group_number, own, last, interval,
            None if elapsed is None else elapsed - interval, visits)


def _coverage(station_id: int, group_ids: list[int], start: dt.date, end: dt.date,
              at: dt.datetime, overdue_of: set[int] | None = None
              ) -> dict[int, Coverage]:
    """Coverage per group id; overdue households only of the groups in
    `overdue_of` (all when None)."""
    households: dict[int, int] = dict.fromkeys(group_ids, 0)
    visited: dict[int, int] = dict.fromkeys(group_ids, 0)
    overdue: dict[int, list[DueHousehold]] = {group_id: [] for group_id in group_ids}
    for group_id, visits, standing in _standings(station_id, group_ids, start, end, at,
                                                 overdue_of):
        households[group_id] += 1
        visited[group_id] += visits > 0
        if standing is not None and standing.overdue:
            overdue[group_id].append(standing)
    return {group_id: Coverage(start, end, households[group_id], visited[group_id],
                               tuple(sorted(overdue[group_id], key=_worst_first)))
            for group_id in group_ids}


def _worst_first(due: DueHousehold) -> tuple:
    return (due.days_late is not None, -(due.days_late or 0), due.number)


def group_coverage(group_id: int, start: dt.date, end: dt.date,
                   at: dt.datetime | None = None, *, station_id: int) -> Coverage:
    """A villager group's households in [start, end), overdue as of `at` (now)."""
    scope.found(VillagerGroup.get_or_none((VillagerGroup.id == group_id)
                                          & (VillagerGroup.station == station_id)))
    return _coverage(station_id, [group_id], start, end, at or now())[group_id]


@dataclass(frozen=True)
class StationTotals:
    households: int
    visited: int  # with a visit in the period
    overdue: int  # past their rule at the moment asked about (never visited: overdue)


def _has_visit(since):
    """The household of the outer query has a visit matching `since`: one range of
    the (household, visited_at) index."""
    return fn.EXISTS(Visit.select(SQL("1")).where((Visit.household == Household.id) & since))


def station_totals(station_id: int, start: dt.date, end: dt.date,
                   at: dt.datetime | None = None) -> StationTotals:
    """The station's households, those visited in [start, end) and those overdue at
    `at` (now), counted by the database in one query: the figures' sums of every
    group's coverage, without reading a household.

    A household is overdue when no visit falls within its tightest rule's interval
    before `at`: the station's rule, or a tighter one of a tag it has."""
    at = at or now()
    rules = visit_rules(station_id)
    every = rules[EVERY_HOUSEHOLD].interval_days
    tighter: dict[float, list[str]] = {}
    for tag, rule in rules.items():
        if rule.interval_days < every:
            tighter.setdefault(rule.interval_days, []).append(tag)

    def in_time(interval: float):
        """A visit within `interval` days before `at` (overdue: later than that)."""
        return _has_visit(Visit.visited_at.between(at - dt.timedelta(days=interval), at))
    overdue = ~in_time(every)
    for interval, tags in tighter.items():
        tagged = fn.EXISTS(HouseholdTag.select(SQL("1")).where(
            (HouseholdTag.household == Household.id) & HouseholdTag.tag.in_(tags)))
        overdue = overdue | (tagged & ~in_time(interval))
    visited = _has_visit((Visit.visited_at >= _moment(start))
                         & (Visit.visited_at < _moment(end)))
    households, seen, late = (
        Household.select(fn.COUNT(Household.id),
                         fn.SUM(Case(None, [(visited, 1)], 0)),
                         fn.SUM(Case(None, [(overdue, 1)], 0)))
        .join(VillagerGroup).where(VillagerGroup.station == station_id).tuples().get())
    return StationTotals(households, seen or 0, late or 0)


@dataclass(frozen=True)
class CoverPart:
    """A group a cadre covered during part (or all) of the period."""
    group_id: int
    group_number: int
    coverage: Coverage  # over the days of the period the cadre covered it


def cadre_coverage(cadre_id: int, start: dt.date, end: dt.date,
                   at: dt.datetime | None = None, *, station_id: int) -> list[CoverPart]:
    """The groups the cadre covered in [start, end), each over the days they
    covered it; overdue households only where they cover the group at `at`."""
    at = at or now()
    covers = (GroupCoverage.select(GroupCoverage, VillagerGroup).join(VillagerGroup)
              .where((GroupCoverage.cadre == cadre_id) & (GroupCoverage.since < end)
                     & (VillagerGroup.station == station_id)
                     & (GroupCoverage.until.is_null() | (GroupCoverage.until > start))
                     # begun and ended on one day: never took effect
                     & (GroupCoverage.until.is_null()
                        | (GroupCoverage.until > GroupCoverage.since)))
              .order_by(VillagerGroup.number, GroupCoverage.since))
    parts = []
    for cover in covers:
        window_start = max(start, cover.since)
        window_end = min(end, cover.until) if cover.until else end
        covering_now = cover.since <= at.date() and (cover.until is None
                                                     or at.date() < cover.until)
        coverage = _coverage(cover.group.station_id, [cover.group_id], window_start,
                             window_end, at,
                             overdue_of={cover.group_id} if covering_now else set())
        parts.append(CoverPart(cover.group_id, cover.group.number, coverage[cover.group_id]))
    return parts


def group_households(group_id: int, start: dt.date, end: dt.date,
                     at: dt.datetime | None = None, *, station_id: int
                     ) -> list[DueHousehold]:
    """Every household of a villager group of the station, worst first: never
    visited, the most late, then those in time, the soonest due first."""
    scope.found(VillagerGroup.get_or_none((VillagerGroup.id == group_id)
                                          & (VillagerGroup.station == station_id)))
    return sorted((standing for _, _, standing in
                   _standings(station_id, [group_id], start, end, at or now())),
                  key=_worst_first)


# ---- the board: a period, the groups, the cadres ----

WEEK_PERIOD, MONTH_PERIOD = "week", "month"


def usual_period(station_id: int) -> str:
    """The period the station's rule is written in: a week when it asks for a
    visit at least weekly (the county's twice a week), else a month."""
    return WEEK_PERIOD if visit_rules(station_id)[EVERY_HOUSEHOLD].per_days <= 7 \
        else MONTH_PERIOD


def period_span(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end) of the week (Monday on) or the month holding `day`."""
    if period == WEEK_PERIOD:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class GroupLine:
    group_id: int
    number: int
    name: str
    cadres: tuple[str, ...]  # who covers it now
    coverage: Coverage


def board_groups(station_id: int, start: dt.date, end: dt.date,
                 at: dt.datetime | None = None) -> list[GroupLine]:
    """Every villager group of the station with who covers it and its coverage."""
    at = at or now()
    groups = list(VillagerGroup.select().where(VillagerGroup.station == station_id)
                  .order_by(VillagerGroup.number))
    found = _coverage(station_id, [g.id for g in groups], start, end, at)
    names: dict[int, list[str]] = {}
    for group_id, name in (GroupCoverage.select(GroupCoverage.group, Cadre.name).join(Cadre)
                           .where(Cadre.active & GroupCoverage.group.in_([g.id for g in groups])
                                  & (GroupCoverage.since <= at.date())
                                  & (GroupCoverage.until.is_null()
                                     | (GroupCoverage.until > at.date())))
                           .order_by(Cadre.id).tuples()):
        names.setdefault(group_id, []).append(name)
    return [GroupLine(g.id, g.number, g.name, tuple(names.get(g.id, ())), found[g.id])
            for g in groups]


@dataclass(frozen=True)
class CadreLine:
    """A cadre's groups over the days of the period they covered them, together."""
    cadre_id: int
    name: str
    group_numbers: tuple[int, ...]
    households: int
    visited: int
    walk: tuple[DueHousehold, ...]  # overdue in the groups they cover now, worst first


def cadre_line(cadre_id: int, start: dt.date, end: dt.date,
               at: dt.datetime | None = None, *, station_id: int) -> CadreLine:
    """The cadre's coverage of the station's groups; `walk` is the day's list of
    households to visit."""
    parts = cadre_coverage(cadre_id, start, end, at, station_id=station_id)
    overdue = [due for part in parts for due in part.coverage.overdue]
    cadre = scope.found(Cadre.get_or_none((Cadre.id == cadre_id)
                                          & (Cadre.station == station_id)))
    return CadreLine(cadre_id, cadre.name,
                     tuple(sorted({part.group_number for part in parts})),
                     sum(part.coverage.households for part in parts),
                     sum(part.coverage.visited for part in parts),
                     tuple(sorted(overdue, key=_worst_first)))


def board_cadres(station_id: int, start: dt.date, end: dt.date,
                 at: dt.datetime | None = None) -> list[CadreLine]:
    """The station's active cadres who covered a group in the period."""
    cadre_ids = (GroupCoverage.select(GroupCoverage.cadre).distinct().join(Cadre)
                 .where((Cadre.station == station_id) & Cadre.active
                        & (GroupCoverage.since < end)
                        & (GroupCoverage.until.is_null() | (GroupCoverage.until > start)))
                 .order_by(GroupCoverage.cadre).tuples())
    return [cadre_line(cadre_id, start, end, at, station_id=station_id)
            for (cadre_id,) in cadre_ids]


def visits_by_cadre(cadre_ids: list[int], start: dt.date, end: dt.date
                    ) -> dict[int, tuple[int, int]]:
    """Cadre id -> (visits made, households visited) in [start, end), counted in
    the database from the (cadre, visited_at, household) index alone."""
    if not cadre_ids:
        return {}
    query = (Visit.select(Visit.cadre, fn.COUNT(Visit.id), fn.COUNT(fn.DISTINCT(Visit.household)))
             .where(Visit.cadre.in_(cadre_ids) & (Visit.visited_at >= _moment(start))
                    & (Visit.visited_at < _moment(end)))
             .group_by(Visit.cadre).tuples())
    return {cadre_id: (visits, households) for cadre_id, visits, households in query}


def my_visits(station_id: int, cadre_id: int, at: dt.datetime | None = None
              ) -> tuple[str, CadreLine] | None:
    """(the station's usual period, the cadre's line over it) for the home
    screen; None when the cadre covers no group in it."""
    at = at or now()
    period = usual_period(station_id)
    line = cadre_line(cadre_id, *period_span(period, at.date()), at, station_id=station_id)
    return (period, line) if line.group_numbers else None


@dataclass(frozen=True)
class Board:
    period: str
    start: dt.date
    end: dt.date
    lines: list  # of GroupLine, or of CadreLine


def coverage_board(station_id: int, period: str | None, by_cadre: bool,
                   at: dt.datetime | None = None) -> Board:
    """The board over `period` (None: the station's usual one), per group or per
    cadre, in one call."""
    at = at or now()
    period = period or usual_period(station_id)
    start, end = period_span(period, at.date())
    read = board_cadres if by_cadre else board_groups
    return Board(period, start, end, read(station_id, start, end, at))
