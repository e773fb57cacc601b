"""The link to a township's database server: lost, tried again with backoff, back.

A village desk on PostgreSQL reaches the server over a weak link. When it drops the
desk says so, keeps every form as typed, refuses to save (a save that may or may not
have arrived could be made twice: refusing is the one safe choice) and tries the
server again by itself — after 1, 2, 4, 8, then every 15 seconds.
"""
from __future__ import annotations

import datetime as dt

from models.core.db import database
from models.core.errors import is_lost_link
from models.core.i18n import t

FIRST_DELAY = 1.0
LONGEST_DELAY = 15.0


def retry_delay(attempts: int) -> float:
    """Seconds to wait before the next try, after `attempts` failed ones."""
    return min(LONGEST_DELAY, FIRST_DELAY * 2 ** attempts)


class LinkLost(Exception):
    """A save refused (or cut off) because the server was out of reach."""

    def __init__(self, commit_unknown: bool = False) -> None:
        self.commit_unknown = commit_unknown
        super().__init__(t("link.save_unknown" if commit_unknown else "link.save_refused"))

    @classmethod
    def from_error(cls, exc: BaseException) -> LinkLost:
        return cls(commit_unknown=bool(getattr(exc, "commit_unknown", False)))


class Link:
    """What a desk knows of its link: up, or down since when and how often tried."""

    def __init__(self) -> None:
        self.down_since: dt.datetime | None = None
        self.attempts = 0
        self.last_try: dt.datetime | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def lost(self, exc: BaseException) -> bool:
        """Note a failure; True when it is news: a link that was up is now down."""
        if self.down or not is_lost_link(exc):
            return False
        self.down_since, self.attempts, self.last_try = dt.datetime.now(), 0, None
        return True

    def trying(self) -> None:
        self.attempts += 1
        self.last_try = dt.datetime.now()

    def next_delay(self) -> float:
        return retry_delay(self.attempts)

    def back(self) -> None:
        self.down_since, self.attempts, self.last_try = None, 0, None

    def banner(self) -> str:
        """What the desk shows while the link is down."""
        if self.last_try is None:
            return t("link.down")
        return t("link.down_retrying", attempt=self.attempts,
                 at=self.last_try.strftime("%H:%M:%S"))


def probe() -> None:
    """Reach the server once (the caller holds a fresh connection): raises if not."""
    database.execute_sql("SELECT 1").fetchone()
