"""The household register import: what a clerk typed, normalised and checked by the
form's rules; good rows in one transaction, a reason for every other row; the same
file twice changes nothing. Runs on SQLite and PostgreSQL."""
import pytest

from models.core.entities import Cadre, Event, VillagerGroup
from models.core.i18n import t
from models.core.session import session_for
from models.core.validation import ValidationError
from models.people.entities import Household, Resident, ResidentKey
from models.people.register_import import import_register, register_table
from models.people.register_rows import (
    normalize_name,
    parse_door,
    parse_group,
    parse_row,
)
from models.people.residents import ResidentForm, register_resident, search_residents
from models.station.setup import SetupForm, set_up_station
from tests.actors import acting, our_station

HEADINGS = ["户主姓名", "姓名", "与户主关系", "身份证号", "联系电话", "村民小组", "门牌号",
            "性别", "出生日期", "备注"]
# Valid ID numbers (check digits computed): odd 17th digit = male
ZHANG = "621122198001010013"  # 男 1980-01-01
LI = "621122198202020023"  # 女
HAO = "621122201003030039"  # 男
WANG = "621122195504040042"  # 女
SPARE_MALE = "621122196005050056"
SPARE_FEMALE = "621122197006060066"


def register(*rows, headings=HEADINGS, title=True):
    top = [["红旗村户籍花名册"], []] if title else []
    return top + [list(headings)] + [list(row) for row in rows]


GOOD = [
    ["张建国", "张 建国", "户主", ZHANG, "138 0000 1111", "1组", "5号",
     "男", "1980-01-01", ""],
    ["张建国", "李秀英", "配偶", f" {LI[:6]} {LI[6:14]} {LI[14:]} ", "", "一组", "5", "女",
     "1982年2月2日", ""],
    ["张建国", "张浩", "子", HAO.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
     "", "第一村民小组", "005", "", "", "在外上学"],
    ["", "王芳", "本人", WANG, "+86 138-0000-2222", "2", "8", "女", "", ""],
    ["王芳", "王强", "子", "", "", "2组", "8号", "男", "", ""],
]


@pytest.fixture
def head(station, admin):
    return session_for(station, admin, "tester")


def snapshot():
    return dict(
        residents=list(Resident.select(Resident.name, Resident.id_number, Resident.phone,
                                       Resident.relation, Resident.household, Resident.note,
                                       Resident.version).order_by(Resident.id).tuples()),
        households=list(Household.select(Household.number, Household.group,
                                         Household.address).order_by(Household.id).tuples()),
        keys=ResidentKey.select().count(),
        groups=VillagerGroup.select().count())


def test_clerk_typing_is_normalised():
    assert [parse_group(text) for text in
            ("3", "3组", "三组", "第三村民小组", "第3组", "红旗村3组", " ３ 组", "十二组",
             "二十一组", "两组")] == [3, 3, 3, 3, 3, 3, 3, 12, 21, 2]
    for bad in ("东组", "0", "41", "9999999999", "一百组"):
        with pytest.raises(ValidationError) as refused:
            parse_group(bad)
        assert refused.value.field == "group"
    assert [parse_door(text) for text in ("12号", "12", "012", "3组12号", "１２", "12-1",
                                          "12/1")] == ["012"] * 5 + ["012-1"] * 2
    assert normalize_name(" 张  三 ") == "张三"
    assert normalize_name("阿依古丽·买买提") == "阿依古丽·买买提"
    assert normalize_name("Anna  Li") == "Anna Li"
    row = parse_row(0, dict(name="张三", relation="本人", id_number="  11010519491231002x",
                            phone="１３８ １２３４ １２３４", group="三组", door="12号"))
    assert (row.head, row.group, row.door) == ("张三", 3, "012")
    assert row.values == dict(name="张三", id_number="11010519491231002X",
                              phone="13812341234", relation="户主", gender="女")
    row = parse_row(0, dict(head="张三", relation="户主", group="3", door="12"))
    assert row.name == "张三"  # the head's row need not repeat the name


