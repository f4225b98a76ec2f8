"""Sentence-level evidence: which sentences of the retrieved articles answer the question.

Retrieval ranks chunks; an answer cites sentences. Each candidate sentence is
scored on what the question needs (its names, its words weighted by rarity,
the asked answer type) with its neighbours as context, so a sentence that
says "the union" still matches a question about the union named one
sentence earlier. A sentence that lacks the asked type, a name the question is
about or the asked event is not evidence at all: that is what makes refusals
possible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from qa.article_read import ArticleRead, read_article
from qa.candidate import (
    WEIGHT_AFTER,
    WEIGHT_BEFORE,
    WEIGHT_SENTENCE,
    WEIGHT_TITLE,
    Candidate,
    Layer,
    TermIndex,
    text_layer,
    topic_layer,
)
from qa.claimant import claimant_matches, find_claimant, refers_back
from qa.evidence_checks import MIN_OTHER_COVERAGE, elsewhere, entity_coverage, event_matches, term_coverage
from qa.names import TextNames
from qa.numbers import contains_number
from qa.phrase_finders import PHRASE_FINDERS, mostly_in
from qa.question import Question
from qa.text import stem, words
from qa.types import Article, Sentence

__all__ = ["Evidence", "TermIndex", "find_claimant", "select_evidence"]

_METADATA_LINE = re.compile(r"^\W*(?:published|updated|posted|source|by|written by|credit)\b", re.IGNORECASE)
_METADATA_TERMS = {
    stem(w)
    for w in ("publish", "published", "publication", "outlet", "newspaper", "credited", "byline", "author", "wrote",
              "written", "source", "posted", "updated")
}  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """A sentence that answers the question, with the phrase that answers it."""

    article: Article
    sentence: Sentence
    quote_start: int  # where the cited quote starts: the sentence, or the one before it
    score: float
    phrase: str | None = None  # the answer phrase as written ("nearly 500")
    phrase_start: int | None = None  # absolute offsets of the phrase in the article
    phrase_end: int | None = None
    value: float | None = None  # for counts: the number, to compare figures
    claimant: str | None = None  # who the sentence says claims it ("the union")
    grounded: bool = True  # the asked names are in the sentence or just before it (not only in the title or topic)

    @property
    def quote(self) -> str:
        """The text an answer cites for it: the sentence, from ``quote_start``."""
        return self.article.text[self.quote_start : self.sentence.end]


def select_evidence(
    question: Question,
    articles: Mapping[str, Article],
    priors: Mapping[tuple[str, int], float],
    index: TermIndex,
) -> list[Evidence]:
    """Score the candidate sentences (keys of ``priors``) and return the eligible ones, best first.

    ``priors`` maps (article id, sentence start) to the retrieval score of the
    best chunk holding that sentence, normalised to 0..1.
    """
    chosen = _articles_asked_about(question, articles)
    wants_metadata = bool(_METADATA_TERMS & set(question.terms))
    out: list[Evidence] = []
    for article_id, article in articles.items():
        if chosen and article_id not in chosen:
            continue
        read = read_article(article)
        sentences = read.sentences
        if wants_metadata:
            read = ArticleRead(sorted([*sentences, *_metadata_lines(article)], key=lambda s: s.start))
            sentences = read.sentences
        candidates = []
        for i, sentence in enumerate(sentences):
            prior = priors.get((article_id, sentence.start))
            if prior is None and sentence.paragraph < 0:
                prior = 1.0 if chosen else 0.5  # a metadata line is never in a chunk
            if prior is not None:
                candidates.append((i, prior))
        if not candidates:
            continue
        topic = topic_layer(question, article, read)
        meta = text_layer(1.0, " ".join(x for x in (article.source, article.title) if x), "meta")
        title = text_layer(WEIGHT_TITLE, article.title, "title") if article.title else None
        for i, prior in candidates:
            sentence = sentences[i]
            if read.instruction(i):
                continue
            layers = [Layer(WEIGHT_SENTENCE, *read.part(i), "sentence")]
            for back, weight in enumerate(WEIGHT_BEFORE, start=1):
                if i - back >= 0 and not read.instruction(i - back):
                    layers.append(Layer(weight, *read.part(i - back), f"before{back}"))
            if i + 1 < len(sentences):
                layers.append(Layer(WEIGHT_AFTER, *read.part(i + 1), "after"))
            if title is not None:
                layers.append(title)
            layers += [topic, meta]
            previous = sentences[i - 1] if i > 0 else None
            ev = _score(Candidate(question, article, sentence, previous, layers, index, prior))
            if ev is not None:
                out.append(ev)
    out.sort(key=lambda e: (-e.score, e.article.article_id, e.sentence.start))
    return out


def _articles_asked_about(question: Question, articles: Mapping[str, Article]) -> set[str]:
    """Articles a question singles out by a quoted title or by its outlet ("according to the Post")."""
    chosen: set[str] = set()
    for article_id, article in articles.items():
        title = TextNames(article.title or "")
        if any(len(words(q)) >= 3 and mostly_in(q, title) for q in question.quoted):
            chosen.add(article_id)
        source = TextNames(article.source or "")
        if article.source and any(source.has(c) for c in question.claimants):
            chosen.add(article_id)
    return chosen


def _metadata_lines(article: Article) -> list[Sentence]:
    """The "Published ..." and "Source: ..." lines: citable for questions about the article itself."""
    lines = []
    for start, end in article.boilerplate:
        text = article.text[start:end].strip()
        if text and _METADATA_LINE.match(text):
            offset = article.text.index(text, start)
            lines.append(Sentence(offset, offset + len(text), text, paragraph=-1))
    return lines


def _score(c: Candidate) -> Evidence | None:
    q = c.question
    # every test must pass; the ones that read only the sentence and its neighbours go first, so the one
    # that may read the whole article (whether it is about the asked names, see topic_layer) comes last
    if not event_matches(c) or elsewhere(q, c.sentence.text, c.layers):
        return None
    own_and_before = c.sentence.text + " " + (c.previous.text if c.previous else "")
    if not all(contains_number(own_and_before, n) for n in q.numbers):
        return None
    term_cov = term_coverage(c)
    if q.kind == "other" and term_cov < MIN_OTHER_COVERAGE:
        return None
    claimant = find_claimant(c.sentence.text)
    if claimant is not None and refers_back(claimant):
        # "It said ..." speaks for the sentence before
        claimant = find_claimant(c.previous.text) if c.previous is not None else None
    if not claimant_matches(c, claimant):
        return None
    found = PHRASE_FINDERS[q.kind](c)
    if found is None:
        return None
    entity_cov = entity_coverage(q, c.layers)
    if entity_cov is None:
        return None
    score = 1.5 * entity_cov + 2.5 * term_cov + 1.0 * c.prior + found.strength
    phrase = phrase_start = phrase_end = None
    if found.span is not None:
        phrase_start, phrase_end = found.span
        phrase = c.article.text[phrase_start:phrase_end]
    return Evidence(
        article=c.article,
        sentence=c.sentence,
        quote_start=found.quote_start,
        score=score,
        phrase=phrase,
        phrase_start=phrase_start,
        phrase_end=phrase_end,
        value=found.value,
        claimant=claimant,
        grounded=all(
            any(layer.names.match(p) > 0 for layer in c.layers if layer.kind in ("sentence", "before1", "before2"))
            for p in (*q.entities, *q.places)
        ),
    )
