"""Unexpected errors land in a file the person looking after the machine can read."""
import logging

from kiosk.errorlog import LOGGER, log_errors_to


def test_errors_go_to_the_log_file_with_their_traceback(tmp_path):
    path = tmp_path / "log" / "errors.log"
    log_errors_to(path)
    logger = logging.getLogger(LOGGER)
    handler = logger.handlers[-1]
    try:
        try:
            raise RuntimeError("disk on fire")
        except RuntimeError:
            logger.exception("unexpected error in %s", "advance")
        handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "unexpected error in advance" in text
        assert "Traceback" in text and "RuntimeError: disk on fire" in text
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_no_log_where_no_folder_can_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    before = list(logging.getLogger(LOGGER).handlers)
    log_errors_to(blocker / "log" / "errors.log")  # a file where the folder should be
    assert logging.getLogger(LOGGER).handlers == before
