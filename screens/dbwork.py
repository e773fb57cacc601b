"""Database work from the UI: always in a thread worker with its own connection.

Peewee connections belong to a thread and Textual's thread workers share a pool,
so each job opens (and closes) its connection inside the worker. Results and
errors come back to the UI thread through `call_from_thread`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from inspect import isawaitable
from typing import Any

from textual import events
from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from models.core.db import database
from models.core.errors import describe_failure
from models.core.history import StaleEdit
from models.core.i18n import t
from models.core.validation import ValidationError

from .keyhold import WAIT_SECONDS
from .widgets.shown import tell

log = logging.getLogger("kiosk")


def in_connection(fn: Callable, *args, **kwargs) -> Any:
    with database.connection_context():
        return fn(*args, **kwargs)


def run_db(node: DOMNode, fn: Callable, *args, then: Callable | None = None,
           failed: Callable[[Exception], None] | None = None,
           group: str = "db", exclusive: bool = True, hold_keys: bool = False) -> Worker:
    """Run fn(*args) on a worker thread; hand the result to `then` on the UI thread.

    ValidationError and StaleEdit go to `failed` (or a notification); anything
    else is logged (logger "kiosk": the shell sends it to a file) and reported in
    one line, never crashing the session.

    `hold_keys`: a key started this work and what it leads to (focus moving on, a
    dialog, a screen) must come first: keys typed meanwhile wait until `then` (or
    `failed`) has run and the screen has drawn (screens/keyhold.py).
    """
    app = node.app
    hold = app.hold_keys(WAIT_SECONDS) if hold_keys else None

    async def finish(callback: Callable, *value) -> None:
        """On the UI thread: the callback (it may be async), then the held keys go on."""
        try:
            result = callback(*value)
            if isawaitable(result):
                await result
        finally:
            if hold is not None:
                app.keys_ready(hold)

    def answer(worker: Worker, callback: Callable | None, *value) -> None:
        if callback is not None and not worker.is_cancelled:
            app.call_from_thread(finish, callback, *value)
        elif hold is not None:  # nothing to wait for: not blocking this thread
            app.post_message(events.Callback(callback=partial(app.keys_ready, hold)))

    def job():
        worker = get_current_worker()
        try:
            result = in_connection(fn, *args)
        except (ValidationError, StaleEdit) as exc:
            answer(worker, failed or _notify_problem(app), exc)
            return
        except Exception as exc:  # logged with its traceback; the cadre sees one line
            log.exception("unexpected error in %s", _name(fn))
            app.call_from_thread(finish, tell, app,
                                 describe_failure(exc) or t("error.logged"), "error", 10)
            raise
        answer(worker, then, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=False)


def _name(fn: Callable) -> str:
    """The function's name for the log: never its arguments, which may hold a
    villager's ID number."""
    return getattr(getattr(fn, "func", fn), "__qualname__", type(fn).__name__)


def problem_text(exc: Exception) -> str:
    if isinstance(exc, StaleEdit):
        return t("error.stale")
    return str(exc)


def _notify_problem(app):
    def show(exc: Exception) -> None:
        tell(app, problem_text(exc), "warning", 8)
    return show
