"""A desk process killed in the middle of saving leaves a consistent database.

A real child process registers errands in a loop and is SIGKILLed at a random
moment, several times over (what a power cut or the OOM killer does to a session;
`kill -9` is the part of it a test can do). Then: SQLite's own integrity check
passes; the errand numbers run 1..N with no gap and no repeat, and the counter
agrees; every errand has all its material rows and its "create" event; every
number a child reported saved is there; and a new process can open the database
and save again. Runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from models.core.entities import Counter, Event
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.people.residents import ResidentForm, register_resident

ROOT = Path(__file__).resolve().parents[2]
KILLS = 5
ITEM = "城乡居民医保费用报销"

# The child: tiny on purpose, acting as the station head signed in.
# Prints "ready", then the number of each errand once register_errand returned.
CHILD = """
import sys
from kiosk.database import open_database
from models.core.db import database
from models.core.entities import Cadre
from models.core.session import session_for
from models.errands.intake import IntakeForm, register_errand

url, resident, item, station, count = sys.argv[1], *map(int, sys.argv[2:])
open_database(url)
with database.connection_context():
    cadre = Cadre.get(Cadre.login == "tester")
    actor = session_for(cadre.station, cadre, cadre.login)
    form = IntakeForm(resident, item, "carried", received=["身份证", "住院发票原件"],
                      originals=["住院发票原件"])
    print("ready", flush=True)
    for _ in range(count):
        print(register_errand(form, station, actor).number, flush=True)
"""


def _child(db_url: str, resident: int, item: int, station: int, count: int):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, str(resident), str(item), str(station),
         str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_sigkill_while_saving_leaves_a_consistent_database(db_url, station, head_session):
    person = register_resident(ResidentForm(name="张三", phone="13812341234"), head_session)
    item = ServiceItem.get(ServiceItem.name == ITEM)
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    reported: list[str] = []
    for round_ in range(KILLS):
        child = _child(db_url, person.id, item.id, station.id, 10**6)
        try:
            first = child.stdout.readline()
            assert first == "ready\n", first + child.stderr.read()
            time.sleep(rng.uniform(0.05, 0.3))
            child.send_signal(signal.SIGKILL)
            out, err = child.communicate(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        assert child.returncode == -signal.SIGKILL, err  # it died saving, not before
        reported += out.split()
    context = f"seed {seed}, reported saved {len(reported)}"

    if db_url.startswith("sqlite"):
        path = db_url.split("///", 1)[1]
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
            assert con.execute("PRAGMA foreign_key_check").fetchall() == [], context
        finally:
            con.close()

    year = dt.date.today().year
    errands = list(Errand.select().order_by(Errand.id))
    numbers = [e.number for e in errands]
    assert len(numbers) >= len(reported) > 0, context
    assert set(reported) <= set(numbers), context  # a reported save is never lost
    sequence = sorted(int(n.split("-")[1]) for n in numbers)
    assert sequence == list(range(1, len(numbers) + 1)), context  # no gap, no repeat
    counter = Counter.get(Counter.name == f"errand-{year}").value
    assert counter == len(numbers), context  # nothing reserved by a killed save
    for errand in errands:
        materials = [m.name for m in ErrandMaterial.select()
                     .where(ErrandMaterial.errand == errand).order_by(ErrandMaterial.id)]
        assert sorted(materials) == sorted(item.materials), (errand.number, context)
        created = Event.select().where((Event.entity == "errand")
                                       & (Event.entity_id == errand.id)
                                       & (Event.action == "create")).count()
        assert created == 1, (errand.number, context)
    creates = Event.select().where((Event.entity == "errand") & (Event.action == "create"))
    assert creates.count() == len(errands), context  # no event of an errand not saved

    after = _child(db_url, person.id, item.id, station.id, 1)
    out, err = after.communicate(timeout=60)
    assert after.returncode == 0, err
    assert out.split() == ["ready", f"{year}-{len(numbers) + 1:06d}"], context
