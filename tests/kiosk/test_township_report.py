"""`kiosk export report` run by a township cadre: the township's workbook — the
stations side by side with the township's total, and one 考核表 of every station's
cadres — against figures worked out by hand for two stations, on SQLite and
PostgreSQL. Other exports stay the stations' own."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from kiosk.config import os_login
from kiosk.importing import OK, REFUSED
from models.core.db import database
from models.core.entities import Cadre, Event, Station, VillagerGroup
from models.core.i18n import t
from models.duty.entities import NightStay
from models.errands.entities import Errand, ServiceItem
from models.people.entities import Household, Resident
from models.station.setup import SetupForm, set_up_station
from models.station.township import add_township_cadre
from models.village.entities import Visit
from tests.kiosk.test_exports import one_line
from tests.kiosk.test_import import kiosk
from tests.models.test_figures import at, month  # noqa: F401 (the fixture)


@pytest.fixture
def dongfeng(station, month):
    """A second station, 东风村 (its rule: 10 nights a month), beside 红旗村's month
    of test_figures. Its November: 赵站长 delivered f2 on time; 钱干事 delivered f1
    late (不满意), and has f3 open past its due date and f4 open in time; 钱 stayed
    3 nights in the village and visited one of the 2 households."""
    other, zhao = set_up_station(SetupForm(station_name="东风村便民服务站", township="城关镇",
                                           group_count="1", admin_name="赵站长",
                                           admin_login="zhao"))
    Station.update(nights_required=10).where(Station.id == other.id).execute()
    qian = Cadre.create(station=other, name="钱干事", login="qian", role="duty")
    villager = Resident.create(name="李四")
    item = ServiceItem.get((ServiceItem.station == other)
                           & (ServiceItem.name == "城乡居民医保费用报销"))

    def errand(number, mode, created, due, status, owner, delivered=None, satisfaction=""):
        return Errand.create(number=number, station=other, resident=villager, item=item,
                             mode=mode, status=status, owner=owner, created_at=created,
                             due_date=due, delivered_at=delivered, closed_at=delivered,
                             satisfaction=satisfaction)

    f1 = errand("DF-1", "carried", at(11, 3), dt.date(2026, 11, 10), "called_back", qian,
                delivered=at(11, 12), satisfaction="不满意")
    errand("DF-2", "on_the_spot", at(11, 4), dt.date(2026, 11, 4), "delivered", zhao,
           delivered=at(11, 4, 10))
    errand("DF-3", "carried", at(11, 20), dt.date(2026, 11, 27), "in_progress", qian)
    errand("DF-4", "mobile", at(11, 28), dt.date(2099, 1, 30), "registered", qian)
    Event.create(entity="errand", entity_id=f1.id, action="callback", actor=qian.id,
                 at=at(11, 14), detail={})
    for day in (2, 3, 4):
        NightStay.create(cadre=qian, night=dt.date(2026, 11, day))
    NightStay.create(cadre=qian, night=dt.date(2026, 10, 31))  # October's
    group = VillagerGroup.get(VillagerGroup.station == other)
    visited, _ = (Household.create(group=group, number=number) for number in ("01001", "01002"))
    for when in (at(11, 5), at(11, 6), at(12, 1)):  # two visits in November, one in December
        Visit.create(household=visited, cadre=qian, visited_at=when, duties=["policy"])
    return other


@pytest.fixture
def township_here(db):
    """The township's cadre is the OS login running the tests."""
    return add_township_cadre(os_login(), "乡镇督查")


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)
            if row[0].value is not None]


def test_the_township_report_puts_the_stations_side_by_side(db_url, dongfeng, township_here,
                                                            tmp_path):
    out = tmp_path / "城关镇2026年11月.xlsx"
    code, said = kiosk(db_url, "export", "report", "--month", "2026-11", "--out", str(out))
    assert code == OK and one_line(said) == t("cli.export.written", what="月度报表", path=out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["各站对照", "考核表"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3" and sheet["A2"].font.b
        assert sheet["A1"].value == f"城关镇 2026年11月 {sheet.title}"
    stations = book["各站对照"]
    assert [cell.value for cell in stations[2]] == [
        "服务站", "本月登记", "本月办结", "在办（导出时）", "其中已超期（导出时）", "逾期率",
        "回访答复", "满意及基本满意", "回访满意率", "住村夜数", "要求夜数", "全站户数",
        "走访到的户数", "走访覆盖率"]
    # 红旗村 (test_figures): 6 registered in November, 4 done (e6 from October too),
    # e4 and e7 open and past due; 满意 and 基本满意 answered; 2 lodgers × 15 nights
    assert rows_of(stations) == [
        ["红旗村便民服务站", 6, 4, 2, 2, 1, 2, 2, 1, 0, 30, 0, 0, None],
        ["东风村便民服务站", 4, 2, 2, 1, 0.5, 1, 0, 0, 3, 20, 2, 1, 0.5],
        ["全镇合计", 10, 6, 4, 3, 0.75, 3, 2, 2 / 3, 3, 50, 2, 1, 0.5]]
    assert stations["F3"].number_format == "0.0%"
    form = book["考核表"]
    headings = [cell.value for cell in form[2]]
    assert headings[:3] == ["序号", "服务站", "干部"]
    column = {heading: index for index, heading in enumerate(headings)}
    lines = {row[2]: row for row in rows_of(form) if isinstance(row[0], int)}
    assert [(row[0], row[1]) for row in lines.values()] == [
        (1, "红旗村便民服务站"), (2, "红旗村便民服务站"), (3, "东风村便民服务站"),
        (4, "东风村便民服务站")]
    assert list(lines) == ["王建国", "李华", "赵站长", "钱干事"]

    def figures(name, *headings):
        return [lines[name][column[heading]] for heading in headings]

    errands = ("登记", "办结", "按时", "超期")
    assert figures("王建国", *errands) == [4, 2, 1, 1]  # e1 on time, e6 late
    assert figures("李华", *errands) == [2, 2, 1, 1]
    assert figures("赵站长", *errands) == [1, 1, 1, 0]
    assert figures("钱干事", *errands) == [3, 1, 0, 1]
    # each station's rule for its own cadres; 钱's November nights and visits only
    assert figures("钱干事", "住村夜数", "要求夜数", "民情走访（次）", "走访户数") == [3, 10, 2, 1]
    assert figures("王建国", "住村夜数", "要求夜数") == [0, 15]
    texts = [row[0].value for row in form.iter_rows() if isinstance(row[0].value, str)]
    assert texts[-3:] == [t("report.sign.drawn_up"), t("report.sign.township"),
                          t("report.sign.date")]  # no station head signs the township's
    with database.connection_context():
        noted = Event.get(Event.action == "export")
        assert (noted.entity, noted.entity_id, noted.actor_id) == (
            "cadre", township_here.id, township_here.id)


def test_the_township_takes_no_station_file(db_url, station, township_here, tmp_path):
    """Villagers' names and phones leave a station on its head's word only."""
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for command in (["errands", "--from", "2026-11-01", "--out", str(tmp_path / "e.csv")],
                    ["visits", "--month", "2026-11", "--out", str(tmp_path / "v.xlsx")],
                    ["cards", "--group", "1", "--out", str(tmp_path / "c.html")]):
        code, said = kiosk(db_url, "export", *command)
        assert code == REFUSED and one_line(said) == t("guard.read_only"), command
    code, said = kiosk(db_url, "export", "residents", "--out", str(tmp_path / "r.xlsx"))
    assert code == REFUSED and "乡镇督查" in one_line(said)
    assert list(tmp_path.iterdir()) == []
