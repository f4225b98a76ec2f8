"""The learned span reader: which words of an evidence sentence answer a free-form question."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.encoder import shared_encoder
from qa.evidence import Evidence
from qa.question import parse_question
from qa.span_reader import FEATURES, MIN_PROBABILITY, ReaderWeights, SpanReader, with_spans
from qa.types import Article, Sentence

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reader() -> SpanReader:
    return SpanReader(shared_encoder())


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
    ],
)
def test_the_shipped_reader_picks_the_answer_words(
    reader: SpanReader, question: str, sentence: str, expected: str
) -> None:
    span = reader.read(question, [sentence])[0].best()
    assert span is not None and span.text == expected
    assert sentence[span.start : span.end] == span.text and span.probability >= MIN_PROBABILITY


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


def test_an_unsure_reader_leaves_the_sentence_as_the_answer() -> None:
    flat = np.zeros(FEATURES, dtype=np.float32)  # every span equally likely: sure of none
    unsure = SpanReader(shared_encoder(), ReaderWeights(flat, flat, flat, np.ones(FEATURES, dtype=np.float32)))
    q = parse_question("What did the council approve on Tuesday?")
    [e] = with_spans(q, [_evidence(TEXT, SENTENCE)], unsure)
    assert e.phrase is None


def test_typed_questions_keep_their_typed_phrase(reader: SpanReader) -> None:
    q = parse_question("When did the council approve the budget?")
    ev = _evidence(TEXT, SENTENCE)
    assert with_spans(q, [ev], reader) == [ev]


def test_the_training_script_learns_its_examples(tmp_path: Path) -> None:
    facts = [
        ("Who painted the mural?", "The mural was painted by Ines Okafor over two summers.", "Ines Okafor"),
        ("What did the bakery sell first?", "The bakery first sold rye bread to neighbours.", "rye bread"),
        ("Which river floods the town?", "Each spring the Orrin River floods the old town.", "Orrin River"),
        ("What did the club buy?", "Last year the club bought a minibus for its juniors.", "a minibus"),
        ("Who coaches the team?", "The team is coached by Dario Vell, a former keeper.", "Dario Vell"),
        ("What powers the ferry?", "The new ferry is powered by batteries charged overnight.", "batteries"),
    ]
    paragraphs = [
        {
            "context": s,
            "qas": [
                {
                    "id": str(i),
                    "question": q,
                    "is_impossible": False,
                    "answers": [{"text": a, "answer_start": s.index(a)}],
                }
            ],
        }
        for i, (q, s, a) in enumerate(facts)
    ]
    squad = tmp_path / "tiny.json"
    squad.write_text(json.dumps({"version": "v2.0", "data": [{"title": "T", "paragraphs": paragraphs}]}))
    out = tmp_path / "w.npz"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_span_reader.py"),
            str(squad),
            "--dev",
            str(squad),
            "--out",
            str(out),
            "--epochs",
            "40",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    weights = ReaderWeights.load(out)
    assert weights.start.shape == (FEATURES,)
    f1 = float(run.stdout.split("span F1 ")[1].split(",")[0])
    assert f1 >= 0.9, run.stdout
