"""Coverage of households by visits (不漏一户): per villager group, per station,
per cadre over the part of a period they covered a group."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.entities import Cadre, GroupCoverage, VillagerGroup
from models.people.entities import Household, Resident
from models.village.coverage import (
    MONTH_PERIOD,
    StationTotals,
    WEEK_PERIOD,
    board_cadres,
    board_groups,
    cadre_coverage,
    cadre_line,
    coverage_board,
    group_coverage,
    group_households,
    my_visits,
    period_span,
    station_totals,
    usual_period,
    visits_by_cadre,
)
from models.village.entities import Duty, Tag
from models.village.visits import (
    MONTH,
    WEEK,
    VisitForm,
    log_visit,
    set_household_tags,
    set_visit_rule,
)
from tests.actors import acting, our_station

NOV = dt.date(2025, 11, 1)
DEC = dt.date(2025, 12, 1)
AT = dt.datetime(2025, 11, 30, 20, 0)  # "now" for what is overdue


def day(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, 11, n, hour)


@pytest.fixture
def groups(station):
    return {g.number: g for g in VillagerGroup.select().where(VillagerGroup.station == station)}


@pytest.fixture
def homes(groups):
    """Households 01001–01004 in group 1 and 02001 in group 2 (made by a tool:
    no date they were made, so any past visit goes)."""
    made = {}
    for number in ("01001", "01002", "01003", "01004", "02001"):
        made[number] = Household.create(group=groups[int(number[:2])], number=number)
        Resident.create(household=made[number], name=f"户主{number}", relation="户主")
    return made


def visit(home, when: dt.datetime, actor) -> None:
    log_visit(VisitForm(home.id, when, [Duty.POLICY]), actor)


def test_visited_against_all_in_the_period(groups, homes, duty_session):
    visit(homes["01001"], day(3), duty_session)
    visit(homes["01001"], day(20), duty_session)
    visit(homes["01002"], dt.datetime(2025, 10, 31, 18), duty_session)  # the month before
    visit(homes["02001"], day(5), duty_session)
    coverage = group_coverage(groups[1].id, NOV, DEC, at=AT, station_id=our_station())
    assert (coverage.households, coverage.visited, coverage.not_visited) == (4, 1, 3)
    # the station's counted by the database: every household overdue under the
    # county's 3.5 days (01001 seen 10 days before AT)
    assert station_totals(our_station(), NOV, DEC, at=AT) == StationTotals(5, 2, 5)


def test_overdue_worst_first_under_the_county_rule(groups, homes, duty_session):
    # two visits a week: at most 3.5 days between two
    visit(homes["01001"], day(28), duty_session)  # 2.4 days before AT: in time
    visit(homes["01002"], day(20), duty_session)  # 10.4 days: 6.9 late
    visit(homes["01003"], day(25), duty_session)  # 5.4 days: 1.9 late
    overdue = group_coverage(groups[1].id, NOV, DEC, at=AT, station_id=our_station()).overdue
    assert [due.number for due in overdue] == ["01004", "01002", "01003"]
    never, worst, late = overdue
    assert (never.last_visit, never.days_late, never.head) == (None, None, "户主01004")
    assert worst.last_visit == day(20) and worst.interval_days == 3.5
    assert worst.days_late == pytest.approx(10 + 10 / 24 - 3.5)
    assert late.days_late == pytest.approx(5 + 10 / 24 - 3.5)


def test_each_tag_may_have_its_own_interval(groups, homes, head_session, duty_session):
    set_visit_rule("", 1, MONTH, head_session)  # elsewhere: every household monthly
    set_visit_rule(Tag.ALONE_ELDERLY, 1, WEEK, head_session)
    set_visit_rule(Tag.LEFT_BEHIND_CHILD, 1, 14, head_session)
    set_household_tags(homes["01002"].id, [Tag.ALONE_ELDERLY, Tag.LEFT_BEHIND_CHILD],
                       duty_session)
    set_household_tags(homes["01003"].id, [Tag.LEFT_BEHIND_CHILD, Tag.DIBAO], duty_session)
    for number in ("01001", "01002", "01003", "01004"):
        visit(homes[number], day(20), duty_session)  # 10.4 days before AT
    overdue = group_coverage(groups[1].id, NOV, DEC, at=AT, station_id=our_station()).overdue
    assert [(due.number, due.tags, due.interval_days) for due in overdue] == [
        ("01002", (Tag.ALONE_ELDERLY, Tag.LEFT_BEHIND_CHILD), 7)]  # the tightest rule
    later = group_coverage(groups[1].id, NOV, DEC, at=dt.datetime(2025, 12, 5, 12), station_id=our_station())
    assert [(due.number, due.tags) for due in later.overdue] == [
        ("01002", (Tag.ALONE_ELDERLY, Tag.LEFT_BEHIND_CHILD)),
        ("01003", (Tag.DIBAO, Tag.LEFT_BEHIND_CHILD))]
    # counted by the database alike, 02001 (never visited) with them
    assert station_totals(our_station(), NOV, DEC, at=AT) == StationTotals(5, 4, 2)
    assert station_totals(our_station(), NOV, DEC, at=dt.datetime(2025, 12, 5, 12)
                          ).overdue == 3
    # on the very moment its week runs out 01002 is still in time
    assert station_totals(our_station(), NOV, DEC, at=day(27)).overdue == 1


def test_a_visit_after_the_moment_asked_about_does_not_count(groups, homes, duty_session):
    visit(homes["01001"], day(20), duty_session)
    visit(homes["01001"], day(30, 21), duty_session)  # after AT
    due = group_coverage(groups[1].id, NOV, DEC, at=AT, station_id=our_station()).overdue
    assert [(d.number, d.last_visit) for d in due if d.number == "01001"] == [
        ("01001", day(20))]


def test_a_household_moved_to_another_group_counts_there(groups, homes, duty_session):
    visit(homes["01001"], day(28), duty_session)
    Household.update(group=groups[2]).where(Household.id == homes["01001"].id).execute()
    first = group_coverage(groups[1].id, NOV, DEC, at=AT, station_id=our_station())
    second = group_coverage(groups[2].id, NOV, DEC, at=AT, station_id=our_station())
    assert (first.households, first.visited) == (3, 0)
    assert (second.households, second.visited) == (2, 1)  # its visit went with it
    assert [due.number for due in second.overdue] == ["02001"]


def test_a_cover_changed_mid_month_splits_the_month(station, groups, homes, duty_session,
                                                   hua):
    wang = Cadre.get_by_id(duty_session.cadre_id)
    GroupCoverage.create(cadre=wang, group=groups[1], since=dt.date(2025, 6, 1),
                         until=dt.date(2025, 11, 15))
    GroupCoverage.create(cadre=hua, group=groups[1], since=dt.date(2025, 11, 15))
    GroupCoverage.create(cadre=hua, group=groups[2], since=dt.date(2025, 1, 1))
    visit(homes["01001"], day(3), duty_session)
    visit(homes["01002"], day(14, 21), duty_session)
    visit(homes["01003"], day(15, 8), acting(hua))
    visit(homes["01001"], day(29), acting(hua))

    [before] = cadre_coverage(wang.id, NOV, DEC, at=AT, station_id=our_station())
    assert (before.group_number, before.coverage.start, before.coverage.end) == (
        1, NOV, dt.date(2025, 11, 15))
    assert (before.coverage.households, before.coverage.visited) == (4, 2)
    assert before.coverage.overdue == ()  # no longer theirs to visit

    after, other = cadre_coverage(hua.id, NOV, DEC, at=AT, station_id=our_station())
    assert (after.group_number, after.coverage.start, after.coverage.end) == (
        1, dt.date(2025, 11, 15), DEC)
    assert (after.coverage.households, after.coverage.visited) == (4, 2)
    assert [due.number for due in after.coverage.overdue] == ["01004", "01002", "01003"]
    assert (other.group_number, other.coverage.households, other.coverage.visited) == (
        2, 1, 0)

    # in October wang covered group 1 all month, hua only group 2
    october = dt.date(2025, 10, 1)
    assert [part.group_number for part in cadre_coverage(wang.id, october, NOV, at=AT, station_id=our_station())] == [1]
    assert [part.group_number for part in cadre_coverage(hua.id, october, NOV, at=AT, station_id=our_station())] == [2]


def test_a_cover_begun_and_ended_on_one_day_never_counted(groups, homes, hua):
    GroupCoverage.create(cadre=hua, group=groups[1], since=dt.date(2025, 11, 10),
                         until=dt.date(2025, 11, 10))
    assert cadre_coverage(hua.id, NOV, DEC, at=AT, station_id=our_station()) == []


# ---- the board ----

def test_a_groups_households_worst_first_the_visited_last(groups, homes, duty_session):
    visit(homes["01001"], day(28), duty_session)  # in time: 1.1 days left
    visit(homes["01002"], day(20), duty_session)  # 6.9 days late
    visit(homes["01003"], day(29), duty_session)  # in time: 2.1 days left
    households = group_households(groups[1].id, NOV, DEC, at=AT, station_id=our_station())
    assert [(h.number, h.overdue, h.visits) for h in households] == [
        ("01004", True, 0), ("01002", True, 1), ("01001", False, 1), ("01003", False, 1)]
    assert households[2].days_late == pytest.approx(2 + 10 / 24 - 3.5)


def test_the_period_follows_the_stations_rule(station, head_session):
    assert usual_period(station.id) == WEEK_PERIOD  # the county's twice a week
    set_visit_rule("", 1, MONTH, head_session)
    assert usual_period(station.id) == MONTH_PERIOD
    board = coverage_board(station.id, None, by_cadre=False, at=AT)
    assert (board.period, board.start, board.end, len(board.lines)) == (
        MONTH_PERIOD, NOV, DEC, 3)
    board = coverage_board(station.id, WEEK_PERIOD, by_cadre=True, at=AT)
    assert (board.start, board.end, board.lines) == (dt.date(2025, 11, 24), DEC, [])
    thursday = dt.date(2025, 11, 27)
    assert period_span(WEEK_PERIOD, thursday) == (dt.date(2025, 11, 24), DEC)
    assert period_span(MONTH_PERIOD, thursday) == (NOV, DEC)
    assert period_span(MONTH_PERIOD, dt.date(2025, 12, 31)) == (DEC, dt.date(2026, 1, 1))


def test_the_board_per_group_and_per_cadre(station, groups, homes, duty_session, hua):
    wang = Cadre.get_by_id(duty_session.cadre_id)
    GroupCoverage.create(cadre=wang, group=groups[1], since=dt.date(2025, 6, 1),
                         until=dt.date(2025, 11, 15))
    GroupCoverage.create(cadre=hua, group=groups[1], since=dt.date(2025, 11, 15))
    GroupCoverage.create(cadre=hua, group=groups[2], since=dt.date(2025, 1, 1))
    visit(homes["01001"], day(3), duty_session)
    visit(homes["01002"], day(28), acting(hua))
    lines = board_groups(station.id, NOV, DEC, at=AT)
    assert [(g.number, g.cadres, g.coverage.visited, g.coverage.households,
             len(g.coverage.overdue)) for g in lines] == [
        (1, ("李华",), 2, 4, 3), (2, ("李华",), 0, 1, 1), (3, (), 0, 0, 0)]
    cadres = {line.name: line for line in board_cadres(station.id, NOV, DEC, at=AT)}
    assert set(cadres) == {wang.name, "李华"}
    assert (cadres[wang.name].group_numbers, cadres[wang.name].visited,
            cadres[wang.name].walk) == ((1,), 1, ())  # no longer theirs to walk
    mine = cadres["李华"]
    assert (mine.group_numbers, mine.households, mine.visited) == ((1, 2), 5, 1)
    assert [due.number for due in mine.walk] == ["01003", "01004", "02001", "01001"]
    assert cadre_line(hua.id, NOV, DEC, at=AT, station_id=our_station()) == mine


def test_visits_and_households_per_cadre_in_the_database(groups, homes, duty_session, hua):
    visit(homes["01001"], day(3), duty_session)
    visit(homes["01001"], day(20), duty_session)
    visit(homes["01002"], day(21), duty_session)
    visit(homes["01003"], dt.datetime(2025, 10, 31, 18), duty_session)  # the month before
    visit(homes["02001"], day(5), acting(hua))
    assert visits_by_cadre([duty_session.cadre_id, hua.id], NOV, DEC) == {
        duty_session.cadre_id: (3, 2), hua.id: (1, 1)}
    assert visits_by_cadre([], NOV, DEC) == {}


def test_the_home_line_and_the_month_summary(station, groups, homes, duty_session, hua):
    from models.duty.summary import cadre_month_summary
    GroupCoverage.create(cadre=hua, group=groups[1], since=dt.date(2025, 1, 1))
    visit(homes["01001"], day(24), acting(hua))  # a Monday: this week's
    visit(homes["01002"], day(20), acting(hua))
    visit(homes["01002"], day(21), acting(hua))
    period, mine = my_visits(station.id, hua.id, at=AT)
    assert (period, mine.visited, mine.households, len(mine.walk)) == (WEEK_PERIOD, 1, 4, 4)
    assert my_visits(station.id, duty_session.cadre_id, at=AT) is None  # covers no group
    rows = {row.cadre_id: row for row in cadre_month_summary(station.id, 2025, 11, now=AT)}
    assert (rows[hua.id].visits, rows[hua.id].households_visited) == (3, 2)
    assert (rows[duty_session.cadre_id].visits,
            rows[duty_session.cadre_id].households_visited) == (0, 0)