@pytest.mark.parametrize("cells, field, key", [
    (dict(id_number="1.10105E+17"), "id_number", "import.reason.id_as_number"),
    (dict(id_number="110105194912310021"), "id_number", "invalid.id_check_digit"),
    (dict(phone="1381234"), "phone", "invalid.phone_invalid"),
    (dict(name=""), "name", "invalid.text_empty"),
    (dict(name="张" * 41), "name", "invalid.text_too_long"),
    (dict(group=""), "group", "import.reason.no_group"),
    (dict(door=" "), "door", "import.reason.no_door"),
    (dict(door="1" * 16), "door", "import.reason.door_too_long"),
    (dict(gender="男"), "gender", "import.reason.gender_mismatch"),
    (dict(gender="未知"), "gender", "import.reason.bad_gender"),
    (dict(birth="1949-12-30"), "birth", "import.reason.birth_mismatch"),
    (dict(birth="1949-11"), "birth", "import.reason.birth_mismatch"),
    (dict(birth="去年"), "birth", "import.reason.bad_birth"),
])
def test_a_bad_cell_names_its_field(cells, field, key):
    row = dict(name="张三", relation="户主", id_number="11010519491231002X", group="3",
               door="12")
    with pytest.raises(ValidationError) as refused:
        parse_row(0, row | cells)
    assert (refused.value.field, refused.value.code) == (field, key)


def test_birth_in_other_forms_agrees_with_the_id():
    for birth in ("1949-12-31", "1949/12/31", "19491231", "1949年12月31日", "1949.12",
                  "1949-12-31 00:00:00"):
        parse_row(0, dict(name="张三", relation="户主", id_number="11010519491231002X",
                          group="3", door="12", birth=birth))


def test_import_adds_households_residents_and_search_keys(head):
    report = import_register(register(*GOOD), head, source="花名册.csv")
    assert (report.added, report.updated, report.unchanged, report.rejected) == (5, 0, 0, {})
    assert report.layout.heading_row == 2
    zhang = Resident.get(Resident.id_number == ZHANG)
    assert (zhang.name, zhang.phone, zhang.relation, zhang.gender) == (
        "张建国", "13800001111", "户主", "男")
    assert zhang.household.number == "01005"
    assert zhang.household.address == "第一村民小组 5号"
    family = Resident.select().where(Resident.household == zhang.household_id)
    assert sorted(r.name for r in family) == ["张建国", "张浩", "李秀英"]
    wang = Resident.get(Resident.name == "王强")
    assert (wang.id_number, wang.gender, wang.household.number) == (None, "男", "02008")
    assert Resident.get(Resident.name == "王芳").relation == "户主"
    assert Resident.get(Resident.name == "张浩").note == "在外上学"
    assert [r.name for r in search_residents("zjg", station_id=our_station())] == ["张建国"]
    assert [r.name for r in search_residents("0013", station_id=our_station())] == ["张建国"]
    assert [r.name for r in search_residents("wangqiang", station_id=our_station())] == ["王强"]
    events = Event.select().where(Event.entity == "resident")
    assert events.count() == 5 and all(e.actor_id == head.cadre_id for e in events)
    assert events.first().detail["source"] == "花名册.csv"
    summary = Event.get(Event.action == "import")
    assert summary.detail["added"] == 5


def test_second_import_changes_nothing(head):
    import_register(register(*GOOD), head)
    before = snapshot()
    again = import_register(register(*GOOD), head)
    assert (again.added, again.updated, again.unchanged, again.rejected) == (0, 0, 5, {})
    assert snapshot() == before


def test_missing_group_is_created_and_said(head):
    row = ["赵六", "赵六", "户主", "", "", "第九村民小组", "1", "", "", ""]
    report = import_register(register(*GOOD, row), head)
    group = VillagerGroup.get(VillagerGroup.number == 9)
    assert group.name == "第九村民小组"
    assert t("import.note.group", name="第九村民小组", households=1) in "".join(report.notes)
    assert Resident.get(Resident.name == "赵六").household.group_id == group.id
    # in the log as the groups the head adds are
    assert Event.get(Event.entity_id == group.id, Event.action == "create").entity == \
        "villager_group"


