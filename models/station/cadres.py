"""The station's cadres, as the station head keeps them: added, edited, deactivated
(never deleted: their errands, shifts and history stay theirs), and the villager
groups each covers (两包一访), with the history of who covered what, when.

A deactivated cadre can no longer sign in, is left out of the roster from now on
(their shifts not yet begun are freed, so the gaps show) and covers no group;
their open errands are for the head to hand to someone else. The station always
keeps one active head: the last one can be neither demoted nor deactivated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import fn

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, GroupCoverage, Station, VillagerGroup, now
from models.core.heads import create_as_head, require_head
from models.core.i18n import t
from models.core.scope import taken_elsewhere
from models.core.session import STATION_ROLES, Role, Session
from models.core.text import inert
from models.core.validation import fail, normalize_mobile, require_text
from models.duty.entities import Shift
from models.errands.entities import OPEN_STATUSES, Errand, ServiceItem
from models.people.entities import Resident
from models.station.team import LOGIN


@dataclass
class CadreForm:
    name: str
    login: str = ""  # the OS (SSH) login; empty: cannot sign in yet
    phone: str = ""
    role: str = Role.DUTY
    stays_in_village: bool = True  # 驻村: the nights rule applies
    group_ids: list[int] = field(default_factory=list)  # the groups covered now


def clean_login(raw: str, cadre_id: int | None = None) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not LOGIN.fullmatch(text):
        raise fail("login", "cadre.bad_login", given=inert(raw))
    clash = Cadre.get_or_none((Cadre.login == text) & (Cadre.id != (cadre_id or 0)))
    if clash is not None:
        raise fail("login", "cadre.login_taken", login=text, name=clash.name)
    shared = Station.get_or_none(Station.shared_login == text)
    if shared is not None:  # that login asks for a PIN: it cannot be one cadre's
        raise fail("login", "cadre.login_shared", login=text, station=shared.name)
    return text


def clean_cadre(form: CadreForm, station_id: int, cadre: Cadre | None = None) -> dict:
    """Validated column values; the groups are checked to be the station's own."""
    values = {
        "name": require_text("name", form.name, t("cadre.name"), 40),
        "login": clean_login(form.login, cadre.id if cadre else None),
        "phone": normalize_mobile(form.phone) if form.phone.strip() else "",
        "stays_in_village": bool(form.stays_in_village),
    }
    try:
        values["role"] = Role(form.role)
    except ValueError:
        raise fail("role", "cadre.bad_role") from None
    if values["role"] not in STATION_ROLES:  # the township's: `kiosk township add-user`
        raise fail("role", "cadre.bad_role")
    if form.group_ids:
        if cadre is not None and not cadre.active:
            raise fail("groups", "cadre.inactive_covers")
        known = VillagerGroup.select().where((VillagerGroup.station == station_id)
                                             & VillagerGroup.id.in_(list(form.group_ids)))
        if known.count() != len(set(form.group_ids)):
            raise fail("groups", "cadre.bad_group")
    return values


def _keep_a_head(station_id: int, cadre_id: int) -> None:
    """Refuse a change that takes `cadre_id` off the station's active heads when
    nobody else is one."""
    others = Cadre.select().where((Cadre.station == station_id) & Cadre.active
                                  & (Cadre.role == Role.HEAD) & (Cadre.id != cadre_id))
    if not others.exists():
        raise fail("role", "cadre.last_head")


def _group_numbers(group_ids) -> list[int]:
    return sorted(g.number for g in VillagerGroup.select(VillagerGroup.number)
                  .where(VillagerGroup.id.in_(list(group_ids) or [0])))


def _cover(cadre: Cadre, group_ids: list[int], head: Session, today: dt.date) -> None:
    """Make the groups `cadre` covers from today `group_ids`: covers that end are
    closed (kept), new ones begin today."""
    current = {row.group_id: row for row in GroupCoverage.select().where(
        (GroupCoverage.cadre == cadre.id) & GroupCoverage.until.is_null())}
    wanted = set(group_ids)
    if wanted == set(current):
        return
    for group_id, row in current.items():
        if group_id in wanted:
            continue
        if row.since >= today:  # begun today: it never took effect
            row.delete_instance()
        else:
            GroupCoverage.update(until=today).where(GroupCoverage.id == row.id).execute()
    GroupCoverage.insert_many([dict(cadre=cadre.id, group=group_id, since=today)
                               for group_id in sorted(wanted - set(current))]).execute()
    history.record("cadre", cadre.id, "coverage", head,
                   before=_group_numbers(current), after=_group_numbers(wanted))


