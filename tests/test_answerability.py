"""The answer gate: whether the best evidence sentence is trusted to answer the question at all."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from qa.answerability import FEATURES, Gate, features, shipped_gate, trusted
from qa.bm25 import BM25Index
from qa.evidence import Evidence
from qa.question import parse_question
from qa.span_reader import shared_reader, with_spans
from qa.types import Article, Sentence

ROOT = Path(__file__).resolve().parents[1]
TEXT = (
    "Harbour works.\n"
    "The council approved a new budget for road repairs on Tuesday. "
    "The harbour bridge was designed by Maria Lopez, an engineer from Valencia. "
    "Its opening is planned for the spring."
)
OTHER = ["The library extended its opening hours.", "A bakery opened on Elm Street.", "The museum shut for a week."]


def _index() -> BM25Index:
    texts = [TEXT, *OTHER]
    return BM25Index.build([([f"c{k}" for k in range(len(texts))], texts)], "g1")


def _evidence(sentence: str, score: float = 1.2) -> Evidence:
    start = TEXT.index(sentence)
    article = Article("a1", TEXT, "h", title="Harbour works")
    return Evidence(article, Sentence(start, start + len(sentence), sentence, 0), start, score)


BRIDGE = "The harbour bridge was designed by Maria Lopez, an engineer from Valencia."


def _read(question: str, sentence: str) -> list[Evidence]:
    """The evidence as the assistant hands it to the gate: with the reader's answer phrase."""
    return with_spans(parse_question(question), [_evidence(sentence)], shared_reader())


def test_a_gate_on_the_missing_wording_refuses_a_sentence_that_leaves_the_question_out() -> None:
    """Pure logic: a gate that reads only the share of the question's wording missing from the context."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("bias")] = 2.0
    weights[FEATURES.index("missing_share_context")] = -4.0
    gate = Gate(weights, threshold=0.5)
    index = _index()
    asked = parse_question("Who designed the harbour bridge?")
    told = parse_question("Who painted the lighthouse mural?")
    ev = [_evidence(BRIDGE)]
    assert trusted(asked, ev, index, True, gate)
    assert not trusted(told, ev, index, True, gate)
    assert not trusted(asked, [], index, True, gate)  # no evidence is never trusted


def test_the_features_say_what_the_sentence_leaves_out() -> None:
    index = _index()
    ev = [_evidence(BRIDGE)]
    full = features(parse_question("Who designed the harbour bridge?"), ev, index, True)
    part = features(parse_question("Who designed the harbour tunnel?"), ev, index, True)
    share = FEATURES.index("missing_share_context")
    assert full[share] == 0.0 and 0.0 < part[share] < 1.0
    assert part[FEATURES.index("max_missing_idf")] == pytest.approx(index.idf("tunnel"))
    assert len(full) == len(FEATURES)


def test_the_shipped_gate_trusts_an_answering_sentence_more_than_one_beside_the_question() -> None:
    gate = shipped_gate()
    assert gate is not None, "qa/models/answerability.json must ship with the package"
    index = _index()
    answers = parse_question("Who designed the harbour bridge?")
    beside = parse_question("Who designed the lighthouse mural in Valencia?")
    evidence, other = _read(answers.text, BRIDGE), _read(beside.text, BRIDGE)
    p_answers = gate.probability(features(answers, evidence, index, True))
    p_beside = gate.probability(features(beside, other, index, True))
    assert p_answers > p_beside
    assert trusted(answers, evidence, index, True)


def test_fitting_finds_the_separating_direction_and_the_threshold_keeps_the_budget() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from train_answerability import choose_threshold, fit

    rng = np.random.default_rng(0)
    signal = rng.normal(size=400)
    x = np.column_stack([np.ones(400), signal, rng.normal(size=400)])
    y = (signal + 0.3 * rng.normal(size=400) > 0).astype(float)
    w = fit(x, y)
    assert w[1] > 1.0 and abs(w[2]) < 0.5 * w[1]
    p = 1 / (1 + np.exp(-(x @ w)))
    unanswerable = y == 0
    t = choose_threshold(p, unanswerable, answerable_total=200, budget=0.05)
    assert ((p < t) & ~unanswerable).sum() <= 10
    assert ((p < t) & unanswerable).sum() > 100
