"""A progress bar for long commands: redrawn in place on a terminal, lines otherwise.

At most one update per `interval` seconds (and the final one), so a fast loop spends
nothing on printing and a log file gets a readable number of lines.
"""

from __future__ import annotations

import time


class ProgressBar:
    def __init__(self, out, label: str, *, interval: float = 1.0, width: int = 30) -> None:
        self.out = out
        self.label = label
        self.interval = interval
        self.width = width
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, items: int, done_bytes: int, total_bytes: int | None, final: bool) -> None:
        now = time.monotonic()
        if not final and now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.started
        if total_bytes:
            fraction = min(1.0, done_bytes / total_bytes)
            filled = int(fraction * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            text = (
                f"{self.label} [{bar}] {fraction * 100:5.1f} %  {items:,} items, "
                f"{done_bytes / 2**20:.1f}/{total_bytes / 2**20:.1f} MB, {elapsed:.0f} s"
            )
        else:
            text = f"{self.label} {items:,} items, {done_bytes / 2**20:.1f} MB, {elapsed:.0f} s"
        if self.tty:
            self._write("\r" + text + ("\n" if final else ""))
        else:
            self._write(text + "\n")

    def _write(self, text: str) -> None:
        # Django's OutputWrapper colours stderr; a progress bar is not an error.
        try:
            self.out.write(text, ending="", style_func=lambda s: s)
        except TypeError:
            self.out.write(text)
        self.out.flush()
