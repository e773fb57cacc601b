"""A station reads only its own rows: proved for every read of a row, on a database
holding two stations.

The reads are found, not only listed: every public function of models/ that takes a
row's id (a parameter named *_id or *_ids) must take the reading `station_id` too,
or be exempt below with the reason. Each read that takes `station_id` beside a row's
id is called with the rows of station A as station B (nothing: not found, empty or
None) and as station A (found: so the case can fail). The lists a station reads by
`station_id` alone are checked the same way: A's rows, none of them read as B.
"""
from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable

import pytest

from models.core.audit import AuditFilter, audit_page
from models.core.entities import GroupCoverage
from models.core.scope import not_found
from models.core.validation import ValidationError
from models.duty.checkin import shift_detail
from models.duty.handover import handover_detail, handover_items, search_handovers
from models.duty.nights import nights_summary
from models.duty.roster import month_roster
from models.errands.batches import already_open, batch_progress, station_batches
from models.errands.intake import open_duplicates, restore_intake
from models.errands.printing import receipt_printout
from models.errands.queue import carry_list, preset_filter, queue_page
from models.errands.records import (
    errand_by_number,
    errand_detail,
    errand_receipt,
    resident_overview,
)
from models.people.households import find_households, members_of
from models.people.residents import load_resident, matching_resident_ids, search_residents
from models.reports.figures import Period, station_figures
from models.station.cadres import open_errands_of, team
from models.station.settings import shifts_to_drop
from models.public.entities import Policy
from models.village.coverage import (
    cadre_coverage,
    cadre_line,
    group_coverage,
    group_households,
    station_coverage,
)
from models.village.dispute_lists import (
    dispute_detail,
    dispute_list,
    disputes_of_visit,
    resident_name,
)
from models.village.visits import (
    errands_of_visit,
    household_head,
    household_tags,
    rule_for,
    visit_need,
    visit_of_errand,
)
from models.village.entities import HouseholdTag, Tag, VisitErrand
from models.village.household_file import (
    household_file,
    open_disputes,
    resident_household_file,
)
from models.village.policy_delivery import household_policies, policy_gaps
from tests.models.test_guard import (  # noqa: F401  (world: the fixture)
    RECENT,
    dispute_of,
    model_functions,
    visit_by,
    world,
)

EXEMPT = {  # reads that take a row's id and no station, and why that is safe
    "require_own": "a guard: compares the actor's cadre with the ids given",
    "save_as_head": "a write's step, after require_head checked the row's station",
    "record": "writes the event of a change its write function has guarded",
    "record_night": "a write's step, after its guard",
    "own_shift": "a write's step: refuses another station's shift (require_station)",
    "visit_to_follow_up": "a write's step: refuses another station's visit (require_station)",
    "history": "the trail of a row already read through a scoped read (errand_detail, "
               "dispute_detail...); screens never call it",
    "leave_days": "of cadre ids the caller took from its station's cadres",
    "required_nights": "of cadre ids the caller took from its station's cadres",
    "nights_by_cadre": "of cadre ids the caller took from its station's cadres",
    "visits_by_cadre": "of cadre ids the caller took from its station's cadres",
    "unreturned_originals": "a part of an errand errand_detail or a write has scoped",
    "missing_materials": "a part of an errand errand_detail or a write has scoped",
    "linked_errands": "a part of an errand errand_detail has scoped",
    "errand_materials": "a part of an errand errand_detail or errand_receipt has scoped",
    "household_members": "a part of a resident resident_overview has scoped",
    "dispute_parties": "a part of a dispute dispute_detail or a write has scoped",
    "party_names": "of dispute ids from the station's own dispute list",
    "resident_station": "which station a row is of: the write guard's question, no data",
    "household_station": "which station a row is of: the write guard's question, no data",
    "clean_login": "checks a login typed on the cadre form",
    "sign_in_with_pin": "signing in at a station's shared login: that station's cadres only",
    "save_deliveries": "a write's step: log_visit / edit_visit guard the visit first",
}


