"""Importing a service catalogue (代办事项目录) a county hands out as a spreadsheet,
and the table an export of the catalogue writes.

An item is matched by its name. A row is read into the editor's form and checked by
the editor's own rules (`catalogue_admin.clean_item`: ways allowed, in person, the
default way among the allowed ones, originals among the materials), so an imported
item is exactly as valid as one typed in. Items of the station the file does not
list stay as they are (a station may run local items of its own): the summary
counts them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from models.core import history
from models.core.i18n import ZH, t
from models.core.session import Session
from models.core.table_import import (
    Column,
    ImportReport,
    Layout,
    Progress,
    compact,
    import_table,
    no_progress,
)
from models.core.validation import ValidationError, fail
from models.errands.catalogue_admin import (
    MAX_DAYS,
    ORIGINAL,
    ItemForm,
    clean_item,
    form_of,
)
from models.errands.entities import MODES, ServiceItem

COLUMNS = (
    Column("category", ("类别", "事项类别", "分类", "类型")),
    Column("item", ("事项名称", "名称", "事项", "服务事项", "代办事项")),
    Column("materials", ("所需材料", "材料", "申请材料", "所需资料", "办理材料")),
    Column("originals", ("保管原件", "需保管原件", "代为保管原件", "原件")),
    Column("time_limit", ("承诺时限(工作日)", "承诺时限", "时限", "办理时限", "承诺办结时限")),
    Column("ways", ("允许方式", "允许的办理方式", "可用方式")),
    Column("mode", ("默认方式", "代办方式", "办理方式", "方式")),
    Column("in_person", ("须本人到场", "需本人到场", "本人到场", "是否须本人到场")),
    Column("active", ("是否启用", "启用", "状态")),
)
REQUIRED = (("category",), ("item",))

AT_ONCE = frozenset({"即办", "当场", "当场办", "当场办结", "立即", "马上办", "即时"})
ACTIVE = {"是": True, "启用": True, "有效": True, "在用": True,
          "否": False, "停用": False, "无效": False, "禁用": False, "不启用": False}
YES_NO = {"是": True, "须": True, "需要": True, "必须": True, "√": True,
          "否": False, "不": False, "不需要": False, "无需": False, "×": False}
_DAYS = re.compile(r"([0-9]{1,3})个?(?:工作日|天|日)?")
_LIST = re.compile(r"[、；;，,/\n]+")
# what the import's columns are called in a reason, for the editor's field names
_EDITOR_FIELDS = {"name": "item", "time_limit_days": "time_limit", "allowed_modes": "ways",
                  "default_mode": "mode"}


def _mode(raw: str) -> str:
    text = compact(raw)
    for mode in MODES:  # the Chinese word, the word on screen, or the code
        if text in (ZH[f"mode.{mode}"], t(f"mode.{mode}"), mode):
            return mode
    raise fail("mode", "import.reason.bad_mode", given=raw.strip(),
               modes=t("import.list_separator").join(ZH[f"mode.{m}"] for m in MODES))


def _ways(raw: str) -> list[str]:
    try:
        return list(dict.fromkeys(_mode(part) for part in _LIST.split(raw) if part.strip()))
    except ValidationError as bad:
        raise ValidationError("ways", bad.message, bad.code) from None


def _days(raw: str) -> str:
    text = compact(raw)
    if text in AT_ONCE:
        return "0"
    match = _DAYS.fullmatch(text)
    if match is None or int(match.group(1)) > MAX_DAYS:
        raise fail("time_limit", "import.reason.bad_time_limit", given=raw.strip(),
                   max=MAX_DAYS)
    return match.group(1)


def _names(raw: str) -> list[str]:
    return [part.strip() for part in _LIST.split(raw) if part.strip()]


def _yes_no(words: dict[str, bool], field: str, key: str) -> Callable[[str], bool]:
    def read(raw: str) -> bool:
        text = compact(raw)
        if text not in words:
            raise fail(field, key, given=raw.strip())
        return words[text]
    return read


def _materials_line(materials: str, originals: str) -> str:
    """The editor's one-line materials (an original marked *): the materials column
    may mark them so itself, or name them in the originals column."""
    names = _names(materials)
    plain = [name.rstrip(ORIGINAL + "＊").strip() for name in names]
    held = set(_names(originals))
    missing = [name for name in held if name not in plain]
    if missing:
        raise fail("originals", "import.reason.original_not_listed", name=missing[0])
    return "、".join(name + (ORIGINAL if bare in held and not name.endswith(ORIGINAL) else "")
                    for name, bare in zip(names, plain))


_READERS = (("time_limit", "time_limit_days", _days), ("ways", "allowed_modes", _ways),
            ("mode", "default_mode", _mode),
            ("in_person", "in_person",
             _yes_no(YES_NO, "in_person", "import.reason.bad_in_person")),
            ("active", "active", _yes_no(ACTIVE, "active", "import.reason.bad_active")))


def parse_item(cells: dict[str, str]) -> dict:
    """What the row says of an item, by the editor's field names (`ItemForm`, and
    `active`); what it leaves empty is left out. ValidationError for a cell that
    cannot be read; the item as a whole is checked by the editor's `clean_item`."""
    given = {"category": cells.get("category", ""), "name": cells.get("item", "")}
    if cells.get("materials") or cells.get("originals"):
        given["materials"] = _materials_line(cells.get("materials", ""),
                                             cells.get("originals", ""))
    for column, name, read in _READERS:
        if cells.get(column):
            given[name] = read(cells[column])
    return given


