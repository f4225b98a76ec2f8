"""Citations: built from evidence, checked against the article they cite.

Two checks, used for every answer whatever produced it:

* the quote is verbatim: ``article.text[start:end] == quote``;
* an answer sentence is supported only if every number in it appears in the
  sentences it cites, and every name there or in their metadata (title,
  outlet, date: an attribution may name the outlet).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.evidence import Evidence
from qa.name_spans import find_names
from qa.names import TextNames
from qa.numbers import contains_number, find_quantities
from qa.types import Article, Citation


def make_citation(marker: int, evidence: Evidence) -> Citation:
    """The citation of one evidence sentence."""
    article, sentence = evidence.article, evidence.sentence
    return Citation(
        marker=marker,
        article_id=article.article_id,
        quote=evidence.quote,
        start=evidence.quote_start,
        end=sentence.end,
        title=article.title,
        source=article.source,
        published=article.published,
        url=article.url,
        path=article.path,
        figure=evidence.phrase,
        claimant=evidence.claimant,
    )


def quote_is_verbatim(article: Article, citation: Citation) -> bool:
    """True when the quote is exactly the article's text at its offsets."""
    return article.article_id == citation.article_id and article.text[citation.start : citation.end] == citation.quote


def unsupported_claims(sentence: str, cited: Sequence[Citation]) -> list[str]:
    """Numbers and names in ``sentence`` that none of ``cited`` contains (empty list: supported)."""
    if not cited:
        return ["(no citation)"]
    quotes = " ".join(c.quote for c in cited)
    meta = " ".join(x for c in cited for x in (c.title, c.source, c.published, c.claimant) if x)
    support = TextNames(quotes + " " + meta)
    missing: list[str] = []
    for q in find_quantities(sentence):
        # a figure must be in the cited sentence itself: a headline's "nearly 50" supports nothing
        if q.kind in ("count", "percent", "money") and not contains_number(quotes, q.value):
            missing.append(q.text)
    for s, e in find_names(sentence):
        name = sentence[s:e]
        if not support.has(name):
            missing.append(name)
    return missing


MARKER_RE = re.compile(r"\[(\d{1,3})\]")


def markers_in(text: str) -> list[int]:
    """The citation markers [n] used in ``text``, in order of first use."""
    return list(dict.fromkeys(int(m) for m in MARKER_RE.findall(text)))
