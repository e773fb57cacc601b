"""Drafts: a form's typing kept until it is saved or abandoned on purpose.

Drafts belong to a login, not to a station's data: they are written without an
actor (no Session check) and are no event in the trail.

On a township's server a draft is also kept on the village machine, in a small
file per login and database: when the link to the server is down the database
cannot take it, and a desk closed meanwhile (a crash, the SSH session gone) finds
it there at the next start."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from models.core.db import database, is_sqlite, writes
from models.core.db_url import APP_NAME
from models.core.entities import Draft, now
from models.core.text import inert_data


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


def newest_draft(owner: str, form: str) -> dict | None:
    """The draft to offer: the one kept here, unless the server holds a newer one
    (the same login typing at another desk)."""
    draft = Draft.get_or_none((Draft.owner == owner) & (Draft.form == form))
    local = _local_drafts(owner).get(form)
    if local and (draft is None or not draft.data
                  or dt.datetime.fromisoformat(local["updated_at"]) >= draft.updated_at):
        return local["data"] or None
    return draft.data if draft is not None and draft.data else None


# — the copy on the village machine —
def keeps_local_drafts() -> bool:
    """SQLite is a file on this machine already: its drafts need no second copy."""
    return database.obj is not None and not is_sqlite()


def local_drafts_file(owner: str) -> Path:
    """In the user's state directory, one file per login and database server."""
    from platformdirs import user_state_dir
    params = database.obj.connect_params
    where = f"{params.get('host')}:{params.get('port')}/{database.obj.database}"
    key = hashlib.sha256(where.encode()).hexdigest()[:12]
    return Path(user_state_dir(APP_NAME, appauthor=False)) / "drafts" / f"{owner}-{key}.json"


def _local_drafts(owner: str) -> dict:
    if not keeps_local_drafts():
        return {}
    try:
        return json.loads(local_drafts_file(owner).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _write_local(owner: str, drafts: dict) -> None:
    """Written whole to a new file then renamed over the old: never half a file.
    Readable by the login alone (a resident's draft may hold an ID number)."""
    path = local_drafts_file(owner)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = path.with_name(path.name + ".new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(drafts, out, ensure_ascii=False)
    os.replace(fresh, path)


def keep_locally(owner: str, form: str, data: dict) -> None:
    if keeps_local_drafts():
        drafts = _local_drafts(owner)
        drafts[form] = {"data": inert_data(data), "updated_at": now().isoformat()}
        _write_local(owner, drafts)


def forget_locally(owner: str, form: str) -> None:
    """Kept as an empty draft with its time: also outweighs the server's copy when
    the link was down and that could not be cleared."""
    keep_locally(owner, form, {})
