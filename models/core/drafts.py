"""Drafts: a form's typing kept until it is saved or abandoned on purpose.

Drafts belong to a login, not to a station's data: they are written without an
actor (no Session check) and are no event in the trail."""
from __future__ import annotations

from models.core.db import writes
from models.core.entities import Draft, now


@writes
def save_draft(owner: str, form: str, data: dict) -> None:
    stamp = now()
    (Draft.insert(owner=owner, form=form, data=data, updated_at=stamp)
     .on_conflict(conflict_target=[Draft.owner, Draft.form],
                  update={Draft.data: data, Draft.updated_at: stamp})
     .execute())


def load_draft(owner: str, form: str) -> dict | None:
    draft = Draft.get_or_none((Draft.owner == owner) & (Draft.form == form))
    return draft.data if draft is not None and draft.data else None


@writes
def clear_draft(owner: str, form: str) -> None:
    Draft.delete().where((Draft.owner == owner) & (Draft.form == form)).execute()
