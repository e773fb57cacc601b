"""Who works at the station: cadres and the villager groups they cover."""
from __future__ import annotations

from models.core.entities import Cadre, VillagerGroup


def cadre_for_login(login: str) -> Cadre | None:
    return Cadre.get_or_none((Cadre.login == login) & Cadre.active)


def active_cadres(station_id: int) -> list[Cadre]:
    return list(Cadre.select().where((Cadre.station == station_id) & Cadre.active)
                .order_by(Cadre.id))


def groups_of(station_id: int) -> list[VillagerGroup]:
    return list(VillagerGroup.select().where(VillagerGroup.station == station_id)
                .order_by(VillagerGroup.number))
