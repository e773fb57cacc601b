"""`kiosk import catalogue` and `kiosk export catalogue`: a county's own item list in,
matched by item name, the station's other items kept; the export imports unchanged.
On SQLite and PostgreSQL."""
from __future__ import annotations

import csv

import pytest

from kiosk.config import os_login
from kiosk.importing import OK, REFUSED, SOME_REJECTED
from models.core.db import database
from models.core.entities import Cadre, Event, Station
from models.core.i18n import t
from models.core.validation import ValidationError
from models.errands.catalogue import STANDARD_CATALOGUE
from models.errands.catalogue_import import parse_item
from models.errands.entities import MODES, ServiceItem

from .test_import import desk, kiosk  # noqa: F401  (a fixture and the command runner)

HEADINGS = ["序号", "类别", "事项名称", "所需材料", "承诺时限（工作日）", "默认方式"]
COUNTY = [
    ["1", "社会保障", "城乡居民养老保险参保登记", "身份证、户口簿；银行卡", "3个工作日", "代着办"],
    ["2", "医疗保险", "医疗救助申请", "身份证、诊断证明、住院发票", "15", "领着办"],
    ["3", "证明盖章", "村委会证明开具", "身份证", "即办", "马上办"],
]


def write_csv(path, rows, headings=HEADINGS):
    with path.open("w", encoding="gbk", newline="") as file:
        csv.writer(file).writerows([headings, *rows])
    return path


def items() -> dict:
    with database.connection_context():
        return {item.name: (item.category, item.materials, item.time_limit_days,
                            item.default_mode, item.active, item.version)
                for item in ServiceItem.select()}


def test_reading_an_item():
    assert parse_item(dict(category=" 社会保障 ", item="高龄津贴申领",
                           materials="身份证、户口簿；银行卡;身份证\n照片", originals="户口簿",
                           time_limit="１０个工作日", ways="马上办、流动办", mode="流动办",
                           in_person="否", active="停用")) == dict(
        category=" 社会保障 ", name="高龄津贴申领", materials="身份证、户口簿*、银行卡、身份证、照片",
        time_limit_days="10", allowed_modes=["on_the_spot", "mobile"], default_mode="mobile",
        in_person=False, active=False)
    for cells, code in ((dict(mode="快办"), "import.reason.bad_mode"),
                        (dict(ways="马上办、快办"), "import.reason.bad_mode"),
                        (dict(time_limit="两周"), "import.reason.bad_time_limit"),
                        (dict(time_limit="400"), "import.reason.bad_time_limit"),
                        (dict(active="也许"), "import.reason.bad_active"),
                        (dict(in_person="也许"), "import.reason.bad_in_person"),
                        (dict(materials="身份证", originals="户口簿"),
                         "import.reason.original_not_listed")):
        with pytest.raises(ValidationError) as refused:
            parse_item(dict(category="社会保障", item="高龄津贴申领") | cells)
        assert refused.value.code == code


def test_county_list_updates_adds_and_keeps(desk, tmp_path):
    before = items()
    path = write_csv(tmp_path / "县目录.csv", COUNTY + [
        ["4", "民政救助", "殡葬补贴申请", "死亡证明", "二十天", "代着办"],
        ["5", "医疗保险", "医疗救助申请", "身份证", "15", "领着办"],
    ])
    code, said = kiosk(desk, "import", "catalogue", str(path))
    assert code == SOME_REJECTED, said
    assert t("import.counts", added=1, updated=1, unchanged=1, rejected=2) in said
    kept = len(STANDARD_CATALOGUE) - 2
    assert t("import.note.items_kept", count=kept) in said
    after = items()
    assert after["城乡居民养老保险参保登记"][1:4] == (["身份证", "户口簿", "银行卡"], 3, "carried")
    assert after["城乡居民养老保险参保登记"][-1] == 2  # a versioned edit
    assert after["医疗救助申请"] == ("医疗保险", ["身份证", "诊断证明", "住院发票"], 15,
                                   "accompanied", True, 1)
    assert after["村委会证明开具"] == before["村委会证明开具"]
    rejects = list(csv.reader((tmp_path / "县目录-拒收.csv").open(encoding="gbk")))
    assert [row[-1] for row in rejects[1:]] == [
        t("import.reason.bad_time_limit", given="二十天", max=365),
        t("import.reason.duplicate_row", line=3)]
    with database.connection_context():
        assert Event.select().where((Event.entity == "service_item") & (Event.action == "edit")).count() == 1
    code, said = kiosk(desk, "import", "catalogue", str(path))
    assert t("import.counts", added=0, updated=0, unchanged=3, rejected=2) in said
    assert items() == after


