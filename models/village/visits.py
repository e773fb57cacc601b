"""Household tags, the station's visit rules and the visit log (民情访问记录).

Any active cadre of the station may tag its households and log a visit of one of
them (the visit is the actor's own); a visit is edited by the cadre who made it,
or by the head. The visit rules are the station head's. A need raised on a visit
becomes an errand in one step, the two linked both ways (`VisitErrand`).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from models.core import history, scope
from models.core.db import writes
from models.core.entities import Cadre, Event, VillagerGroup, now
from models.core.guard import require_cadre, require_head, require_own, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import ValidationError, fail, parse_when, written_day
from models.errands.entities import Errand
from models.errands.intake import IntakeForm, register_errand
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.village.entities import (
    EVERY_HOUSEHOLD,
    Duty,
    HouseholdTag,
    PolicyDelivery,
    Tag,
    Visit,
    VisitErrand,
    VisitRule,
)
from models.village.policy_delivery import clean_deliveries, save_deliveries

# the county rule (两包一访): every household at least twice a week
DEFAULT_VISITS, DEFAULT_PER_DAYS = 2, 7
WEEK, MONTH = 7, 30  # the periods a rule is usually written in, in days
MAX_VISITS, MAX_PER_DAYS = 31, 366
MET_MAX = 120
NOTES_MAX = 2000


def household_station(household_id: int) -> int | None:
    return (Household.select(VillagerGroup.station).join(VillagerGroup)
            .where(Household.id == household_id).scalar())


def _station_household(household_id: int, actor: Session) -> Household:
    """The household, refused when it is not there or of another station."""
    household = Household.get_or_none(Household.id == household_id)
    if household is None:
        raise fail("household", "visit.no_household")
    require_station(actor, household_station(household_id))
    return household


# ---- tags ----

def _ours(household_id: int, station_id: int) -> None:
    """Not found unless the household is the reading station's."""
    if household_station(household_id) != station_id:
        raise scope.not_found()


def household_tags(household_id: int, *, station_id: int) -> list[str]:
    _ours(household_id, station_id)
    return [tag for (tag,) in HouseholdTag.select(HouseholdTag.tag)
            .where(HouseholdTag.household == household_id)
            .order_by(HouseholdTag.tag).tuples()]


@writes
def set_household_tags(household_id: int, tags: list[str], actor: Session) -> list[str]:
    """The household's tags from now on: exactly `tags`."""
    require_cadre(actor)
    _station_household(household_id, actor)
    wanted = set(tags)
    if wanted - set(Tag):
        raise fail("tags", "visit.bad_tag")
    before = set(household_tags(household_id, station_id=actor.station_id))
    if wanted == before:
        return sorted(before)
    HouseholdTag.delete().where((HouseholdTag.household == household_id)
                                & HouseholdTag.tag.not_in(list(wanted) or [""])).execute()
    HouseholdTag.insert_many([(household_id, tag) for tag in sorted(wanted - before)],
                             fields=[HouseholdTag.household, HouseholdTag.tag]).execute()
    history.record("household", household_id, "tags", actor,
                   changes={"tags": [sorted(before), sorted(wanted)]})
    return sorted(wanted)


# ---- the visit rules ----

@dataclass(frozen=True)
class Rule:
    visits: int
    per_days: int

    @property
    def interval_days(self) -> float:
        """At most this many days between two visits."""
        return self.per_days / self.visits


def visit_rules(station_id: int) -> dict[str, Rule]:
    """The station's rules by tag; "" (every household) always present."""
    rules = {EVERY_HOUSEHOLD: Rule(DEFAULT_VISITS, DEFAULT_PER_DAYS)}
    for row in VisitRule.select().where(VisitRule.station == station_id):
        rules[row.tag] = Rule(row.visits, row.per_days)
    return rules


def tightest(rules: dict[str, Rule], tags) -> Rule:
    """Of the station's rule and the rules of a household's `tags`, the one that
    allows the fewest days between two visits."""
    return min((rules[tag] for tag in (EVERY_HOUSEHOLD, *tags) if tag in rules),
               key=lambda rule: rule.interval_days)


def rule_for(household_id: int, *, station_id: int) -> Rule:
    """The rule the household is held to."""
    return tightest(visit_rules(station_id), household_tags(household_id, station_id=station_id))


