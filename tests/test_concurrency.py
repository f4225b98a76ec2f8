"""Concurrent users: 16 questions at once through the UI's API while an ingest runs.

The Gradio app is launched in-process (as in tests/test_ui_browser.py, with the queue
settings of ``qa serve``) over a real embedded store holding the sample articles. Sixteen
threads, each with its own ``gradio_client.Client``, call the chat's own endpoint
(``/respond``, what the Ask button runs) at the same moment, while another thread ingests
40 more articles through the same Assistant. The answers must be right, none an error,
some answered before the ingest ended, and the store healthy afterwards.
"""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from qa.app import build_app
from qa.assistant import Assistant
from qa.types import IngestReport
from tests.conftest import SAMPLES
from tests.test_crash import write_towns

Factory = Callable[..., Assistant]

# (question, what the answer must show); None means the refusal
QUESTIONS: list[tuple[str, str | None]] = [
    ("How many soldiers were besieged near al-Sukhna?", "500"),
    ("What is the capital of Australia?", None),
    ("Which militia broke the siege?", "Liwa al-Quds"),
    ("How many soldiers were killed in the Hayat Tahrir al-Sham attack near Aleppo?", "27"),
] * 4
EXTRA = 400  # articles ingested meanwhile (about 500 chunks): long enough on 2 cores to overlap the questions


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(assistant: Assistant) -> Iterator[str]:
    """The app served on a free loopback port, queued as ``qa serve`` queues it."""
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=16)
    port = _free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def _text(content: Any) -> str:
    """A chat message's content as one string (a string, or a list of typed parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    return str(content)


def test_sixteen_questions_at_once_while_ingesting(
    make_assistant: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradio_client import Client

    assistant = make_assistant()
    assert assistant.ingest([SAMPLES]).count("added") == 2
    assert "500" in assistant.ask(QUESTIONS[0][0]).text  # load the embedder and BM25 before the rush
    extra = write_towns(tmp_path / "towns", EXTRA, seed=11)

    asked: list[tuple[float, float]] = []
    real_ask = assistant.ask

    def timed_ask(*args: Any, **kwargs: Any) -> Any:
        began = time.monotonic()
        try:
            return real_ask(*args, **kwargs)
        finally:
            asked.append((began, time.monotonic()))

    monkeypatch.setattr(assistant, "ask", timed_ask)  # a pass-through that notes when each answer was computed
    with running(assistant) as url:
        clients = [Client(url, verbose=False) for _ in QUESTIONS]
        start = threading.Barrier(len(QUESTIONS) + 1)
        ingested: list[IngestReport] = []
        spans: dict[str, tuple[float, float]] = {}

        def ingest() -> None:
            start.wait()
            began = time.monotonic()
            ingested.append(assistant.ingest([tmp_path / "towns"]))
            spans["ingest"] = (began, time.monotonic())

        def ask(i: int) -> tuple[str, str]:
            start.wait()
            began = time.monotonic()
            _, chat, sources = clients[i].predict(QUESTIONS[i][0], [], 5, "extractive", api_name="/respond")
            spans[f"q{i}"] = (began, time.monotonic())
            return _text(chat[-1]["content"]), sources

        with ThreadPoolExecutor(len(QUESTIONS) + 1) as pool:
            writer = pool.submit(ingest)
            futures = [pool.submit(ask, i) for i in range(len(QUESTIONS))]
            results = [f.result(timeout=300) for f in futures]
            writer.result(timeout=300)

    for (question, expected), (answer, sources) in zip(QUESTIONS, results, strict=True):
        assert "qa-error" not in answer, (question, answer)
        if expected is None:
            assert "qa-refused" in answer and "Not in the articles" in sources, (question, answer)
        else:
            assert expected in html.unescape(answer), (question, answer)
            assert re.search(r'href="#src-1"', answer) and 'id="src-1"' in sources, (question, answer)
    assert ingested and ingested[0].count("added") == EXTRA, ingested
    # the questions really were in flight together, and while the ingest ran
    ingest_start, ingest_end = spans.pop("ingest")
    assert max(b for b, _ in spans.values()) < min(e for _, e in spans.values())
    assert len(asked) == len(QUESTIONS)
    assert all(b < ingest_end for b, _ in asked), "the questions came after the ingest: nothing was concurrent"
    # an ingest does not hold up questions: some were answered before it ended
    assert min(e for _, e in asked) < ingest_end, (sorted(asked), ingest_start, ingest_end)
    stored = [a.article_id for a in assistant.list_articles()]
    assert set(extra) <= set(stored) and len(stored) == 2 + EXTRA
    health = assistant.check()
    assert health.healthy, health.problems


def test_api_calls_need_the_login_when_qa_auth_is_set(make_assistant: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chat endpoint itself (not only the page) refuses anonymous calls; the login opens it."""
    import httpx
    from gradio_client import Client

    from qa.app import launch_options
    from qa.config import Settings

    monkeypatch.setenv("QA_AUTH", "alice:s3cret-pass")
    options = launch_options(Settings.from_env())
    assert options["server_name"] == "127.0.0.1" and options["share"] is False
    assistant = make_assistant()
    assert assistant.ingest([SAMPLES]).ok
    demo = build_app(assistant)
    port = _free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, auth=options["auth"])
    url = f"http://127.0.0.1:{port}/"
    try:
        with httpx.Client(base_url=url, timeout=30) as anon:
            call = anon.post("gradio_api/call/respond", json={"data": [QUESTIONS[0][0], [], 5, "extractive"]})
            assert call.status_code == 401, call.text
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own kinds for a 401
            Client(url, verbose=False)
        with pytest.raises(Exception):  # noqa: B017
            Client(url, verbose=False, auth=("alice", "wrong"))
        client = Client(url, verbose=False, auth=("alice", "s3cret-pass"))
        _, chat, _ = client.predict(QUESTIONS[0][0], [], 5, "extractive", api_name="/respond")
        assert "500" in _text(chat[-1]["content"])
    finally:
        demo.close()
