"""What the township's files hold: the month's report sheets, the errand list, the
visit log and the contact cards, against values worked out by hand (the month of
test_figures), on both backends."""
import datetime as dt

import pytest

from models.core.entities import Cadre, GroupCoverage, Station, VillagerGroup
from models.core.i18n import t
from models.core.validation import ValidationError
from models.people.entities import Household, Resident
from models.reports.errand_list import errand_list
from models.reports.monthly import monthly_report
from models.reports.sheets import Cell, Kind, as_text, unique_names
from models.village.cards import cards_html, contact_cards
from models.village.entities import Visit, VisitErrand
from models.village.visit_export import visit_sheets
from tests.models.test_figures import NOV, NOW, month  # noqa: F401 (the fixture)

SCRIPT = "<script>x</script>"
ESC = "\x1b]0;pwned\x07"


def sheets_by_name(sheets):
    return {sheet.name: sheet for sheet in sheets}


def cell(value):
    return value.value if isinstance(value, Cell) else value


def test_the_report_holds_the_figures_worked_out_by_hand(head_session, month, admin, hua):
    sheets = sheets_by_name(monthly_report(head_session, NOV, NOW))
    assert list(sheets) == ["总览", "按办理方式", "按事项", "按状态", "干部办件", "值班签到",
                            "住村", "每日登记", "本月代办事项", "考核表"]
    overview = {row[0]: cell(row[1]) for row in sheets["总览"].rows}
    assert overview["登记"] == 6 and overview["办结"] == 4
    assert overview["超期率"] == 0.5 and overview["办结用时中位（工作日）"] == 3
    assert overview["满意率"] == 1.0 and overview["撤销"] == 1
    assert sheets["按办理方式"].rows[1] == ["代着办", 2, 2 / 6]
    cadres = {row[0]: row for row in sheets["干部办件"].rows}
    # 王建国: e1 the same day (0) and e6 (4 working days); 李华: e2 (5) and e3 (3)
    assert cadres[admin.name] == [admin.name, 4, 2, 1, 1, 0.5, 2.0]
    assert cadres[hua.name] == [hua.name, 2, 2, 1, 1, 0.5, 4.0]
    daily = sheets["每日登记"].rows
    assert len(daily) == 30 and daily[1][0] == dt.date(2026, 11, 2) and daily[1][2] == 2
    assert sheets["本月代办事项"].landscape and sheets["考核表"].landscape
    assert sheets["考核表"].title == "红旗村便民服务站 2026年11月 考核表"


def test_the_appraisal_form_has_a_row_per_cadre_and_lines_to_sign(head_session, month,
                                                                  admin, hua):
    Visit.create(household=Household.create(group=VillagerGroup.get(number=1), number="01001"),
                 cadre=hua, visited_at=dt.datetime(2026, 11, 3, 10), duties=["policy"])
    form = sheets_by_name(monthly_report(head_session, NOV, NOW))["考核表"]
    rows = {row[1]: row for row in form.rows}
    headings = form.headings
    assert headings[0] == "序号" and headings[-1] == "本人签字"
    assert rows[hua.name][headings.index("民情走访（次）")] == 1
    assert rows[admin.name][headings.index("民情走访（次）")] == 0
    assert rows[hua.name][headings.index("平均办结用时（工作日）")] == 4.0
    assert [line.split("：")[0] for line in form.footer] == [
        "经办人（签字）", "站长（签字）", "乡镇审核意见（签字、盖章）", "日期"]


def test_the_errand_list_one_row_each_masked(head_session, month):
    sheet = errand_list(head_session, NOV, today=dt.date(2026, 12, 2))
    numbers = [row[0] for row in sheet.rows]
    assert len(numbers) == 6  # e6 was taken in October
    by_number = {row[0]: dict(zip(sheet.headings, row)) for row in sheet.rows}
    e2 = by_number[month["e2"].number]
    assert e2["联系电话"] == "138****1234" and e2["身份证号"] == "110105********002X"
    assert e2["用时（工作日）"] == 5 and e2["超期"] == "是" and e2["办理方式"] == "代着办"
    e4 = by_number[month["e4"].number]  # open, due on the 25th: late now
    assert e4["超期"] == "是" and e4["办结时间"] is None and e4["用时（工作日）"] is None
    assert by_number[month["e5"].number]["超期"] == ""  # cancelled
    assert as_text(e2["登记时间"], Kind.TIME) == "2026-11-02 09:00"


def test_only_the_station_head_exports(duty_session, month):
    for export in (lambda: monthly_report(duty_session, NOV, NOW),
                   lambda: errand_list(duty_session, NOV),
                   lambda: visit_sheets(duty_session, NOV),
                   lambda: contact_cards(duty_session, 1)):
        with pytest.raises(ValidationError) as refused:
            export()
        assert str(refused.value) == t("report.head_only", name="李值班")