def row_reads() -> dict[str, Callable]:
    """Public functions of models/ (not writes) that take a row's id, by name."""
    return {f"{module}.{name}": fn for module, name, fn in model_functions()
            if not name.startswith("_") and not getattr(fn, "is_write", False)
            and any(p.endswith(("_id", "_ids")) and p != "station_id"
                    for p in inspect.signature(fn).parameters)}


def test_every_read_of_a_row_takes_the_station_or_says_why_not():
    reads = row_reads()
    unscoped = {path.rsplit(".", 1)[1] for path, fn in reads.items()
                if "station_id" not in inspect.signature(fn).parameters}
    assert unscoped - set(EXEMPT) == set(), "take station_id, or add to EXEMPT with why"
    assert set(EXEMPT) - unscoped == set(), "stale EXEMPT entries"
    scoped = {path.rsplit(".", 1)[1] for path, fn in reads.items()
              if "station_id" in inspect.signature(fn).parameters
              and inspect.signature(fn).parameters["station_id"].kind
              is inspect.Parameter.KEYWORD_ONLY}
    assert scoped - set(BY_ID) == set(), "every scoped read of a row is proved below"


MONTH = (RECENT.year, RECENT.month)
PERIOD = Period.month(*MONTH)

# name -> (what A's row reads as, for a station reading it) ; each returns something
BY_ID: dict[str, Callable] = {
    "errand_detail": lambda w, s: errand_detail(w.errand.id, station_id=s),
    "errand_receipt": lambda w, s: errand_receipt(w.errand.id, station_id=s),
    "receipt_printout": lambda w, s: receipt_printout(w.errand.id, station_id=s),
    "errand_by_number": lambda w, s: errand_by_number(w.errand.number, station_id=s),
    "resident_overview": lambda w, s: resident_overview(w.person.id, station_id=s),
    "load_resident": lambda w, s: load_resident(w.person.id, station_id=s),
    "resident_name": lambda w, s: resident_name(w.person.id, station_id=s),
    "members_of": lambda w, s: members_of(w.household.id, station_id=s),
    "open_duplicates": lambda w, s: open_duplicates(w.person.id, w.errand.item_id,
                                                    station_id=s),
    "restore_intake": lambda w, s: [x for x in restore_intake(
        {"resident_id": w.person.id, "item_id": w.other_item.id}, station_id=s)[:2] if x],
    "already_open": lambda w, s: already_open(w.errand.item_id, [w.person.id], station_id=s),
    "batch_progress": lambda w, s: batch_progress(w.batch, station_id=s),
    "open_errands_of": lambda w, s: open_errands_of(w.head.id, station_id=s),
    "shift_detail": lambda w, s: shift_detail(w.duty_shift.id, station_id=s),
    "handover_items": lambda w, s: handover_items(w.worked_shift.id, station_id=s)
    or shift_detail(w.worked_shift.id, station_id=s),  # no lines to hand over: the shift
    "handover_detail": lambda w, s: handover_detail(w.handover.id, station_id=s),
    "shifts_to_drop": lambda w, s: shifts_to_drop(w.day_template.id, RECENT, station_id=s),
    "group_coverage": lambda w, s: group_coverage(w.group.id, PERIOD.first, PERIOD.after,
                                                  station_id=s).households,
    "cadre_coverage": lambda w, s: cadre_coverage(w.head.id, PERIOD.first, PERIOD.after,
                                                  station_id=s),
    "cadre_line": lambda w, s: cadre_line(w.head.id, PERIOD.first, PERIOD.after,
                                          station_id=s).group_numbers,
    "group_households": lambda w, s: group_households(w.group.id, PERIOD.first, PERIOD.after,
                                                      station_id=s),
    "household_file": lambda w, s: household_file(w.household.id, w.visit.id, station_id=s),
    "resident_household_file": lambda w, s: resident_household_file(w.person.id,
                                                                    station_id=s),
    "dispute_detail": lambda w, s: dispute_detail(w.dispute.id, station_id=s),
    "open_disputes": lambda w, s: open_disputes(w.dispute.visit.household_id, station_id=s),
    "disputes_of_visit": lambda w, s: disputes_of_visit(w.dispute.visit_id, station_id=s),
    "household_tags": lambda w, s: household_tags(w.household.id, station_id=s) or [s],
    "rule_for": lambda w, s: rule_for(w.household.id, station_id=s),
    "household_head": lambda w, s: household_head(w.household.id, station_id=s),
    "visit_need": lambda w, s: visit_need(w.visit.id, station_id=s),
    "errands_of_visit": lambda w, s: errands_of_visit(w.visit.id, station_id=s),
    "visit_of_errand": lambda w, s: visit_of_errand(w.errand.id, station_id=s),
    "household_policies": lambda w, s: household_policies(w.household.id, w.visit.id,
                                                          station_id=s),
    "policy_gaps": lambda w, s: policy_gaps(w.group.id, station_id=s),
}

