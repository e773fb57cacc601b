"""The roster generator on plain data: its promises over many random months."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models.duty.planning import REST, Slot, assign

D = dt.date
# the station's day as templates: (starts, ends, night); an end before the start is the next day
DAYS_OF_SHIFTS = [
    [("08:00", "08:00", True)],  # one 24-hour 值班 a day
    [("08:00", "20:00", False), ("20:00", "08:00", True)],
    [("08:00", "18:00", False), ("20:00", "08:00", True)],
    [("00:00", "08:00", True), ("08:00", "16:00", False), ("16:00", "00:00", False)],
]
OUTSIDER = 999  # holds kept shifts but is no longer rostered


def window(day: dt.date, starts: str, ends: str) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, dt.time.fromisoformat(starts))
    end = dt.datetime.combine(day, dt.time.fromisoformat(ends))
    return begin, end if end > begin else end + dt.timedelta(days=1)


def days_touched(slot: Slot) -> set[dt.date]:
    first, last = slot.starts_at.date(), (slot.ends_at - dt.timedelta(seconds=1)).date()
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


@dataclass
class Month:
    slots: list[Slot]
    cadres: list[int]
    leave: dict[int, set[dt.date]]
    worked: dict[int, list[tuple[dt.datetime, dt.datetime]]]

    def plan(self):
        return assign(self.slots, self.cadres, self.leave, self.worked)

    def free(self, slot: Slot) -> list[int]:
        return [cid for cid in self.cadres if not days_touched(slot) & self.leave[cid]]


@st.composite
def months(draw, leave=True, kept=True, worked=True, holders=True, templates=None) -> Month:
    cadres = draw(st.lists(st.integers(1, 500), min_size=1, max_size=9, unique=True))
    first = draw(st.dates(D(2026, 1, 1), D(2027, 12, 31)))
    days = [first + dt.timedelta(days=n) for n in range(draw(st.integers(1, 31)))]
    templates = templates or draw(st.sampled_from(DAYS_OF_SHIFTS))
    holidays = draw(st.sets(st.sampled_from(days)))
    away = {cid: set() for cid in cadres}
    for _ in range(draw(st.integers(0, 4)) if leave else 0):
        begin = draw(st.sampled_from(days))
        for n in range(draw(st.integers(0, 9))):
            away[draw(st.sampled_from(cadres))].add(begin + dt.timedelta(days=n))
    someone = st.sampled_from([*cadres, None]) if holders else st.none()
    today = draw(st.integers(0, len(days))) if kept else 0  # days before it are kept
    slots = []
    for number, day in enumerate(days):
        for position, (starts, ends, night) in enumerate(templates):
            begin, end = window(day, starts, ends)
            checked_in = kept and draw(st.integers(0, 19)) == 0
            past = number < today or checked_in
            holder = draw(st.sampled_from([*cadres, None, OUTSIDER]) if past else someone)
            slots.append(Slot(day, position, begin, end, night, day in holidays, past, holder))
    hours: dict[int, list] = {}
    if worked:  # the neighbouring months' shifts on the days before and after
        for day in (days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1)):
            for starts, ends, _ in templates:
                cid = draw(st.sampled_from([*cadres, None]))
                if cid is not None:
                    hours.setdefault(cid, []).append(window(day, starts, ends))
    return Month(slots, cadres, away, hours)


def assert_rested(month: Month, cadres: list[int | None]) -> None:
    """No one works twice without REST between, counting kept and neighbouring
    shifts; in particular never a night and then the day shift right after it."""
    for cid in month.cadres:
        mine = [(s.starts_at, s.ends_at, s.night, not s.kept)
                for s, who in zip(month.slots, cadres) if who == cid]
        mine += [(begin, end, None, False) for begin, end in month.worked.get(cid, [])]
        mine.sort()
        for before, after in pairwise(mine):
            if before[3] or after[3]:  # at least one of them planned now
                assert after[0] - before[1] >= REST, (cid, before, after)
                assert not (before[2] and after[2] is False and after[0] == before[1])


@settings(max_examples=150, deadline=None)
@given(months())
def test_kept_shifts_stay_leave_and_rest_are_respected(month):
    plan = month.plan()
    cadres = plan.cadres
    assert len(cadres) == len(month.slots)
    for slot, cid in zip(month.slots, cadres):
        if slot.kept:
            assert cid == slot.holder
        elif cid is not None:
            assert cid in month.free(slot), (slot, cid)
    assert_rested(month, cadres)
    # every shift someone is on counts, kept ones of cadres no longer rostered too
    spread = plan.spread
    for cid in {*month.cadres, *cadres} - {None}:
        mine = [s for s, who in zip(month.slots, cadres) if who == cid]
        assert (spread[cid].total, spread[cid].night, spread[cid].holiday) == (
            len(mine), sum(s.night for s in mine), sum(s.holiday for s in mine))


@settings(max_examples=150, deadline=None)
@given(months())
def test_every_shift_is_filled_where_three_could_take_it(month):
    assume(all(len(month.free(s)) >= 3 for s in month.slots if not s.kept))
    plan = month.plan()
    assert all(cid is not None for s, cid in zip(month.slots, plan.cadres) if not s.kept)


@settings(max_examples=150, deadline=None)
@given(months(kept=False, worked=False, holders=False))
def test_nobody_is_two_shifts_off_their_share(month):
    """Each shift earns the n cadres who could take it 1/n; leave lowers the share."""
    assume(all(len(month.free(s)) >= 3 for s in month.slots))
    plan = month.plan()
    assert sum(plan.fair.values()) == pytest.approx(len(month.slots), abs=0.05)
    free = {cid: {i for i, s in enumerate(month.slots) if cid in month.free(s)}
            for cid in month.cadres}
    for cid in month.cadres:
        assert abs(plan.spread[cid].total - plan.fair[cid]) < 2, (cid, plan.spread, plan.fair)
        for other in month.cadres:
            if free[cid] < free[other]:
                assert plan.fair[cid] < plan.fair[other]


@settings(max_examples=100, deadline=None)
@given(months(), st.data())
def test_the_same_input_gives_the_same_assignment_in_any_order(month, data):
    plan = month.plan()
    assert month.plan() == plan
    order = data.draw(st.permutations(range(len(month.slots))))
    shuffled = assign([month.slots[i] for i in order], list(reversed(month.cadres)),
                      month.leave, month.worked)
    assert shuffled.cadres == [plan.cadres[i] for i in order]
    assert shuffled.spread == plan.spread and shuffled.fair == plan.fair


@settings(max_examples=100, deadline=None)
@given(months())
def test_planning_again_after_saving_moves_nothing(month):
    assume(all(len(month.free(s)) >= 3 for s in month.slots if not s.kept))
    first = month.plan()
    saved = [slot if slot.kept else replace(slot, holder=cid)
             for slot, cid in zip(month.slots, first.cadres)]
    assert assign(saved, month.cadres, month.leave, month.worked).cadres == first.cadres


@settings(max_examples=150, deadline=None)
@given(months(templates=DAYS_OF_SHIFTS[0]))
def test_a_24_hour_shift_is_never_followed_by_the_next_days(month):
    """With one 24-hour shift a day nobody has two days in a row: the day after is rest."""
    plan = month.plan()
    for cid in month.cadres:
        days = sorted(s.day for s, who in zip(month.slots, plan.cadres)
                      if who == cid and not s.kept)
        kept = {s.day for s, who in zip(month.slots, plan.cadres) if who == cid and s.kept}
        worked = {begin.date() for begin, _ in month.worked.get(cid, [])}
        for day in days:
            for near in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
                assert near not in {*days, *kept, *worked}, (cid, day)


@settings(max_examples=100, deadline=None)
@given(months(kept=False, worked=False, holders=False, templates=DAYS_OF_SHIFTS[0]))
def test_one_shift_a_day_is_filled_and_fair_with_three_cadres_free(month):
    assume(all(len(month.free(s)) >= 3 for s in month.slots))
    plan = month.plan()
    assert None not in plan.cadres
    for cid in month.cadres:
        assert abs(plan.spread[cid].total - plan.fair[cid]) < 2, (cid, plan.spread, plan.fair)