def test_visits_per_cadre_and_all(head_session, station, admin, hua, errand):
    group = VillagerGroup.get(number=2)
    house = Household.create(group=group, number="02001")
    Resident.create(household=house, name="赵大", relation="户主")
    met = Resident.create(household=house, name="赵小", relation="子")
    first = Visit.create(household=house, cadre=hua, visited_at=dt.datetime(2026, 11, 3, 10),
                         duties=["policy", "errands"], met_resident=met, needs="办医保")
    VisitErrand.create(visit=first, errand=errand)
    Visit.create(household=house, cadre=hua, visited_at=dt.datetime(2026, 11, 9, 15),
                 duties=["disputes"], met="邻居")
    Visit.create(household=house, cadre=admin, visited_at=dt.datetime(2026, 11, 20, 9),
                 duties=["industry"])
    Visit.create(household=house, cadre=admin, visited_at=dt.datetime(2026, 12, 1, 9),
                 duties=["industry"])  # December's
    sheets = sheets_by_name(visit_sheets(head_session, NOV))
    assert list(sheets) == ["汇总", "全部走访", admin.name, hua.name]
    assert {row[0]: row[1:] for row in sheets["汇总"].rows} == {admin.name: [1, 1],
                                                               hua.name: [2, 1]}
    every = [dict(zip(sheets["全部走访"].headings, row)) for row in sheets["全部走访"].rows]
    assert [row["走访干部"] for row in every] == [hua.name, hua.name, admin.name]
    assert every[0]["户主"] == "赵大" and every[0]["见到的人"] == "赵小"
    assert every[0]["五包内容"] == "政策宣讲、民事代办" and every[0]["转为代办"] == errand.number
    assert every[1]["见到的人"] == "邻居" and every[0]["村民小组"] == "2组"
    assert "走访干部" not in sheets[hua.name].headings
    assert len(sheets[hua.name].rows) == 2 and sheets[hua.name].footer


def test_sheet_names_excel_accepts():
    assert unique_names(["张伟", "张伟", "a/b[c]", "x" * 40]) == [
        "张伟", "张伟(2)", "a_b_c_", "x" * 31]


def _covered_group(station, admin, hua):
    group = VillagerGroup.get(number=3)
    GroupCoverage.create(cadre=hua, group=group, since=dt.date(2026, 1, 1))
    GroupCoverage.create(cadre=admin, group=VillagerGroup.get(number=1),
                         since=dt.date(2026, 1, 1))
    for number, head in (("03002", "钱二"), ("03001", "孙一"), ("03003", None)):
        house = Household.create(group=group, number=number)
        if head:
            Resident.create(household=house, name=head, relation="户主")
            Resident.create(household=house, name=head + "妻", relation="配偶")
    Household.create(group=VillagerGroup.get(number=1), number="01001")
    return group


def test_cards_one_per_household_with_the_covering_cadre(head_session, station, admin, hua):
    hua.phone = "13900000002"
    hua.save()
    Station.update(duty_phone="0932-1234567", opening_hours="周一至周五 8:30-17:30").execute()
    _covered_group(station, admin, hua)
    page = contact_cards(head_session, 3)
    assert [(card.household, card.head) for card in page.cards] == [
        ("03001", "孙一"), ("03002", "钱二"), ("03003", "")]
    assert all(card.cadres == (("李华", "13900000002"),) for card in page.cards)
    html = cards_html(page)
    assert html.count('class="card"') == 3 and html.count("<svg") == 3
    assert "李华 13900000002" in html and "值班电话：0932-1234567" in html
    assert "服务时间：周一至周五 8:30-17:30" in html
    assert "马上办 · 代着办 · 领着办 · 流动办" in html and "社会保障" in html
    assert "户主：（未登记）" in html
    with pytest.raises(ValidationError) as missing:
        contact_cards(head_session, 9)
    assert str(missing.value) == t("cards.no_group", number=9)


def test_cards_eight_a_page_and_no_duty_phone_line_when_none_is_set(head_session, station):
    group = VillagerGroup.get(number=2)
    for number in range(1, 11):
        Household.create(group=group, number=f"02{number:03d}")
    html = cards_html(contact_cards(head_session, 2))
    assert html.count('<section class="sheet">') == 2 and html.count('class="card"') == 10
    assert "值班电话" not in html and "<svg" not in html
    assert "包户干部：请向服务站问询" in html


def test_cards_escape_poisoned_names(head_session, station, admin, hua, db):
    from tests.screens.test_inert_display import raw
    group = _covered_group(station, admin, hua)
    house = Household.get(number="03001")
    raw("UPDATE resident SET name = ? WHERE household_id = ? AND relation = ?",
        f"{SCRIPT}[/bar]{ESC}", house.id, "户主")
    raw("UPDATE cadre SET name = ?, phone = ? WHERE id = ?", f"李华{ESC}[/bar]",
        "139<b>", hua.id)
    html = cards_html(contact_cards(head_session, group.number))
    assert SCRIPT not in html and "&lt;script&gt;x&lt;/script&gt;[/bar]" in html
    assert "\x1b" not in html and "\x07" not in html and "李华]0;pwned[/bar] 139&lt;b&gt;" in html
    assert Cadre.get_by_id(hua.id).name.startswith("李华\x1b")  # poisoned indeed
