"""The learned span reader: which words of an evidence sentence answer a question, and whether any do."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.errors import BackendError
from qa.evidence import Evidence
from qa.question import parse_question
from qa.span_reader import MIN_PROBABILITY, SpanReader, SpanScores, shared_reader, with_spans
from qa.types import Article, Sentence

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reader() -> SpanReader:
    return shared_reader()


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Who founded the bakery?", "The bakery was founded by Maria Lopez in 1998 on Elm Street.", "Maria Lopez"),
        ("What is the name of the new vaccine?", "The new vaccine, called Corvex, was approved last week.", "Corvex"),
        (
            "Which company bought the startup?",
            "The startup was bought by Northwind Traders for a small sum.",
            "Northwind Traders",
        ),
        ("When did the bakery open?", "The bakery was founded by Maria Lopez in 1998 on Elm Street.", "1998"),
        ("Where did the bakery open?", "The bakery was founded by Maria Lopez in 1998 on Elm Street.", "Elm Street"),
    ],
)
def test_the_shipped_reader_picks_the_answer_words(
    reader: SpanReader, question: str, sentence: str, expected: str
) -> None:
    span = reader.read(question, [sentence])[0].best()
    assert span is not None and span.text == expected
    assert sentence[span.start : span.end] == span.text and span.probability >= MIN_PROBABILITY


def test_a_sentence_that_answers_scores_above_one_that_does_not(reader: SpanReader) -> None:
    question = "Who founded the bakery?"
    answers, other = reader.read(
        question,
        [
            "The bakery was founded by Maria Lopez in 1998 on Elm Street.",
            "The council approved a new budget for road repairs on Tuesday.",
        ],
    )
    a, o = answers.best(), other.best()
    assert a is not None and o is not None
    assert a.margin > 0 > o.margin


def test_readings_come_back_in_the_order_asked(reader: SpanReader) -> None:
    sentences = [f"Item {k}: the {'long ' * k}road was built by Crew {k}." for k in range(40)]
    readings = reader.read("Who built the road?", sentences)
    assert [r.sentence for r in readings] == sentences


def _evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    article = Article("a1", text, "h", title="Budget vote")
    return Evidence(article, Sentence(start, start + len(sentence), sentence, 0), start, 1.0)


TEXT = "Council news.\nOn Tuesday the council approved a new budget for road repairs. It passed 7 to 2."
SENTENCE = "On Tuesday the council approved a new budget for road repairs."


def test_a_free_form_answer_gets_the_span_at_its_place_in_the_article(reader: SpanReader) -> None:
    q = parse_question("What did the council approve on Tuesday?")
    [e] = with_spans(q, [_evidence(TEXT, SENTENCE)], reader)
    assert e.phrase and "budget" in e.phrase and e.phrase in SENTENCE
    assert TEXT[e.phrase_start : e.phrase_end] == e.phrase  # type: ignore[misc]


class _Unsure(SpanReader):
    """Every token equally likely as start and end: sure of no span (pure logic of with_spans)."""

    def read_pairs(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list[SpanScores]:
        out = []
        for _question, sentence in pairs:
            spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", sentence)]
            flat = np.full(len(spans), -np.log(len(spans) + 1), dtype=np.float32)
            out.append(SpanScores(sentence, spans, flat, flat, float(2 * flat[0])))
        return out


def test_an_unsure_reader_leaves_the_sentence_as_the_answer() -> None:
    q = parse_question("What did the council approve on Tuesday?")
    [e] = with_spans(q, [_evidence(TEXT, SENTENCE)], _Unsure())
    assert e.phrase is None


def test_a_typed_question_takes_the_span_on_a_candidate_of_its_type(reader: SpanReader) -> None:
    q = parse_question("When did the council approve the budget?")
    [e] = with_spans(q, [_evidence(TEXT, SENTENCE)], reader)
    assert e.phrase == "Tuesday" and TEXT[e.phrase_start : e.phrase_end] == "Tuesday"  # type: ignore[misc]


class _Sure(SpanReader):
    """Sure of one fixed span of every sentence (pure logic of with_spans)."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def read_pairs(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list[SpanScores]:
        out = []
        for _question, sentence in pairs:
            a = sentence.index(self.words)
            spans = [(a, a + len(self.words))]
            sure = np.zeros(1, dtype=np.float32)  # log 1: probability 1
            out.append(SpanScores(sentence, spans, sure, sure, -10.0))
        return out


def test_a_typed_question_keeps_its_phrase_when_the_span_is_not_of_its_type() -> None:
    q = parse_question("When did the council approve the budget?")
    ev = _evidence(TEXT, SENTENCE)
    assert with_spans(q, [ev], _Sure("road repairs")) == [ev]  # no date in "road repairs"
    [e] = with_spans(q, [ev], _Sure("On Tuesday"))
    assert e.phrase == "On Tuesday"


def test_a_missing_model_is_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(BackendError) as caught:
        SpanReader(tmp_path / "nowhere.onnx").read("Who?", ["Someone did."])
    message = str(caught.value)
    assert "\n" not in message and "nowhere.onnx" in message and "reinstall newsqa" in message


def test_training_pairs_label_the_answer_and_the_best_looking_wrong_sentences(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from train_reader import pairs
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    context = (
        "The ferry was built in Oslo. The ferry carries 300 cars across the fjord. "
        "Its captain, Ada Berg, joined in 2019."
    )
    qas = [
        {
            "id": "1",
            "question": "How many cars does the ferry carry?",
            "is_impossible": False,
            "answers": [{"text": "300", "answer_start": context.index("300")}],
        },
        {"id": "2", "question": "How many trucks does the ferry carry?", "is_impossible": True, "answers": []},
    ]
    squad = tmp_path / "s.json"
    squad.write_text(json.dumps({"data": [{"title": "Ferry", "paragraphs": [{"context": context, "qas": qas}]}]}))
    got = pairs(squad)
    answered = [p for p in got if p.start >= 0]
    assert [(p.sentence[p.start : p.end], p.sentence) for p in answered] == [
        ("300", "The ferry carries 300 cars across the fjord.")
    ]
    first = [p.sentence for p in got if p.question.startswith("How many cars") and p.start < 0]
    assert first == ["The ferry was built in Oslo."]  # shares "ferry" and holds no answer
    impossible = [p.sentence for p in got if p.question.startswith("How many trucks")]
    assert impossible[0] == "The ferry carries 300 cars across the fjord." and len(impossible) == 2
    assert all(p.start < 0 for p in got if p.question.startswith("How many trucks"))
