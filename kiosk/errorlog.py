"""Where an unexpected error goes: a log file beside the user data, with its
traceback. The cadre sees one line (screens.dbwork); whoever looks after the
machine reads the rest here."""
from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .config import APP_NAME

LOGGER = "kiosk"  # what screens.dbwork logs to


def error_log_path() -> Path:
    from platformdirs import user_log_dir
    return Path(user_log_dir(APP_NAME, appauthor=False)) / "errors.log"


def log_errors_to(path: Path) -> None:
    """Append the desk's logged errors to `path` (a few rotated files of 1 MB)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a full or read-only disk: the cadre still sees the one line
    handler = RotatingFileHandler(path, maxBytes=1 << 20, backupCount=3,
                                  encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logging.getLogger(LOGGER).addHandler(handler)
