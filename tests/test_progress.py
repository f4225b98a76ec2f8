"""Ingest progress: the estimate from work done, the words shown, and the events of a real ingest."""

from __future__ import annotations

from pathlib import Path

from qa.assistant import Assistant
from qa.progress import Estimate, IngestProgress, clock, describe
from tests.conftest import SAMPLES


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_estimate_goes_by_the_rate_after_the_first_piece() -> None:
    t = _Clock()
    estimate = Estimate(1000, now=t)
    assert estimate.update(0) is None  # nothing done: nothing to go by
    t.now = 10.0  # the first 100 units took 10 s, 6 of them loading the model
    assert estimate.update(100) == 90.0
    t.now = 14.0  # the next 100 took 4 s: 800 more take 32 s
    assert estimate.update(200) == 32.0
    t.now = 54.0
    assert estimate.update(1000) == 0.0


def test_clock_and_describe() -> None:
    assert (clock(0.4), clock(75), clock(3725)) == ("0:00", "1:15", "1:02:05")
    assert describe(IngestProgress("opening", 0, 0, 0.2)).startswith("opening the store and the embedder · 0:00")
    assert describe(IngestProgress("reading", 420, 1000, 3.0)).startswith("reading files 420/1,000 · 0:03")
    line = describe(IngestProgress("embedding", 312, 1000, 41.0, 90.0, chunks=2950))
    assert line == "embedding 312/1,000 articles (2,950 chunks) · 0:41 · about 1:30 left"
    assert describe(IngestProgress("embedding", 0, 1000, 5.0)).endswith("estimating time left")
    assert describe(IngestProgress("done", 3, 3, 7.0)) == "done 3/3 articles · 0:07"
    assert (
        IngestProgress("embedding", 1, 4, 1.0).fraction == 0.25 and IngestProgress("reading", 0, 0, 0).fraction is None
    )


def test_a_real_ingest_tells_every_stage_and_every_outcome_once(make_assistant: object, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in SAMPLES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    twin = next(iter(sorted(SAMPLES.iterdir())))
    (folder / "zz_twin.txt").write_bytes(twin.read_bytes())
    (folder / "empty.txt").write_text("")
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    events: list[IngestProgress] = []
    report = assistant.ingest([folder], progress=events.append)

    stages = [e.stage for e in events]
    assert stages[0] == "opening" and stages[-1] == "done"
    assert stages.index("reading") < stages.index("embedding") < stages.index("writing")
    assert [e.elapsed for e in events] == sorted(e.elapsed for e in events)
    reading = [e for e in events if e.stage == "reading"]
    assert reading[-1].done == reading[-1].total == 4
    told = [r for e in events for r in e.results]
    assert sorted(told, key=str) == sorted(report.results, key=str)  # every outcome told once
    assert any(e.left is not None for e in events if e.stage == "embedding")
    assert events[-1].chunks == sum(r.chunks for r in report.results if r.status == "added")
    statuses = {Path(r.path).name: r.status for r in report.results}
    assert statuses == {
        twin.name: "added",
        "zz_twin.txt": "duplicate",
        "empty.txt": "rejected",
        **{p.name: "added" for p in SAMPLES.iterdir()},
    }
    duplicate = next(r for r in report.results if r.status == "duplicate")
    assert f"same text as '{twin.stem}' ({folder / twin.name}) earlier in this batch" in (duplicate.reason or "")
    assert report.summary() == "2 added, 0 updated, 0 unchanged, 1 duplicate, 1 rejected" and not report.ok
