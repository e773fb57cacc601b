"""The errand queue, driven by keys: filter, open, advance, note, reassign, callback."""
import datetime as dt

import pytest

from models.core.entities import Cadre, VillagerGroup
from models.core.history import history
from models.core.i18n import t
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import IllegalMove, Move, add_note, advance, allowed_moves
from models.errands import printing
from models.errands.printing import carry_printout, print_dir, receipt_printout
from models.people.entities import Household
from screens.carry import CarryScreen
from screens.errand import ErrandScreen
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.move import CallbackScreen, MoveScreen
from screens.queue import QueueScreen
from screens.receipt import ReceiptScreen
from screens.widgets.dialogs import ChoiceScreen, PromptScreen

from .conftest import SIZE, screen_text, settle

TODAY = dt.date.today()


@pytest.fixture
def errands(station, head_session, villagers, any_way):
    groups = list(VillagerGroup.select().order_by(VillagerGroup.number))
    Household.create(group=groups[2], number="03001")
    zhang = villagers["张三"]
    zhang.household = Household.get(Household.number == "03001")
    zhang.save()
    Cadre.create(station=station, name="李干事", login="li")
    reimburse = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    certify = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    made = {}
    for key, person, item, mode, due in [
        ("late", zhang, reimburse, "carried", TODAY - dt.timedelta(days=3)),
        ("late_other", villagers["张松"], reimburse, "carried", TODAY - dt.timedelta(days=1)),
        ("today", villagers["[red]王[/red]"], certify, "mobile", TODAY),
        ("later", zhang, certify, "accompanied", TODAY + dt.timedelta(days=9)),
    ]:
        errand = register_errand(IntakeForm(person.id, item.id, mode,
                                            received=["身份证"] if item == reimburse else []),
                                 station.id, head_session)
        Errand.update(due_date=due).where(Errand.id == errand.id).execute()
        made[key] = Errand.get_by_id(errand.id)
    return made


async def open_queue(app, pilot):
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, QueueScreen)


