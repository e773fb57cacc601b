"""`kiosk import residents` and `kiosk export residents` as a station head runs them:
csv in UTF-8 or GBK, xlsx; the rejects file beside the input, in its format, row by
row; re-imports that change nothing; bad files refused in one line. The commands run
in this process against SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr

import openpyxl
import pytest

from kiosk.cli import main
from kiosk.config import os_login
from kiosk.database import open_database
from kiosk.importing import OK, REFUSED, SOME_REJECTED, USAGE
from models.core.tables import MAX_BYTES
from models.core.db import database
from models.core.entities import Cadre, Event, Station
from models.core.i18n import t
from models.people.entities import Household, Resident, ResidentKey
from models.station.setup import SetupForm, set_up_station

HEADINGS = ["序号", "户主姓名", "姓名", "与户主关系", "身份证号码", "手机号", "组别", "门牌号",
            "性别", "民族"]
GOOD = [
    ["1", "张建国", "张建国", "户主", "621122198001010013", "13800001111", "1组", "5号", "男",
     "汉"],
    ["2", "张建国", "李秀英", "配偶", "621122198202020023", "", "一组", "5号", "女", "汉"],
    ["3", "王芳", "王芳", "户主", "621122195504040042", "", "第二村民小组", "8", "女", "回"],
    ["4", "王芳", "王强", "子", "", "", "2", "8", "男", "回"],
]
BAD = [  # (row, the reason the rejects file must give)
    (["5", "王芳", "王小", "子", "621122201003030030", "", "2", "8", "", "回"],
     t("invalid.id_check_digit")),
    (["6", "张建国", "张丽", "女", "", "1381234", "1", "5", "", "汉"],
     t("invalid.phone_invalid")),
    (["7", "孙红", "孙红", "户主", "", "", "东组", "3", "", "汉"],
     t("import.reason.bad_group", given="东组", max=40)),
]
FIXES = {"621122201003030030": "621122201003030039", "1381234": "13812341234",
         "东组": "3组"}


@pytest.fixture
def desk(db_url):
    """An empty station whose head is the OS login running the tests."""
    open_database(db_url)
    with database.connection_context():
        set_up_station(SetupForm(station_name="红旗村便民服务站", group_count="3",
                                 admin_name="王建国", admin_login=os_login()))
    return db_url


def kiosk(url: str, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["--db", url, *args])
    return code, err.getvalue()


def stored() -> dict:
    with database.connection_context():
        return dict(
            residents=list(Resident.select(Resident.name, Resident.id_number, Resident.phone,
                                           Resident.relation, Resident.household,
                                           Resident.version).order_by(Resident.id).tuples()),
            households=Household.select().count(), keys=ResidentKey.select().count(),
            events=Event.select().count())


def write_csv(path, rows, encoding="utf-8-sig", headings=HEADINGS):
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["红旗村户籍花名册"])
        writer.writerows([headings, *rows])
    return path


def read_csv(path, encoding):
    with path.open(encoding=encoding, newline="") as file:
        return list(csv.reader(file))


def write_xlsx(path, rows, sheets=("花名册",)):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in sheets[:-1]:
        book.create_sheet(name).append(["说明：本表由村委会填报"])
    sheet = book.create_sheet(sheets[-1])
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_in_each_encoding(desk, tmp_path, encoding):
    rows = GOOD + [["5", "王芳", "王䶮", "孙子", "", "", "2", "8", "", "回"]]  # 䶮: GB18030 only
    path = write_csv(tmp_path / "花名册.csv", rows if encoding != "gbk" else GOOD, encoding)
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == OK, said
    expected = len(rows) if encoding != "gbk" else len(GOOD)
    assert t("import.counts", added=expected, updated=0, unchanged=0, rejected=0) in said
    assert t("import.unused", headings="序号、民族") in said
    with database.connection_context():
        assert Resident.get(Resident.id_number == "621122198001010013").phone == "13800001111"
        assert Household.select().count() == 2


def test_xlsx_picks_the_sheet_with_the_headings(desk, tmp_path):
    path = write_xlsx(tmp_path / "花名册.xlsx", GOOD, sheets=("封面", "花名册"))
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == OK, said
    assert t("import.source.xlsx", sheet="花名册") in said
    code, said = kiosk(desk, "import", "residents", str(path), "--sheet", "封面")
    assert code == REFUSED
    assert t("table.sheets_hint", sheet="封面", sheets="花名册") in said
    code, said = kiosk(desk, "import", "residents", str(path), "--sheet", "Sheet9")
    assert code == REFUSED
    assert said.strip() == t("table.no_sheet", sheet="Sheet9", sheets="封面、花名册")


def test_xlsx_numbers_and_dates_read_as_the_clerk_sees_them(desk, tmp_path):
    import datetime as dt
    rows = [list(GOOD[0]), list(GOOD[1])]
    rows[0][5] = 13800001111  # a phone typed as a number
    rows[0][6] = 1  # the group too
    rows[1][4] = 621122198202020023  # an ID typed as a number: Excel kept 15 digits
    path = tmp_path / "花名册.xlsx"
    write_xlsx(path, rows)
    book = openpyxl.load_workbook(path)
    book.active.cell(1, 11, "出生日期")
    book.active.cell(2, 11, dt.datetime(1980, 1, 1))
    book.save(path)
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == SOME_REJECTED, said
    with database.connection_context():
        assert Resident.get(Resident.name == "张建国").phone == "13800001111"
    rejects = openpyxl.load_workbook(tmp_path / "花名册-拒收.xlsx").active
    values = [[cell.value for cell in row] for row in rejects.iter_rows()]
    assert values[1][4] == "6.21122E+17"
    assert values[1][-1] == t("import.reason.id_as_number")
    assert all(cell.data_type == "s" for row in rejects.iter_rows() for cell in row
               if cell.value is not None)


def test_rejects_file_row_by_row_then_corrected_and_imported(desk, tmp_path):
    rows = [GOOD[0], BAD[0][0], GOOD[1], BAD[1][0], GOOD[2], BAD[2][0], GOOD[3]]
    path = write_csv(tmp_path / "花名册.csv", rows, "gbk")
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == SOME_REJECTED, said
    rejects = tmp_path / "花名册-拒收.csv"
    assert t("import.rejects_written", path=rejects) in said
    assert t("import.counts", added=4, updated=0, unchanged=0, rejected=3) in said
    assert t("import.reasons", reasons="身份证号码 1、联系电话 1、村民小组 1") in said
    written = read_csv(rejects, "gbk")  # the input's encoding
    assert written[0] == HEADINGS + ["原因"]
    assert written[1:] == [row + [reason] for row, reason in BAD]

    for row in written[1:]:  # the clerk fixes each row, leaving 原因 as it is
        row[:] = [FIXES.get(cell, cell) for cell in row]
    with rejects.open("w", encoding="gbk", newline="") as file:
        csv.writer(file).writerows(written)
    code, said = kiosk(desk, "import", "residents", str(rejects))
    assert code == OK, said
    assert t("import.counts", added=3, updated=0, unchanged=0, rejected=0) in said
    assert "原因" not in said  # the reason column is not a column to import
    with database.connection_context():
        assert Resident.select().count() == 7
        assert Resident.get(Resident.name == "孙红").household.number == "03003"


def test_same_file_twice_changes_nothing(desk, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD + [BAD[0][0]])
    kiosk(desk, "import", "residents", str(path))
    before = stored()
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == SOME_REJECTED
    assert t("import.counts", added=0, updated=0, unchanged=4, rejected=1) in said
    after = stored()
    assert after.pop("events") == before.pop("events") + 1  # the import itself, logged
    assert after == before


def test_dry_run_writes_nothing_and_says_the_same(desk, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD + [BAD[2][0]])
    before = stored()
    code, dry = kiosk(desk, "import", "residents", str(path), "--dry-run")
    assert code == SOME_REJECTED
    assert stored() == before
    assert (tmp_path / "花名册-拒收.csv").exists()
    assert t("import.dry_run") in dry
    (tmp_path / "花名册-拒收.csv").unlink()
    code, real = kiosk(desk, "import", "residents", str(path))
    assert real == dry.replace(t("import.dry_run") + "\n", "")
    assert (tmp_path / "花名册-拒收.csv").exists()


def test_a_duty_cadre_or_a_stranger_is_refused(db_url, tmp_path):
    open_database(db_url)
    with database.connection_context():
        station, _ = set_up_station(SetupForm(station_name="红旗村便民服务站",
                                              admin_name="王建国", admin_login="head"))
    path = write_csv(tmp_path / "花名册.csv", GOOD)
    code, said = kiosk(db_url, "import", "residents", str(path))
    assert code == REFUSED
    assert said.strip() == t("signin.unknown", login=os_login())
    with database.connection_context():
        Cadre.create(station=station, name="李干部", login=os_login(), role="duty")
    for command in (["import", "residents", str(path)],
                    ["export", "residents", "--out", str(tmp_path / "out.xlsx")]):
        code, said = kiosk(db_url, *command)
        assert code == REFUSED
        assert said.strip() == t("import.not_head", name="李干部")
    assert stored()["residents"] == []
    assert not (tmp_path / "out.xlsx").exists()


def test_bad_files_get_one_line(desk, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x80\x81\x82")
    no_heading = write_csv(tmp_path / "list.csv", GOOD, headings=["a"] * 10)
    cases = [
        (tmp_path / "missing.csv", t("table.missing", path=tmp_path / "missing.csv")),
        (folder, t("table.not_a_file", path=folder)),
        (huge, t("table.too_big", path=huge, size=50, max=MAX_BYTES // 2 ** 20)),
        (old, t("table.old_excel", path=old)),
        (broken, None),
        (binary, t("table.encoding", path=binary)),
        (no_heading, t("import.no_heading", rows=10,
                       wanted="姓名、村民小组、门牌号、户主姓名/与户主关系")),
    ]
    for path, message in cases:
        code, said = kiosk(desk, "import", "residents", str(path))
        assert code == REFUSED, said
        assert len(said.strip().splitlines()) == 1 and "Traceback" not in said
        if message:
            assert said.strip() == message
    assert stored()["residents"] == []
    code, said = kiosk(desk, "import", "residents", str(no_heading), "--map", "a")
    assert code == USAGE and said.strip() == t("import.map.syntax", given="a")


def test_a_rejects_file_that_cannot_be_written_is_said_after_the_summary(desk, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD + [BAD[1][0]])
    (tmp_path / "花名册-拒收.csv").mkdir()  # in the way
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == SOME_REJECTED
    lines = said.strip().splitlines()
    assert lines[1] == t("import.counts", added=4, updated=0, unchanged=0, rejected=1)
    assert lines[-1].startswith(t("table.unwritable", path=tmp_path / "花名册-拒收.csv",
                                  error="")[:-1])
    assert len(stored()["residents"]) == 4


def test_a_huge_cell_rejects_its_row_only(desk, tmp_path):
    long_name = list(GOOD[3])
    long_name[2] = "王" * 10_000
    path = write_csv(tmp_path / "花名册.csv", GOOD[:3] + [long_name])
    code, said = kiosk(desk, "import", "residents", str(path))
    assert code == SOME_REJECTED
    assert t("import.counts", added=3, updated=0, unchanged=0, rejected=1) in said
    rejected = read_csv(tmp_path / "花名册-拒收.csv", "utf-8-sig")
    assert rejected[1][-1] == t("import.reason.cell_too_long", heading="姓名", given=10_000,
                                max_len=2000)


def test_export_in_full_is_logged_and_imports_unchanged(desk, tmp_path):
    kiosk(desk, "import", "residents", str(write_csv(tmp_path / "花名册.csv", GOOD)))
    before = stored()
    for name in ("导出.xlsx", "导出.csv"):
        out = tmp_path / name
        code, said = kiosk(desk, "export", "residents", "--out", str(out))
        assert code == OK and said.strip() == t("export.table_done", rows=4, path=out)
        with database.connection_context():
            logged = Event.select().where(Event.action == "export").order_by(Event.id.desc()).get()
            assert logged.detail == dict(table="residents", destination=str(out.resolve()),
                                         rows=4)
            assert logged.actor.login == os_login()
        code, said = kiosk(desk, "import", "residents", str(out))
        assert code == OK, said
        assert t("import.counts", added=0, updated=0, unchanged=4, rejected=0) in said
    sheet = openpyxl.load_workbook(tmp_path / "导出.xlsx").active
    assert sheet.cell(2, 4).value == "621122198001010013"  # in full, as text
    assert stored()["residents"] == before["residents"]
    code, said = kiosk(desk, "export", "residents", "--out", str(tmp_path / "x.pdf"))
    assert code == USAGE


def test_station_is_named_in_the_log_of_an_import(desk, tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD)
    kiosk(desk, "import", "residents", str(path))
    with database.connection_context():
        event = Event.get(Event.action == "import")
        assert event.entity_id == Station.get().id
        assert event.detail["source"] == str(path.resolve())


def test_an_unreachable_database_is_one_line(tmp_path):
    path = write_csv(tmp_path / "花名册.csv", GOOD)
    for command in (["import", "residents", str(path)],
                    ["export", "residents", "--out", str(tmp_path / "out.csv")]):
        code, said = kiosk("postgresql://nobody:x@127.0.0.1:1/none", *command)
        assert code == USAGE and len(said.strip().splitlines()) == 1
        assert said.startswith(t("error.unreachable", detail="").split("：")[0])
