"""A candidate sentence and its context: the layers (sentence, neighbours, title, topic) a question is matched in.

A sentence that says "the insurgents" still matches a question about the
group named one sentence earlier: each layer counts by where it is found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from qa.article_read import TOPIC_MENTIONS, ArticleRead
from qa.lexicon import related
from qa.names import TextNames
from qa.question import Question
from qa.text import terms
from qa.types import Article, Sentence

# How much a name or word found near a sentence counts, by where it is found:
# referents come before a sentence far more often than after it.
WEIGHT_SENTENCE = 1.0
WEIGHT_BEFORE = (0.7, 0.4)  # one and two sentences back
WEIGHT_AFTER = 0.35
WEIGHT_TITLE = 0.3
WEIGHT_TOPIC = 0.35


class TermIndex(Protocol):
    """What evidence scoring needs from the corpus: how rare a term is, whether it occurs."""

    def idf(self, term: str) -> float: ...

    def known(self, term: str) -> bool: ...


class Layer(NamedTuple):
    """One piece of a candidate's context: the sentence itself, a neighbour, the title, the topic."""

    weight: float
    names: TextNames
    terms: frozenset[str]
    kind: str  # "sentence" | "before1" | "before2" | "after" | "title" | "topic" | "meta"


def text_layer(weight: float, text: str, kind: str) -> Layer:
    return Layer(weight, TextNames(text), frozenset(terms(text)), kind)


@dataclass(frozen=True)
class Candidate:
    question: Question
    article: Article
    sentence: Sentence
    previous: Sentence | None
    layers: list[Layer]
    index: TermIndex
    prior: float

    def near(self, term: str, kinds: tuple[str, ...] = ("sentence", "before1")) -> bool:
        """Whether ``term`` or a synonym is in the given layers."""
        wanted = related(term)
        return any(layer.kind in kinds and wanted & layer.terms for layer in self.layers)


def topic_layer(question: Question, article: Article, read: ArticleRead) -> Layer:
    """The question's names that the whole article is about: in its title or named three times.

    "When did Acme enter the Brazilian market?" is answered by "since Acme entered
    Brazil in 2015" in an article about Acme, though that sentence does not
    name Acme; a name mentioned once elsewhere in the article places nothing.
    """

    def names() -> TextNames:
        title = TextNames(article.title or "")
        topical = [name for name in question.entities if title.has(name) or read.mentions(name) >= TOPIC_MENTIONS]
        return TextNames(" ".join(topical))

    # only read when a sentence's own context does not place a name well enough (see entity_coverage);
    # counting mentions reads every sentence of the article, which most candidates never need
    return Layer(WEIGHT_TOPIC, _LazyNames(names), frozenset(), "topic")


class _LazyNames(TextNames):
    """TextNames built on first look."""

    def __init__(self, build: Callable[[], TextNames]) -> None:
        self._build: Callable[[], TextNames] | None = build
        self._built: TextNames | None = None

    def _names(self) -> TextNames:
        if self._built is None:
            assert self._build is not None
            self._built, self._build = self._build(), None
        return self._built

    def match(self, name: str, forms: tuple[str, ...] | None = None) -> float:
        return self._names().match(name, forms)

    def has(self, name: str, forms: tuple[str, ...] | None = None) -> bool:
        return self._names().has(name, forms)
