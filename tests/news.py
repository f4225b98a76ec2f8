"""Invented news articles shared by the evidence and answer tests: one fire, two sources."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from qa.bm25 import BM25Index
from qa.chunking import article_sentences, chunk_article, embedded_text
from qa.evidence import Evidence, select_evidence
from qa.question import Question, parse_question
from qa.types import Article


def make_article(article_id: str, title: str, body: str, source: str, published: str) -> Article:
    """An article whose headline is page debris, as the loaders mark it."""
    text = f"{title}\n\n{body}"
    return Article(
        article_id=article_id,
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),  # articles are read once per id and hash
        title=title,
        source=source,
        published=published,
        boilerplate=((0, len(title)),),
    )


FIRE = make_article(
    "fire-service",
    "Fire guts Verano plant",
    "A fire broke out at the Verano chemical plant in Lessing on Tuesday night. "
    "The fire at the Verano plant killed 12 workers, the fire service said. "
    "Two engines and 40 firefighters were sent to the site.",
    "Lessing Courier",
    "2024-03-06",
)
HOSPITAL = make_article(
    "hospital",
    "Hospital reports deaths after Verano blaze",
    "Hospital officials said 15 workers died in the Verano plant fire. "
    "Another eight workers were treated for smoke inhalation at St Agnes Hospital.",
    "Valley Herald",
    "2024-03-07",
)


def bm25_of(articles: Mapping[str, Article]) -> BM25Index:
    """A BM25 index over the articles' chunks, as ingest builds it."""
    pages = []
    for a in articles.values():
        chunks = chunk_article(a)
        pages.append(([c.chunk_id for c in chunks], [embedded_text(a, c) for c in chunks]))
    return BM25Index.build(pages, "test")


def find_evidence(
    question: str, *articles: Article, priors: dict[tuple[str, int], float] | None = None
) -> tuple[Question, list[Evidence]]:
    """Evidence for ``question`` with every sentence a candidate (unless ``priors`` says otherwise)."""
    by_id = {a.article_id: a for a in articles}
    if priors is None:
        priors = {(a.article_id, s.start): 1.0 for a in articles for s in article_sentences(a)}
    q = parse_question(question)
    return q, select_evidence(q, by_id, priors, bm25_of(by_id))