async def test_queue_shows_urgent_first_with_markers(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        text = screen_text(app)
        numbers = [r.number for r in app.screen.rows]
        assert numbers == [errands[k].number for k in ("late", "late_other", "today", "later")]
        assert t("queue.mark.overdue") in text and t("queue.mark.today") in text
        assert "[red]王[/red]" in text
        assert t("queue.total", count=4) in text


async def test_filter_overdue_carried_of_one_group_then_live_to_callback(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("3")  # overdue
        await settle(pilot)
        assert len(app.screen.rows) == 2
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter", "down", "enter")  # 按办理方式 → 代着办
        await settle(pilot)
        assert len(app.screen.rows) == 2 and t("mode.carried") in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # 按村民小组
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # 第三村民小组
        await settle(pilot)
        assert [r.number for r in app.screen.rows] == [errands["late"].number]
        assert Household.get(Household.number == "03001").group.name in screen_text(app)

        await pilot.press("enter")  # open it
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        errand_id = errands["late"].id
        for step in (t(f"status.{s}") for s in
                     ("in_progress", "submitted", "result_back", "delivered")):
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, MoveScreen)
            options = app.screen.query_one("#moves")
            labels = [str(options.get_option_at_index(i).prompt)
                      for i in range(options.option_count)]
            await pilot.press(*["down"] * labels.index(step), "enter")
            await settle(pilot)
            if step in (t("status.submitted"), t("status.delivered")):
                # materials still missing: asked, and the go-ahead is ticked
                assert isinstance(app.screen, MoveScreen)
                assert app.screen.query_one("#missing-ok").has_focus
                assert "户口簿" in str(app.screen.query_one("#missing-ok").label)
                await pilot.press("ctrl+s")  # not ticked: refused, still asking
                await settle(pilot)
                assert isinstance(app.screen, MoveScreen)
                await pilot.press("space", "ctrl+s")
                await settle(pilot)
            assert isinstance(app.screen, ErrandScreen), screen_text(app)
            assert step in screen_text(app)
        assert Errand.get_by_id(errand_id).status == "delivered"
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallbackScreen)
        await pilot.press("tab", "down", "down", "enter")  # 满意 基本满意 [不满意]
        await pilot.press("tab", *"证明晚了两天", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        text = screen_text(app)
        assert t("status.in_progress") in text and "证明晚了两天" in text
        assert t("errand.flagged") in text
        await pilot.press("escape", "escape")  # back in the queue, then home
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert (t("home.reopened", count=1) + errands["late"].number + " 张三"
                in screen_text(app))
    errand = Errand.get_by_id(errand_id)
    assert (errand.status, errand.satisfaction, errand.flagged) == ("in_progress", "不满意", True)
    actions = [e.action for e in history("errand", errand_id)]
    assert actions.count("status") == 4 and "callback" in actions


async def test_illegal_move_is_refused_with_reasons(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("a")  # on the first row: 代着办, 已登记
        await settle(pilot)
        options = app.screen.query_one("#moves")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        await pilot.press(*["down"] * labels.index(t("status.delivered")), "enter")
        await settle(pilot)
        assert isinstance(app.screen, MoveScreen)
        late = Errand.get_by_id(errands["late"].id)
        assert allowed_moves(late) == ("in_progress", "waiting_villager", "returned",
                                       "cancelled")
        assert IllegalMove(late, "delivered").message in screen_text(app)  # with those four
    assert Errand.get_by_id(errands["late"].id).status == "registered"


async def test_mobile_errand_offered_the_township_and_carried(app, errands, head_session):
    visit = errands["today"]  # 流动办, third in the queue
    advance(visit.id, visit.version, Move("in_progress"), head_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("down", "down", "a")
        await settle(pilot)
        assert isinstance(app.screen, MoveScreen)
        options = app.screen.query_one("#moves")
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        legal = labels[:len(app.screen.detail.moves)]  # the dimmed others follow
        assert t("status.submitted") in legal and t("status.appointment_set") in legal
        await pilot.press(*["down"] * labels.index(t("status.submitted")), "enter")
        await settle(pilot)
        assert app.screen.query_one("#missing-ok").has_focus  # nothing was handed over
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen), screen_text(app)
    assert Errand.get_by_id(visit.id).status == "submitted"


async def test_save_refused_when_another_session_moved_first(app, errands, head_session):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        late = errands["late"]
        advance(late.id, late.version, Move("in_progress"), head_session)  # the other session
        await pilot.press("down", "down", "enter")  # 待补材料 needs a reason
        await settle(pilot)
        await pilot.press(*"缺发票", "enter")
        await settle(pilot)
        assert t("error.stale") in screen_text(app) or isinstance(app.screen, QueueScreen)
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        row = next(r for r in app.screen.rows if r.id == late.id)
        assert row.status == "in_progress"  # the fresh data is shown
    assert Errand.get_by_id(late.id).status == "in_progress"


async def test_note_and_reassign_by_keys(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"群众说下午来补材料", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "李干事" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "李干事" in screen_text(app)  # the owner column
    late = Errand.get_by_id(errands["late"].id)
    assert late.owner.name == "李干事"
    details = [e.detail for e in history("errand", late.id)]
    assert any(d.get("text") == "群众说下午来补材料" for d in details)


async def test_material_brought_later_is_ticked_on_the_errand(app, errands):
    late = errands["late"]
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("enter")  # the first row: late
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "身份证" not in screen_text(app) and "户口簿" in screen_text(app)
        await pilot.press("enter")  # 户口簿
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        assert t("history.received", names="户口簿") in screen_text(app)
    booklet = ErrandMaterial.get((ErrandMaterial.errand == late.id)
                                 & (ErrandMaterial.name == "户口簿"))
    assert booklet.received
    assert history("errand", late.id)[-1].actor.login == "tester"


async def test_carry_list_tick_and_mark(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CarryScreen)
        text = screen_text(app)
        assert "住院发票原件" in text  # still missing, shown to take care of
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)  # materials missing: go ahead?
        text = screen_text(app)
        assert t("carry.missing_confirm", count=1) in text
        assert t("carry.missing_sample", sample=errands["late"].number
                 + " 户口簿、医保卡、住院发票原件、费用清单、出院小结") in text
        await pilot.press("down", "enter")  # 暂不标记
        await settle(pilot)
        assert Errand.get_by_id(errands["late"].id).status == "registered"
        await pilot.press("ctrl+s", "enter")  # 仍然标记
        await settle(pilot)
        assert len(app.screen.entries) == 1
    assert Errand.get_by_id(errands["late"].id).status == "submitted"
    assert history("errand", errands["late"].id)[-1].detail == {
        "went_ahead_missing": ["户口簿", "医保卡", "住院发票原件", "费用清单", "出院小结"]}
    assert Errand.get_by_id(errands["late_other"].id).status == "registered"


async def test_phone_call_registers_a_mobile_errand(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert t("intake.phone_title") in screen_text(app)
        await pilot.press(*"zhangsong", "enter")
        await settle(pilot)
        await pilot.press(*"cwhzm", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    newest = Errand.select().order_by(Errand.id.desc()).get()
    assert (newest.resident.name, newest.mode) == ("张松", "mobile")


async def test_intake_offers_the_open_duplicate(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"zhangsan", "enter")
        await settle(pilot)
        await pilot.press(*"fybx", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert errands["late"].number in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        assert app.screen.errand_id == errands["late"].id


async def test_filter_by_item_and_owner(app, errands):
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        names = list(app.screen.facets.items.values())
        await pilot.press("f", *["down"] * 5, "enter")  # 按代办事项
        await settle(pilot)
        await pilot.press(*["down"] * names.index("村委会证明开具"), "enter")
        await settle(pilot)
        assert [r.number for r in app.screen.rows] == [errands["today"].number,
                                                         errands["later"].number]
        assert "村委会证明开具" in screen_text(app)
        owners = list(app.screen.facets.owners.values())
        await pilot.press("f", *["down"] * 4, "enter")  # 按经办人
        await settle(pilot)
        await pilot.press(*["down"] * owners.index("李干事"), "enter")
        await settle(pilot)
        assert app.screen.rows == [] and "李干事" in screen_text(app)


async def test_back_from_the_errand_the_queue_row_is_current(app, errands, head_session):
    """A change the desk saw while the errand covered the queue shows on the queue
    when the errand is closed, not only after the next change."""
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("enter")  # the first row: the late one
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        late = errands["late"]
        advance(late.id, late.version, Move("in_progress"), head_session)  # another session
        app._poll_changes()  # what the desk does every POLL_SECONDS
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert t("status.in_progress") in screen_text(app)


async def test_history_reads_times_as_people_write_them(app, errands, head_session):
    later = advance(errands["later"].id, errands["later"].version, Move("in_progress"),
                    head_session)
    advance(later.id, later.version, Move("appointment_set", place="乡政府",
                                          appointment_at=dt.datetime(2026, 11, 25, 9, 30)),
            head_session)
    add_note(later.id, "群众说下午来补材料，" * 12, head_session)  # longer than the box
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ErrandScreen(later.id))
        await settle(pilot)
        history = app.screen.query_one("#history")
        text = str(history.render())
        assert t("history.appointment_at", value="11月25日 09:30") in text
        assert "2026-11-25" not in text and "T09:30" not in text
        assert f"{dt.datetime.now():%-m}月{dt.datetime.now():%-d}日" in text  # when
        assert "群众说下午来补材料，" * 12 in text.replace("\n", "")
        assert history.size.height > len(history_lines := text.splitlines())  # wrapped
        assert len(history_lines) == 4  # registered, in progress, appointment, note


async def test_merge_and_returning_an_original_ask_first(app, errands, head_session):
    late, other = errands["late"], errands["late_other"]
    id_card = (ErrandMaterial.errand == late.id) & (ErrandMaterial.name == "身份证")
    ErrandMaterial.update(original=True, holder=head_session.cadre_id).where(
        id_card).execute()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ErrandScreen(late.id))
        await settle(pilot)
        for answer, returned in (("no", False), ("yes", True)):
            await pilot.press("k", "enter")  # the one original: 身份证
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            assert ErrandMaterial.get(id_card).returned_at is None
            await pilot.press(*(["down"] if answer == "no" else []), "enter")
            await settle(pilot)
            assert isinstance(app.screen, ErrandScreen)
            material = ErrandMaterial.get(id_card)
            assert (material.returned_at is not None) == returned
        for answer, merged in (("no", None), ("yes", other.id)):
            await pilot.press("m", *other.number, "enter")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            assert other.number in screen_text(app)
            assert Errand.get_by_id(late.id).merged_into_id is None
            await pilot.press(*(["down"] if answer == "no" else []), "enter")
            await settle(pilot)
            assert isinstance(app.screen, ErrandScreen)
            assert Errand.get_by_id(late.id).merged_into_id == merged


async def test_receipt_and_carry_list_print_to_a_file(app, errands, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # PostgreSQL: the data dir
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("v")  # the receipt of the first row
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("p")
        await settle(pilot)
        told = [n.message for n in app._notifications]
        receipt = print_dir() / (t("print.receipt_file", number=errands["late"].number)
                                 + ".html")
        assert told[-1] == t("print.written", path=str(receipt))
        assert errands["late"].number in receipt.read_text(encoding="utf-8")
        await pilot.press("escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, CarryScreen)
        await pilot.press("p")
        await settle(pilot)
        path = [n.message for n in app._notifications][-1].split("：", 1)[1]
        page = open(path, encoding="utf-8").read()
    assert errands["late"].number in page and "@page { size: A4" in page


async def test_in_a_browser_printouts_open_in_a_new_tab_and_write_no_file(
        app, errands, station, tmp_path, monkeypatch):
    """`kiosk serve`: a page on the server's disk is no use to a cadre in a browser."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # PostgreSQL: the data dir
    monkeypatch.setattr(printing, "now", lambda: dt.datetime(2026, 3, 2, 9, 30))
    monkeypatch.setattr(type(app), "is_web", property(lambda app: True))
    delivered = []
    monkeypatch.setattr(app, "deliver_text",
                        lambda file, **how: delivered.append((file.read(), how)))
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("v")  # the receipt of the first row
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == t("print.opened")
        await pilot.press("escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, CarryScreen)
        await pilot.press("p")
        await settle(pilot)
        folder = print_dir()
    receipt = receipt_printout(errands["late"].id, station_id=station.id)
    assert errands["late"].number in receipt.html
    how = {"open_method": "browser", "encoding": "utf-8", "mime_type": "text/html"}
    assert delivered == [(page.html, {"save_filename": page.file_name, **how})
                         for page in (receipt, carry_printout(station.id))]
    assert not folder.exists()


async def test_a_finished_on_the_spot_errand_reads_done(app, errands, station, villagers,
                                                        head_session):
    """马上办 is finished at the desk (已办结); a carried errand is delivered (已送达):
    in the queue, its filter, the errand and its history."""
    certify = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    spot = register_errand(IntakeForm(villagers["张松"].id, certify.id, "on_the_spot",
                                      received=["身份证"]),
                           station.id, head_session)
    advance(spot.id, spot.version, Move("delivered"), head_session)
    for step in ("in_progress", "submitted", "result_back", "delivered"):
        late = Errand.get_by_id(errands["late"].id)
        advance(late.id, late.version, Move(step, missing_ok=True), head_session)
    done, delivered = t("status.done_at_desk"), t("status.delivered")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(app, pilot)
        await pilot.press("8")  # all
        await settle(pilot)
        table = app.screen.query_one("DataTable")
        statuses = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[5])
                    for i in range(table.row_count)}
        assert statuses[spot.number] == done
        assert statuses[errands["late"].number] == delivered
        await pilot.press("f", "down", "enter")  # 按状态: every way, both words
        await settle(pilot)
        assert t("status.delivered_or_done") in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        app.push_screen(ErrandScreen(spot.id))
        await settle(pilot)
        text = screen_text(app)
        assert done in text and delivered not in text
        assert t("history.status", before=t("status.registered"), after=done) in text
