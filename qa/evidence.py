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
from typing import NamedTuple

from qa.chunking import article_sentences
from qa.names import TextNames
from qa.numbers import Quantity, find_quantities
from qa.question import Question, accepts, find_names, place_names
from qa.text import fold, stem, terms, words
from qa.types import Article, Sentence

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
    quote_start: int  # where the cited quote starts: the sentence, or the one before it
    score: float
    phrase: str | None = None  # the answer phrase as written ("nearly 500")
    phrase_start: int | None = None  # absolute offsets of the phrase in the article
    phrase_end: int | None = None
    value: float | None = None  # for counts: the number, to compare figures
    claimant: str | None = None  # who the sentence says claims it ("the Observatory")


# How much a name or word found near a sentence counts, by where it is found:
# referents come before a sentence far more often than after it.
WEIGHT_SENTENCE = 1.0
WEIGHT_BEFORE = (0.7, 0.4)  # one and two sentences back
WEIGHT_AFTER = 0.3
WEIGHT_TITLE = 0.3
WEIGHT_TOPIC = 0.35
TOPIC_MENTIONS = 3
MIN_ENTITY_WEIGHT = 0.35  # a name only in the next sentence or the title does not place a sentence


class Layer(NamedTuple):
    """One piece of a candidate's context: the sentence itself, a neighbour, or the title."""

    weight: float
    names: TextNames
    terms: frozenset[str]
    kind: str  # "sentence" | "before1" | "before2" | "after" | "title"


def _layer(weight: float, text: str, kind: str) -> Layer:
    return Layer(weight, TextNames(text), frozenset(terms(text)), kind)


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
        topic = _topic_layer(question, article)
        for i, sentence in enumerate(sentences):
            prior = priors.get((article_id, sentence.start))
            if prior is None:
                continue
            layers = [_layer(WEIGHT_SENTENCE, sentence.text, "sentence")]
            for back, weight in enumerate(WEIGHT_BEFORE, start=1):
                if i - back >= 0:
                    layers.append(_layer(weight, sentences[i - back].text, f"before{back}"))
            if i + 1 < len(sentences):
                layers.append(_layer(WEIGHT_AFTER, sentences[i + 1].text, "after"))
            if article.title:
                layers.append(_layer(WEIGHT_TITLE, article.title, "title"))
            layers.append(topic)
            previous = sentences[i - 1] if i > 0 else None
            ev = _score(question, article, sentence, layers, prior, idf, previous)
            if ev is not None:
                out.append(ev)
    out.sort(key=lambda e: (-e.score, e.article.article_id, e.sentence.start))
    if question.asked_noun and question.kind in ("person", "place"):
        # "who is the chief of X": sentences that say "chief" beat any that merely name X
        noun = question.asked_noun
        naming = [e for e in out if _positions(e.sentence.text, lambda w: w == noun)]
        if naming:
            return naming
    return out


def _topic_layer(question: Question, article: Article) -> Layer:
    """The question's names that the whole article is about: in its title or named three times.

    "When did Russia intervene in Syria?" is answered by "since Russia intervened
    militarily in 2015" in an article about Syria, though that sentence does not
    name Syria; a name mentioned once elsewhere in the article places nothing.
    """
    topical = [
        name
        for name in question.entities
        if TextNames(article.title or "").has(name)
        or sum(1 for s in article_sentences(article) if TextNames(s.text).has(name)) >= TOPIC_MENTIONS
    ]
    return _layer(WEIGHT_TOPIC, " ".join(topical), "topic")


def _entity_coverage(question: Question, layers: list[Layer]) -> float | None:
    """Mean over the question's names of where each is found; None when one is missing."""
    if not question.entities:
        return 1.0
    total = 0.0
    for name in question.entities:
        found = max((layer.weight * layer.names.match(name) for layer in layers), default=0.0)
        if found < MIN_ENTITY_WEIGHT:
            return None
        total += found
    return total / len(question.entities)


def _has_term(term: str, found: frozenset[str]) -> bool:
    return term in found or bool(PREDICATE_SYNONYMS.get(term, set()) & found)


