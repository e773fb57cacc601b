"""Time `kiosk import residents` on a 20,000-row register saved as GBK csv
(DESIGN.md §4: register import, 20,000 rows ≤ 60 s).

    python benchmarks/import_register.py [--rows 20000] [--bad 0] [--seed 0]
                                         [--dir DIR] [--no-import]

The register is made from the demo village's families (kiosk/demo), written as a
clerk keeps it: villager groups as 3 / 3组 / 三组 / 第三村民小组, ID numbers and
phones now and then with spaces, a lowercase x or full-width digits; `--bad N`
spoils N rows in ways an import must reject. An empty station is set up in a fresh
SQLite database with the OS login as its head, and the file is imported twice
through the command line: the first run adds everyone, the second changes nothing.
Timings belong here, never in the test suite.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.config import os_login  # noqa: E402
from kiosk.demo import SIZES  # noqa: E402
from kiosk.demo.context import Demo  # noqa: E402
from kiosk.demo.households import make_households  # noqa: E402
from kiosk.demo.people import People  # noqa: E402
from models.core.entities import VillagerGroup  # noqa: E402
from models.station.setup import group_name  # noqa: E402

HEADINGS = ["序号", "户主姓名", "姓名", "与户主关系", "公民身份号码", "联系电话", "组别",
            "门牌号", "性别", "出生日期", "民族", "备注"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _group_as_typed(rng: random.Random, number: int) -> str:
    numeral = group_name(number)[1:-4]
    return rng.choice([str(number), f"{number}组", f"{numeral}组", group_name(number)])


def _as_typed(rng: random.Random, digits: str) -> str:
    """A number as clerks type it, now and then."""
    roll = rng.random()
    if roll < 0.05:
        return digits.lower().translate(FULL_WIDTH)
    if roll < 0.10:
        return f"{digits[:6]} {digits[6:14]} {digits[14:]}" if len(digits) == 18 \
            else f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits.lower() if roll < 0.15 else digits


def register_rows(count: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    demo = Demo(rng, dt.date.today(), dict(SIZES["large"], residents=count))
    groups = [VillagerGroup(number=n, name=group_name(n)) for n in range(1, 13)]
    rows = []
    for household in make_households(demo, People(demo), groups):
        head = household["members"][0]["name"]
        door = str(int(household["number"][2:]))
        for person in household["members"]:
            rows.append([str(len(rows) + 1), head, person["name"], person["relation"],
                         _as_typed(rng, person["id_number"]), _as_typed(rng, person["phone"]),
                         _group_as_typed(rng, household["group"].number), door + "号",
                         "男" if person["male"] else "女", person["born"].isoformat(),
                         "汉", ""])
    return rows


SPOILERS = [  # (column, the value spoiled) as an import must reject them
    (4, lambda value: value[:-1] + ("1" if value.endswith("0") else "0")),  # check digit
    (4, lambda value: "6.21122E+17"),  # Excel took the ID number for a number
    (5, lambda value: "1381234"),  # a phone number short of digits
    (6, lambda value: "东组"),
    (2, lambda value: ""),  # no name
    (8, lambda value: "女" if value == "男" else "男"),  # not what the ID number says
    (11, lambda value: "很长" * 5000),  # 10,000 characters
]


def spoil(rows: list[list[str]], bad: int, seed: int) -> None:
    """`bad` rows made wrong; now and then a row given another person's ID number."""
    rng = random.Random(seed + 1)
    for index in rng.sample(range(len(rows)), bad):
        if rng.random() < 0.15:
            rows[index][4] = rows[rng.randrange(len(rows))][4]
        else:
            column, spoiled = rng.choice(SPOILERS)
            rows[index][column] = spoiled(rows[index][column])


def write_register(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="gbk", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["红旗村户籍花名册"])
        writer.writerow(HEADINGS)
        writer.writerows(rows)


def set_up(db: Path) -> None:
    from kiosk.database import open_database
    from models.core.db import database
    from models.station.setup import SetupForm, set_up_station
    open_database(f"sqlite:///{db}")
    with database.connection_context():
        set_up_station(SetupForm(station_name="红旗村便民服务站", group_count="8",
                                 admin_name="王建国", admin_login=os_login()))


def timed_import(db: Path, register: Path) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", str(db), "import",
                           "residents", str(register)], capture_output=True, text=True,
                          cwd=ROOT)
    took = time.monotonic() - started
    lines = [line for line in done.stderr.splitlines()
             if line.strip() and not line.startswith("  [")]  # not the progress bar
    return took, "\n".join(f"    {line}" for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--bad", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, help="keep the files here (default: a temp dir)")
    parser.add_argument("--no-import", action="store_true", help="only write the register")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="kiosk-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    register = folder / f"register-{args.rows}.csv"
    rows = register_rows(args.rows, args.seed)
    spoil(rows, args.bad, args.seed)
    write_register(register, rows)
    print(f"register: {register} ({len(rows)} rows, {args.bad} spoiled, GBK, "
          f"{register.stat().st_size / 2 ** 20:.1f} MB)")
    if args.no_import:
        return
    db = folder / "import.db"
    for stale in folder.glob("import.db*"):
        stale.unlink()
    set_up(db)
    for run in ("first import", "same file again"):
        took, output = timed_import(db, register)
        print(f"{run}: {took:.1f} s (budget 60 s)\n{output}")


if __name__ == "__main__":
    main()
