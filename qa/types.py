"""The values that cross module boundaries: articles in, answers out.

All of them are small frozen dataclasses so they can be hashed, compared in
tests and turned into JSON with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Span = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One news article, its text exactly as read (citations index into it)."""

    article_id: str
    text: str
    content_hash: str
    title: str | None = None
    source: str | None = None  # the outlet, e.g. "The Washington Post"
    published: str | None = None  # ISO 8601 date (or date-time) when known
    url: str | None = None  # for a web page: its canonical URL
    path: str | None = None  # the file (or the URL) it came from
    author: str | None = None  # the byline, when the page or file names one
    # Character spans of page debris (share buttons, "Published ..." lines,
    # the headline, a "Source: ..." footer): kept in ``text`` so offsets stay
    # true, but never chunked or cited as evidence.
    boilerplate: tuple[Span, ...] = ()
    # Its sentences and names as read at ingest (see qa.reading); None: read when needed.
    # Derived from the text, so never compared.
    reading: Reading | None = field(default=None, compare=False, repr=False)


# An article's sentence vectors, by the sentence's start offset (unit rows of the store's embedder).
SentenceVectors = Mapping[int, "npt.NDArray[np.float32]"]


@dataclass(frozen=True)
class Reading:
    """What was read from an article's text once and is kept with it (see :mod:`qa.reading`)."""

    reader: str  # the code that read it: a reading by other code is read again
    sentences: tuple[tuple[int, int, int], ...]  # (start, end, paragraph) of each sentence
    acronyms: tuple[frozenset[str], ...]  # for each sentence, the acronyms of the names in it
    instructions: frozenset[int] = frozenset()  # the sentences that address a model (qa.hygiene): never evidence


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph the sentence sits in


@dataclass(frozen=True)
class Chunk:
    """The unit stored in Chroma and BM25: whole sentences of one paragraph."""

    chunk_id: str
    article_id: str
    index: int  # position of the chunk in its article
    start: int
    end: int
    text: str  # == article.text[start:end]
    sentences: tuple[Span, ...]  # absolute offsets of the sentences inside


@dataclass(frozen=True)
class Citation:
    """A verbatim quote of one article: ``quote == article.text[start:end]``."""

    marker: int  # the [n] used in Answer.text
    article_id: str
    quote: str
    start: int
    end: int
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    figure: str | None = None  # the answer phrase this quote gives, e.g. "nearly 500"
    claimant: str | None = None  # who the quote attributes the figure to, when it says


@dataclass(frozen=True)
class SentenceSupport:
    """One sentence of a generated answer and whether what it cites backs it."""

    text: str
    markers: list[int]  # the citations it cites
    supported: bool
    unsupported: list[str] = field(default_factory=list)  # numbers and names not found in what it cites


@dataclass(frozen=True)
class Answer:
    """What :meth:`qa.Assistant.ask` returns."""

    question: str
    text: str
    refused: bool
    conflict: bool
    citations: list[Citation] = field(default_factory=list)
    short: str | None = None  # the answer phrase alone ("500"), when there is one
    mode: str = "extractive"
    standalone: str | None = None  # the follow-up as it was understood, when it was rewritten
    sentences: list[SentenceSupport] = field(default_factory=list)  # per-sentence support (LLM answers)
    notes: list[str] = field(default_factory=list)  # what the checks changed: dropped markers, fallbacks
    rejected: str | None = None  # a model answer that failed the checks and is not shown as the answer
    rejected_sentences: list[SentenceSupport] = field(default_factory=list)  # its sentences, each with support


# duplicate: the same text as an article already stored or earlier in the batch (not an error);
# rejected: the file could not be read or holds no article (an error)
IngestStatus = Literal["added", "updated", "unchanged", "duplicate", "rejected", "removed"]


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file (or one record of a JSON/JSONL file)."""

    path: str
    status: IngestStatus
    article_id: str | None = None
    reason: str | None = None  # why it was rejected (or is a duplicate), in words a user can act on
    chunks: int = 0


@dataclass(frozen=True)
class IngestReport:
    """Per-file results of one :meth:`qa.Assistant.ingest` call."""

    results: list[IngestResult]

    def count(self, status: IngestStatus) -> int:
        """How many results have ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        """True when every file was added, updated, unchanged or a duplicate: nothing was rejected."""
        return self.count("rejected") == 0

    def summary(self) -> str:
        """One line: ``2 added, 0 updated, 1 unchanged, 0 rejected`` (``, 3 duplicate`` before rejected when any)."""
        shown: tuple[IngestStatus, ...] = ("added", "updated", "unchanged", "duplicate", "rejected")
        parts = [f"{self.count(s)} {s}" for s in shown if s != "duplicate" or self.count(s)]
        return ", ".join(parts)


@dataclass(frozen=True)
class ArticleInfo:
    """An article as listed by :meth:`qa.Assistant.list_articles`."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    path: str | None
    chunks: int
    content_hash: str
    added: str | None = None  # when it was last written (ISO 8601, UTC); None in stores older than the field