def test_bad_rows_are_rejected_with_reasons_and_the_good_ones_go_in(head):
    rows = [
        GOOD[0],
        ["张建国", "张伟", "子", "110105194912310021", "", "1", "5", "", "", ""],
        ["张建国", "张丽", "女", "", "1381234", "1", "5", "", "", ""],
        ["张建国", "张明", "子", "", "", "东组", "5", "", "", ""],
        ["", "李四", "子", "", "", "1", "77", "", "", ""],
        ["张建国", "张强", "子", "", "", "1", "5", "", "", "很长" * 5000],
        GOOD[3],
    ]
    report = import_register(register(*rows, title=False), head)
    assert report.added == 2
    assert report.rejected == {
        2: t("invalid.id_check_digit"),
        3: t("invalid.phone_invalid"),
        4: t("import.reason.bad_group", given="东组", max=40),
        5: t("import.reason.no_head"),
        6: t("import.reason.cell_too_long", heading="备注", given=10000, max_len=2000),
    }
    assert dict(report.kinds) == dict(id_number=1, phone=1, group=1, head=1, cell=1)
    assert Resident.select().count() == 2


def test_duplicates_inside_the_file(head):
    zhang = GOOD[0]
    namesake = ["张建国", "张建国", "户主", "", "", "1", "5", "", "", ""]  # no ID: same man?
    other = ["王芳", "王小芳", "女", WANG, "", "2", "8", "", "", ""]  # WANG's number again
    twin = ["王芳", "王强", "子", "", "", "2", "8", "", "", ""]
    report = import_register(register(zhang, zhang, namesake, GOOD[3], other, GOOD[4], twin,
                                      title=False), head)
    same_as_1 = t("import.reason.duplicate_row", line=2)
    both = t("import.reason.duplicate_id", lines="5、6")
    assert report.rejected == {2: same_as_1, 3: same_as_1, 4: both, 5: both,
                               7: t("import.reason.duplicate_row", line=7)}
    assert report.added == 2
    assert sorted(r.name for r in Resident.select()) == ["张建国", "王强"]


def test_two_people_of_one_name_in_a_household_with_their_own_ids(head):
    father = ["张建国", "张建国", "户主", ZHANG, "", "1", "5", "", "", ""]
    son = ["张建国", "张建国", "子", SPARE_MALE, "", "1", "5", "", "", ""]
    report = import_register(register(father, son), head)
    assert (report.added, report.rejected) == (2, {})


def test_an_id_registered_to_someone_else_is_refused(head, admin):
    register_resident(ResidentForm(name="刘德华", id_number=ZHANG), acting(admin))
    report = import_register(register(*GOOD[:2]), head)
    assert report.rejected == {3: t("resident.id_taken", name="刘德华")}
    assert dict(report.kinds) == {"id_taken": 1}
    assert report.added == 1


def test_matching_by_id_then_by_household_and_name(head):
    import_register(register(*GOOD), head)
    moved = ["王芳", "张浩", "孙子", HAO, "13900003333", "2", "8", "", "", ""]
    with_id = ["王芳", "王强", "子", SPARE_MALE, "", "2", "8", "", "", ""]
    report = import_register(register(GOOD[0], moved, with_id), head)
    assert (report.added, report.updated, report.unchanged) == (0, 2, 1)
    hao = Resident.get(Resident.id_number == HAO)
    assert (hao.relation, hao.phone, hao.household.number, hao.version) == (
        "孙子", "13900003333", "02008", 2)
    assert [r.name for r in search_residents("13900003333", station_id=our_station())] == ["张浩"]
    edit = Event.get((Event.entity == "resident") & (Event.entity_id == hao.id)
                     & (Event.action == "edit"))
    assert edit.detail["changes"]["phone"] == ["", "13900003333"]
    assert Resident.get(Resident.name == "王强").id_number == SPARE_MALE


def test_an_empty_cell_never_erases(head):
    import_register(register(*GOOD), head)
    blank_phone = list(GOOD[0])
    blank_phone[4] = ""
    blank_phone[3] = ""  # matched by household + name, the ID stays
    report = import_register(register(blank_phone), head)
    assert report.unchanged == 1
    zhang = Resident.get(Resident.name == "张建国")
    assert (zhang.phone, zhang.id_number) == ("13800001111", ZHANG)


def test_a_second_household_at_one_door(head):
    neighbour = ["孙红", "孙红", "户主", SPARE_FEMALE, "", "1", "5", "", "", ""]
    report = import_register(register(*GOOD, neighbour), head)
    assert report.added == 6
    assert sorted(Household.select(Household.number).scalars()) == ["01005", "01005/2",
                                                                    "02008"]
    again = import_register(register(*GOOD, neighbour), head)
    assert again.unchanged == 6