def _count(field_name: str, value, high: int) -> int:
    """A whole number from 1 to `high` (not a bool, which Python counts as one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise fail(field_name, f"visit.bad_{field_name}", high=high)
    return value


@writes
def set_visit_rule(tag: str, visits: int | None, per_days: int | None,
                   actor: Session) -> Rule | None:
    """At least `visits` visits every `per_days` days, for every household (tag "")
    or for those with `tag`; visits None drops a tag's own rule (its households
    are held to the station's rule again). Station head only."""
    require_head(actor)
    if tag != EVERY_HOUSEHOLD and tag not in set(Tag):
        raise fail("tag", "visit.bad_tag")
    where = (VisitRule.station == actor.station_id) & (VisitRule.tag == tag)
    before = VisitRule.get_or_none(where)
    if visits is None and tag != EVERY_HOUSEHOLD:
        if before is not None:
            before.delete_instance()
            history.record("visit_rule", before.id, "delete", actor, tag=tag)
        return None
    visits = _count("visits", visits, MAX_VISITS)
    per_days = _count("per_days", per_days, MAX_PER_DAYS)
    if before is None:
        row = VisitRule.create(station=actor.station_id, tag=tag, visits=visits,
                               per_days=per_days)
        history.record("visit_rule", row.id, "create", actor, tag=tag, visits=visits,
                       per_days=per_days)
    else:
        history.save_versioned(before, before.version,
                               {"visits": visits, "per_days": per_days}, actor,
                               "visit_rule")
    return Rule(visits, per_days)


def written_rule(raw: str) -> tuple[int, int] | None:
    """(visits, per days) from "2/7" as the head writes it; None for nothing."""
    text = unicodedata.normalize("NFKC", inert(raw)).replace(" ", "")
    if not text:
        return None
    visits, slash, per_days = text.partition("/")
    if not (slash and visits.isdigit() and per_days.isdigit()):
        raise fail("rule", "rules.bad", given=text)
    return int(visits), int(per_days)


@writes
def set_visit_rules(written: dict[str, str], actor: Session) -> dict[str, Rule]:
    """The rules as the head wrote them ("2/7"), by tag ("" every household, which
    must be given; a tag left empty is held to it): all saved, or none."""
    require_head(actor)
    current = visit_rules(actor.station_id)
    for tag, raw in written.items():
        rule = written_rule(raw)
        if rule is None and tag == EVERY_HOUSEHOLD:
            raise fail("rule", "rules.bad", given="")
        if (Rule(*rule) if rule else None) != current.get(tag):
            set_visit_rule(tag, *(rule or (None, None)), actor)
    return visit_rules(actor.station_id)


# ---- the visit log ----

@dataclass
class VisitForm:
    household_id: int
    visited_at: dt.datetime
    duties: list[str] = field(default_factory=list)  # of Duty, one or more
    met_resident_id: int | None = None  # who was met, of the household's residents
    met: str = ""  # who was met, in words (a neighbour, a relative visiting)
    found: str = ""  # what was found
    needs: str = ""  # needs raised
    follow_up_due: dt.date | None = None
    # (policy id, Delivery) explained or delivered on the visit; None: left as they are
    policies: list[tuple[int, str]] | None = None


def visit_time(raw: str) -> dt.datetime:
    """When a visit was, as the cadre wrote it ("11-25 9:30", "9:30" today, see
    parse_when); empty: now."""
    if not inert(raw):
        return now().replace(second=0, microsecond=0)
    try:
        return parse_when(raw)
    except ValidationError:
        raise fail("visited_at", "invalid.when_invalid", given=inert(raw)) from None


def follow_up_day(raw: str) -> dt.date | None:
    """The day to come back, as the cadre wrote it ("12-01"); empty: none."""
    text = unicodedata.normalize("NFKC", inert(raw))
    if not text:
        return None
    try:
        return written_day(text, now().date())
    except (TypeError, ValueError, OverflowError):
        raise fail("follow_up_due", "visit.bad_day", given=text) from None


def _household_since(household_id: int) -> dt.datetime | None:
    """When the household was made in the desk (its event), None if nobody knows:
    made by an import or a tool that left no event."""
    made = (Event.select(Event.at)
            .where((Event.entity == "household") & (Event.entity_id == household_id)
                   & (Event.action == "create")).order_by(Event.at).first())
    return made.at if made else None


def _notes(field_name: str, value: str, label_key: str) -> str:
    text = inert(value, multiline=True)
    if len(text) > NOTES_MAX:
        raise fail(field_name, "invalid.text_too_long", label=t(label_key),
                   max_len=NOTES_MAX, given=len(text))
    return text


def _visit_values(form: VisitForm, household_id: int) -> dict:
    """The columns of a visit of `household_id` as the form has them, or
    ValidationError."""
    when = form.visited_at
    if not isinstance(when, dt.datetime):
        raise fail("visited_at", "visit.bad_when")
    when = when.replace(second=0, microsecond=0)
    if when > now():
        raise fail("visited_at", "visit.future")
    since = _household_since(household_id)
    if since is not None and when.date() < since.date():
        raise fail("visited_at", "visit.before_household", since=since.date().isoformat())
    duties = list(dict.fromkeys(form.duties or []))
    if not duties:
        raise fail("duties", "visit.no_duty")
    if set(duties) - set(Duty):
        raise fail("duties", "visit.bad_duty")
    if form.met_resident_id is not None and not Resident.select().where(
            (Resident.id == form.met_resident_id)
            & (Resident.household == household_id)).exists():
        raise fail("met_resident", "visit.met_elsewhere")
    met = inert(form.met)
    if len(met) > MET_MAX:
        raise fail("met", "invalid.text_too_long", label=t("visit.met"), max_len=MET_MAX,
                   given=len(met))
    due = form.follow_up_due
    if due is not None and (not isinstance(due, dt.date) or isinstance(due, dt.datetime)
                            or due < when.date()):
        raise fail("follow_up_due", "visit.bad_follow_up")
    return dict(visited_at=when, duties=[d for d in Duty if d in duties],
                met_resident=form.met_resident_id, met=met,
                found=_notes("found", form.found, "visit.found"),
                needs=_notes("needs", form.needs, "visit.needs"), follow_up_due=due)


