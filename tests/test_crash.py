"""Crash safety: SIGKILL ``qa ingest`` half-way, run it again, and the store is whole.

A real ``python -m qa.cli ingest`` process writes 200 invented articles into an embedded
Chroma store (PersistentClient); the test kills it with SIGKILL once it is writing, then
re-runs the ingest and checks the store from the outside (``qa check``) and the inside
(records, chunks, BM25). Progress is watched through Chroma's SQLite write log, opened
read-only, so the test never opens a second Chroma client on a store that is being written.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings

# Ingest writes groups of about 512 chunks (these small articles have 1-2 each, so ~400 articles a group):
# each group logs one pending record per article, its chunks, one ok record per article and a state record,
# about 1,350 records for the first group. Killing after 1,600 lands in the second group: some articles
# complete, some pending, most not yet read.
ARTICLES = 1000
KILL_AFTER_WRITES = 1600
_SYLLABLES = ["bar", "ko", "len", "vis", "tor", "ma", "quel", "dun", "ri", "sa", "pol", "ve", "nor", "ath", "gil", "ur"]


def write_towns(folder: Path, count: int, seed: int = 7) -> list[str]:
    """``count`` small, distinct invented articles (3-6 sentences each); returns their ids."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    towns: set[str] = set()
    ids = []
    for i in range(count):
        town = ""
        while not town or town in towns:
            town = "".join(rnd.choice(_SYLLABLES) for _ in range(3)).capitalize()
        towns.add(town)
        sentences = [
            f"The town of {town} opened a new public library on Monday after {rnd.randint(2, 9)} years of planning.",
            f"The building holds {rnd.randint(10, 90)},{rnd.randint(100, 999)} books and cost "
            f"{rnd.randint(2, 40)} million euros, mayor {rnd.choice(['Anna', 'Piet', 'Lars', 'Mira'])} {town}sen said.",
            f"About {rnd.randint(200, 5000)} residents attended the opening ceremony in {town}.",
            f"The library will be open {rnd.randint(5, 7)} days a week.",
            f"Officials in {town} said a second branch could follow by {rnd.randint(2026, 2032)}.",
        ]
        body = " ".join(sentences[: rnd.randint(3, 5)])
        article_id = f"town_{i:03d}"
        (folder / f"{article_id}.txt").write_text(f"{town} opens new library\n\n{body}\n", encoding="utf-8")
        ids.append(article_id)
    return ids


def qa(*args: str, home: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=_env(home), timeout=timeout
    )


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "QA_HOME": str(home)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QA_CHROMA_URL", "QA_COLLECTION"):
        env.pop(name, None)
    return env


def writes_so_far(home: Path) -> int:
    """Records Chroma has logged so far (its write-ahead queue's last sequence number), read-only."""
    db = home / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT max(seq_id) FROM embeddings_queue").fetchone()
    except sqlite3.Error:  # not created yet, or locked for a moment by the writer
        return 0
    return int(row[0] or 0) if row else 0


def test_sigkill_during_ingest_then_rerun_leaves_a_healthy_store(
    tmp_path: Path, embedding: object, isolated_env: Path
) -> None:
    corpus = tmp_path / "towns"
    ids = write_towns(corpus, ARTICLES)
    home = isolated_env

    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(home),
    )
    try:
        deadline = time.monotonic() + 240  # generous: a slow 2-core machine loads the model and embeds first
        while writes_so_far(home) < KILL_AFTER_WRITES:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended (code {proc.returncode}) before it could be killed: {out!r} {err!r}")
            if time.monotonic() > deadline:
                pytest.fail("ingest wrote nothing to Chroma within 240 s")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    killed_at = writes_so_far(home)
    assert KILL_AFTER_WRITES <= killed_at < ARTICLES * 4, killed_at  # it really was mid-way

    # the half-written store opens and says what it holds; nothing complete is missing chunks
    after_kill = qa("list", "--json", home=home)
    assert after_kill.returncode == 0, after_kill.stderr
    assert 0 < after_kill.stdout.count('"article_id"') < ARTICLES

    rerun = qa("ingest", str(corpus), home=home)
    assert rerun.returncode == 0, rerun.stderr
    summary = rerun.stdout.strip().splitlines()[-1]
    counts = dict(reversed(part.split(" ", 1)) for part in summary.split(", "))
    assert int(counts["added"]) + int(counts["updated"]) + int(counts["unchanged"]) == ARTICLES, summary
    assert int(counts["unchanged"]) > 0 and counts["rejected"] == "0", summary

    check = qa("check", home=home)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith(f"healthy: {ARTICLES} articles"), check.stdout

    assistant = Assistant(settings=Settings.from_env(home=home), embedding=embedding)  # type: ignore[arg-type]
    listed = [a.article_id for a in assistant.list_articles()]
    assert listed == sorted(ids)  # each article once, none pending
    records = assistant.store.article_records()
    assert set(records) == set(ids) and all(m.get("status") == "ok" for m in records.values())
    owners = assistant.store.chunk_article_ids()
    per_article: dict[str, int] = {}
    for article_id in owners.values():
        per_article[article_id] = per_article.get(article_id, 0) + 1
    assert set(per_article) == set(ids)  # no orphan chunks
    for article_id, meta in records.items():
        assert per_article[article_id] == int(meta["chunks"]), article_id
    assert set(assistant._bm25_index().chunk_ids) == set(owners)
    assert len(assistant._bm25_index().chunk_ids) == len(owners)
    assert assistant.check().healthy
    town = _town(corpus, ids[-1])
    answer = assistant.ask(f"How many residents attended the opening ceremony in {town}?")
    assert not answer.refused and answer.citations[0].article_id == ids[-1]


def _town(corpus: Path, article_id: str) -> str:
    return (corpus / f"{article_id}.txt").read_text(encoding="utf-8").split(" opens ", 1)[0]
