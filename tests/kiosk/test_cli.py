import sqlite3
import subprocess
import sys

import peewee
import pytest

from kiosk.config import resolve_url
from kiosk.database import open_database
from models.core.i18n import t

SCRIPT = """
import sys
from kiosk.cli import main
code = main(sys.argv[1:])
print("psycopg loaded" if sys.modules.get("psycopg") else "psycopg not loaded")
sys.exit(code)
"""


def run_cli(*args):
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, timeout=120)


def test_demo_fills_once_and_never_overwrites(tmp_path):
    path = tmp_path / "demo.db"
    first = run_cli("--db", str(path), "demo", "--seed", "3")
    assert first.returncode == 0, first.stderr
    assert "residents 300" in first.stderr
    assert "psycopg not loaded" in first.stdout  # a SQLite session skips the driver
    second = run_cli("demo", "--db", str(path))
    assert second.returncode == 0
    station = sqlite3.connect(path).execute("SELECT name FROM station").fetchone()[0]
    assert t("cli.demo.kept", url=resolve_url(str(path)), station=station) in second.stderr


def test_unreachable_database_is_reported(tmp_path):
    url = "postgresql://nobody:x@127.0.0.1:1/none"
    result = run_cli("--db", url)
    assert result.returncode == 2
    with pytest.raises(peewee.OperationalError) as refused:
        open_database(url)
    assert t("cli.open_failed", url=url, error=refused.value) in result.stderr
