"""The roster generator: who takes which shift, worked out on plain data.

No database here: models.duty.roster reads the month, hands its shifts to
`assign` and saves what comes back.

The generator walks the shifts in time order and gives each to one of the
cadres who can take it, so it is fast (a month is a few dozen choices) and
deterministic: the same cadres, leave, shifts and kept shifts always give the
same assignment (cadres are considered in id order; no randomness, no set order).

Who *can* take a shift:
- not on leave: leave covers whole calendar days, from 00:00 of the first day to
  24:00 of the last. A shift whose hours touch a leave day is not given, so a night
  shift on the eve of leave (20:00–08:00) is not given either: it ends at 08:00 of
  the first leave day. Keeping this one rule is simpler to explain at the desk
  than "nights before leave are fine when ..." — the cadre goes home the evening
  before.
- rested: at least REST hours off since their last shift and before their next one.
  With the usual 日班 08:00–20:00 / 夜班 20:00–08:00 this means never two shifts in
  a row, in particular never a night shift and then the next morning's day shift.

Who *should* take it — fairness. Every shift a cadre could have taken (not on
leave) earns them an equal share of it (1/n among the n who could); the shift goes
to the one furthest behind their share, counted separately for all shifts, night
(or day) shifts and holiday shifts. A week of leave therefore lowers a cadre's
share for that week instead of piling the missed shifts onto them afterwards.
Ties go to the one whose last shift ended longest ago, then to the lower id. When
nobody can take a shift (the only free cadre just worked), the few shifts before it
are handed out again by a small search before the shift is left as a gap.

Kept shifts (in the past, or checked in) stay with their holder and count toward
the spread. The holder of any other shift gets a small preference, so planning
again after a change (a new leave) moves few shifts; when nothing changed nothing
moves.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

REST = dt.timedelta(hours=8)  # off duty between two shifts of one person, at least
STICKY = 0.75  # preference for the cadre already on a shift, in shares
BACKTRACK = 3  # shifts looked back at when one cannot be filled
COUNTS = ("total", "day", "night", "holiday")

Window = tuple[dt.datetime, dt.datetime]


@dataclass
class Slot:
    """One shift to fill: a template on a day."""
    day: dt.date
    template_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    night: bool = False
    holiday: bool = False
    kept: bool = False  # stays with its holder as it is
    holder: int | None = None  # who is on it now, if anyone


@dataclass
class Spread:
    day: int = 0
    night: int = 0
    holiday: int = 0
    total: int = 0


@dataclass
class Assignment:
    cadres: list[int | None]  # who takes each slot, in the order the slots were given
    spread: dict[int, Spread]  # shifts per cadre, kept ones included
    fair: dict[int, float]  # each rostered cadre's share of the shifts


def touches_leave(leave: Collection[dt.date], starts: dt.datetime, ends: dt.datetime) -> bool:
    """Do the hours [starts, ends) fall on any day of leave (whole days)?"""
    day, last = starts.date(), (ends - dt.timedelta(microseconds=1)).date()
    while day <= last:
        if day in leave:
            return True
        day += dt.timedelta(days=1)
    return False


def assign(slots: Sequence[Slot], cadres: Collection[int],
           leave: Mapping[int, Collection[dt.date]] | None = None,
           worked: Mapping[int, Sequence[Window]] | None = None) -> Assignment:
    """Who takes each slot, from `cadres`. `leave` holds each cadre's days away,
    `worked` the hours they are on duty besides the slots (the neighbouring
    months' shifts), which the rest rule counts. A slot nobody can take gets None."""
    planner = _Planner(slots, cadres, leave or {}, worked or {})
    planner.fill()
    by_time = dict(zip(planner.order, planner.cadre))
    return Assignment(cadres=[by_time[i] for i in range(len(slots))],
                      spread=planner.spread(),
                      fair={cid: round(share["total"], 2)
                            for cid, share in planner.final_share.items()})


class _Planner:
    """One run of the generator over the slots in time order: who is on each so
    far, each cadre's count and share per kind of shift, and their hours."""

    def __init__(self, slots: Sequence[Slot], cadres: Collection[int],
                 leave: Mapping[int, Collection[dt.date]],
                 worked: Mapping[int, Sequence[Window]]) -> None:
        self.order = sorted(range(len(slots)), key=lambda i: (
            slots[i].starts_at, slots[i].ends_at, slots[i].template_id))
        self.slots = [slots[i] for i in self.order]
        self.ids = sorted(set(cadres))
        self.cadre: list[int | None] = [None] * len(self.slots)
        self.busy = {cid: list(worked.get(cid, ())) for cid in self.ids}
        for slot in self.slots:
            if slot.kept and slot.holder in self.busy:
                self.busy[slot.holder].append((slot.starts_at, slot.ends_at))
        self.available = [[cid for cid in self.ids
                           if not touches_leave(leave.get(cid, ()), slot.starts_at, slot.ends_at)]
                          for slot in self.slots]
        self.kinds = [("total", "night" if slot.night else "day")
                      + (("holiday",) if slot.holiday else ()) for slot in self.slots]
        self.taken = {cid: dict.fromkeys(COUNTS, 0) for cid in self.ids}
        # each cadre's share of the shifts up to each one: 1/n of every shift they could take
        share = {cid: dict.fromkeys(COUNTS, 0.0) for cid in self.ids}
        self.shares = []
        for available, kinds in zip(self.available, self.kinds):
            for cid in available:
                for kind in kinds:
                    share[cid][kind] += 1 / len(available)
            self.shares.append({cid: dict(v) for cid, v in share.items()})
        self.final_share = share

    def fill(self) -> None:
        for index, slot in enumerate(self.slots):
            if slot.kept:
                self.put(index, slot.holder)
                continue
            ranked = self.candidates(index)
            if ranked:
                self.put(index, ranked[0])
            else:
                self.backtrack(index)

    def backtrack(self, index: int) -> None:
        """Nobody can take the shift: try the last few again with other people
        before leaving it empty."""
        window = [i for i in range(max(0, index - BACKTRACK), index) if not self.slots[i].kept]
        before = [self.cadre[i] for i in window]
        for i in reversed(window):
            self.take_back(i)
        if not self.refill(window + [index]):
            for i, cid in zip(window, before):
                self.put(i, cid)

    def refill(self, order: list[int]) -> bool:
        """Fill every shift in `order` (a depth-first search over candidates)."""
        if not order:
            return True
        for cid in self.candidates(order[0]):
            self.put(order[0], cid)
            if self.refill(order[1:]):
                return True
            self.take_back(order[0])
        return False

    def put(self, index: int, cid: int | None) -> None:
        self.cadre[index] = cid
        if cid in self.taken:
            for kind in self.kinds[index]:
                self.taken[cid][kind] += 1
            if not self.slots[index].kept:  # kept ones are busy from the start
                self.busy[cid].append(self.window(index))

    def take_back(self, index: int) -> None:
        cid = self.cadre[index]
        if cid in self.taken:
            for kind in self.kinds[index]:
                self.taken[cid][kind] -= 1
            self.busy[cid].remove(self.window(index))
        self.cadre[index] = None

    def window(self, index: int) -> Window:
        return self.slots[index].starts_at, self.slots[index].ends_at

    def rested(self, cid: int, slot: Slot) -> bool:
        return all(slot.ends_at + REST <= starts or ends + REST <= slot.starts_at
                   for starts, ends in self.busy[cid])

    def candidates(self, index: int) -> list[int]:
        """Who can take the shift, the one furthest behind their share first."""
        slot, kinds, share = self.slots[index], self.kinds[index], self.shares[index]
        upcoming = self.available[index + 1] if index + 1 < len(self.slots) else []

        def rank(cid: int):
            behind = sum(share[cid][kind] - self.taken[cid][kind] for kind in kinds)
            if cid == slot.holder:
                behind += STICKY
            ended = max((e for s, e in self.busy[cid] if e <= slot.starts_at),
                        default=dt.datetime.min)
            return (upcoming == [cid],  # the only one free for the next shift: keep them
                    -round(behind, 6), ended, cid)
        return sorted((cid for cid in self.available[index] if self.rested(cid, slot)),
                      key=rank)

    def spread(self) -> dict[int, Spread]:
        """Shifts per cadre as assigned; kept shifts of cadres no longer rostered
        count too."""
        spread = {cid: Spread() for cid in self.ids}
        for cid, kinds in zip(self.cadre, self.kinds):
            if cid is not None:
                counts = spread.setdefault(cid, Spread())
                for kind in kinds:
                    setattr(counts, kind, getattr(counts, kind) + 1)
        return spread
