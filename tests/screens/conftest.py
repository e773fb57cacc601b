import logging

import pytest
from textual import events
from textual.worker import WorkerCancelled

from kiosk.app import DutyDeskApp
from models.people.residents import ResidentForm, register_resident

SIZE = (120, 40)


async def settle(pilot):
    """Let workers finish and the screen catch up with their results.

    A worker superseded by a newer one of its group (typing ahead) is cancelled;
    that is normal, not a failure, so waiting goes on for the rest. Keys held while
    a key's work was under way (screens/keyhold.py) are let go, and dealt with."""
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()
        for _ in range(100):  # each hold has a time limit (screens/keyhold.py)
            if not getattr(pilot.app, "holding_keys", False):
                break
            await pilot.pause(0.05)


async def burst(pilot, *keys):
    """Keys that arrive together, as a slow link delivers them: all are queued before
    the app handles the first (`pilot.press` waits for the app after every key)."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await settle(pilot)


async def carry_on_intake(pilot):
    """Open intake where a draft was left and take the offer to carry on with it:
    the intake screen, filled in again."""
    from screens.intake import IntakeScreen
    from screens.widgets.dialogs import ChoiceScreen
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChoiceScreen)
    await pilot.press("enter")  # 继续填写
    await settle(pilot)
    assert isinstance(pilot.app.screen, IntakeScreen)
    return pilot.app.screen


def screen_text(app) -> str:
    """What a person would read on the screen right now."""
    from textual.widgets import DataTable, Input, Label, OptionList, Static
    parts = []
    for widget in app.screen.query("*"):
        parts += [str(title) for title in (widget.border_title, widget.border_subtitle)
                  if title]
        if isinstance(widget, (Static, Label)):
            parts.append(str(widget.render()))
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(i).prompt)
                      for i in range(widget.option_count)]
        elif isinstance(widget, DataTable):
            parts += [str(cell) for row in range(widget.row_count)
                      for cell in widget.get_row_at(row)]
        elif isinstance(widget, Input):
            parts.append(widget.value)
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def no_unexpected_errors(caplog):
    """A screen test fails when the desk logged an unexpected error, even one the
    cadre only saw as a one-line notice (a test that means to cause one clears it)."""
    yield
    errors = [r.getMessage() for r in caplog.get_records("call")
              if r.name == "kiosk" and r.levelno >= logging.ERROR]
    assert errors == [], errors


@pytest.fixture
def app():
    return DutyDeskApp(login="tester")


@pytest.fixture
def villagers(station, head_session):
    return {name: register_resident(ResidentForm(name=name, phone=phone), head_session)
            for name, phone in [("张三", "13812341234"), ("张松", "13900005678"),
                                ("[red]王[/red]", "13700000000"), ("[/bar]", "")]}
