"""查询我的代办 at the hall's public screen: a villager types the receipt number and
the last four digits of the phone registered with the errand, and sees that
errand's item, its status in plain words, the due date, the materials the station
holds for them and what they still need to bring — nothing else of anyone.

A wrong number, a wrong phone, an errand of another station: the same None, found
by the same query. Each lookup goes into the trail (when, the number, found or
not), never the digits typed. Five wrong tries within a minute pause the lookup
for a while, so nobody can guess their way into other people's errands; the count
lives in the memory of the one process behind the hall's screen (a restart clears
it, and only the operator can restart it).
"""
from __future__ import annotations

import datetime as dt
import hmac
import time
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from models.core import history
from models.core.db import writes
from models.core.guard import require_public
from models.core.i18n import t
from models.core.session import PublicActor
from models.errands.entities import (
    CLOSED_STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
    Status,
    status_label,
)
from models.people.entities import Resident

DIGITS = 4  # of the phone
TRIES = 5
WITHIN = 60.0  # seconds
PAUSE = 300.0  # seconds the lookup rests after TRIES wrong ones
NUMBER_DIGITS = 12  # a receipt number typed: the year, then up to 8 digits


@dataclass(frozen=True)
class PublicErrand:
    """What the hall's screen shows of an errand: only this."""
    number: str
    item: str
    status: str  # the desk's word (已登记, 待补材料…)
    explained: str  # what it means for the villager, in a sentence
    due_date: dt.date
    closed: bool
    held: list[str]  # materials the station holds for them now
    to_bring: list[str]  # materials still to bring (an open errand's)


@dataclass(frozen=True)
class LookupAnswer:
    errand: PublicErrand | None  # None: not found (whatever was wrong)
    paused: int = 0  # seconds until lookups resume; nothing was looked up


def digits_of(raw: str) -> str:
    """The digits typed, full-width ones too; anything else dropped."""
    return "".join(c for c in unicodedata.normalize("NFKC", raw or "") if c.isascii()
                   and c.isdigit())


def receipt_number(raw: str) -> str:
    """The errand number a villager means: "2026-000123", "2026000123" and
    "2026123" are all 2026-000123. "" when it cannot be one."""
    digits = digits_of(raw)[:NUMBER_DIGITS]
    if len(digits) < 5:
        return ""
    return f"{digits[:4]}-{int(digits[4:]):06d}"


class LookupLimiter:
    """Wrong tries of the last WITHIN seconds; after TRIES of them, a PAUSE."""

    def __init__(self, tries: int = TRIES, within: float = WITHIN, pause: float = PAUSE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.tries, self.within, self.pause, self.clock = tries, within, pause, clock
        self.wrong: deque[float] = deque(maxlen=tries)
        self.until = 0.0

    def paused(self) -> int:
        """Whole seconds until lookups resume; 0: they may go on."""
        left = self.until - self.clock()
        return int(left) + 1 if left > 0 else 0

    def missed(self) -> None:
        now = self.clock()
        self.wrong.append(now)
        if len(self.wrong) == self.tries and now - self.wrong[0] <= self.within:
            self.until = now + self.pause
            self.wrong.clear()


def find_errand(station_id: int, number: str, phone_digits: str) -> PublicErrand | None:
    """The errand of this station with this number whose villager's phone ends in
    these four digits; None otherwise, the same None whatever did not match."""
    errand = (Errand.select(Errand, Resident, ServiceItem)
              .join(Resident).switch(Errand).join(ServiceItem)
              .where((Errand.number == number) & (Errand.station == station_id)).first()
              if number else None)
    registered = digits_of(errand.resident.phone)[-DIGITS:] if errand else ""
    typed = digits_of(phone_digits)
    matches = hmac.compare_digest(registered.rjust(DIGITS, "x"), typed.rjust(DIGITS, "y"))
    if errand is None or not matches or len(typed) != DIGITS:
        return None
    materials = list(ErrandMaterial.select().where(ErrandMaterial.errand == errand.id)
                     .order_by(ErrandMaterial.id))
    closed = errand.status in CLOSED_STATUSES
    done_at_desk = errand.status == Status.DELIVERED and errand.mode == "on_the_spot"
    return PublicErrand(
        number=errand.number, item=errand.item.name,
        status=status_label(errand.status, errand.mode),
        explained=t("public.status." + ("done_at_desk" if done_at_desk else errand.status)),
        due_date=errand.due_date, closed=closed,
        held=[m.name for m in materials if m.received and m.returned_at is None],
        to_bring=[] if closed else [m.name for m in materials if not m.received])


@writes
def record_lookup(number: str, found: bool, actor: PublicActor) -> None:
    """The trail of one lookup at the hall: the number asked for, found or not."""
    require_public(actor)
    history.record("public", actor.station_id, "lookup", actor, number=number,
                   found=bool(found))


def look_up(raw_number: str, raw_digits: str, actor: PublicActor,
            limiter: LookupLimiter) -> LookupAnswer:
    """One lookup at the hall's screen, as the villager typed it."""
    paused = limiter.paused()
    if paused:
        return LookupAnswer(None, paused)
    number = receipt_number(raw_number)
    found = find_errand(actor.station_id, number, raw_digits)
    record_lookup(number or digits_of(raw_number)[:NUMBER_DIGITS], found is not None, actor)
    if found is None:
        limiter.missed()
    return LookupAnswer(found)
