"""The qa command as a user runs it: a real process, real store, real embedder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BESIEGED, SAMPLES, WAPO


def qa(*args: str, home: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QA_HOME": str(home)}
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    proc = subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ingest_ask_list_remove(isolated_env: Path) -> None:
    out = qa("ingest", str(SAMPLES), home=isolated_env).stdout
    assert "2 added" in out
    again = qa("ingest", "--samples", home=isolated_env).stdout
    assert "2 unchanged" in again

    asked = qa("ask", "How many soldiers were besieged near al-Sukhna?", "--json", home=isolated_env)
    answer = json.loads(asked.stdout)
    assert set(answer) >= {"text", "refused", "conflict", "citations"}
    assert "500" in answer["text"] and answer["refused"] is False
    for c in answer["citations"]:
        assert set(c) >= {"article_id", "title", "source", "published", "url", "path", "quote", "start", "end"}
        text = (SAMPLES / f"{c['article_id']}.txt").read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]

    human = qa("ask", "How many soldiers were besieged near al-Sukhna?", home=isolated_env).stdout
    assert "Sources:" in human and "[1]" in human

    listed = qa("list", home=isolated_env).stdout
    assert BESIEGED in listed and WAPO in listed and "2 articles" in listed

    qa("remove", WAPO, home=isolated_env)
    listed = json.loads(qa("list", "--json", home=isolated_env).stdout)
    assert [a["article_id"] for a in listed] == [BESIEGED]


def test_errors_are_one_line_without_traceback(isolated_env: Path, tmp_path: Path) -> None:
    empty = qa("ask", "How many soldiers?", home=isolated_env, check=False)
    assert empty.returncode == 1
    assert empty.stderr.count("\n") == 1 and "Traceback" not in empty.stderr
    assert "qa ingest" in empty.stderr

    blank = qa("ask", "  ", home=isolated_env, check=False)
    assert blank.returncode == 1 and "empty" in blank.stderr and "Traceback" not in blank.stderr

    missing = qa("remove", "no-such-article", home=isolated_env, check=False)
    assert missing.returncode == 1 and "qa list" in missing.stderr

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok", "text": "A sentence about a thing. Another one here."}\n{not json\n')
    mixed = qa("ingest", str(bad), home=isolated_env, check=False)
    assert mixed.returncode == 1  # something was rejected
    assert "1 added" in mixed.stdout
    assert "malformed JSON" in mixed.stderr and "Traceback" not in mixed.stderr


def test_help_lists_commands_and_environment() -> None:
    proc = subprocess.run([sys.executable, "-m", "qa.cli", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for word in ("ingest", "ask", "list", "remove", "QA_HOME", "QA_CHROMA_URL"):
        assert word in proc.stdout
