"""What the home screen tells the station head beyond the day's work: what to set
up next on a new station, and open errands of residents who died or moved away."""
from __future__ import annotations

from dataclasses import dataclass

from models.core.entities import Cadre, VillagerGroup
from models.errands.entities import Errand
from models.people.entities import Household
from models.people.households import departed_open_errands


@dataclass
class HeadNotes:
    households: int
    cadres: int  # active
    departed: list[Errand]  # open errands of residents no longer here

    @property
    def setting_up(self) -> bool:
        """Fresh from first-run setup: no households yet, or the head alone."""
        return self.households == 0 or self.cadres <= 1


def head_notes(station_id: int) -> HeadNotes:
    households = (Household.select().join(VillagerGroup)
                  .where(VillagerGroup.station == station_id).count())
    cadres = Cadre.select().where((Cadre.station == station_id) & Cadre.active).count()
    return HeadNotes(households, cadres, departed_open_errands(station_id))
