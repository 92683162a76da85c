"""A status line for long runs, on a terminal only: what is being done and for how long,
redrawn in place ("packet 2/3: icrc… 4 s"). Piped or under CI nothing is drawn, so logs keep
only the result lines the commands print anyway."""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import IO


class Status:
    """`with Status() as status: status.stage("laying out the PDF")`."""

    def __init__(self, stream: IO[str] | None = None, interval: float = 0.5):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI")
        self.interval = interval
        self._text = ""
        self._since = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._width = 0

    def __enter__(self) -> Status:
        if self.enabled:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(1)
        if self.enabled:
            with self._lock:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()

    def clear(self) -> None:
        """Blank the line, so that a result can be printed; the next tick draws it again."""
        if self.enabled:
            with self._lock:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0

    def stage(self, text: str) -> None:
        """Now doing `text`; the elapsed time restarts."""
        with self._lock:
            self._text = text
            self._since = time.monotonic()
        self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            line = f"{self._text}… {time.monotonic() - self._since:.0f} s"[:100]
            pad = max(0, self._width - len(line))
            self._width = len(line)
            self.stream.write("\r" + line + " " * pad)
            self.stream.flush()
