"""A station's visits and disputes for a period, against values worked out by hand
on a small November 2026: four households, two cadres, seven disputes."""
import datetime as dt

import pytest

from models.core.entities import VillagerGroup
from models.people.entities import Household
from models.reports.figures import Period
from models.reports.village_figures import village_figures
from models.village.entities import (
    Dispute,
    DisputeStatus,
    Escalation,
    HouseholdTag,
    Risk,
    Tag,
    Visit,
    VisitRule,
)

NOV = Period.month(2026, 11)
NOW = dt.datetime(2026, 12, 2, 10, 0)
S = DisputeStatus


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour)


@pytest.fixture
def village(station, admin, hua):
    """Every household at least once a week, 低保 households every two days;
    01001–01003 in group 1 (01002 a 低保 household), 02001 in group 2."""
    groups = {g.number: g for g in VillagerGroup.select().where(VillagerGroup.station == station)}
    homes = {number: Household.create(group=groups[int(number[:2])], number=number)
             for number in ("01001", "01002", "01003", "02001")}
    VisitRule.create(station=station, tag="", visits=1, per_days=7)
    VisitRule.create(station=station, tag=Tag.DIBAO, visits=1, per_days=2)
    HouseholdTag.create(household=homes["01002"], tag=Tag.DIBAO)
    for home, cadre, when in (("01001", admin, at(11, 3)), ("01001", admin, at(11, 27)),
                              ("01002", admin, at(11, 28)), ("01001", hua, at(11, 10)),
                              ("02001", hua, at(10, 30)), ("02001", hua, at(12, 1))):
        Visit.create(household=homes[home], cadre=cadre, visited_at=when, duties=["policy"])

    def dispute(n, owner, found, risk, status=S.FOUND, closed=None, closed_by=None):
        return Dispute.create(station=station, number=f"JF2026-{n:04d}", title=f"纠纷{n}",
                              kind="land", risk=risk, status=status, found_on=found,
                              review_due=found, owner=owner, closed_at=closed,
                              closed_by=closed_by)

    dispute(1, admin, dt.date(2026, 11, 5), Risk.HIGH, S.SETTLED, at(11, 20), hua)
    dispute(2, hua, dt.date(2026, 11, 12), Risk.HIGH)
    third = dispute(3, admin, dt.date(2026, 10, 20), Risk.MEDIUM, S.ESCALATED, at(11, 15),
                    admin)
    Escalation.create(dispute=third, to_whom="镇司法所", escalated_on=dt.date(2026, 11, 15),
                      cadre=admin)
    # high risk, open at the end of November, settled on December 1st
    dispute(4, admin, dt.date(2026, 11, 25), Risk.HIGH, S.SETTLED, at(12, 1, 9), admin)
    dispute(5, hua, dt.date(2026, 12, 1), Risk.HIGH)
    dispute(6, admin, dt.date(2026, 11, 8), Risk.LOW, S.WITHDRAWN, at(11, 9), admin)
    # settled by a cadre since removed: the station's, nobody's
    dispute(7, hua, dt.date(2026, 11, 2), Risk.MEDIUM, S.SETTLED, at(11, 3))
    return homes


def test_visits_and_coverage_of_the_month(station, village):
    figures = village_figures(station.id, NOV, NOW)
    assert figures.visits == 4  # October's and December's left out
    assert (figures.households, figures.visited, figures.coverage) == (4, 2, 50)
    # at the end of November: 01002 (低保) last seen 2.6 days before, 01003 never,
    # 02001 since October; 01001, seen on the 27th, within its week
    assert figures.overdue == 3


def test_disputes_of_the_month(station, village):
    figures = village_figures(station.id, NOV, NOW)
    found, settled, escalated = (figures.disputes.found, figures.disputes.settled,
                                 figures.disputes.escalated)
    assert (found, settled, escalated) == (5, 2, 1)  # 1, 2, 4, 6, 7; 1 and 7; 3
    assert figures.open_high_risk == 2  # 2, and 4 (settled in December)


def test_per_cadre(station, village, admin, hua):
    cadres = {row.cadre_id: row for row in village_figures(station.id, NOV, NOW).cadres}
    mine, hers = cadres[admin.id], cadres[hua.id]
    assert (mine.name, mine.visits, mine.households) == (admin.name, 3, 2)
    assert (hers.visits, hers.households) == (1, 1)
    assert (mine.disputes.found, mine.disputes.settled, mine.disputes.escalated) == (3, 0, 1)
    assert (hers.disputes.found, hers.disputes.settled, hers.disputes.escalated) == (2, 1, 0)
    assert set(cadres) == {admin.id, hua.id}


def test_the_current_month_counts_to_now(station, village, admin, hua):
    figures = village_figures(station.id, Period.month(2026, 12), NOW)
    assert (figures.visits, figures.visited) == (1, 1)  # 02001 on the 1st
    assert figures.overdue == 2  # 01002 (低保) four days since, 01003 never
    assert (figures.disputes.found, figures.disputes.settled) == (1, 1)
    assert figures.open_high_risk == 2  # 2 and 5 are open now
    cadres = {row.cadre_id: row for row in figures.cadres}
    assert (cadres[admin.id].visits, cadres[admin.id].disputes.settled) == (0, 1)
    assert (cadres[hua.id].visits, cadres[hua.id].disputes.found) == (1, 1)


def test_a_span_with_nothing_in_it(station, village):
    figures = village_figures(station.id, Period.days(dt.date(2026, 9, 1),
                                                      dt.date(2026, 9, 30)), NOW)
    assert (figures.visits, figures.visited, figures.households) == (0, 0, 4)
    assert figures.overdue == 4 and figures.cadres == []
    assert figures.open_high_risk == 0 and figures.disputes.handled == 0
