"""Errands made up for the year behind today: in every status and mode, 张三's in
each mode, a few due today; numbered per year in intake order."""
from __future__ import annotations

import datetime as dt
import random

from models.core.entities import Cadre
from models.errands.entities import (
    MODES,
    OPEN_STATUSES,
    Satisfaction,
    ServiceItem,
    Status,
)
from models.errands.intake import due_date_for
from models.station.cadres import covering

from .context import HISTORY_DAYS, Demo

# Open statuses an errand passes through, in order, for each way of handling.
OPEN_PATHS = {
    "on_the_spot": ("registered",),
    "carried": ("registered", "in_progress", "submitted", "result_back"),
    "accompanied": ("registered", "appointment_set", "in_progress", "submitted",
                    "result_back"),
    "mobile": ("registered", "in_progress"),
}
# For making sure every status shows up: modes a status makes sense for.
STATUS_MODES = {
    "waiting_villager": ("carried", "accompanied"),
    "submitted": ("carried", "accompanied"),
    "result_back": ("carried", "accompanied"),
    "appointment_set": ("accompanied",),
    "in_progress": ("carried", "accompanied", "mobile"),
}
SATISFACTION = ((Satisfaction.SATISFIED,) * 8 + (Satisfaction.FAIRLY,) * 3
                + (Satisfaction.UNSATISFIED,))
# How often each catalogue item is asked for, relative to the others (items not
# named here count 1).
ITEM_DEMAND = {
    "养老保险待遇资格认证": 6, "城乡居民医疗保险参保缴费": 6, "村委会证明开具": 6,
    "城乡居民医保费用报销": 5, "水费、电费代缴": 4, "80岁以上老人生存认证": 3,
    "高龄津贴申领": 3, "耕地地力保护补贴申报": 3, "家庭经济状况证明": 3, "外出务工证明": 3,
    "城乡居民养老保险参保登记": 2, "养老金领取申请": 2, "最低生活保障申请": 2,
    "临时救助申请": 2, "门诊慢特病认定申请": 2, "异地就医备案": 2, "身份证换领补领": 2,
    "种植养殖保险投保": 2, "居家养老服务申请": 2,
}


def make_errands(demo: Demo, residents: list[dict], items: list[ServiceItem],
                 cadres: list[Cadre]) -> list[dict]:
    """All errands, in intake order, numbered per year."""
    intake = _Intake(demo, cadres)
    errands = _everyday(demo, intake, residents, items)
    _showcase(intake, errands, residents, items)
    _every_status(intake, errands)
    errands.sort(key=lambda e: e["created"])
    _number(errands)
    return errands


def _everyday(demo: Demo, intake: _Intake, residents: list[dict],
              items: list[ServiceItem]) -> list[dict]:
    """`spec["errands"]` errands: fewer at weekends, mostly for adults."""
    rng = demo.rng
    count = demo.spec["errands"]
    days = [demo.start + dt.timedelta(days=n) for n in range(HISTORY_DAYS + 1)]
    day_weights = [(1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.35)[d.weekday()] for d in days]
    item_weights = [ITEM_DEMAND.get(item.name, 1) for item in items]
    adults = [i for i, r in enumerate(residents)
              if (demo.today - r["born"]).days >= 18 * 365]
    errands = []
    for day, item in zip(rng.choices(days, day_weights, k=count),
                         rng.choices(items, item_weights, k=count)):
        pick = rng.choice(adults) if rng.random() < 0.92 else rng.randrange(len(residents))
        errands.append(intake.errand(residents[pick], pick, item, day))
    return errands


