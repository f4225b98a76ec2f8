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


def test_ingest_exit_code_is_zero_for_duplicates_and_one_for_unreadable_files(
    isolated_env: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in (BESIEGED, WAPO):
        (folder / f"{name}.txt").write_bytes((SAMPLES / f"{name}.txt").read_bytes())
    (folder / "zz_same_as_besieged.txt").write_bytes((SAMPLES / f"{BESIEGED}.txt").read_bytes())
    first = qa("ingest", str(folder), home=isolated_env, check=False)
    assert first.returncode == 0, first.stderr  # a duplicate in the batch is not a failure
    assert (
        f"duplicate  {folder / 'zz_same_as_besieged.txt'}: same text as '{BESIEGED}' "
        f"({folder / (BESIEGED + '.txt')}) earlier in this batch - ingested once, as '{BESIEGED}'"
    ) in first.stdout.splitlines()
    assert first.stdout.splitlines()[-1] == "2 added, 0 updated, 0 unchanged, 1 duplicate, 0 rejected"
    assert first.stderr == ""

    again = qa("ingest", str(folder), home=isolated_env, check=False)
    assert again.returncode == 0, again.stderr
    assert f"same text as article '{BESIEGED}', already stored" in again.stdout

    (folder / "unreadable.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    failed = qa("ingest", str(folder), "--summary", home=isolated_env, check=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"rejected   {folder / 'unreadable.txt'}: binary file")
    assert failed.stdout == "0 added, 0 updated, 2 unchanged, 1 duplicate, 1 rejected\n"  # --summary: no file lines

    helped = qa("ingest", "--help", home=isolated_env).stdout
    assert "exit status:" in helped and "duplicate" in helped and "could not be ingested" in helped


def test_ingest_progress_lines_name_the_stages(isolated_env: Path) -> None:
    proc = qa("ingest", "--samples", "--progress", home=isolated_env)
    stages = [line.split(" ")[0] for line in proc.stderr.splitlines()]
    assert stages[0] == "opening" and "reading" in stages and "embedding" in stages
    assert stages.index("reading") < stages.index("embedding")
    assert proc.stdout.splitlines()[-1] == "2 added, 0 updated, 0 unchanged, 0 rejected"
