"""What a cadre sees when database work fails in a way nobody foresaw."""
import logging

from textual.app import App
from textual.worker import WorkerFailed

from models.core.i18n import t
from screens.dbwork import run_db


def broken(form):
    raise RuntimeError("disk on fire")


async def test_an_unexpected_error_is_logged_and_said_in_one_line(db, caplog):
    app = App()
    async with app.run_test() as pilot:
        run_db(app, broken, {"id_number": "11010519491231002X"})
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()
        assert [n.message for n in app._notifications] == [t("error.logged")]
        assert app.is_running  # the desk stays up
    [logged] = [r for r in caplog.records if r.name == "kiosk"]
    assert logged.levelno == logging.ERROR and "broken" in logged.getMessage()
    assert "disk on fire" in str(logged.exc_info[1])  # with its traceback
    assert "11010519491231002X" not in logged.getMessage()  # never the arguments
    caplog.clear()  # seen on purpose


async def test_a_screen_that_fails_to_show_a_result_is_logged_too(db, caplog):
    app = App()

    def show(result):
        raise NameError("moment")  # as a screen missing an import did, unseen

    async with app.run_test() as pilot:
        run_db(app, len, "abc", then=show)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [n.message for n in app._notifications] == [t("error.logged")]
        assert app.is_running
    [logged] = [r for r in caplog.records if r.name == "kiosk"]
    assert "show" in logged.getMessage() and isinstance(logged.exc_info[1], NameError)
    caplog.clear()  # seen on purpose: the screens' error watch may let it pass


async def test_a_coroutine_shows_its_result_too(db):
    app = App()
    seen = []

    async def show(result):
        seen.append(result)

    async with app.run_test() as pilot:
        run_db(app, len, "abc", then=show)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert seen == [3]