def _term_coverage(question: Question, layers: list[Layer], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the question's words found, each counted where it is found best."""
    weights = {t: idf(t) for t in question.terms}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    got = 0.0
    for t, w in weights.items():
        # context counts for less here than for names: a word is weaker evidence than a name
        found = (
            layer.weight * (1.0 if layer.kind == "sentence" else 0.7) for layer in layers if _has_term(t, layer.terms)
        )
        got += w * max(found, default=0.0)
    return got / total


def _score(
    question: Question,
    article: Article,
    sentence: Sentence,
    layers: list[Layer],
    prior: float,
    idf: Callable[[str], float],
    previous: Sentence | None,
) -> Evidence | None:
    entity_cov = _entity_coverage(question, layers)
    if entity_cov is None:
        return None
    own_terms = layers[0].terms
    before_terms = next((layer.terms for layer in layers if layer.kind == "before1"), frozenset())
    predicates = sorted(question.predicate_terms, key=idf, reverse=True)
    if predicates:
        # the sentence itself must say the asked thing happened, not only name its actors
        rarest_here = _has_term(predicates[0], own_terms)
        any_here = any(_has_term(t, own_terms) for t in predicates)
        rarest_before = _has_term(predicates[0], before_terms)
        if question.kind == "other" and not rarest_here:
            return None
        if question.kind in ("count", "date") and not (any_here and (rarest_here or rarest_before)):
            return None
        if question.kind in ("person", "place") and not (any_here or rarest_before):
            return None
    if _elsewhere(question, sentence.text, layers):
        return None
    term_cov = _term_coverage(question, layers, idf)
    if question.kind == "other" and term_cov < 0.45:
        return None
    found = _PHRASE_FINDERS[question.kind](question, article, sentence, previous)
    if found is None:
        return None
    score = 1.5 * entity_cov + 2.5 * term_cov + 1.0 * prior + found.strength
    phrase = phrase_start = phrase_end = None
    if found.span is not None:
        phrase_start, phrase_end = found.span
        phrase = article.text[phrase_start:phrase_end]
    claimant = find_claimant(sentence.text)
    if claimant is not None and claimant.lower() in _PRONOUNS:
        # "It said ..." speaks for the sentence before
        claimant = find_claimant(previous.text) if previous is not None else None
    return Evidence(
        article=article,
        sentence=sentence,
        quote_start=found.quote_start,
        score=score,
        phrase=phrase,
        phrase_start=phrase_start,
        phrase_end=phrase_end,
        value=found.value,
        claimant=claimant,
    )


def _elsewhere(question: Question, text: str, layers: list[Layer]) -> bool:
    """True when the sentence is about another place than the asked one.

    "killed 13 ... in Aleppo" does not answer a question about Homs even when
    Homs is named a sentence earlier, unless the context ties the two places
    together ("Akrab overlooks the Aleppo-Damascus highway").
    """
    if not question.places:
        return False
    own = layers[0].names
    missing = [p for p in question.places if not own.has(p)]
    if not missing:
        return False
    others = [p for p in place_names(text) if not any(TextNames(p).has(q) for q in question.places)]
    if not others:
        return False
    context = [layer.names for layer in layers if layer.kind not in ("sentence", "title", "topic")]
    return not all(any(c.has(p) and c.has(o) for c in context) for p in missing for o in others)


_PRONOUNS = {"it", "he", "she", "they", "we", "the group", "the agency", "the militia", "the monitor"}


@dataclass(frozen=True)
class _Phrase:
    """What a phrase finder found: offsets relative to the quote, which starts at ``quote_start``."""

    span: tuple[int, int] | None  # absolute offsets in the article
    value: float | None
    strength: float
    quote_start: int  # absolute; earlier than the sentence when the phrase is in the one before


def _count_phrase(
    question: Question, article: Article, sentence: Sentence, previous: Sentence | None
) -> _Phrase | None:
    best: _Phrase | None = None
    for q in find_quantities(sentence.text):
        if q.kind != "count":
            continue
        distance = _attached(question, sentence.text, q)
        if distance is None:
            continue
        strength = 1.5 if distance == 0 else 1.2
        if best is None or strength > best.strength:
            span = (sentence.start + q.start, sentence.start + q.end)
            best = _Phrase(span, q.value, strength, sentence.start)
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


def _name_candidates(question: Question, article: Article, text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in find_names(text, skip_first=False):
        name = text[s:e]
        if any(TextNames(name).has(q) or TextNames(q).has(name) for q in question.entities):
            continue
        if s == 0 and " " not in name.strip() and not _capitalised_elsewhere(article, name):
            continue  # "Meanwhile", "Heavy": capitalised only because they start the sentence
        if re.search(r"\b(?:a|an)\s+$", text[max(0, s - 4) : s], re.IGNORECASE):
            continue  # "a Facebook post": a modifier, not an actor
        out.append((s, e))
    return out


_REFERRING = re.compile(r"^(?:.*?,\s+)?(?:it|he|she|they|the\s+[a-z-]+)\s", re.IGNORECASE)


def _name_phrase(question: Question, article: Article, sentence: Sentence, previous: Sentence | None) -> _Phrase | None:
    text = sentence.text
    candidates = _name_candidates(question, article, text)
    asked_here = bool(question.asked_noun) and bool(_positions(text, lambda w: w == question.asked_noun))
    strength = 2.0 if asked_here else 1.0
    if candidates:
        s, e = _join_names(text, _pick_name(question, text, candidates), candidates)
        return _Phrase((sentence.start + s, sentence.start + e), None, strength, sentence.start)
    # "the militia said it broke the siege": the actor is named in the sentence before
    if previous is not None and _REFERRING.match(text):
        before = _name_candidates(question, article, previous.text)
        if before:
            s, e = _join_names(previous.text, before[0], before)
            return _Phrase((previous.start + s, previous.start + e), None, strength * 0.8, previous.start)
    return None


def _positions(text: str, wanted: Callable[[str], bool]) -> list[int]:
    return [m.start() for m in re.finditer(r"[^\W_]+", text) if wanted(stem(m.group()))]


def _pick_name(question: Question, text: str, candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """The name that answers: beside the asked noun ("Liwa al-Quds, a pro-regime militia"),
    after "by" (passive), or the subject before the asked verb."""
    if question.asked_noun:
        nouns = _positions(text, lambda w: w == question.asked_noun)
        if nouns:
            return min(candidates, key=lambda sp: min(min(abs(sp[0] - n), abs(sp[1] - n)) for n in nouns))
    verbs = _positions(text, lambda w: _has_term(w, frozenset(question.predicate_terms)))
    if verbs:
        verb = verbs[0]
        after_by = [sp for sp in candidates if sp[0] > verb and re.search(r"\bby\s+(?:the\s+)?$", text[verb : sp[0]])]
        if after_by:
            return after_by[0]
        before = [sp for sp in candidates if sp[1] <= verb]
        if before:
            return before[-1]
        return min(candidates, key=lambda sp: abs(sp[0] - verb))
    return candidates[0]


def _join_names(text: str, chosen: tuple[int, int], candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """Extend "Russia" to "Russia and Turkey" when the sentence names them together."""
    start, end = chosen
    for s, e in candidates:
        if s > end and re.fullmatch(r",?\s+(?:and|or)\s+", text[end:s]):
            end = e
    return start, end


def _place_phrase(
    question: Question, article: Article, sentence: Sentence, previous: Sentence | None
) -> _Phrase | None:
    asked = [TextNames(n) for n in question.entities]
    places = []
    for s, e in find_names(sentence.text, skip_first=False):
        before = words(sentence.text[max(0, s - 12) : s])
        name = sentence.text[s:e]
        if before and fold(before[-1]) in _PLACE_PREPOSITIONS and not any(a.has(name) for a in asked):
            places.append((s, e))
    if not places:
        return None
    s, e = _nearest_to_predicate(question, sentence.text, places)
    return _Phrase((sentence.start + s, sentence.start + e), None, 1.0, sentence.start)


def _date_phrase(question: Question, article: Article, sentence: Sentence, previous: Sentence | None) -> _Phrase | None:
    spans = [(m.start(), m.end()) for m in _DATE_RE.finditer(sentence.text)]
    if not spans:
        return None
    s, e = _nearest_to_predicate(question, sentence.text, spans)
    return _Phrase((sentence.start + s, sentence.start + e), None, 1.0, sentence.start)


def _other_phrase(
    question: Question, article: Article, sentence: Sentence, previous: Sentence | None
) -> _Phrase | None:
    return _Phrase(None, None, 0.0, sentence.start)


_PHRASE_FINDERS: dict[str, Callable[[Question, Article, Sentence, Sentence | None], _Phrase | None]] = {
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