def test_head_from_the_head_row_when_there_is_no_head_column(head):
    headings = [h for h in HEADINGS if h != "户主姓名"]
    rows = [row[1:] for row in GOOD]
    report = import_register(register(*rows, headings=headings), head)
    assert (report.added, report.rejected) == (5, {})
    assert Household.select().count() == 2


def test_dry_run_writes_nothing_and_reports_the_same(head):
    rows = register(*GOOD, ["", "李四", "子", "", "", "1", "77", "", "", ""])
    before = snapshot()
    events = Event.select().count()
    dry = import_register(rows, head, dry_run=True)
    assert snapshot() == before and Event.select().count() == events
    real = import_register(rows, head)
    assert dry.dry_run and not real.dry_run
    assert (dry.added, dry.updated, dry.unchanged, dry.rejected, dry.notes) == (
        real.added, real.updated, real.unchanged, real.rejected, real.notes)


def test_a_duty_cadre_may_not_import(station, head):
    duty = Cadre.create(station=station, name="李干部", login="li", role="duty")
    with pytest.raises(ValidationError) as refused:
        import_register(register(*GOOD), session_for(station, duty, "li"))
    assert (refused.value.field, refused.value.code) == ("actor", "import.not_head")
    with pytest.raises(ValidationError):
        register_table(session_for(station, duty, "li"))
    assert Resident.select().count() == 0


def test_headings_by_variant_and_by_map(head):
    variants = ["户主", "姓名", "与户主的关系", "公民身份号码（18位）", "手机号", "组别",
                "户号", "性别*", "出生年月", "备注", "民族"]
    report = import_register(register(*[row + ["汉"] for row in GOOD], headings=variants),
                             head)
    assert report.added == 5 and report.layout.unused == ["民族"]
    odd = ["当家人", "名字", "与户主关系", "身份证号", "电话", "组", "门牌", "性别",
           "生日", "说明"]
    with pytest.raises(ValidationError) as refused:
        import_register(register(*GOOD, headings=odd), head)
    assert refused.value.code == "import.no_heading"
    mapped = import_register(register(*GOOD, headings=odd), head,
                             overrides={"当家人": "户主姓名", "名字": "name", "说明": ""})
    assert mapped.unchanged == 5 and mapped.layout.unused == ["说明"]
    for overrides, code in (({"名字": "民族"}, "import.map.bad_field"),
                            ({"籍贯": "备注", "当家人": "户主姓名", "名字": "姓名"},
                             "import.map.no_column")):
        with pytest.raises(ValidationError) as refused:
            import_register(register(*GOOD, headings=odd), head, overrides=overrides)
        assert refused.value.code == code


def test_two_columns_for_one_field_are_refused(head):
    headings = HEADINGS + ["手机号"]
    with pytest.raises(ValidationError) as refused:
        import_register(register(*[row + [""] for row in GOOD], headings=headings), head)
    assert refused.value.code == "import.two_columns"


def test_the_exported_register_imports_unchanged(head):
    import_register(register(*GOOD), head)
    headings, rows = register_table(head)
    assert headings == HEADINGS
    assert rows[0] == ["张建国", "张建国", "户主", ZHANG, "13800001111", "第一村民小组", "005",
                       "男", "1980-01-01", ""]
    before = snapshot()
    report = import_register([headings, *rows], head)
    assert (report.unchanged, report.rejected) == (5, {})
    assert snapshot() == before


def test_two_stations_of_a_township_share_the_database(head):
    import_register(register(*GOOD), head)
    other, other_head = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="2",
                                                 admin_name="赵站长", admin_login="zhao"))
    theirs = session_for(other, other_head, "zhao")
    neighbour = ["孙红", "孙红", "户主", SPARE_FEMALE, "", "1", "5", "", "", ""]
    moved_away = ["孙红", "王芳", "女", WANG, "", "1", "5", "", "", ""]
    report = import_register(register(neighbour, moved_away), theirs)
    assert report.rejected == {4: t("import.reason.id_elsewhere")}
    sun = Resident.get(Resident.name == "孙红")
    # each station numbers its own households: both have a 01005
    assert sun.household.number == "01005" and sun.household.station_id == other.id
    assert sun.household.group.station_id == other.id
    assert sorted(Household.select(Household.station).where(Household.number == "01005")
                  .scalars()) == sorted([head.station_id, other.id])
    assert import_register(register(neighbour), theirs).unchanged == 1
    assert import_register(register(*GOOD), head).unchanged == 5
