"""`kiosk township add-station` and `add-user`: a township server built by commands."""
from __future__ import annotations

import pytest

from kiosk.cli import main
from models.core.db import database, make_database
from models.core.entities import Cadre, Station
from models.core.session import Role
from models.errands.entities import ServiceItem


def township(db_url, *args):
    return main(["--db", db_url, "township", *args])


def test_three_stations_and_a_reader_are_added_by_command(db_url, capsys):
    for name, login in (("红旗村便民服务站", "hongqi"), ("东风村便民服务站", "dongfeng"),
                        ("向阳村便民服务站", "xiangyang")):
        assert township(db_url, "add-station", name, "--township", "城关镇", "--groups", "3",
                        "--head-login", login, "--head-name", "王站长") == 0
        assert name in capsys.readouterr().err
    assert township(db_url, "add-user", "xiang", "乡镇督查") == 0
    database.initialize(make_database(db_url))
    with database.connection_context():
        stations = list(Station.select().order_by(Station.id))
        assert [s.township for s in stations] == ["城关镇"] * 3
        for station in stations:
            head = Cadre.get((Cadre.station == station) & (Cadre.role == Role.HEAD.value))
            assert head.login and station.groups.count() == 3
            assert ServiceItem.select().where(ServiceItem.station == station).count() > 10
        reader = Cadre.get(Cadre.login == "xiang")
        assert (reader.station_id, reader.role) == (None, Role.TOWNSHIP.value)


@pytest.mark.parametrize("args, said", [
    (("add-station", "  "), "服务站名称"),
    (("add-station", "红旗村", "--groups", "99"), "村民小组数"),
    (("add-user", "Bad Login", "某某"), "登录名"),
])
def test_bad_input_is_one_line_and_exit_1(db_url, capsys, args, said):
    assert township(db_url, *args) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_roster_exported_is_the_station_of_who_runs_it(db_url, tmp_path, capsys):
    from kiosk.config import os_login
    township(db_url, "add-station", "红旗村便民服务站", "--head-login", "hongqi")
    out = tmp_path / "roster.txt"
    roster = ["--db", db_url, "export-roster", "--format", "text", "--out", str(out)]
    assert main(roster) == 0 and "红旗村便民服务站" in out.read_text()  # the only one
    township(db_url, "add-station", "东风村便民服务站", "--head-login", os_login())
    assert main(roster) == 0 and "东风村便民服务站" in out.read_text()
    township(db_url, "add-station", "向阳村便民服务站", "--head-login", "xiangyang")
    database.initialize(make_database(db_url))
    with database.connection_context():
        Cadre.update(active=False).where(Cadre.login == os_login()).execute()
    assert main(roster) == 1  # a township server, and none of its stations is theirs


@pytest.mark.parametrize("args, said", [
    (("add-station", "红旗村", "--pg-role", "Bad-Role"), "角色名"),
])
def test_a_bad_role_name_is_refused_before_anything_is_made(db_url, capsys, args, said):
    code = township(db_url, *args)
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert said in err if "postgres" in db_url else "PostgreSQL" in err
