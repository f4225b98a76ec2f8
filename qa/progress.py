"""Ingest progress as a user is told it: the stage, counts, and the time left estimated from work done.

:func:`qa.ingest.ingest_paths` sends an :class:`IngestProgress` at every step (a file read, a
slice of chunks embedded, a group written), carrying the per-file outcomes settled since the
previous one, so the CLI and the UI can show results as they happen. Importing this module is
cheap: the first event goes out before the store and the embedder are opened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from qa.types import IngestResult

Stage = Literal["opening", "reading", "embedding", "writing", "done"]

STAGE_WORDS: dict[str, str] = {
    "opening": "opening the store and the embedder",
    "reading": "reading files",
    "embedding": "embedding",
    "writing": "writing",
    "done": "done",
}


@dataclass(frozen=True)
class IngestProgress:
    """One step of an ingest."""

    stage: Stage
    done: int  # files read ("reading"), articles embedded and written ("embedding", "writing", "done")
    total: int  # files to read, or articles to embed; 0 while not known
    elapsed: float  # seconds since the ingest began
    left: float | None = None  # estimated seconds until the whole ingest ends; None while it cannot be told
    chunks: int = 0  # chunks embedded so far
    results: tuple[IngestResult, ...] = ()  # outcomes settled since the previous event

    @property
    def unit(self) -> str:
        """What ``done`` and ``total`` count."""
        return "files" if self.stage in ("opening", "reading") else "articles"

    @property
    def fraction(self) -> float | None:
        """How much of this stage is done (0 to 1), or None when its size is not known."""
        if self.total <= 0:
            return None
        return min(self.done / self.total, 1.0)


Progress = Callable[[IngestProgress], None]


def clock(seconds: float) -> str:
    """``seconds`` as ``m:ss`` (or ``h:mm:ss``)."""
    s = max(round(seconds), 0)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def describe(p: IngestProgress) -> str:
    """One line for a person: ``embedding 312/1,000 articles (2,950 chunks) · 0:41 · about 1:30 left``."""
    what = STAGE_WORDS[p.stage]
    if p.stage == "opening":
        counts = ""
    elif p.stage == "reading":
        counts = f" {p.done:,}/{p.total:,}" if p.total else f" {p.done:,}"
    else:
        counts = f" {p.done:,}/{p.total:,} articles"
        if p.chunks:
            counts += f" ({p.chunks:,} chunks)"
    line = f"{what}{counts} · {clock(p.elapsed)}"
    if p.stage == "done":
        return line
    if p.left is not None:
        return f"{line} · about {clock(p.left)} left"
    if p.stage in ("opening", "reading"):
        return f"{line} · time left known once embedding starts"
    return f"{line} · estimating time left"


class Estimate:
    """Time left from the work done so far, at the rate it has gone.

    The first piece of work carries start-up costs (loading the model, warming caches), so once
    there are two pieces the rate is measured from the end of the first one.
    """

    def __init__(self, total: float, now: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self._now = now
        self._start = now()
        self._first: tuple[float, float] | None = None  # (time, work done) at the end of the first piece

    def update(self, done: float) -> float | None:
        """Seconds left after ``done`` units of work; None before any work is done."""
        t = self._now()
        left = max(self.total - done, 0.0)
        if done <= 0:
            return None
        if self._first is None:
            self._first = (t, done)
            return (t - self._start) / done * left
        t1, d1 = self._first
        if done <= d1:
            return (t - self._start) / done * left
        return (t - t1) / (done - d1) * left
