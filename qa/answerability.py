"""Whether the best evidence sentence answers the question at all: a learned check before answering.

The rules and the ranker choose the best sentence; this says how likely it is
that the sentence really answers, from general signals of the pair: how much of
the question's rarity-weighted wording the sentence (and its context) leaves
out, the rarest word it leaves out, the evidence score and its lead over the
next sentence, whether an answer phrase of the asked type was found and how much
of it the question already says, and the asked answer type. No vocabulary of
any topic.

The weights are a logistic regression fitted by ``scripts/train_answerability.py``
on the SQuAD 2.0 train sample (answers the pipeline gave, labelled right or
wrong; unanswerable questions are wrong by definition) and shipped in
``qa/models/answerability.json``; they are measured on the dev half, never
trained on it. The span reader's confidence is not a feature: the reader was
trained on that same sample, where it separates right answers from unanswerable
questions far better (ROC AUC 0.92) than on text it never saw (0.68 on the dev
half), so a gate fitted on it would trust it too much.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa.article_read import read_article
from qa.candidate import TermIndex
from qa.evidence import Evidence
from qa.negation import negated
from qa.question import Question
from qa.text import terms

MODEL = Path(__file__).parent / "models" / "answerability.json"
FEATURES = (
    "bias",
    "general",
    "score_general",
    "score_rules",
    "missing_share_sentence",
    "missing_share_context",
    "max_missing_idf",
    "question_terms",
    "negated",
    "typed_phrase",
    "kind_count",
    "kind_person",
    "kind_date",
    "kind_place",
    "lead",
    "phrase_in_question",
)


@dataclass(frozen=True)
class Gate:
    """Weights over :data:`FEATURES` and the probability below which the best sentence is not trusted."""

    weights: npt.NDArray[np.float64]
    threshold: float

    def probability(self, x: npt.NDArray[np.float64]) -> float:
        """How likely the evidence whose features are ``x`` answers its question (0 to 1)."""
        z = float(np.clip(x @ self.weights, -30.0, 30.0))
        return 1.0 / (1.0 + math.exp(-z))


@functools.cache
def shipped_gate() -> Gate | None:
    """The shipped gate, or None where no model file ships (every answer then passes)."""
    if not MODEL.is_file():
        return None
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:  # a model of another feature set must not be misread
        return None
    return Gate(np.asarray(data["weights"], dtype=np.float64), float(data["threshold"]))


def _context_terms(e: Evidence) -> tuple[frozenset[str], frozenset[str]]:
    """The terms of the evidence sentence, and of it with the sentence before it and its article's title.

    A sentence's terms are those the scorers read, kept per article (``qa.article_read``): nothing is read twice.
    """
    read = read_article(e.article)
    starts = [s.start for s in read.sentences]
    i = bisect.bisect_left(starts, e.sentence.start)
    if i < len(starts) and starts[i] == e.sentence.start:
        own, before = read.part(i)[1], read.part(i - 1)[1] if i else frozenset()
    else:  # not one of the article's sentences as split at ingest
        own, before = frozenset(terms(e.sentence.text)), frozenset()
    return own, own | before | frozenset(terms(e.article.title or ""))


def _share_asked(phrase: str, asked: set[str]) -> float:
    """The share of the answer phrase's words that the question already says."""
    said = terms(phrase)
    return sum(1 for t in said if t in asked) / len(said) if said else 0.0


def features(question: Question, evidence: list[Evidence], index: TermIndex, general: bool) -> npt.NDArray[np.float64]:
    """The signals of :data:`FEATURES` for the best of ``evidence`` (not empty), as the gate reads them."""
    best = evidence[0]
    asked = list(dict.fromkeys(t for t in question.terms if not t[:1].isdigit()))
    idf = {t: index.idf(t) for t in asked}
    total = sum(idf.values()) or 1.0
    in_sentence, in_context = _context_terms(best)
    missing_sentence = [t for t in asked if t not in in_sentence]
    missing_context = [t for t in asked if t not in in_context]
    lead = best.score - evidence[1].score if len(evidence) > 1 else 1.0
    x = [
        1.0,
        float(general),
        best.score if general else 0.0,
        0.0 if general else best.score,
        sum(idf[t] for t in missing_sentence) / total,
        sum(idf[t] for t in missing_context) / total,
        max((idf[t] for t in missing_context), default=0.0),
        math.log1p(len(asked)),
        float(negated(question.text)),
        float(best.phrase is not None),
        float(question.kind == "count"),
        float(question.kind == "person"),
        float(question.kind == "date"),
        float(question.kind == "place"),
        float(np.clip(lead, 0.0, 1.0)),
        _share_asked(best.phrase, set(asked)) if best.phrase else 0.0,
    ]
    return np.asarray(x, dtype=np.float64)


def trusted(
    question: Question,
    evidence: list[Evidence],
    index: TermIndex,
    general: bool,
    gate: Gate | None = None,
) -> bool:
    """Whether the best of ``evidence`` is likely enough to answer ``question`` to be shown (no evidence: no)."""
    if not evidence:
        return False
    gate = gate or shipped_gate()
    if gate is None:
        return True
    return gate.probability(features(question, evidence, index, general)) >= gate.threshold