@writes
def log_visit(form: VisitForm, actor: Session) -> Visit:
    """A visit the actor made to a household of their station."""
    cadre = require_cadre(actor)
    _station_household(form.household_id, actor)
    values = _visit_values(form, form.household_id)
    policies = clean_deliveries(form.policies, values["duties"], actor.station_id)
    visit = Visit.create(household=form.household_id, cadre=cadre, **values)
    history.record("visit", visit.id, "create", actor, household=form.household_id,
                   visited_at=values["visited_at"], duties=values["duties"])
    save_deliveries(visit.id, policies, actor)
    return visit


@writes
def edit_visit(visit_id: int, expected_version: int, form: VisitForm,
               actor: Session) -> Visit:
    """Correct a visit: the cadre who made it, or the head. The household stays;
    raises StaleEdit if someone saved it meanwhile."""
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise fail("visit", "visit.gone")
    require_own(actor, visit.cadre_id)
    require_station(actor, household_station(visit.household_id))
    values = _visit_values(form, visit.household_id)
    policies = form.policies
    if policies is None:  # kept, and still allowed by the duties now ticked
        policies = PolicyDelivery.select(PolicyDelivery.policy, PolicyDelivery.kind).where(
            PolicyDelivery.visit == visit_id).tuples()
    policies = clean_deliveries(policies, values["duties"], actor.station_id)
    saved = history.save_versioned(visit, expected_version, values, actor, "visit")
    save_deliveries(visit_id, policies, actor)
    return saved


# ---- a need raised on a visit becomes an errand ----

@dataclass(frozen=True)
class VisitNeed:
    """What intake starts from when a visit's need becomes an errand: the person
    (whoever of the household was met, else its head) and the need as its note."""
    visit_id: int
    resident_id: int | None
    note: str

    def form(self, item_id: int, mode: str, received: list[str] | None = None,
             originals: list[str] | None = None) -> IntakeForm:
        """The intake form once the cadre has picked the item and the way."""
        return IntakeForm(self.resident_id, item_id, mode, list(received or []),
                          list(originals or []), self.note)


def household_head(household_id: int, *, station_id: int) -> Resident | None:
    """The head of household, else its first member."""
    _ours(household_id, station_id)
    return (Resident.select().where(Resident.household == household_id)
            .order_by((Resident.relation != HEAD_OF_HOUSEHOLD), Resident.id).first())


def _station_visits(station_id: int):
    return (Visit.select(Visit).join(Household).join(VillagerGroup)
            .where(VillagerGroup.station == station_id))


def visit_need(visit_id: int, *, station_id: int) -> VisitNeed:
    visit = scope.found(_station_visits(station_id).where(Visit.id == visit_id).first())
    person = visit.met_resident_id
    if person is None:
        head = household_head(visit.household_id, station_id=station_id)
        person = head.id if head else None
    return VisitNeed(visit.id, person, visit.needs)


def visit_to_follow_up(visit_id: int, actor: Session) -> Visit:
    """The visit a write follows up (an errand or a dispute it found): refused when
    it is gone or of another station, or the actor may not write."""
    require_cadre(actor)
    visit = Visit.get_or_none(Visit.id == visit_id)
    if visit is None:
        raise fail("visit", "visit.gone")
    require_station(actor, household_station(visit.household_id))
    return visit


@writes
def errand_from_visit(visit_id: int, form: IntakeForm, actor: Session) -> Errand:
    """Register the errand a visit's need asks for, linked to the visit."""
    visit = visit_to_follow_up(visit_id, actor)
    errand = register_errand(form, actor.station_id, actor)
    VisitErrand.create(visit=visit, errand=errand)
    history.record("visit", visit.id, "errand", actor, errand=errand.number)
    return errand


def errands_of_visit(visit_id: int, *, station_id: int) -> list[Errand]:
    return list(Errand.select().join(VisitErrand)
                .where((VisitErrand.visit == visit_id) & (Errand.station == station_id))
                .order_by(Errand.id))


def visit_of_errand(errand_id: int, *, station_id: int) -> Visit | None:
    """The visit whose need the errand came from, with .household and .cadre."""
    return (Visit.select(Visit, Household, Cadre).join(VisitErrand).switch(Visit)
            .join(Household).join(VillagerGroup).switch(Visit).join(Cadre)
            .where((VisitErrand.errand == errand_id) & (VillagerGroup.station == station_id))
            .first())
