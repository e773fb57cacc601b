"""A program in a pseudo-terminal, as a person at a terminal (or over SSH) runs it:
keys written to it, its screen read with pyte."""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time


class Terminal:
    """`argv` in a pseudo-terminal of cols×rows."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        import pyte
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: size the terminal before the program reads it
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.status: int | None = None

    def text(self) -> str:
        # not pyte's `display`: it fails on a cell a wide character left empty
        # (a CJK character half overwritten by a redraw)
        buffer, columns = self.screen.buffer, self.screen.columns
        return "\n".join("".join(buffer[y][x].data for x in range(columns))
                         for y in range(self.screen.lines))

    def output(self) -> str:
        """Everything written, as text, whitespace dropped (for messages that wrap)."""
        return re.sub(r"\s+", "", self.raw.decode("utf-8", "replace"))

    def _pump(self, timeout: float) -> bool:
        """Read what is there; False once the program has ended."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def wait_for(self, text: str, limit: float = 30) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if text in self.text():
                return True
            if not self._pump(0.05):
                return text in self.text()
        return False

    def press(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, limit: float = 30) -> int | None:
        """Read to the end; the program's exit status (None: still open)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self._pump(0.05):
            pass
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            time.sleep(0.05)
        return None

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


