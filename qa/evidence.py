"""Sentence-level evidence: which sentences of the retrieved articles answer the question.

Retrieval ranks chunks; an answer cites sentences. Each candidate sentence is
scored on what the question needs (its names, its words weighted by rarity,
the asked answer type) with its neighbours as context, so a sentence that
says "the insurgents" still matches a question about the group named one
sentence earlier. A sentence that lacks the asked type or a name the question
is about is not evidence at all: that is what makes refusals possible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from qa.chunking import article_sentences
from qa.names import TextNames, is_acronym
from qa.numbers import Quantity, find_quantities
from qa.question import Question, accepts, find_names
from qa.text import fold, stem, terms, words
from qa.types import Article, Sentence

CONTEXT_BEFORE = 2  # sentences before a candidate that lend it their names
CONTEXT_AFTER = 1

# A question's verb is found in its evidence under these other words too.
PREDICATE_SYNONYMS: dict[str, set[str]] = {
    "kill": {"die", "slain", "slay", "toll", "death", "live", "dead", "casualty"},
    "die": {"kill", "slain", "slay", "toll", "death", "live", "dead", "casualty"},
    "wound": {"injur", "hurt"},
    "injur": {"wound", "hurt"},
    "besieg": {"siege", "encircl", "surround", "trap"},
    "attack": {"ambush", "assault", "raid", "strike", "offensive"},
    "ambush": {"attack", "assault"},
    "capture": {"seize", "take", "control"},
    "seize": {"capture", "take"},
}

_DATE_RE = re.compile(
    r"\b(?:(?:early |late )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:night|morning|"
    r"afternoon|evening))?|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?: \d{1,2})?(?:,? \d{4})?|\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?: \d{4})?|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|"
    r"(?:in|since|by|until) (?:19|20)\d{2}|(?:last|next|this) (?:week|month|year|night)|yesterday|today|"
    r"over the last (?:\w+ )?(?:days|weeks|months))\b"
)
_PLACE_PREPOSITIONS = ("in", "near", "at", "from", "of", "outside", "inside", "to", "into", "across", "around")


@dataclass(frozen=True)
class Evidence:
    """A sentence that answers the question, with the phrase that answers it."""

    article: Article
    sentence: Sentence
    score: float
    phrase: str | None = None  # the answer phrase as written ("nearly 500")
    phrase_start: int | None = None  # absolute offsets of the phrase in the article
    phrase_end: int | None = None
    value: float | None = None  # for counts: the number, to compare figures
    claimant: str | None = None  # who the sentence says claims it ("the Observatory")


@dataclass(frozen=True)
class _Context:
    sentence: TextNames
    around: TextNames
    title: TextNames
    sentence_terms: frozenset[str]
    around_terms: frozenset[str]


def select_evidence(
    question: Question,
    articles: Mapping[str, Article],
    priors: Mapping[tuple[str, int], float],
    idf: Callable[[str], float],
) -> list[Evidence]:
    """Score the candidate sentences (keys of ``priors``) and return the eligible ones, best first.

    ``priors`` maps (article id, sentence start) to the retrieval score of the
    best chunk holding that sentence, normalised to 0..1.
    """
    out: list[Evidence] = []
    for article_id, article in articles.items():
        sentences = article_sentences(article)
        title = TextNames(article.title or "")
        for i, sentence in enumerate(sentences):
            prior = priors.get((article_id, sentence.start))
            if prior is None:
                continue
            around = sentences[max(0, i - CONTEXT_BEFORE) : i] + sentences[i + 1 : i + 1 + CONTEXT_AFTER]
            around_text = " ".join(s.text for s in around)
            ctx = _Context(
                sentence=TextNames(sentence.text),
                around=TextNames(around_text),
                title=title,
                sentence_terms=frozenset(terms(sentence.text)),
                around_terms=frozenset(terms(around_text)),
            )
            ev = _score(question, article, sentence, ctx, prior, idf)
            if ev is not None:
                out.append(ev)
    out.sort(key=lambda e: (-e.score, e.article.article_id, e.sentence.start))
    return out


def _entity_coverage(question: Question, ctx: _Context) -> float | None:
    """Mean over the question's names of where each is found; None when one is missing."""
    if not question.entities:
        return 1.0
    total = 0.0
    for name in question.entities:
        if ctx.sentence.has(name):
            total += 1.0
        elif ctx.around.has(name):
            total += 0.75
        elif ctx.title.has(name):
            total += 0.5
        else:
            return None
    return total / len(question.entities)


