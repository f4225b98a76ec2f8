"""The same answerer on news it was not built around: an earthquake and a city budget, in three formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.numbers import contains_number

CORPUS = Path(__file__).parent / "data" / "other_news"  # .txt, .json and .html, written for these tests


@pytest.fixture(scope="module")
def assistant(embedding: object, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    from qa.config import Settings

    settings = Settings.from_env({}, home=tmp_path_factory.mktemp("other-news"))
    a = Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]
    assert a.ingest([CORPUS]).count("added") == 3
    return a


def verbatim(assistant: Assistant, answer: object) -> None:
    for c in answer.citations:  # type: ignore[attr-defined]
        assert assistant.article(c.article_id).text[c.start : c.end] == c.quote


def test_two_tolls_from_two_sources_are_a_conflict(assistant: Assistant) -> None:
    answer = assistant.ask("How many people were killed in the earthquake in Peru?")
    assert answer.conflict
    figures = {c.article_id: c.figure for c in answer.citations}
    assert contains_number(figures["quake"] or "", 14) and contains_number(figures["andes-times-quake"] or "", 19)
    verbatim(assistant, answer)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How deep was the earthquake?", "28 kilometers"),
        ("Who declared a state of emergency?", "Dina Boluarte"),
        ("How long is the state of emergency?", "60-day"),
        ("How many of the dead were in Chala?", "11"),
        ("Who voted against the budget?", "Maria Ortiz and Tom Becker"),
        ("By how much will property taxes rise?", "3.5 percent"),
        ("How big was the Riverton budget?", "$412 million"),
        ("Who is the mayor of Riverton?", "Helen Park"),
        ("When will the new library open?", "2026"),
    ],
)
def test_answer_phrase(assistant: Assistant, question: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert not answer.refused and answer.short and expected in answer.short, answer.text
    assert not answer.conflict
    verbatim(assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Riverton?",
        "How many people were killed in the floods in Chile?",
        "How many councillors resigned over the budget?",
        "Who is the commander of the Peruvian army?",
        "By how much will property taxes fall?",  # they will rise: the article says the opposite
        "When will the old library open?",  # a new one will
    ],
)
def test_refusal(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.citations, answer.text


def test_html_page_debris_is_not_stored(assistant: Assistant) -> None:
    text = assistant.article("budget").text
    assert "track()" not in text and "Home | News" not in text
    assert assistant.article("budget").source == "Riverton Gazette"
