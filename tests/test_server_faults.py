"""Server mode faults: the Chroma server goes away mid-session and comes back.

A real ``chroma run`` on 127.0.0.1, started by the test (so it can be stopped), restarted
with the same ``--path`` and port; the Assistant in this process keeps its client across
the outage, and the ``qa`` command is run as a real subprocess while the server is down.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import StoreError
from tests.conftest import SAMPLES, ChromaServer

QUESTION = "How many soldiers were besieged near al-Sukhna?"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-data")
    server.start()
    yield server
    server.stop()


def test_server_down_then_back(own_server: ChromaServer, embedding: object, isolated_env: Path) -> None:
    settings = Settings.from_env(home=isolated_env, chroma_url=own_server.url, collection="faults")
    assistant = Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]
    assert assistant.ingest([SAMPLES]).count("added") == 2
    before = assistant.list_articles()
    chunks_before = assistant.store.count_chunks()
    assert "500" in assistant.ask(QUESTION).text

    own_server.stop()

    # in-process: a StoreError that names the server and says what to do, quickly (no hang)
    with pytest.raises(StoreError) as caught:
        assistant.ask(QUESTION)
    message = str(caught.value)
    assert own_server.url in message
    assert "cannot reach the Chroma server" in message
    assert "chroma run" in message and "QA_CHROMA_URL" in message
    assert "\n" not in message
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        assistant.list_articles()

    # the command line: exit code 1, one line on stderr, no traceback
    env = {**os.environ, "QA_HOME": str(isolated_env), "QA_CHROMA_URL": own_server.url, "QA_COLLECTION": "faults"}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", QUESTION], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert re.match(rf"error: {re.escape(own_server.url)}: cannot reach the Chroma server", proc.stderr)
    assert "chroma run" in proc.stderr and "QA_CHROMA_URL" in proc.stderr

    own_server.start()  # same --path, same port

    answer = assistant.ask(QUESTION)  # the same Assistant, without reopening anything
    assert not answer.refused and "500" in answer.text
    assert assistant.list_articles() == before
    assert assistant.store.count_chunks() == chunks_before
    assert assistant.check().healthy
    again = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", QUESTION], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0 and "500" in again.stdout, again.stderr