def _has_term(term: str, found: frozenset[str]) -> bool:
    return term in found or bool(PREDICATE_SYNONYMS.get(term, set()) & found)


def _term_coverage(question: Question, ctx: _Context, idf: Callable[[str], float]) -> float:
    weights = {t: idf(t) for t in question.terms}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    got = 0.0
    for t, w in weights.items():
        if _has_term(t, ctx.sentence_terms):
            got += w
        elif _has_term(t, ctx.around_terms):
            got += 0.5 * w
    return got / total


def _score(
    question: Question,
    article: Article,
    sentence: Sentence,
    ctx: _Context,
    prior: float,
    idf: Callable[[str], float],
) -> Evidence | None:
    entity_cov = _entity_coverage(question, ctx)
    if entity_cov is None:
        return None
    term_cov = _term_coverage(question, ctx, idf)
    predicates = question.predicate_terms
    if predicates and not any(_has_term(t, ctx.sentence_terms) for t in predicates):
        # the sentence must say the asked thing happened, not only name its actors
        if question.kind in ("count", "date") or term_cov < 0.5:
            return None
    finder = _PHRASE_FINDERS[question.kind]
    found = finder(question, article, sentence)
    if found is None:
        return None
    phrase_rel, value, strength = found
    if question.kind == "other" and term_cov < 0.45:
        return None
    score = 2.0 * entity_cov + 2.0 * term_cov + 1.0 * prior + strength
    phrase = phrase_start = phrase_end = None
    if phrase_rel is not None:
        s, e = phrase_rel
        phrase = sentence.text[s:e]
        phrase_start, phrase_end = sentence.start + s, sentence.start + e
    return Evidence(
        article=article,
        sentence=sentence,
        score=score,
        phrase=phrase,
        phrase_start=phrase_start,
        phrase_end=phrase_end,
        value=value,
        claimant=find_claimant(sentence.text),
    )


_Found = tuple[tuple[int, int] | None, float | None, float] | None


def _count_phrase(question: Question, article: Article, sentence: Sentence) -> _Found:
    best: _Found = None
    for q in find_quantities(sentence.text):
        if q.kind != "count":
            continue
        distance = _attached(question, sentence.text, q)
        if distance is None:
            continue
        strength = 1.5 if distance == 0 else 1.2
        if best is None or strength > best[2]:
            best = ((q.start, q.end), q.value, strength)
    return best


def _attached(question: Question, text: str, q: Quantity) -> int | None:
    """How many modifier words stand between a count and the asked noun (None: not attached)."""
    tail = text[q.end :]
    # a count ends at punctuation: "two battalions, made up of 500 soldiers" gives two battalions
    stop = re.search(r"[,.;:()\u2013\u2014]| - ", tail)
    tail = tail[: stop.start()] if stop else tail
    following = words(tail)[:5]
    if not question.focus:
        return 0 if following else None
    for distance, word in enumerate(following):
        w = fold(word)
        if w in ("of",) and distance == 0:
            continue  # "dozens of soldiers"
        if accepts(question.focus, stem(w)):
            return distance
        if w in ("and", "or", "who", "which", "that", "were", "was", "in", "on", "at", "from", "by"):
            break
    return None