class _Intake:
    """Takes errands in as the desk would: owner, who entered it, due date, and
    how far each has come by today."""

    def __init__(self, demo: Demo, cadres: list[Cadre]):
        self.rng = demo.rng
        self.today = demo.today
        self.start = demo.start
        self.cadres = cadres
        by_id = {c.id: c for c in cadres}
        self.owner_of = {group_id: by_id[cadre_ids[0]] for group_id, cadre_ids
                         in covering(cadres[0].station_id, demo.today).items()}
        self.due_dates: dict[tuple[int, dt.date], dt.date] = {}

    def due(self, item: ServiceItem, day: dt.date) -> dt.date:
        key = (item.id, day)
        if key not in self.due_dates:
            self.due_dates[key] = due_date_for(item, day)
        return self.due_dates[key]

    def errand(self, person: dict, index: int, item: ServiceItem, day: dt.date,
               mode: str | None = None, status: str | None = None) -> dict:
        rng, cadres = self.rng, self.cadres
        hour = rng.choices(range(7, 22), (1, 5, 9, 10, 9, 5, 6, 8, 8, 6, 3, 2, 1, 1, 1))[0]
        created = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59),
                                                   rng.randint(0, 59)))
        if mode is None:
            others = [m for m in item.allowed_modes if m != item.default_mode]
            mode = (item.default_mode if rng.random() < 0.8 or not others
                    else rng.choice(others))
        owner = self.owner_of.get(person["group"].id)
        if owner is None or rng.random() < 0.4:
            owner = rng.choice(cadres)
        on_duty = cadres[day.toordinal() % len(cadres)]
        errand = dict(resident=index, item=item, mode=mode, created=created,
                      owner=owner, created_by=on_duty if rng.random() < 0.75 else owner,
                      due=self.due(item, day))
        self.settle(errand, status)
        return errand

    def settle(self, errand: dict, status: str | None = None) -> None:
        """Status, closing and last-change times, and materials, for the errand's age
        (or for the given status)."""
        rng = self.rng
        created, mode = errand["created"], errand["mode"]
        age = (self.today - created.date()).days
        takes = _days_it_takes(rng, mode, errand["item"].time_limit_days)
        if status is None:
            status = _status_at(rng, mode, age, takes)
        closed, updated = _times(rng, self.today, status, created, takes)
        errand.update(status=status, closed=closed, updated=updated,
                      satisfaction=rng.choice(SATISFACTION) if status == "called_back"
                      else "")
        errand["materials"] = _materials(rng, errand["item"].materials, mode, status)


def _days_it_takes(rng: random.Random, mode: str, limit: int) -> int:
    if mode == "on_the_spot":
        return 0 if rng.random() < 0.85 else rng.randint(1, 2)
    return max(1, round(limit * 1.4 * rng.uniform(0.5, 1.15))) + rng.randint(0, 2)


def _status_at(rng: random.Random, mode: str, age: int, takes: int) -> str:
    """Where an errand `age` days old stands: mostly done once it has had the time
    it takes, a few stuck, cancelled or returned."""
    roll = rng.random()
    stuck = rng.random() < (0.06 if age < 60 else 0.002)
    if roll < 0.025:
        return "cancelled"
    if roll < 0.055:
        return "returned"
    if age >= takes and not stuck:
        late = age >= takes + 10 or (age >= takes + 1 and rng.random() < 0.4)
        return "called_back" if late and rng.random() < 0.8 else "delivered"
    path = OPEN_PATHS[mode]
    done = rng.random() if stuck else age / max(takes, 1)
    step = min(len(path) - 1, int(done * len(path)))
    if mode in ("carried", "accompanied") and step <= 1 and rng.random() < 0.2:
        return "waiting_villager"
    return path[step]


def _times(rng: random.Random, today: dt.date, status: str, created: dt.datetime,
           takes: int) -> tuple[dt.datetime | None, dt.datetime]:
    """(closed, last changed) for an errand in `status`, none of it after today."""
    age = (today - created.date()).days
    end_of_today = dt.datetime.combine(today, dt.time(23, 59, 59))

    def after(days: int) -> dt.datetime:
        """A moment `days` days after intake (the same day: a little later)."""
        days = min(days, age)
        if days <= 0:
            moment = created + dt.timedelta(minutes=rng.randint(10, 50))
        else:
            moment = dt.datetime.combine(created.date() + dt.timedelta(days=days),
                                         dt.time(rng.randint(8, 17), rng.randint(0, 59)))
        return max(created, min(moment, end_of_today))

    closed = None
    if status == "registered":
        updated = created
    elif status in OPEN_STATUSES:
        updated = after(rng.randint(0, max(0, min(age, takes - 1))) if age < takes
                        else rng.randint(0, age))
    elif status in ("delivered", "called_back"):
        closed = updated = after(takes)
        if status == "called_back":
            updated = max(closed, after(takes + rng.randint(1, 10)))
    elif status == "returned":
        closed = updated = after(rng.randint(1, max(1, takes)))
    else:  # cancelled
        closed = updated = after(rng.randint(0, min(5, takes)))
    return closed, updated