def _form(item: ServiceItem | None, given: dict) -> tuple[ItemForm, bool]:
    """The editor's form of the item as the row would leave it, and whether it is
    active. An item the station has keeps what the row leaves empty; a new one
    starts as the editor's new form does. Without ways of its own, an item the
    villager must come in person for is never 代着办; without a default way of
    its own, it is the first way the item allows."""
    form = form_of(item) if item is not None else ItemForm(given["category"], given["name"])
    active = given.pop("active", item.active if item is not None else True)
    form = replace(form, **given)
    if "allowed_modes" not in given and form.in_person:
        form.allowed_modes = [mode for mode in form.allowed_modes if mode != "carried"]
    if "default_mode" not in given and form.default_mode not in form.allowed_modes:
        form.default_mode = next((m for m in MODES if m in form.allowed_modes), "")
    return form, active


def _checked(form: ItemForm, station_id: int, item: ServiceItem | None) -> dict:
    """The editor's checks (`clean_item`), their reasons named by the import's columns."""
    try:
        return clean_item(form, station_id, item.id if item is not None else None)
    except ValidationError as bad:
        raise ValidationError(_EDITOR_FIELDS.get(bad.field, bad.field), bad.message,
                              bad.code) from None


def _parse(layout: Layout, rows: list[list[str]]) -> tuple[list, dict[int, ValidationError]]:
    parsed, refused, first = [], {}, {}
    for index, row in layout.records(rows):
        try:
            given = parse_item(layout.values(row))
            name = given["name"]
            if name and name in first:
                raise fail("duplicate", "import.reason.duplicate_row", line=first[name] + 1)
        except ValidationError as error:
            refused[index] = error
            continue
        first[name] = index
        parsed.append((index, given))
    return parsed, refused


def _apply(parsed: list, report: ImportReport, actor: Session, source: str) -> None:
    # by name; of two items of one name (one retired), the one in use
    items = {item.name: item for item in
             ServiceItem.select().where(ServiceItem.station == actor.station_id)
             .order_by(ServiceItem.active, ServiceItem.id)}
    for index, given in parsed:
        item = items.pop(given["name"], None)
        try:
            form, active = _form(item, dict(given))
            values = _checked(form, actor.station_id, item) | {"active": active}
        except ValidationError as error:
            report.reject(index, error)
            continue
        if item is None:
            made = ServiceItem.create(station=actor.station_id, **values)
            history.record("service_item", made.id, "create", actor, category=made.category,
                           name=made.name, source=source)
            report.added += 1
            continue
        changes = {k: v for k, v in values.items() if getattr(item, k) != v}
        if changes:
            history.save_versioned(item, item.version, changes, actor, "service_item")
            report.updated += 1
        else:
            report.unchanged += 1
    kept = sum(item.active for item in items.values())
    if kept:
        report.notes.append(t("import.note.items_kept", count=kept))


def import_catalogue(rows: list[list[str]], actor: Session,
                     overrides: dict[str, str] | None = None, dry_run: bool = False,
                     progress: Progress = no_progress, source: str = "") -> ImportReport:
    """Import a catalogue sheet's rows as the station head `actor`, as
    `import_register` does a register's (a few dozen rows: no progress to show)."""
    return import_table(
        "catalogue", rows, actor, COLUMNS, REQUIRED, parse=_parse,
        apply=lambda parsed, report: _apply(parsed, report, actor, source),
        overrides=overrides, dry_run=dry_run, source=source)


def catalogue_table(actor: Session) -> tuple[list[str], list[list[str]]]:
    """The station's catalogue with the headings the import reads: what the editor
    holds of each item, so that the export imports unchanged."""
    separator = t("import.list_separator")

    def yes(value: bool) -> str:
        return t("import.yes") if value else t("import.no")

    rows = [[item.category, item.name, separator.join(item.materials),
             separator.join(item.originals), str(item.time_limit_days),
             separator.join(t(f"mode.{mode}") for mode in MODES if mode in item.allowed_modes),
             t(f"mode.{item.default_mode}"), yes(item.in_person), yes(item.active)]
            for item in ServiceItem.select().where(ServiceItem.station == actor.station_id)
            .order_by(ServiceItem.category, ServiceItem.id)]
    return [column.headings[0] for column in COLUMNS], rows
