"""A learned span reader: which words of an evidence sentence answer the question.

The bundled MiniLM encoder reads ``[CLS] question [SEP] sentence [SEP]`` once;
each sentence token gets a feature row: its contextual state, that state times
the question's mean state (what the question attends to), and general shape
features (capitalised, digit, stopword, punctuation, a question word, how far
from the nearest question word) crossed with the question's wh-word. Two
linear scorers trained on SQuAD 2.0's train sample (``scripts/train_span_reader.py``)
give each token a start and an end score; the answer is the best start/end
pair at most :data:`MAX_SPAN_TOKENS` apart, and its probability (softmax of
start times softmax of end) says how sure the reader is. No vocabulary of any
topic: the features are the model's states and word shapes.

Measured (dev half of SQuAD 2.0, never trained on, sentence holding the answer
given): token F1 of the span 0.44 where the whole sentence scores 0.27.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from qa.answer_phrase import is_typed
from qa.evidence import Evidence
from qa.question import Question
from qa.text import STOPWORDS, fold, terms

if TYPE_CHECKING:
    from qa.encoder import MiniLMEncoder, PairStates

WEIGHTS = Path(__file__).parent / "models" / "span_reader.npz"
MAX_SPAN_TOKENS = 15
READ_SENTENCES = 3  # the best evidence sentences read for a free-form question
MIN_PROBABILITY = 0.1  # a less sure span is not shown: the sentence is quoted instead
# The question's wh-word, first match wins (grammar, not topic): crossed with each token's shape.
WH_WORDS = (
    "how many",
    "how much",
    "how long",
    "how old",
    "what year",
    "when",
    "who",
    "whom",
    "whose",
    "where",
    "which",
    "why",
    "how",
    "what",
)
_WH = [re.compile(rf"\b{w}\b") for w in WH_WORDS]
_PUNCTUATION = frozenset(string.punctuation)
_SHAPES = 6  # the first shape features, crossed with the wh-word
FEATURES = 2 * 384 + 12 + 6 + (len(WH_WORDS) + 1) * _SHAPES


def wh_index(question: str) -> int:
    """Index of the question's wh-word in :data:`WH_WORDS` (``len(WH_WORDS)``: none)."""
    low = question.lower()
    return next((i for i, pattern in enumerate(_WH) if pattern.search(low)), len(WH_WORDS))


def _word_at(text: str, start: int, end: int) -> str:
    """The whole word around the token at ``start:end`` (word pieces share their word's shape)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def features(question: str, sentence: str, states: PairStates) -> npt.NDArray[np.float32]:
    """One feature row per sentence token of ``states`` (see the module docstring)."""
    hidden = states.hidden
    context = states.context
    qbar = hidden[states.question].mean(axis=0)
    asked = set(terms(question)) | {fold(w) for w in re.findall(r"\w+", question)}
    words = [_word_at(sentence, *states.offsets[i]) for i in context]
    low = [fold(w) for w in words]
    in_question = np.array([w in asked and w not in STOPWORDS for w in low], dtype=np.float32)
    n = len(context)
    hits = np.flatnonzero(in_question)
    positions = np.arange(n)
    if len(hits):
        distance = np.abs(positions[:, None] - hits[None, :]).min(axis=1).astype(np.float32)
    else:
        distance = np.full(n, 30.0, dtype=np.float32)
    wh = np.zeros(len(WH_WORDS) + 1, dtype=np.float32)
    wh[wh_index(question)] = 1.0
    rows = np.empty((n, FEATURES), dtype=np.float32)
    rows[:, :384] = hidden[context]
    rows[:, 384:768] = hidden[context] * qbar
    for j, i in enumerate(context):
        word, token = words[j], states.tokens[i]
        d = distance[j]
        shape = [
            word[:1].isupper(),
            any(c.isdigit() for c in word),
            low[j] in STOPWORDS,
            all(c in _PUNCTUATION for c in token),
            token.startswith("##"),
            in_question[j],
            d <= 1,
            1 < d <= 3,
            3 < d <= 8,
            d > 8,
            j == 0,
            1.0,
        ]
        before = words[j - 1] if j else ""
        after = words[j + 1] if j + 1 < n else ""
        neighbours = [
            in_question[j - 1] if j else 0.0,
            in_question[j + 1] if j + 1 < n else 0.0,
            before[:1].isupper(),
            after[:1].isupper(),
            before in (",", "("),
            after in (",", ")", "."),
        ]
        crossed = np.outer(wh, np.asarray(shape[:_SHAPES], dtype=np.float32)).ravel()
        rows[j, 768:780] = shape
        rows[j, 780:786] = neighbours
        rows[j, 786:] = crossed
    return rows


@dataclass(frozen=True)
class ReadSpan:
    """The reader's answer in one sentence: character offsets in it, and how sure it is (0 to 1)."""

    start: int
    end: int
    text: str
    probability: float