def _materials(rng: random.Random, names: list[str], mode: str,
               status: str) -> list[tuple[str, bool, bool]]:
    """(name, received, original held by the owner) for each material the item asks for."""
    materials = []
    for name in names:
        received = rng.random() < 0.95
        held = (received and mode in ("carried", "accompanied")
                and any(word in name for word in ("原件", "证", "户口簿"))
                and rng.random() < 0.35)
        materials.append((name, received, held))
    if status == "waiting_villager" and materials:
        name, _, _ = materials[-1]
        materials[-1] = (name, False, False)  # what the villager still has to bring
    return materials


def _showcase(intake: _Intake, errands: list[dict], residents: list[dict],
              items: list[ServiceItem]) -> None:
    """张三's errands in every mode, and a few due today."""
    by_name = {item.name: item for item in items}
    who = {r["name"]: i for i, r in enumerate(residents)}
    zhang = who["张三"]
    today = intake.today
    cases = [  # (resident, item, mode, status, intake date or None for "due today")
        (zhang, "城乡居民医保费用报销", "carried", "in_progress", None),
        (zhang, "村委会证明开具", "on_the_spot", "delivered", today - dt.timedelta(days=20)),
        (zhang, "身份证换领补领", "accompanied", "appointment_set",
         today - dt.timedelta(days=35)),
        (zhang, "种植养殖保险投保", "mobile", "called_back", today - dt.timedelta(days=60)),
        (who["张顺"], "临时救助申请", "carried", "submitted", None),
        (who["张爽"], "高龄津贴申领", "carried", "registered", None),
    ]
    for index, item_name, mode, status, day in cases:
        item = by_name.get(item_name) or items[0]
        day = max(day or _intake_due_today(intake, item) or today, intake.start)
        errands.append(intake.errand(residents[index], index, item, day, mode, status))


def _intake_due_today(intake: _Intake, item: ServiceItem) -> dt.date | None:
    for back in range(60):
        day = intake.today - dt.timedelta(days=back)
        if intake.due(item, day) == intake.today:
            return day
    return None


def _every_status(intake: _Intake, errands: list[dict]) -> None:
    """Every status a few times, even in the small demo: recent finished errands
    of a fitting mode take the missing ones."""
    least = 3
    for status in Status:
        missing = least - sum(e["status"] == status for e in errands)
        if missing <= 0:
            continue
        modes = STATUS_MODES.get(status, MODES)
        finished = [e for e in errands if e["status"] in ("delivered", "called_back")]
        donors = [e for e in finished if e["mode"] in modes]
        if len(donors) < missing:  # any whose item may be handled in a fitting way
            donors = [e for e in finished if set(modes) & set(e["item"].allowed_modes)]
        donors.sort(key=lambda e: e["created"], reverse=True)
        for donor in intake.rng.sample(donors[:max(missing * 4, 20)], missing):
            if donor["mode"] not in modes:
                donor["mode"] = next(m for m in modes if m in donor["item"].allowed_modes)
            intake.settle(donor, status)


def _number(errands: list[dict]) -> None:
    """Numbers "YYYY-NNNNNN", per year, in the order of `errands`."""
    seq: dict[int, int] = {}
    for errand in errands:
        year = errand["created"].year
        seq[year] = seq.get(year, 0) + 1
        errand["seq"] = seq[year]
        errand["number"] = f"{year}-{seq[year]:06d}"