# lists a station reads by its id alone: the ids of A's rows they show
LISTS: dict[str, Callable] = {
    "search_residents": lambda w, s: {r.id for r in search_residents("zhangsan", station_id=s)},
    "matching_resident_ids": lambda w, s: set(matching_resident_ids("zhangsan", s)),
    "queue_page": lambda w, s: {r.id for r in queue_page(preset_filter("all", s, None)).rows},
    "carry_list": lambda w, s: {e.row.id for e in carry_list(s)},
    "find_households": lambda w, s: {row.household.id for row in find_households(s)},
    "team": lambda w, s: {row.cadre.id for row in team(s)},
    "dispute_list": lambda w, s: {row.dispute.id for row in dispute_list(s, open_only=False)},
    "station_batches": lambda w, s: {b.batch_id for b in station_batches(s)},
    "search_handovers": lambda w, s: {h.id for h in search_handovers(s)},
    "station_coverage": lambda w, s: {  # A's visit, counted
        c.visited for c in station_coverage(s, PERIOD.first, PERIOD.after).values()} - {0},
    "month_roster": lambda w, s: {c.shift_id for c in month_roster(
        s, w.duty_shift.day.year, w.duty_shift.day.month).cells.values() if c.shift_id},
    "nights_summary": lambda w, s: {row.cadre_id for row in nights_summary(s, *MONTH)},
    "station_figures": lambda w, s: {station_figures(s, PERIOD).registered} - {0},
}


@pytest.fixture
def two(world, head_session):
    """Station A (the world's, with a dispute from a visit) and station B."""
    world.visit = visit_by(world, world.head.id)
    dispute = dispute_of(world)
    dispute.visit = world.visit
    dispute.save()
    world.dispute = dispute
    VisitErrand.create(visit=world.visit, errand=world.errand)
    GroupCoverage.create(cadre=world.head, group=world.group, since=PERIOD.first)
    HouseholdTag.create(household=world.household, tag=Tag.DIBAO)
    Policy.create(station=world.station, title="城乡低保金", tag=Tag.DIBAO)  # not yet told
    return world


# how a read says "not here": the refusal of an id it does not know, or nothing
NOTHING = (None, [], {}, "", 0, not_found().code, "duty.no_shift", "duty.no_handover",
           "batch.unknown")


def read(fn, w, station_id):
    try:
        return fn(w, station_id)
    except ValidationError as refused:
        return refused.code


@pytest.mark.parametrize("name", sorted(BY_ID))
def test_a_row_of_another_station_reads_as_not_found(db, two, name):
    ours, theirs = two.station.id, two.sessions["away"].station_id
    assert read(BY_ID[name], two, ours) not in NOTHING, "read as its station, it is there"
    assert read(BY_ID[name], two, theirs) in NOTHING


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_station_s_lists_hold_none_of_another_s_rows(db, two, name):
    ours, theirs = two.station.id, two.sessions["away"].station_id
    shown = LISTS[name](two, ours)
    assert shown, "read as its own station, the rows are there"
    assert LISTS[name](two, theirs) & shown == set()


def test_the_audit_of_one_station_holds_none_of_another_s_events(db, two):
    ours = audit_page(two.sessions["head"], AuditFilter(person="zhangsan"))
    assert ours.rows
    theirs = audit_page(two.sessions["away"], AuditFilter(person="zhangsan"))
    assert {r.event.id for r in theirs.rows} & {r.event.id for r in ours.rows} == set()
