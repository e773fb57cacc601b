"""The desk in a real browser: `kiosk serve` on a demo station, Debian's headless
Chromium driven by Selenium. A cadre signs in by name and PIN, sees the home
screen and registers an errand by keys; the errand is then read from the database,
and its receipt printed.

The terminal is drawn on a canvas, so the test reads the screen from the page's
own xterm.js terminal, caught as the page builds it (docs: DESIGN.md 3a). The
receipt, printed, opens in a new tab.

Needs Debian's `chromium` and `chromium-driver`; skipped without them, except on
CI, where .ci/run installs them and a missing browser is an error.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.core.i18n import t

from .conftest import PIN, ROOT, SHARED_LOGIN
from tests.actors import our_station

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
ITEM = "村委会证明开具"
ITEM_QUERY = "cwhzm"  # its initials
WAIT = 20  # seconds, for any one thing to show

# Runs before the page's scripts: textual.js's terminal object assigns its
# `websocket_url` in its constructor; the setter keeps that object for the test.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'websocket_url', {configurable: true,
  set(value) {
    Object.defineProperty(this, 'websocket_url',
                          {value, writable: true, configurable: true, enumerable: true});
    window.deskTerminal = this;
  }});
"""
READ_SCREEN = """
const desk = window.deskTerminal;
if (!desk || !desk.terminal) return '';
const buffer = desk.terminal.buffer.active, lines = [];
for (let y = 0; y < desk.terminal.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  lines.push(line ? line.translateToString(true) : '');
}
return lines.join('\\n');
"""


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test (.ci/run installs chromium): {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _state_and_parent(stat: Path) -> tuple[str, int] | None:
    """From /proc/PID/stat (Linux); None: no such process."""
    try:
        state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
    except (OSError, ValueError):
        return None
    return state, int(parent)


def children_of(pid: int) -> set[int]:
    return {int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat")
            if (found := _state_and_parent(stat)) and found[1] == pid}


def running(pid: int) -> bool:
    """Not ended (a zombie has ended: a container's init may never reap it)."""
    found = _state_and_parent(Path(f"/proc/{pid}/stat"))
    return found is not None and found[0] != "Z"


@pytest.fixture
def served(demo_db, shared_desk, tmp_path):
    """`kiosk serve` on the demo station on a free loopback port: its process and URL."""
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "serve", "--db", str(demo_db),
             "--shared-login", SHARED_LOGIN, "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        yield SimpleNamespace(process=server, url=url)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        _unavailable("no Debian chromium + chromium-driver (apt-get install chromium "
                     "chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # chromedriver turns Chromium's pop-up blocker off; a cadre's browser has it on
    options.add_experimental_option("excludeSwitches", ["disable-popup-blocking"])
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-dev-shm-usage",
                 "--window-size=1280,800"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": CATCH_TERMINAL})
        yield driver
    finally:
        driver.quit()


def wait_for(driver, *texts: str) -> str:
    """The screen once it shows all of `texts`; fails with the screen after WAIT s."""
    deadline = time.monotonic() + WAIT
    while True:
        screen = driver.execute_script(READ_SCREEN)
        if all(text in screen for text in texts):
            return screen
        assert time.monotonic() < deadline, f"waited for {texts} on:\n{screen}"
        time.sleep(0.1)


def found_by_pinyin():
    """(what to type, the villager Enter then picks) for a villager with no errand
    of ITEM yet (intake would offer that one first)."""
    from models.errands.entities import ServiceItem
    from models.people.entities import Resident
    from models.people.residents import search_residents
    for resident in Resident.select().where(Resident.pinyin != "").order_by(Resident.id):
        query = resident.pinyin.replace(" ", "")
        picked = search_residents(query, station_id=our_station())[0]
        if not picked.errands.join(ServiceItem).where(ServiceItem.name == ITEM).exists():
            return query, picked
    raise AssertionError("every villager has that item already")


def test_a_cadre_registers_an_errand_in_the_browser(browser, shared_desk, served,
                                                    demo_db):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from models.core.db import database
    from models.errands.entities import Errand
    cadre_id, cadre_name = shared_desk
    with database.connection_context():
        query, villager = found_by_pinyin()
        errands_before = Errand.select().count()

    browser.get(served.url)
    wait_for(browser, t("pin.title"), cadre_name)
    keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    keys.send_keys(Keys.DOWN, Keys.ENTER, "1111", Keys.ENTER)  # a wrong PIN is refused
    wait_for(browser, t("pin.wrong", left=4))
    keys.send_keys(PIN, Keys.ENTER)
    home = wait_for(browser, t("home.signed_in", name=cadre_name), t("home.today_intake"))
    assert t("pin.title") not in home

    keys.send_keys("i")
    wait_for(browser, t("intake.step.person"))
    keys.send_keys(query)
    wait_for(browser, villager.name)
    # the item's field has the keys once the person is loaded (by a worker)
    keys.send_keys(Keys.ENTER)
    wait_for(browser, t("intake.summary.person") + villager.name)
    keys.send_keys(ITEM_QUERY)
    wait_for(browser, ITEM_QUERY, ITEM)  # the list is filtered as the field changes
    keys.send_keys(Keys.ENTER)
    wait_for(browser, t("intake.summary.item") + ITEM)
    keys.send_keys(Keys.SPACE, Keys.CONTROL + "s")

    with database.connection_context():
        deadline = time.monotonic() + WAIT
        while Errand.select().count() == errands_before:
            assert time.monotonic() < deadline, browser.execute_script(READ_SCREEN)
            time.sleep(0.1)
        errand = Errand.select().order_by(Errand.id.desc()).get()
        wait_for(browser, t("receipt.number"), errand.number)
        assert errand.resident_id == villager.id
        assert errand.item.name == ITEM
        assert errand.owner_id == cadre_id

    # printed, the receipt opens in a new tab of the cadre's browser (textual-serve
    # serves it once at /download/KEY), not as a file on the server's disk
    desk_tab = browser.current_window_handle
    keys.send_keys("p")
    deadline = time.monotonic() + WAIT
    while len(browser.window_handles) == 1:
        assert time.monotonic() < deadline, browser.execute_script(READ_SCREEN)
        time.sleep(0.1)
    browser.switch_to.window(next(h for h in browser.window_handles if h != desk_tab))
    deadline = time.monotonic() + WAIT
    while errand.number not in browser.page_source:
        assert time.monotonic() < deadline, browser.page_source
        time.sleep(0.1)
    assert browser.title == t("receipt.title") and "/download/" in browser.current_url
    assert villager.name in browser.page_source
    assert not (demo_db.parent / "printouts").exists()
    browser.switch_to.window(desk_tab)

    # stopped with the tab still open, the server ends the desk and itself at once
    desks = children_of(served.process.pid)
    assert len(desks) == 1
    served.process.terminate()
    assert served.process.wait(10) == 0
    deadline = time.monotonic() + WAIT
    while any(map(running, desks)):
        assert time.monotonic() < deadline, "a desk outlived `kiosk serve`"
        time.sleep(0.1)
