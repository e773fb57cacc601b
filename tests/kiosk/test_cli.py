import subprocess
import sys

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
    assert "未写入" in second.stderr and "原有数据未改动" in second.stderr


def test_unreachable_database_is_reported(tmp_path):
    result = run_cli("--db", "postgresql://nobody:x@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "无法打开数据库" in result.stderr