def _name_phrase(question: Question, article: Article, sentence: Sentence) -> _Found:
    asked = {fold(e) for e in question.entities}
    candidates: list[tuple[int, int]] = []
    for s, e in find_names(sentence.text, skip_first=False):
        name = sentence.text[s:e]
        if fold(name) in asked or any(TextNames(name).has(q) for q in question.entities if not is_acronym(q)):
            continue
        if s == 0 and " " not in name.strip() and not _capitalised_elsewhere(article, name):
            continue  # "Meanwhile", "Heavy": capitalised only because they start the sentence
        candidates.append((s, e))
    if not candidates:
        return None
    return _nearest_to_predicate(question, sentence.text, candidates), None, 1.0


def _place_phrase(question: Question, article: Article, sentence: Sentence) -> _Found:
    found = _name_phrase(question, article, sentence)
    if found is None or found[0] is None:
        return None
    places = []
    for s, e in find_names(sentence.text, skip_first=False):
        before = words(sentence.text[max(0, s - 12) : s])
        if before and fold(before[-1]) in _PLACE_PREPOSITIONS and fold(sentence.text[s:e]) not in {
            fold(n) for n in question.entities
        }:
            places.append((s, e))
    if not places:
        return None
    return _nearest_to_predicate(question, sentence.text, places), None, 1.0


def _date_phrase(question: Question, article: Article, sentence: Sentence) -> _Found:
    spans = [(m.start(), m.end()) for m in _DATE_RE.finditer(sentence.text)]
    if not spans:
        return None
    return _nearest_to_predicate(question, sentence.text, spans), None, 1.0


def _other_phrase(question: Question, article: Article, sentence: Sentence) -> _Found:
    return None, None, 0.0


_PHRASE_FINDERS: dict[str, Callable[[Question, Article, Sentence], _Found]] = {
    "count": _count_phrase,
    "person": _name_phrase,
    "place": _place_phrase,
    "date": _date_phrase,
    "other": _other_phrase,
}


def _capitalised_elsewhere(article: Article, word: str) -> bool:
    return re.search(r"[a-z,;] " + re.escape(word.strip()) + r"\b", article.text) is not None


def _nearest_to_predicate(question: Question, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    anchors = [
        m.start()
        for m in re.finditer(r"[^\W_]+", text)
        if _has_term(stem(m.group()), frozenset(question.predicate_terms))
    ]
    if not anchors:
        return spans[0]
    return min(spans, key=lambda sp: min(abs(sp[0] - a) for a in anchors))


_CLAIM_VERBS = r"(?:said|says|reported|reports|claimed|claims|told|added|announced|stated|confirmed)"


def find_claimant(text: str) -> str | None:
    """Who a sentence attributes its claim to: 'the Observatory', 'Baladi news (quoting an HTS operative)'."""
    who: str | None = None
    m = re.search(r"\baccording to ((?:the )?[^,.;]{2,60})", text)
    if m:
        who = m.group(1)
    if who is None:
        # ", the Observatory said." at the end
        m = re.search(r",\s+((?:the\s+)?[A-Z][^,.;]{1,60}?)\s+" + _CLAIM_VERBS + r"\s*[.!]?[\"”]?$", text)
        if m:
            who = m.group(1)
    if who is None:
        # "The Observatory said ...", "Baladi news, an activist-operated news site, said ..."
        m = re.match(r"^((?:The\s+)?[A-Z][^,.;]{1,60}?)(?:,[^,]{1,80},)?\s+" + _CLAIM_VERBS + r"\b", text)
        if m and len(m.group(1).split()) <= 8:
            who = m.group(1)
    if who is None:
        m = re.search(r"\b" + _CLAIM_VERBS + r"\s+(the\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)", text)
        if m:
            who = m.group(1)
    if who is None:
        return None
    q = re.search(r"\bquoting ((?:an? |the )?[^,.;]{2,60})", text)
    return f"{who.strip()} (quoting {q.group(1).strip()})" if q else who.strip()