@dataclass(frozen=True)
class ReaderWeights:
    """The two linear scorers and the feature scaling they were trained with."""

    start: npt.NDArray[np.float32]
    end: npt.NDArray[np.float32]
    mean: npt.NDArray[np.float32]
    scale: npt.NDArray[np.float32]

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ReaderWeights:
        with np.load(path) as data:
            return cls(data["start"], data["end"], data["mean"], data["scale"])

    def save(self, path: Path) -> None:
        np.savez(path, start=self.start, end=self.end, mean=self.mean, scale=self.scale)

    def scores(self, rows: npt.NDArray[np.float32]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Start and end scores of each row."""
        scaled = ((rows - self.mean) / self.scale).astype(np.float32)
        return (scaled @ self.start).astype(np.float32), (scaled @ self.end).astype(np.float32)


@functools.cache
def shipped_weights() -> ReaderWeights:
    """The weights inside the package, read once per process."""
    return ReaderWeights.load(WEIGHTS)


def _softmax(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    if not len(x):
        return x
    e = np.exp(x - x.max())
    out: npt.NDArray[np.float32] = (e / e.sum()).astype(np.float32)
    return out


@dataclass(frozen=True)
class SpanScores:
    """The reader's start and end probabilities over one sentence's tokens."""

    sentence: str
    spans: list[tuple[int, int]]  # character offsets of each token in the sentence
    start: npt.NDArray[np.float32]
    end: npt.NDArray[np.float32]

    def best(self) -> ReadSpan | None:
        """The start/end pair with the highest joint probability, at most :data:`MAX_SPAN_TOKENS` apart."""
        if not len(self.start):
            return None
        joint = np.outer(self.start, self.end)
        joint = np.triu(joint) - np.triu(joint, k=MAX_SPAN_TOKENS)
        i, j = np.unravel_index(int(joint.argmax()), joint.shape)
        a, b = self.spans[int(i)][0], self.spans[int(j)][1]
        return ReadSpan(a, b, self.sentence[a:b], float(joint[i, j]))


class SpanReader:
    """Reads the answer span of sentences with the bundled encoder and the shipped weights."""

    def __init__(self, encoder: MiniLMEncoder, weights: ReaderWeights | None = None) -> None:
        self._encoder = encoder
        self._weights = weights

    @property
    def weights(self) -> ReaderWeights:
        if self._weights is None:
            self._weights = shipped_weights()
        return self._weights

    def read(self, question: str, sentences: Sequence[str]) -> list[SpanScores]:
        """How the answer to ``question`` is spread over each sentence's tokens."""
        out = []
        for sentence, states in zip(sentences, self._encoder.pair_states(question, sentences), strict=True):
            start, end = self.weights.scores(features(question, sentence, states))
            spans = [states.offsets[i] for i in states.context]
            out.append(SpanScores(sentence, spans, _softmax(start), _softmax(end)))
        return out


def with_spans(question: Question, evidence: list[Evidence], reader: SpanReader) -> list[Evidence]:
    """``evidence`` with the reader's span as the phrase of each of the best free-form sentences.

    Only for a question that asks for no particular type of phrase ("what",
    "why", "which"): names, dates and figures are typed candidates
    (``qa.answer_phrase``), which the reader did not choose better among on
    SQuAD 2.0's dev half. A span the reader is not sure of (below
    :data:`MIN_PROBABILITY`) is not shown: the sentence stays the answer, quoted.
    """
    todo = [k for k, e in enumerate(evidence[:READ_SENTENCES]) if e.phrase is None]
    if not todo or is_typed(question):
        return evidence
    readings = reader.read(question.text, [evidence[k].sentence.text for k in todo])
    out = list(evidence)
    for k, reading in zip(todo, readings, strict=True):
        span = reading.best()
        if span is None or span.probability < MIN_PROBABILITY:
            continue
        base = evidence[k].sentence.start
        out[k] = replace(out[k], phrase=span.text, phrase_start=base + span.start, phrase_end=base + span.end)
    return out
