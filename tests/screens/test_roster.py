"""The roster grid, driven by keys: generate next month, swap, substitute, leave."""
import datetime as dt

import pytest
from textual.widgets import DataTable

from models.core.entities import Cadre
from models.core.i18n import t
from models.duty.entities import Leave, Shift, ShiftSwap, ShiftTemplate
from models.duty.hours import month_days, month_span, next_month
from models.duty.leave import add_leave
from models.duty.planning import REST
from models.duty.roster import coverage_gaps, plan_month, save_plan
from screens.messages import DataChanged
from screens.roster import RosterPreviewScreen, RosterScreen
from screens.widgets.dialogs import ChoiceScreen, PromptScreen
from screens.widgets.keybar import KeyBar
from tests.actors import acting

from .conftest import SIZE, screen_text, settle

TODAY = dt.date.today()
NEXT_YEAR, NEXT_MONTH = next_month(TODAY.year, TODAY.month)
NEXT_DAYS = month_days(NEXT_YEAR, NEXT_MONTH)
GAP = t("roster.gap")


@pytest.fixture
def crew(station, admin):
    """Seven cadres, one with a name that looks like markup."""
    return [admin] + [Cadre.create(station=station, name=name, login=f"c{n}") for n, name in
                      enumerate(("李明", "张伟", "刘芳", "陈静", "[b]赵[/b]", "欧阳娜娜"))]


async def open_roster(app, pilot, months_ahead=0):
    await settle(pilot)
    app.push_screen(RosterScreen())
    await settle(pilot)
    for _ in range(months_ahead):
        await pilot.press("right_square_bracket")
        await settle(pilot)
    assert isinstance(app.screen, RosterScreen)
    return app.screen


def grid_rows(screen):
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def templates(station):
    return list(ShiftTemplate.select().where(ShiftTemplate.station == station.id)
                .order_by(ShiftTemplate.position))


async def move_to(pilot, screen, row, column):
    """Walk the cursor there by arrow keys, as a person would."""
    table = screen.query_one(DataTable)
    while table.cursor_row != row:
        await pilot.press("down" if table.cursor_row < row else "up")
    while table.cursor_column != column:
        await pilot.press("right" if table.cursor_column < column else "left")


async def test_generate_next_month_for_seven_with_two_away_then_swap(app, station, crew):
    first, last = NEXT_DAYS[9], NEXT_DAYS[15]
    for cadre in crew[1:3]:
        add_leave(cadre.id, first, last, "培训", acting(crew[0]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(app, pilot, months_ahead=1)
        text = screen_text(app)
        assert t("roster.head", year=NEXT_YEAR, month=NEXT_MONTH) in text
        assert sum(row.count(GAP) for row in grid_rows(screen)) == 2 * len(NEXT_DAYS)
        assert "张伟" in grid_rows(screen)[12][-1]  # on leave that day
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, RosterPreviewScreen)
        preview = screen_text(app)
        assert t("roster.preview_summary", total=2 * len(NEXT_DAYS),
                 changes=2 * len(NEXT_DAYS), kept=0) in preview
        assert "[b]赵[/b]" in preview
        assert t("roster.no_gaps") in preview
        assert Shift.select().count() == 0  # a preview saves nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert not any(GAP in row for row in grid_rows(screen))
        assert t("roster.no_gaps") in text
        assert "[b]赵[/b]" in text
        start, end = month_span(templates(station), NEXT_YEAR, NEXT_MONTH)
        assert coverage_gaps(station.id, start, end) == []
        shifts = list(Shift.select())
        assert len(shifts) == 2 * len(NEXT_DAYS)
        away = [s for s in shifts if s.cadre_id in (crew[1].id, crew[2].id)
                and s.ends_at > dt.datetime.combine(first, dt.time())
                and s.starts_at < dt.datetime.combine(last, dt.time(23, 59))]
        assert away == []
        counts = [sum(1 for s in shifts if s.cadre_id == c.id) for c in crew[3:]]
        assert max(counts) - min(counts) <= 1
        # swap: the 5th's day shift with a later shift of someone it suits
        by_slot = {(s.day, s.template_id): s for s in shifts}
        day_t, night_t = templates(station)
        one = by_slot[(NEXT_DAYS[4], day_t.id)]

        def clear(cadre_id, shift):
            return not any(s.cadre_id == cadre_id and s.id not in (one.id, other.id)
                           and s.starts_at < shift.ends_at + REST
                           and s.ends_at > shift.starts_at - REST for s in shifts)
        other = None
        for candidate in sorted(shifts, key=lambda s: s.starts_at):
            other = candidate
            if (candidate.day > NEXT_DAYS[20] and candidate.cadre_id != one.cadre_id
                    and clear(candidate.cadre_id, one) and clear(one.cadre_id, candidate)):
                break
        await move_to(pilot, screen, 4, 4)
        await pilot.press("s")
        assert t("roster.swap_hint", day=f"{NEXT_DAYS[4]:%m-%d}", shift=day_t.name) \
            in screen_text(app)
        await move_to(pilot, screen, NEXT_DAYS.index(other.day),
                      4 if other.template_id == day_t.id else 5)
        await pilot.press("enter")
        await settle(pilot)
        assert Shift.get_by_id(one.id).cadre_id == other.cadre_id
        assert Shift.get_by_id(other.id).cadre_id == one.cadre_id
        swap = ShiftSwap.get()
        assert (swap.shift_id, swap.other_id, swap.requested_by_id, swap.approved_by_id) == (
            one.id, other.id, one.cadre_id, crew[0].id)
        names = dict(Cadre.select(Cadre.id, Cadre.name).tuples())
        assert grid_rows(screen)[4][4] == names[other.cadre_id]


async def test_a_duty_cadre_may_not_generate(station, crew):
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="c0")  # 李明, a duty cadre
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(app, pilot, months_ahead=1)
        assert t("roster.key.generate") not in screen.query_one(KeyBar).shown  # head's key
        await pilot.press("g")
        await settle(pilot)
        assert app.screen is screen and not app._notifications
        assert Shift.select().count() == 0


