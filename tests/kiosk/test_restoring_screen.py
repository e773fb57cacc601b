"""An open desk goes offline while a restore runs and comes back where it was."""
import asyncio

import pytest

from kiosk.app import DutyDeskApp
from kiosk.database import sqlite_file
from kiosk.locks import Busy, flocked, server_restore_lock
from kiosk.restore import marker
from models.core.db import make_database
from models.core.entities import Station
from models.core.i18n import t
from screens.home import HomeScreen
from screens.restoring import RestoringScreen
from tests.screens.conftest import SIZE, screen_text, settle


async def next_poll(pilot):
    await asyncio.sleep(2.0)  # one poll interval (1.5 s) and a little
    await settle(pilot)


async def test_the_desk_waits_for_a_restore_and_comes_back(db, station):
    path = sqlite_file(db)
    if path is None:
        pytest.skip("PostgreSQL restores in one transaction: sessions stay online")
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with flocked(marker(path)):
            await next_poll(pilot)
            assert isinstance(app.screen, RestoringScreen)
            assert t("restore.screen").splitlines()[0] in screen_text(app)
            await pilot.press("ctrl+p")  # the palette would search the database
            assert isinstance(app.screen, RestoringScreen)
            await next_poll(pilot)
            assert isinstance(app.screen, RestoringScreen)
            marker(path).unlink()
        await next_poll(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.session.station_name in screen_text(app)


async def test_a_postgres_restore_takes_the_desk_offline_too(db, station, db_url):
    if sqlite_file(db) is not None:
        pytest.skip("the SQLite restore is seen through its lock file")
    restorer = make_database(db_url)
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with restorer.connection_context(), server_restore_lock(restorer):
            Station.update(name="恢复后的服务站").execute()  # as the restored data
            await next_poll(pilot)
            assert isinstance(app.screen, RestoringScreen)
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, RestoringScreen)
            second = make_database(db_url)
            with second.connection_context(), pytest.raises(Busy):  # one at a time
                with server_restore_lock(second):
                    pass
        await next_poll(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.session.station_name == "恢复后的服务站"
        assert "恢复后的服务站" in screen_text(app)
