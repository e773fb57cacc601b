"""The station itself: its shifts, villager groups, cadres and service catalogue."""
from __future__ import annotations

from models.core.entities import Cadre, Event, GroupCoverage, Station, VillagerGroup
from models.errands.catalogue import STANDARD_CATALOGUE, standard_item_rows
from models.errands.entities import ServiceItem
from models.station.setup import group_name, install_default_shifts

from .context import Demo
from .people import People

STATION_NAME = "红旗村便民服务站"
TOWNSHIP = "城关镇"


def open_station(demo: Demo) -> Station:
    station = Station.create(name=STATION_NAME, township=TOWNSHIP,
                             created_at=demo.registered_at)
    install_default_shifts(station)
    return station


def add_groups(station: Station, count: int) -> list[VillagerGroup]:
    VillagerGroup.insert_many([(station.id, n, group_name(n)) for n in range(1, count + 1)],
                              fields=[VillagerGroup.station, VillagerGroup.number,
                                      VillagerGroup.name]).execute()
    return list(VillagerGroup.select().where(VillagerGroup.station == station.id)
                .order_by(VillagerGroup.number))


def add_cadres(demo: Demo, people: People, station: Station, groups: list[VillagerGroup],
               admin_login: str | None) -> list[Cadre]:
    """The station head first, then duty cadres; each looks after one group."""
    rng = demo.rng
    cadres = []
    for n in range(rng.randint(7, 9)):
        male = rng.random() < 0.6
        name = people.unique_name(rng.choice(people.surnames[:40]), male,
                                  demo.today.year - rng.randint(28, 52))
        login = admin_login if n == 0 else f"cadre{n + 1}"
        if n > 0 and login == admin_login:
            login = f"cadre{n + 1}-demo"
        cadres.append(Cadre.create(station=station, name=name, login=login,
                                   phone=people.phone(), role="admin" if n == 0 else "duty"))
    GroupCoverage.insert_many([dict(cadre=cadre, group=groups[n % len(groups)],
                                    since=demo.registered_at.date())
                               for n, cadre in enumerate(cadres)]).execute()
    return cadres


def add_catalogue(demo: Demo, station: Station, admin: Cadre) -> list[ServiceItem]:
    """The standard catalogue, as `install_standard_catalogue` writes it."""
    ServiceItem.insert_many(standard_item_rows(station.id)).execute()
    Event.create(entity="station", entity_id=station.id, action="catalogue",
                 actor=admin, at=demo.registered_at,
                 detail=dict(items=len(STANDARD_CATALOGUE)))
    return list(ServiceItem.select().where(ServiceItem.station == station.id)
                .order_by(ServiceItem.id))
