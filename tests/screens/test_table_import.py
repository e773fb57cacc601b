"""The import box of the head's screens, by keys: a file path, the preview of what
will be read, Ctrl+S, the progress and the summary; a bad file said in one line.
The register from home and the households screen, the catalogue from its screen."""
import csv
import os

import pytest

from models.core.i18n import t
from models.errands.entities import ServiceItem
from models.people.entities import Household, Resident
from screens.catalogue import CatalogueScreen
from screens.households import HouseholdsScreen
from screens.table_import import ImportScreen
from tests.kiosk.test_import import BAD, GOOD, write_csv, write_xlsx

from .conftest import SIZE, screen_text, settle


async def look(pilot, path: str) -> None:
    """The path typed into the file field, and Enter."""
    field = pilot.app.screen.query_one("#import-file")
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


def problem(app) -> str:
    return str(app.screen.query_one("#import-problem").render())


async def test_register_previewed_then_imported_from_the_first_day(app, station, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD + [row for row, _ in BAD], "gbk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("ctrl+s")  # nothing read yet
        await settle(pilot)
        assert problem(app) == t("import_screen.look_first")
        await look(pilot, str(path))
        text = screen_text(app)
        assert t("import_screen.read", path=path, source=t("import.source.csv",
                 encoding="GBK/GB18030"), heading_row=2, count=7) in text
        for heading, field in (("户主姓名", "户主姓名"), ("身份证号码", "身份证号"),
                               ("手机号", "联系电话"), ("组别", "村民小组")):
            assert t("import_screen.maps_to", heading=heading, field=field) in text
        assert t("import.unused", headings="序号、民族") in text
        rows = app.screen.query_one("#import-rows")
        assert rows.row_count == 5 and "李秀英" in text
        assert Resident.select().count() == 0  # a preview changes nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert t("import.counts", added=4, updated=0, unchanged=0, rejected=3) in text
        rejects = tmp_path / "花名册-拒收.csv"
        assert t("import.rejects_written", path=rejects) in text
        assert t("import_screen.confirm") not in text  # the preview is gone with its promise
        bar = app.screen.query_one("#import-progress")
        assert bar.total and bar.progress == bar.total  # the worker reported its way
        # the same file again: everything unchanged
        await look(pilot, str(path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("import.counts", added=0, updated=0, unchanged=4, rejected=3) in \
            screen_text(app)
    assert Resident.select().count() == 4 and Household.select().count() == 2
    assert [row[-1] for row in csv.reader(rejects.open(encoding="gbk"))][1:] == \
        [reason for _, reason in BAD]


async def test_a_bad_file_is_one_line(app, station, tmp_path):
    no_heading = tmp_path / "通讯录.csv"
    no_heading.write_text("姓名,电话\n张三,13800001111\n", encoding="utf-8")
    book = write_xlsx(tmp_path / "花名册.xlsx", GOOD, sheets=("封面", "花名册"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", "i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        for path, message in (
                ("", t("import.no_file")),
                (str(tmp_path / "没有.csv"), t("table.missing", path=tmp_path / "没有.csv")),
                (str(tmp_path), t("table.not_a_file", path=tmp_path))):
            await look(pilot, path)
            assert problem(app) == message
        await look(pilot, str(no_heading))
        assert problem(app).startswith(t("import.no_heading", rows=10,
                                         wanted="姓名、村民小组、门牌号、户主姓名/与户主关系"))
        # a workbook: the sheet with the headings, or the one named
        await look(pilot, str(book))
        assert t("import.source.xlsx", sheet="花名册") in screen_text(app)
        app.screen.query_one("#import-sheet").value = "封面"
        await look(pilot, str(book))
        assert t("table.sheets_hint", sheet="封面", sheets="花名册") in problem(app)
        assert app.screen.preview is None
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert problem(app) == t("import_screen.look_first")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdsScreen)
    assert Resident.select().count() == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
async def test_an_unreadable_file_is_one_line(app, station, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD)
    path.chmod(0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await look(pilot, str(path))
        assert problem(app).startswith(t("table.unreadable", path=path, error=""))


async def test_catalogue_imported_from_its_screen(app, station, tmp_path):
    path = tmp_path / "目录.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows([["类别", "事项名称", "所需材料", "允许方式"],
                                    ["户籍管理", "身份证换领", "户口簿", "领着办"],
                                    ["户籍管理", "户口本补办", "户口簿", "快办"]])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        await look(pilot, str(path))
        assert t("import_screen.maps_to", heading="允许方式", field="允许方式") in \
            screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("import.counts", added=1, updated=0, unchanged=0, rejected=1) in \
            screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        assert "身份证换领" in screen_text(app)
    assert ServiceItem.get(ServiceItem.name == "身份证换领").allowed_modes == ["accompanied"]