def test_export_imports_unchanged_and_a_duty_cadre_may_export_not_import(desk, tmp_path):
    out = tmp_path / "目录.xlsx"
    code, said = kiosk(desk, "export", "catalogue", "--out", str(out))
    assert code == OK and said.strip() == t("export.table_done", rows=len(STANDARD_CATALOGUE),
                                             path=out)
    before = items()
    code, said = kiosk(desk, "import", "catalogue", str(out))
    assert code == OK, said
    assert t("import.counts", added=0, updated=0, unchanged=len(STANDARD_CATALOGUE),
             rejected=0) in said
    assert items() == before
    with database.connection_context():
        Cadre.update(role="duty").where(Cadre.login == os_login()).execute()
        assert not Event.select().where(Event.action == "export").exists()  # no personal data
        name = Cadre.get(Cadre.login == os_login()).name
        assert Station.select().count() == 1
    code, said = kiosk(desk, "export", "catalogue", "--out", str(tmp_path / "again.csv"))
    assert code == OK
    code, said = kiosk(desk, "import", "catalogue", str(out))
    assert code == REFUSED and said.strip() == t("import.not_head", name=name)


def test_an_item_is_checked_by_the_editors_rules(desk, tmp_path):
    """Ways allowed, in person, the default way and originals: what the editor
    refuses, the import rejects with the editor's own words; what it lets through
    is what the editor would save."""
    headings = ["类别", "事项名称", "所需材料", "保管原件", "允许方式", "默认方式", "须本人到场"]
    path = write_csv(tmp_path / "目录.csv", [
        ["户籍管理", "身份证换领", "户口簿、照片", "户口簿", "领着办", "", "是"],
        ["户籍管理", "户口本补办", "户口簿", "", "", "", "是"],  # in person: never 代着办
        ["社会保障", "甲", "", "", "马上办", "代着办", ""],
        ["社会保障", "乙", "", "", "代着办", "", "是"],
        ["社会保障", "丙", "身份证", "", "领着办、无", "", ""],
        ["", "丁", "", "", "", "", ""],
    ], headings)
    code, said = kiosk(desk, "import", "catalogue", str(path))
    assert code == SOME_REJECTED, said
    assert t("import.counts", added=2, updated=0, unchanged=0, rejected=4) in said
    rejects = list(csv.reader((tmp_path / "目录-拒收.csv").open(encoding="gbk")))
    assert [row[-1] for row in rejects[1:]] == [
        t("item.default_not_allowed"), t("item.in_person_carried"),
        t("import.reason.bad_mode", given="无", modes="马上办、代着办、领着办、流动办"),
        t("invalid.text_empty", label=t("item.category"))]
    assert t("import.reasons", reasons="允许方式 2、默认方式 1、类别 1") in said
    with database.connection_context():
        renewal = ServiceItem.get(ServiceItem.name == "身份证换领")
        booklet = ServiceItem.get(ServiceItem.name == "户口本补办")
        assert Event.get(Event.entity_id == renewal.id, Event.entity == "service_item",
                         Event.action == "create")
    assert (renewal.allowed_modes, renewal.default_mode, renewal.in_person,
            renewal.materials, renewal.originals) == (
        ["accompanied"], "accompanied", True, ["户口簿", "照片"], ["户口簿"])
    assert (booklet.allowed_modes, booklet.default_mode) == (
        ["on_the_spot", "accompanied", "mobile"], "on_the_spot")


def test_ways_in_person_and_originals_go_out_and_come_back(desk, tmp_path):
    with database.connection_context():
        item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
        ServiceItem.update(allowed_modes=["carried", "accompanied"], default_mode="accompanied",
                           originals=item.materials[:1]).where(
            ServiceItem.id == item.id).execute()
        ServiceItem.update(in_person=True, allowed_modes=["accompanied"],
                           default_mode="accompanied").where(
            ServiceItem.name == "村委会证明开具").execute()
    out = tmp_path / "目录.csv"
    assert kiosk(desk, "export", "catalogue", "--out", str(out))[0] == OK
    exported = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert exported[0] == ["类别", "事项名称", "所需材料", "保管原件", "承诺时限(工作日)",
                           "允许方式", "默认方式", "须本人到场", "是否启用"]
    before = items()
    with database.connection_context():  # the station drifts from its own export
        ServiceItem.update(allowed_modes=list(MODES), originals=[], in_person=False).execute()
    code, said = kiosk(desk, "import", "catalogue", str(out))
    assert code == OK, said
    with database.connection_context():
        back = {i.name: (i.allowed_modes, i.default_mode, i.in_person, i.originals)
                for i in ServiceItem.select()}
    assert back["城乡居民医保费用报销"] == (["carried", "accompanied"], "accompanied",
                                        False, item.materials[:1])
    assert back["村委会证明开具"] == (["accompanied"], "accompanied", True, [])
    assert {name: row[:4] for name, row in items().items()} == \
        {name: row[:4] for name, row in before.items()}
