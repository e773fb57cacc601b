"""The station head's catalogue editor: items added, changed, retired or taken back.

An errand copies its item's materials at intake, so changing an item changes no
errand already taken in; a retired item keeps its errands and only leaves intake.
Materials are typed on one line, separated by 、 or commas, an original the desk
holds for the villager marked with a trailing *: "身份证、住院发票原件*".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from models.core.db import writes
from models.core.heads import create_as_head, save_as_head
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail, require_text
from models.errands.catalogue import item_keys
from models.errands.entities import MODES, ServiceItem

ORIGINAL = "*"
MAX_MATERIALS = 20
MAX_DAYS = 365
_SEPARATORS = re.compile(r"[、,，;；]+")


@dataclass
class ItemForm:
    category: str
    name: str
    time_limit_days: str = "5"  # working days; 0: the same day
    materials: str = ""  # see the module's docstring
    default_mode: str = "carried"
    allowed_modes: list[str] = field(default_factory=lambda: list(MODES))
    in_person: bool = False  # the villager must appear in person: never 代着办


def materials_line(item: ServiceItem) -> str:
    """The item's materials as the form shows them."""
    return "、".join(name + (ORIGINAL if name in item.originals else "")
                    for name in item.materials)


def form_of(item: ServiceItem) -> ItemForm:
    return ItemForm(item.category, item.name, str(item.time_limit_days), materials_line(item),
                    item.default_mode, list(item.allowed_modes), item.in_person)


def parse_materials(line: str) -> tuple[list[str], list[str]]:
    """(materials, originals among them) from the one-line form."""
    materials, originals = [], []
    for piece in _SEPARATORS.split(line or ""):
        piece = piece.strip()
        original = piece.endswith((ORIGINAL, "＊"))
        name = piece.rstrip(ORIGINAL + "＊").strip()
        if not piece or name in materials:
            continue
        materials.append(require_text("materials", name, t("item.material"), 80))
        if original:
            originals.append(name)
    if len(materials) > MAX_MATERIALS:
        raise fail("materials", "item.too_many_materials", count=MAX_MATERIALS)
    return materials, originals


def _days(raw: str) -> int:
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_DAYS:
        raise fail("time_limit_days", "item.bad_days")
    return int(text)


def clean_item(form: ItemForm, station_id: int, item_id: int | None = None) -> dict:
    """Validated column values, or ValidationError naming the first bad field."""
    name = require_text("name", form.name, t("item.name"), 60)
    values = {"category": require_text("category", form.category, t("item.category"), 30),
              "name": name, "time_limit_days": _days(form.time_limit_days)}
    values["materials"], values["originals"] = parse_materials(form.materials)
    allowed = [mode for mode in MODES if mode in form.allowed_modes]
    if not allowed:
        raise fail("allowed_modes", "item.no_ways")
    if form.default_mode not in allowed:
        raise fail("default_mode", "item.default_not_allowed")
    if form.in_person and "carried" in allowed:
        raise fail("allowed_modes", "item.in_person_carried")
    clash = ServiceItem.select().where((ServiceItem.station == station_id) & ServiceItem.active
                                       & (ServiceItem.name == name)
                                       & (ServiceItem.id != (item_id or 0)))
    if clash.exists():
        raise fail("name", "item.name_taken", name=name)
    values.update(default_mode=form.default_mode, allowed_modes=allowed,
                  in_person=bool(form.in_person), search_keys=item_keys(name))
    return values


@writes
def add_item(form: ItemForm, actor: Session) -> ServiceItem:
    return create_as_head(ServiceItem, actor, lambda station_id: clean_item(form, station_id),
                          "service_item", "category", "name")


@writes
def update_item(item_id: int, expected_version: int, form: ItemForm,
                actor: Session) -> ServiceItem:
    return save_as_head(ServiceItem, item_id, expected_version, actor,
                        lambda item: clean_item(form, item.station_id, item.id),
                        "service_item")


@writes
def set_item_active(item_id: int, expected_version: int, active: bool,
                    actor: Session) -> ServiceItem:
    """Retire an item (intake no longer offers it; its errands stay as they are), or
    take a retired one back."""
    def changes(item: ServiceItem) -> dict:
        if active and not item.active:
            clean_item(form_of(item), item.station_id, item.id)  # its name may be in use again
        return {"active": bool(active)}
    return save_as_head(ServiceItem, item_id, expected_version, actor, changes,
                        "service_item", action="activate" if active else "retire")


def catalogue_of(station_id: int) -> list[ServiceItem]:
    """Every item of the station, retired ones last."""
    return list(ServiceItem.select().where(ServiceItem.station == station_id)
                .order_by(ServiceItem.active.desc(), ServiceItem.category, ServiceItem.id))
