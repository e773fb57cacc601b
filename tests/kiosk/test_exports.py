"""`kiosk export report|errands|visits|cards` as the station head runs them, on
SQLite and PostgreSQL: the workbook opens with the sheets, headings, frozen rows,
formats and the figures worked out by hand (the month of test_figures); the csv
is UTF-8 with a byte order mark; the cards page; bad arguments in one line."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from kiosk.config import os_login
from kiosk.importing import OK, REFUSED, USAGE
from models.core.db import database
from models.core.entities import Cadre, Event, GroupCoverage, VillagerGroup
from models.core.i18n import t
from models.people.entities import Household, Resident
from models.village.entities import Visit
from tests.kiosk.conftest import read_only_view
from tests.kiosk.test_import import kiosk
from tests.screens.test_inert_display import raw
from tests.models.test_figures import month  # noqa: F401 (the fixture)
from tests.models.test_village_figures import village  # noqa: F401 (the fixture)

REPORT_SHEETS = ["总览", "按办理方式", "按事项", "按状态", "干部办件", "值班签到", "住村",
                 "每日登记", "走访与纠纷", "本月代办事项", "考核表"]


@pytest.fixture
def head_here(admin):
    """The station head is the OS login running the tests."""
    Cadre.update(login=os_login()).where(Cadre.id == admin.id).execute()
    return admin


def one_line(said: str) -> str:
    lines = said.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in said, said
    return lines[0]


def test_the_month_report_workbook(db_url, month, head_here, tmp_path):
    out = tmp_path / "2026年11月报表.xlsx"
    code, said = kiosk(db_url, "export", "report", "--month", "2026-11", "--out", str(out))
    assert code == OK and one_line(said) == t("cli.export.written", what="月度报表", path=out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == REPORT_SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        assert sheet["A1"].value.startswith("红旗村便民服务站 2026年11月")
        assert sheet["A2"].font.b
    overview = {row[0].value: row[1] for row in book["总览"].iter_rows(min_row=3)}
    assert overview["登记"].value == 6
    assert overview["超期率"].value == 0.5 and overview["超期率"].number_format == "0.0%"
    assert overview["办结用时中位（工作日）"].value == 3
    assert overview["办结用时中位（工作日）"].number_format == '0.0"天"'
    errands = book["本月代办事项"]
    assert [c.value for c in errands[2]][:3] == ["编号", "登记时间", "村民"]
    assert errands.max_row == 2 + 6
    assert errands["B3"].value == dt.datetime(2026, 11, 2, 9)
    assert errands["B3"].number_format == "yyyy-mm-dd hh:mm"
    assert errands.page_setup.orientation == "landscape"
    assert errands.sheet_properties.pageSetUpPr.fitToPage
    assert errands.column_dimensions["H"].width >= 2 * len("城乡居民医保费用报销")
    form = book["考核表"]
    texts = [row[0].value for row in form.iter_rows() if row[0].value]
    assert texts[-4:] == [t("report.sign.drawn_up"), t("report.sign.head"),
                          t("report.sign.township"), t("report.sign.date")]
    assert form.print_area.endswith(f"$T${form.max_row}")
    with database.connection_context():
        logged = Event.select().where(Event.action == "export").get()
        assert logged.detail["table"] == "report"


def test_the_visits_and_disputes_in_the_report_workbook(db_url, village, head_here, hua,
                                                       tmp_path):
    out = tmp_path / "r.xlsx"
    code, said = kiosk(db_url, "export", "report", "--month", "2026-11", "--out", str(out))
    assert code == OK, said
    book = openpyxl.load_workbook(out)
    sheet = book["走访与纠纷"]
    assert sheet["A1"].value == "红旗村便民服务站 2026年11月 走访与纠纷"
    assert [c.value for c in sheet[2]] == ["项目", "数值"]
    lines = {row[0].value: row[1] for row in sheet.iter_rows(min_row=3)}
    assert lines["民情走访（次）"].value == 4 and lines["期末超期未访户数"].value == 3
    assert lines["走访覆盖率"].value == 0.5 and lines["走访覆盖率"].number_format == "0.0%"
    assert lines["排查发现纠纷（件）"].value == 5 and lines["期末高风险未结纠纷（件）"].value == 2
    form = book["考核表"]
    headings = [c.value for c in form[2]]
    rows = {row[1].value: [c.value for c in row] for row in form.iter_rows(min_row=3)
            if isinstance(row[0].value, int)}
    first = headings.index("民情走访（次）")
    assert headings[first:first + 5] == ["民情走访（次）", "走访户数", "排查纠纷（件）",
                                         "调解成功（件）", "上报乡镇（件）"]
    assert rows[hua.name][first:first + 5] == [1, 1, 2, 1, 0]


def test_errands_as_csv_and_as_a_workbook(db_url, month, head_here, tmp_path):
    out = tmp_path / "事项.csv"
    code, said = kiosk(db_url, "export", "errands", "--from", "2026-11-01", "--to",
                       "2026-11-05", "--out", str(out))
    assert code == OK, said
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:3] == ["编号", "登记时间", "村民"]
    assert len(rows) == 1 + 3  # e1, e2, e5
    assert rows[1][5] == "138****1234" and rows[1][6] == "110105********002X"
    assert rows[1][1] == "2026-11-02 09:00"
    out = tmp_path / "事项.xlsx"
    assert kiosk(db_url, "export", "errands", "--from", "11-01", "--to", "11-30",
                 "--out", str(out))[0] == OK
    sheet = openpyxl.load_workbook(out)["代办事项"]
    assert sheet.max_row == 2 + 6 and sheet.freeze_panes == "A3"


def test_the_visits_workbook(db_url, station, head_here, hua, tmp_path):
    house = Household.create(group=VillagerGroup.get(number=1), number="01001")
    visit = Visit.create(household=house, cadre=hua,
                         visited_at=dt.datetime(2026, 11, 3, 10), duties=["policy"])
    raw("UPDATE visit SET found = ?, needs = ? WHERE id = ?", "=1+1", "修路\x1b]0;x\x07[/bar]",
        visit.id)  # past the columns that clean text, as another tool would
    out = tmp_path / "走访.xlsx"
    code, said = kiosk(db_url, "export", "visits", "--month", "2026-11", "--out", str(out))
    assert code == OK, said
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "全部走访", "李华"]
    assert [c.value for c in book["汇总"][3]] == ["李华", 1, 1]
    found = book["全部走访"]["H3"]
    assert found.value == "=1+1" and found.data_type == "s"  # text, never a formula
    assert book["全部走访"]["I3"].value == "修路]0;x[/bar]"  # a file with ESC would not open


def test_the_cards_page_of_a_group(db_url, station, head_here, hua, tmp_path):
    hua.phone = "13900000002"
    hua.save()
    group = VillagerGroup.get(number=2)
    GroupCoverage.create(cadre=hua, group=group, since=dt.date(2026, 1, 1))
    for number, head in (("02001", "赵大"), ("02002", "钱二")):
        Resident.create(household=Household.create(group=group, number=number), name=head,
                        relation="户主")
    out = tmp_path / "连心卡.html"
    code, said = kiosk(db_url, "export", "cards", "--group", "2", "--out", str(out))
    assert code == OK
    assert said.splitlines()[0] == t("cards.no_duty_phone")
    page = out.read_text(encoding="utf-8")
    for household, head in (("02001", "赵大"), ("02002", "钱二")):
        assert f"{household}　户主：{head}" in page
    assert page.count("李华 13900000002") == 2


def test_bad_arguments_get_one_line(db_url, station, head_here, tmp_path):
    tmp_path = tmp_path / "out"  # the SQLite database is in tmp_path
    tmp_path.mkdir()
    out = str(tmp_path / "r.xlsx")
    cases = [
        (["report", "--month", "2026-13", "--out", out],
         t("cli.export.bad_month", given="2026-13")),
        (["visits", "--month", "十一月", "--out", out],
         t("cli.export.bad_month", given="十一月")),
        (["errands", "--from", "2026-11-31", "--out", out], None),
        (["errands", "--from", "2026-11-10", "--to", "2026-11-01", "--out", out], None),
        (["cards", "--group", "9", "--out", str(tmp_path / "c.html")],
         t("cards.no_group", number=9)),
        (["report", "--out", str(tmp_path / "r.pdf")],
         t("cli.export.suffix", suffixes=".xlsx", path=tmp_path / "r.pdf")),
        (["cards", "--group", "1", "--out", out],
         t("cli.export.suffix", suffixes=".html", path=out)),
        (["report", "--out", str(tmp_path / "no" / "r.xlsx")],
         t("error.not_found", where=tmp_path / "no")),
    ]
    for command, message in cases:
        code, said = kiosk(db_url, "export", *command)
        assert code == USAGE, (command, said)
        if message:
            assert one_line(said) == message
        else:
            one_line(said)
    assert list(tmp_path.iterdir()) == []


def test_a_duty_cadre_is_refused(db_url, station, hua, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    Cadre.update(login=os_login()).where(Cadre.id == hua.id).execute()
    Cadre.update(login="head").where(Cadre.role == "head").execute()
    for command in (["report", "--out", str(tmp_path / "r.xlsx")],
                    ["cards", "--group", "1", "--out", str(tmp_path / "c.html")]):
        code, said = kiosk(db_url, "export", *command)
        assert code == REFUSED and one_line(said) == t("report.head_only", name="李华")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_one_line(db_url, station, head_here, tmp_path, mount):
    (tmp_path / "plain").mkdir()
    read_only_view(mount, tmp_path / "plain", tmp_path / "ro")
    code, said = kiosk(db_url, "export", "report", "--out", str(tmp_path / "ro" / "r.xlsx"))
    assert code == USAGE
    assert one_line(said) == t("error.read_only", where=tmp_path / "ro")
    out = tmp_path / "ro" / "e.csv"
    code, said = kiosk(db_url, "export", "errands", "--from", "2026-11-01", "--out", str(out))
    assert code == USAGE
    assert one_line(said).startswith(t("table.unwritable", path=out, error="")[:-1])
