"""A question of what did not happen is answered only by a quote that says something did not.

Real Chroma and the real embedder, on articles written for these tests.
"""

from __future__ import annotations

import json

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.negation import negated
from tests.test_other_news import CORPUS

DEAL = {
    "id": "deal",
    "title": "Three firms sign port deal",
    "source": "Harbour Gazette",
    "published": "2024-05-02",
    "text": (
        "Globex and Initech, two logistics companies, signed the port agreement on Monday, the council said. "
        "The deal covers ten years of shipping at the east dock. "
        "Acme, a shipping company, did not sign the agreement, saying the fees were too high."
    ),
}


@pytest.fixture(scope="module")
def assistant(embedding: object, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("negation-articles")
    (folder / "deal.json").write_text(json.dumps(DEAL), encoding="utf-8")
    settings = Settings.from_env({}, home=tmp_path_factory.mktemp("negation"))
    a = Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]
    a.ingest([CORPUS, folder])
    return a


def test_what_did_not_happen_is_not_answered_by_what_did(assistant: Assistant) -> None:
    answer = assistant.ask("Who never declared a state of emergency?")
    assert answer.refused and not answer.citations, answer.text
    assert "Dina Boluarte" in (assistant.ask("Who declared a state of emergency?").short or "")


def test_a_negated_question_is_answered_by_the_negated_sentence(assistant: Assistant) -> None:
    answer = assistant.ask("Which company did not sign the port agreement?")
    assert not answer.refused and "Acme" in answer.text, answer.text
    assert answer.citations and all("did not sign" in c.quote for c in answer.citations)
    signed = assistant.ask("Which companies signed the port agreement?")
    assert "Globex" in signed.text and "Acme did not" not in (signed.short or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Who didn't vote?", True),
        ("What was never built?", True),
        ("Which firms cannot bid?", True),
        ("Where are concerts held at no cost?", False),  # free: nothing is said not to happen
        ("How many awards did she win with and without the band?", False),
        ("Who won the vote?", False),
        ("The notice was posted.", False),  # "not" inside a word is not a negation
    ],
)
def test_negated(text: str, expected: bool) -> None:
    assert negated(text) is expected