@writes
def add_cadre(form: CadreForm, actor: Session) -> Cadre:
    with taken_elsewhere("login", "cadre.login_taken_elsewhere", login=form.login.strip()):
        cadre = create_as_head(Cadre, actor, lambda station_id: clean_cadre(form, station_id),
                               "cadre", "name", "login", "role")
    _cover(cadre, form.group_ids, actor, dt.date.today())
    return cadre


@writes
def update_cadre(cadre_id: int, expected_version: int, form: CadreForm,
                 actor: Session) -> Cadre:
    cadre = Cadre.get_by_id(cadre_id)
    head = require_head(actor, cadre.station_id)
    values = clean_cadre(form, cadre.station_id, cadre)
    if cadre.active and cadre.role == Role.HEAD and values["role"] != Role.HEAD:
        _keep_a_head(cadre.station_id, cadre.id)
    with taken_elsewhere("login", "cadre.login_taken_elsewhere", login=values["login"]):
        saved = history.save_versioned(cadre, expected_version, values, head, "cadre")
    _cover(saved, form.group_ids, head, dt.date.today())
    return saved


@writes
def set_cadre_active(cadre_id: int, expected_version: int, active: bool,
                     actor: Session) -> Cadre:
    """Deactivate a cadre (or take one back). Deactivating ends their covers and
    frees their shifts not yet begun; their open errands stay theirs until the
    head hands them on (`open_errands_of`)."""
    cadre = Cadre.get_by_id(cadre_id)
    head = require_head(actor, cadre.station_id)
    if not active and cadre.active and cadre.role == Role.HEAD:
        _keep_a_head(cadre.station_id, cadre.id)
    saved = history.save_versioned(cadre, expected_version, {"active": bool(active)}, head,
                                   "cadre", action="activate" if active else "deactivate")
    if not active:
        _cover(saved, [], head, dt.date.today())
        _free_shifts(saved, head)
    return saved


def _free_shifts(cadre: Cadre, head: Session) -> None:
    """The shifts a deactivated cadre was to work become gaps, for the roster to fill."""
    shifts = [s.id for s in Shift.select(Shift.id).where(
        (Shift.cadre == cadre.id) & Shift.checked_in_at.is_null() & (Shift.starts_at > now()))]
    if shifts:
        (Shift.update(cadre=None, version=Shift.version + 1)
         .where(Shift.id.in_(shifts)).execute())
        history.record("cadre", cadre.id, "shifts_freed", head, shifts=shifts)


@dataclass
class CadreRow:
    cadre: Cadre
    coverage: list[GroupCoverage]  # every cover, the latest first, with .group
    open_errands: int

    @property
    def groups(self) -> list[VillagerGroup]:
        """The groups covered now."""
        return sorted((c.group for c in self.coverage if c.until is None),
                      key=lambda g: g.number)


def team(station_id: int) -> list[CadreRow]:
    """Every cadre of the station, the active ones first."""
    cadres = list(Cadre.select().where(Cadre.station == station_id)
                  .order_by(Cadre.active.desc(), Cadre.id))
    coverage: dict[int, list[GroupCoverage]] = {}
    for row in (GroupCoverage.select(GroupCoverage, VillagerGroup).join(VillagerGroup)
                .where(VillagerGroup.station == station_id)
                .order_by(GroupCoverage.since.desc(), VillagerGroup.number)):
        coverage.setdefault(row.cadre_id, []).append(row)
    counts = dict(Errand.select(Errand.owner, fn.COUNT(Errand.id))
                  .where((Errand.station == station_id) & Errand.status.in_(OPEN_STATUSES))
                  .group_by(Errand.owner).tuples())
    return [CadreRow(c, coverage.get(c.id, []), counts.get(c.id, 0)) for c in cadres]


def covering(station_id: int, day: dt.date) -> dict[int, list[int]]:
    """Villager group id -> the cadres who covered it on `day`."""
    rows = (GroupCoverage.select(GroupCoverage.group, GroupCoverage.cadre).join(VillagerGroup)
            .where((VillagerGroup.station == station_id) & (GroupCoverage.since <= day)
                   & (GroupCoverage.until.is_null() | (GroupCoverage.until > day)))
            .order_by(GroupCoverage.cadre).tuples())
    found: dict[int, list[int]] = {}
    for group_id, cadre_id in rows:
        found.setdefault(group_id, []).append(cadre_id)
    return found


def open_errands_of(cadre_id: int, *, station_id: int) -> list[Errand]:
    """A cadre's open errands, the most urgent first, with person and item loaded."""
    return list(Errand.select(Errand, Resident, ServiceItem).join(Resident).switch(Errand)
                .join(ServiceItem)
                .where((Errand.owner == cadre_id) & (Errand.station == station_id)
                       & Errand.status.in_(OPEN_STATUSES))
                .order_by(Errand.due_date, Errand.id))
