"""Disputes by key presses: record one with a resident and an outsider, hold a
mediation session, settle it; a bad session refused in the form; home names a
high-risk dispute and the month summary counts what each cadre handled."""
import datetime as dt

import pytest
from textual.widgets import DataTable

from models.core.entities import Cadre
from models.core.i18n import moment, t
from models.village.disputes import DisputeForm, PartyForm, record_dispute
from models.village.entities import (
    Dispute,
    DisputeKind,
    DisputeStatus,
    MediationSession,
    Risk,
)
from screens.dispute import DisputeScreen
from screens.disputes import DisputesScreen
from screens.duty import DutySummaryScreen
from screens.home import HomeScreen
from tests.actors import acting, our_station

from .conftest import SIZE, burst, screen_text, settle


@pytest.fixture
def duty_app():
    """The desk as the duty cadre 李值班 (login "duty") signs in."""
    from kiosk.app import DutyDeskApp
    return DutyDeskApp(login="duty")


@pytest.fixture
def duty_cadre(station):
    return Cadre.create(station=station, name="李值班", login="duty", role="duty")


async def go(pilot, *keys):
    await pilot.press(*keys)
    await settle(pilot)


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_record_mediate_and_settle(duty_app, villagers, duty_cadre, size):
    async with duty_app.run_test(size=size) as pilot:
        app = duty_app
        await settle(pilot)
        await go(pilot, "z")
        assert isinstance(app.screen, DisputesScreen)
        assert t("disputes.none") in screen_text(app)
        await go(pilot, "n", "f3")
        await burst(pilot, *"zhangsan")
        await go(pilot, "enter")  # the first found: 张三
        await go(pilot, "f3", "tab", "tab")
        await burst(pilot, *"王外地", "enter")
        assert "张三、王外地" in screen_text(app)
        await burst(pilot, *"宅基地界址争议")
        await go(pilot, "ctrl+s")
        assert isinstance(app.screen, DisputeScreen), app.screen
        dispute = Dispute.get()
        assert (dispute.title, dispute.status, dispute.owner_id) == (
            "宅基地界址争议", DisputeStatus.FOUND, duty_cadre.id)
        assert "张三、王外地" in screen_text(app)

        await go(pilot, "s")  # a session: held today, at the committee's room
        await burst(pilot, "enter", *"村委会调解室", "enter", *"张三、王外地、李值班",
                    "enter", *"院墙后退半米", "enter", "enter")
        session = MediationSession.get()
        assert (session.place, session.held_on) == ("村委会调解室", dt.date.today())
        assert Dispute.get().status == DisputeStatus.MEDIATING
        assert "院墙后退半米" in screen_text(app)

        await go(pilot, "a")  # 已调解 is the first of the moves
        await go(pilot, "enter")
        await go(pilot, "enter")  # no agreement typed: refused in the form
        assert Dispute.get().status == DisputeStatus.MEDIATING
        assert t("invalid.text_empty", label=t("dispute.agreement")) in screen_text(app)
        await burst(pilot, *"院墙后退半米，费用各半", "enter")
        settled = Dispute.get()
        assert (settled.status, settled.agreement) == (DisputeStatus.SETTLED,
                                                      "院墙后退半米，费用各半")
        text = screen_text(app)
        assert t("dispute.status.settled") in text and "院墙后退半米，费用各半" in text

        await go(pilot, "escape")
        assert isinstance(app.screen, DisputesScreen)
        await go(pilot, "f")  # all: the settled one too, every column on screen
        table = app.screen.query_one(DataTable)
        assert "JF" in screen_text(app) and table.row_count == 1
        assert sum(column.get_render_width(table) for column in table.columns.values()) \
            <= size[0] - 2
        await go(pilot, "escape", "s")
        assert isinstance(app.screen, DutySummaryScreen)
        assert t("duty.disputes_cell", found=1, settled=1, escalated=0) in screen_text(app)


async def test_a_session_in_the_future_is_refused(duty_app, villagers, duty_cadre):
    dispute = record_dispute(DisputeForm("院墙", DisputeKind.NEIGHBOURS, Risk.LOW,
                                         [PartyForm(name="王外地")]), acting(duty_cadre))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    async with duty_app.run_test(size=SIZE) as pilot:
        app = duty_app
        await settle(pilot)
        await go(pilot, "z", "enter")
        assert isinstance(app.screen, DisputeScreen)
        await go(pilot, "s")
        await burst(pilot, *tomorrow.isoformat(), "enter", *"村委会", "enter", *"双方",
                    "enter", "enter", "enter")
        assert t("dispute.future", label=t("dispute.held_on")) in screen_text(app)
        assert MediationSession.select().count() == 0
        assert Dispute.get_by_id(dispute.id).status == DisputeStatus.FOUND


async def test_home_shows_a_high_risk_dispute(app, villagers, head_session):
    record_dispute(DisputeForm("[/bar]山林界线", DisputeKind.FOREST_WATER, Risk.HIGH,
                               [PartyForm(villagers["张三"].id)]), head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert t("home.disputes", count=1) in text
        assert "[/bar]山林界线" in text and t("dispute.high_risk") in text
        await go(pilot, "z")
        text = screen_text(app)
        assert "[/bar]山林界线" in text and "张三" in text
        assert t("dispute.risk.high") in text


async def test_a_dispute_found_on_a_visit(app, station, head_session, villagers):
    """The form the visit log opens for a need that is a dispute: linked both ways."""
    from models.core.entities import VillagerGroup, now
    from models.people.entities import Household
    from models.village.dispute_lists import disputes_of_visit
    from models.village.visits import VisitForm, log_visit
    from screens.dispute_forms import DisputeFormScreen

    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    household = Household.create(group=group, number="01001")
    visit = log_visit(VisitForm(household.id, now().replace(second=0) - dt.timedelta(hours=2),
                                ["disputes"], needs="和邻居争水"), head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(DisputeFormScreen(visit_id=visit.id))
        await settle(pilot)
        assert t("dispute_form.from_visit") in screen_text(app)
        await go(pilot, "f3", "tab", "tab")
        await burst(pilot, *"赵大", "enter")
        await burst(pilot, *"争水")
        await go(pilot, "ctrl+s")
        dispute = Dispute.get()
        assert [d.id for d in disputes_of_visit(visit.id, station_id=our_station())] == [dispute.id]
        app.push_screen(DisputeScreen(dispute.id))
        await settle(pilot)
        assert t("dispute.visit_value", when=moment(visit.visited_at),
                 household="01001") in screen_text(app)
