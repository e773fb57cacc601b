"""Importing a service catalogue (代办事项目录) a county hands out as a spreadsheet,
and the table an export of the catalogue writes.

An item is matched by its name. Items of the station the file does not list stay as
they are (a station may run local items of its own): the summary counts them.
"""
from __future__ import annotations

import re

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
from models.core.text import inert
from models.core.validation import ValidationError, fail, require_text
from models.errands.catalogue import item_keys
from models.errands.entities import MODES, ServiceItem

COLUMNS = (
    Column("category", ("类别", "事项类别", "分类", "类型")),
    Column("item", ("事项名称", "名称", "事项", "服务事项", "代办事项")),
    Column("materials", ("所需材料", "材料", "申请材料", "所需资料", "办理材料")),
    Column("time_limit", ("承诺时限(工作日)", "承诺时限", "时限", "办理时限", "承诺办结时限")),
    Column("mode", ("默认方式", "代办方式", "办理方式", "方式")),
    Column("active", ("是否启用", "启用", "状态")),
)
REQUIRED = (("category",), ("item",))

MAX_DAYS = 365
AT_ONCE = frozenset({"即办", "当场", "当场办", "当场办结", "立即", "马上办", "即时"})
ACTIVE = {"是": True, "启用": True, "有效": True, "在用": True,
          "否": False, "停用": False, "无效": False, "禁用": False, "不启用": False}
_DAYS = re.compile(r"([0-9]{1,3})个?(?:工作日|天|日)?")
_MATERIALS = re.compile(r"[、；;，,/\n]+")


def _mode(raw: str) -> str:
    text = compact(raw)
    for mode in MODES:  # the Chinese word, the word on screen, or the code
        if text in (ZH[f"mode.{mode}"], t(f"mode.{mode}"), mode):
            return mode
    raise fail("mode", "import.reason.bad_mode", given=raw.strip(),
               modes=t("import.list_separator").join(ZH[f"mode.{m}"] for m in MODES))


def _days(raw: str) -> int:
    text = compact(raw)
    if text in AT_ONCE:
        return 0
    match = _DAYS.fullmatch(text)
    if match is None or int(match.group(1)) > MAX_DAYS:
        raise fail("time_limit", "import.reason.bad_time_limit", given=raw.strip(),
                   max=MAX_DAYS)
    return int(match.group(1))


def _materials(raw: str) -> list[str]:
    label = t("import.kind.materials")
    names = [require_text("materials", part, label, 80)
             for part in _MATERIALS.split(raw) if part.strip()]
    return list(dict.fromkeys(names))


def _active(raw: str) -> bool:
    text = compact(raw)
    if text not in ACTIVE:
        raise fail("active", "import.reason.bad_active", given=raw.strip())
    return ACTIVE[text]


def parse_item(cells: dict[str, str]) -> dict:
    """The item's column values the row gives, checked; ValidationError otherwise."""
    values = {
        "category": require_text("category", cells.get("category"),
                                 t("import.kind.category"), 30),
        "name": require_text("item", cells.get("item"), t("import.kind.item"), 60),
    }
    readers = (("materials", "materials", _materials), ("time_limit", "time_limit_days", _days),
               ("mode", "default_mode", _mode), ("active", "active", _active))
    for field, column, read in readers:
        if cells.get(field):
            values[column] = read(cells[field])
    # as the columns will store them, so that a second import finds nothing changed
    return {k: inert(v) if isinstance(v, str) else v for k, v in values.items()}


def _parse(layout: Layout, rows: list[list[str]]) -> tuple[list, dict[int, ValidationError]]:
    parsed, refused, first = [], {}, {}
    for index, row in layout.records(rows):
        try:
            values = parse_item(layout.values(row))
            if values["name"] in first:
                raise fail("duplicate", "import.reason.duplicate_row",
                           line=first[values["name"]] + 1)
        except ValidationError as error:
            refused[index] = error
            continue
        first[values["name"]] = index
        parsed.append((index, values))
    return parsed, refused


def _apply(parsed: list, report: ImportReport, actor: Session, source: str) -> None:
    items = {item.name: item for item in
             ServiceItem.select().where(ServiceItem.station == actor.station_id)}
    for _, values in parsed:
        item = items.pop(values["name"], None)
        if item is None:
            made = ServiceItem.create(station=actor.station_id,
                                      search_keys=item_keys(values["name"]), **values)
            history.record("item", made.id, "create", actor, name=made.name,
                           source=source)
            report.added += 1
            continue
        changes = {k: v for k, v in values.items() if getattr(item, k) != v}
        if changes:
            history.save_versioned(item, item.version, changes, actor, "item")
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
    """The station's catalogue with the headings the import reads."""
    rows = [[item.category, item.name, t("import.list_separator").join(item.materials),
             str(item.time_limit_days), t(f"mode.{item.default_mode}"),
             t("import.yes") if item.active else t("import.no")]
            for item in ServiceItem.select().where(ServiceItem.station == actor.station_id)
            .order_by(ServiceItem.category, ServiceItem.id)]
    return [column.headings[0] for column in COLUMNS], rows