async def test_today_is_marked_and_gaps_stand_out(app, station, crew):
    plan = plan_month(station.id, TODAY.year, TODAY.month, today=TODAY.replace(day=1))
    save_plan(plan, acting(crew[0]))
    day_t, night_t = templates(station)
    Shift.update(cadre=None).where((Shift.day == TODAY) & (Shift.template == night_t.id)
                                   ).execute()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(app, pilot)
        rows = grid_rows(screen)
        marked = [row for row in rows if row[0] == "▶"]
        assert marked == [rows[TODAY.day - 1]]
        assert marked[0][1] == f"{TODAY:%m-%d}" and marked[0][5] == GAP
        table = screen.query_one(DataTable)
        assert table.get_row_at(TODAY.day - 1)[1].style == "bold yellow"
        assert table.cursor_row == TODAY.day - 1
        assert sum(row[4:6].count(GAP) for row in rows) == 1
        gap = Shift.get((Shift.day == TODAY) & (Shift.template == night_t.id))
        span = f"{gap.starts_at:%m-%d %H:%M}–{gap.ends_at:%m-%d %H:%M}"
        assert t("roster.gaps", count=1, spans=span) in screen_text(app)
        # another session fills the gap: the grid follows without a key
        Shift.update(cadre=crew[3]).where((Shift.day == TODAY)
                                          & (Shift.template == night_t.id)).execute()
        screen.post_message(DataChanged())  # what the app posts when it sees a change
        await settle(pilot)
        assert grid_rows(screen)[TODAY.day - 1][5] == crew[3].name


async def test_a_year_without_a_published_schedule_says_so(app, station, crew):
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(app, pilot)
        months = (2027 - TODAY.year) * 12 + 1 - TODAY.month + 1
        for _ in range(months):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        unofficial = t("roster.unofficial", year=2027)
        assert t("roster.head", year=2027, month=2) in screen_text(app)
        assert unofficial in screen_text(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        text = screen_text(app)
        assert t("roster.head", year=2027, month=1) in text and unofficial in text
        await pilot.press("t")  # back to this month, whose year is published
        await settle(pilot)
        text = screen_text(app)
        assert t("roster.head", year=TODAY.year, month=TODAY.month) in text
        assert t("roster.unofficial", year=TODAY.year) not in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RosterScreen)


async def test_leave_and_a_substitute_by_keys(app, station, crew):
    save_plan(plan_month(station.id, NEXT_YEAR, NEXT_MONTH), acting(crew[0]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(app, pilot, months_ahead=1)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "down", "down", "down", "enter")  # [b]赵[/b]
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*f"{NEXT_MONTH:02d}-03 {NEXT_MONTH:02d}-05", "space", *"探亲")
        await pilot.press("enter")
        await settle(pilot)
        leave = Leave.get()
        assert (leave.cadre_id, leave.first_day, leave.last_day, leave.reason) == (
            crew[5].id, NEXT_DAYS[2], NEXT_DAYS[4], "探亲")
        assert grid_rows(screen)[3][-1] == "[b]赵[/b]"
        freed = Shift.select().where(Shift.cadre.is_null())
        assert freed.count() >= 1
        # put someone on the first freed shift
        gap = freed.order_by(Shift.starts_at).first()
        day_t, night_t = templates(station)
        await move_to(pilot, screen, NEXT_DAYS.index(gap.day),
                      4 if gap.template_id == day_t.id else 5)
        assert grid_rows(screen)[NEXT_DAYS.index(gap.day)][
            4 if gap.template_id == day_t.id else 5] == GAP
        neighbours = {s.cadre_id for s in Shift.select().where(
            (Shift.starts_at < gap.ends_at + REST) & (Shift.ends_at > gap.starts_at - REST))}
        free = next(c for c in crew[1:] if c.id not in neighbours and c.id != crew[5].id)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        position = [c.id for c in crew].index(free.id)
        await pilot.press(*["down"] * position, "enter")
        await settle(pilot)
        assert Shift.get_by_id(gap.id).cadre_id == free.id
        swap = ShiftSwap.get()
        assert swap.other_id is None and swap.approved_by_id == crew[0].id
        # a bad date is explained, nothing saved
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"12-31 12-01x", "enter")
        await settle(pilot)
        assert Leave.select().count() == 1
        refusal = t("roster.leave_bad_dates", given="12-31 12-01x")
        assert refusal in [n.message for n in app._notifications]
