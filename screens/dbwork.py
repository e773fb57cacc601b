"""Database work from the UI: always in a thread worker with its own connection.

Peewee connections belong to a thread and Textual's thread workers share a pool,
so each job opens (and closes) its connection inside the worker. Results and
errors come back to the UI thread through `call_from_thread`.

A lost link to a township's database server is no error of the program: the app
is told (`link_lost`, which shows the reconnecting state and tries again by itself)
and a write is refused with one line — also before it starts, while the link is
known to be down — so nothing is ever half saved or saved twice.
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
from models.core.errors import describe_failure, is_lost_link
from models.core.history import StaleEdit
from models.core.i18n import t
from models.core.link import LinkLost, probe
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

    ValidationError and StaleEdit go to `failed` (or a notification); so does a
    write refused for a lost link (LinkLost). Anything else is logged (logger
    "kiosk": the shell sends it to a file) and reported in one line, never
    crashing the session — also when `then` itself fails.

    `hold_keys`: a key started this work and what it leads to (focus moving on, a
    dialog, a screen) must come first: keys typed meanwhile wait until `then` (or
    `failed`) has run and the screen has drawn (screens/keyhold.py).
    """
    app = node.app
    is_write = getattr(fn, "is_write", False)
    hold = app.hold_keys(WAIT_SECONDS) if hold_keys else None

    async def finish(callback: Callable, *value) -> None:
        """On the UI thread: the callback (it may be async), then the held keys go
        on. A callback that fails is logged and said in one line: the worker
        would otherwise drop the error without a word."""
        try:
            if not app.screen_stack or (node is not app and not node.is_attached):
                return  # the app is closing or the screen went: nobody to show it to
            result = callback(*value)
            if isawaitable(result):
                await result
        except Exception:
            log.exception("unexpected error showing the result of %s", _name(callback))
            tell(app, t("error.logged"), "error", 10)
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
            if is_write and link_down(app):
                raise LinkLost()
            result = in_connection(fn, *args)
        except (ValidationError, StaleEdit, LinkLost) as exc:
            answer(worker, failed or _notify_problem(app), exc)
            return
        except Exception as exc:
            if hasattr(app, "link_lost") and is_lost_link(exc):
                log.warning("database server out of reach in %s: %s", _name(fn),
                            str(exc).strip().splitlines()[0] if str(exc).strip() else "")
                app.call_from_thread(app.link_lost, exc)
                if is_write or failed is not None:  # a form's action: say it failed
                    answer(worker, failed or _notify_problem(app), LinkLost.from_error(exc))
                else:
                    answer(worker, None)
                return
            # logged with its traceback; the cadre sees one line
            log.exception("unexpected error in %s", _name(fn))
            app.call_from_thread(finish, tell, app,
                                 describe_failure(exc) or t("error.logged"), "error", 10)
            raise
        answer(worker, then, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=False)


def link_down(app) -> bool:
    """Whether the app knows its database server to be out of reach now."""
    link = getattr(app, "link", None)
    return link is not None and link.down


def try_link(node: DOMNode, then: Callable[[Exception | None], None]) -> Worker:
    """Try to reach the database server on a worker: `then` gets None when it
    answered, else the error."""
    app = node.app

    def job():
        try:
            in_connection(probe)
        except Exception as exc:
            app.call_from_thread(then, exc)
        else:
            app.call_from_thread(then, None)

    return node.run_worker(job, thread=True, group="link", exclusive=True,
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
