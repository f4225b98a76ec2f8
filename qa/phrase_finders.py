"""The answer phrase of an evidence sentence, found by the asked answer type: a count, a name, a place, a date.

A sentence without a phrase of the asked type is not evidence; the phrase's
strength (how surely it is the asked one) adds to the sentence's score.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from qa.answer_phrase import HAS_YEAR, qualifies_a_thing
from qa.candidate import Candidate
from qa.lexicon import related
from qa.name_spans import find_names
from qa.names import TextNames
from qa.numbers import Quantity, find_quantities
from qa.question import Question, accepts, clean_name, is_person_noun, place_names
from qa.text import STOPWORDS, fold, stem, words
from qa.types import Article

_DATE_RE = re.compile(
    r"\b(?:(?:early |late )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:night|morning|"
    r"afternoon|evening))?|(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?: \d{1,2})?(?:,? \d{4})?|\d{1,2} (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?: \d{4})?|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|"
    r"(?:in|since|by|until|from) (?:19|20)\d{2}|(?:last|next|this) (?:week|month|year|night)|yesterday|today|"
    r"over the last (?:\w+ )?(?:days|weeks|months))\b"
)
# How long something lasted: for "how long" / "over what period" questions, not for "when".
_DURATION_RE = re.compile(
    r"\b(?:(?:in|for|over|within|after|lasted) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty|twenty-four|forty-eight|a few|several) (?:hours|days|weeks|months|years)|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:hours|days|weeks|months|years) of|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|thirty|sixty|ninety)-(?:hour|day|week|month|year))\b"
)
_EXACT_DATE_RE = re.compile(r"\d{1,2}[ .](?:[A-Z][a-z]+|\d{1,2})|[A-Z][a-z]+ \d{1,2}\b|\d{4}-\d{2}-\d{2}")


_NOT_MODIFIERS = {"and", "or", "who", "which", "that", "were", "was", "in", "on", "at", "from", "by", "of", "its"}
_COUNT_MODIFIERS = {"other", "more", "further", "own", "same"}  # "eight other council workers"


@dataclass(frozen=True)
class Phrase:
    """What a phrase finder found."""

    span: tuple[int, int] | None  # absolute offsets in the article
    value: float | None
    strength: float
    quote_start: int  # absolute; earlier than the sentence when the phrase is in the one before


def _count_phrase(c: Candidate) -> Phrase | None:
    best: Phrase | None = None
    text, start = c.sentence.text, c.sentence.start
    kinds = ("money",) if c.question.money else ("count",) if c.question.focus else ("count", "money", "percent")
    verbs = _word_positions(text, related(c.question.verb)) if c.question.verb else []
    quantities = [q for q in _quantities_in(text) if q.kind in kinds]
    # "hired 3,000 people and trained thousands": for "how many people were trained" the figure
    # the asked verb takes counts, even without the noun after it
    generic = not c.question.focus or accepts(c.question.focus, stem("people"))
    objects = {id(q) for q in quantities if generic and any(0 <= q.start - v[1] <= 3 for v in verbs)}
    for q in quantities:
        distance = _attached(c.question, text, q)
        if distance is None and _is_toll(c.question, text, q):
            distance = 1  # "the death toll rose to 19": a count of the dead without the noun
        if distance is None and id(q) in objects:
            distance = 1
        if distance is None:
            continue
        strength = (1.5 if distance == 0 else 1.2) + (0.5 if id(q) in objects else 0.0)
        if best is None or strength > best.strength:
            end = q.end
            unit = _UNIT.match(text[end:])
            if unit and not c.question.focus:
                end += unit.end()  # "28 kilometers", not "28"
            best = Phrase((start + q.start, start + end), q.value, strength, start)
    return best


_UNIT = re.compile(
    r"\s*(?:kilometers|kilometres|km|miles|meters|metres|feet|tons|tonnes|kilograms|kg|hours|days|weeks|"
    r"months|years|degrees|hectares|acres|barrels|votes|seats)\b",
    re.IGNORECASE,
)
_TOLL_BEFORE = re.compile(r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|victims)|count)\b[^,.;]{0,80}$")


def _is_toll(question: Question, text: str, q: Quantity) -> bool:
    """A figure right after "death toll ... rose to" counts the dead, when how many people died is asked."""
    if not question.focus or not accepts(question.focus, stem("person")) or question.verb not in related("kill"):
        return False
    return _TOLL_BEFORE.search(text[: q.start]) is not None


def _attached(question: Question, text: str, q: Quantity) -> int | None:
    """How many modifier words stand between a count and the asked noun (None: not attached)."""
    tail = text[q.end :]
    # a count ends at punctuation: "two teams, made up of 50 players" gives two teams
    stop = re.search(r"[,.;:()\u2013\u2014]| - ", tail)
    tail = tail[: stop.start()] if stop else tail
    following = words(tail)[:5]
    if not question.focus:
        return 0  # "by how much", "how deep": any figure near the asked measure
    for distance, word in enumerate(following[:4]):
        w = fold(word)
        if (w == "of" and distance == 0) or (w == "the" and distance == 1 and fold(following[0]) == "of"):
            continue  # "dozens of workers", "11 of the dead"
        if accepts(question.focus, stem(w)):
            return distance
        if (w in STOPWORDS and w not in _COUNT_MODIFIERS) or w in _NOT_MODIFIERS:
            break  # "24 hours of talks between the workers": the count is of hours
    return None


@functools.lru_cache(maxsize=8192)
def _names_in(text: str) -> tuple[tuple[int, int], ...]:
    """The names in a sentence (see :func:`find_names`), kept: several tests and most questions look again."""
    return tuple(find_names(text, skip_first=False))


@functools.lru_cache(maxsize=8192)
def places_in(text: str, media: bool = False) -> tuple[str, ...]:
    """The names a sentence uses as places (see :func:`place_names`), kept like :func:`_names_in`."""
    return tuple(place_names(text, media=media))


@functools.lru_cache(maxsize=8192)
def _quantities_in(text: str) -> tuple[Quantity, ...]:
    """The figures in a sentence (see :func:`find_quantities`), kept like :func:`_names_in`."""
    return tuple(find_quantities(text))


@functools.lru_cache(maxsize=4096)
def _excluded(question: Question, name: str) -> bool:
    """Names the question itself gives are not its answer."""
    cleaned = clean_name(name)
    names = TextNames(cleaned)
    for given in (*question.entities, *question.claimants):
        if names.has(given) or TextNames(given).has(cleaned):
            return True
    return any(mostly_in(cleaned, TextNames(q)) for q in question.quoted)


def _name_candidates(c: Candidate, text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in _names_in(text):
        s, e = _without_given(c.question, text, s, e)
        if s >= e:
            continue
        name = text[s:e]
        if s == 0 and " " not in name.strip() and not _capitalised_elsewhere(c.article, name):
            continue  # "Meanwhile", "Heavy": capitalised only because they start the sentence
        if c.question.kind == "person" and qualifies_a_thing(text, s, e):
            continue  # "a Facebook post": a modifier, not an actor; "an Acme engineer" is one
        out.append((s, e))
    return out


def _without_given(question: Question, text: str, s: int, e: int) -> tuple[int, int]:
    """Trim words the question itself gives off a name: "The Meta-owned Instagram" -> "Instagram"."""
    if not _excluded(question, text[s:e]):
        return s, e
    parts = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
    while parts and (
        _excluded(question, text[parts[0][0] : parts[0][1]])
        or fold(text[parts[0][0] : parts[0][1]]) in ("the", "a", "an")
    ):
        parts.pop(0)
    if not parts or _excluded(question, text[parts[0][0] : parts[-1][1]]):
        return s, s
    return parts[0][0], parts[-1][1]


_REFERRING = re.compile(r"^(?:.*?,\s+)?(it|he|she|they|the\s+[a-z-]+)\s", re.IGNORECASE)


def _refers_to_actor(phrase: str) -> bool:
    """ "it", "they", "the union" can stand for a named actor; "the vote" cannot."""
    head = phrase.split()[-1].lower()
    return head in ("it", "he", "she", "they") or is_person_noun(head)


def _role_terms(question: Question) -> frozenset[str]:
    """The role a person question asks for: "commander", or "head" in "who heads X"."""
    if question.role:
        return related(question.role)
    lead = related("lead")
    if question.kind == "person" and any(t in lead for t in question.predicate_terms):
        return lead
    return frozenset()


def _word_positions(text: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    # "Labour-led" names no leader: the second half of a hyphenated word is not a word of its own
    return [
        (m.start(), m.end())
        for m in re.finditer(r"[^\W_]+", text)
        if stem(m.group()) in wanted and text[m.start() - 1 : m.start()] != "-"
    ]


def _words_between(text: str, a: tuple[int, int], b: tuple[int, int]) -> int:
    lo, hi = (a[1], b[0]) if a[0] < b[0] else (b[1], a[0])
    return len(words(text[lo:hi])) if hi > lo else 0


def _name_phrase(c: Candidate) -> Phrase | None:
    q, text, start = c.question, c.sentence.text, c.sentence.start
    candidates = _name_candidates(c, text)
    role = _role_terms(q)
    must_stand_by = role or (related(q.asked_noun) if q.adjacent and q.asked_noun else frozenset())
    if must_stand_by:
        # "X chief Ana Ruiz": the name stands next to the role, and the role next to X
        anchors = _word_positions(text, must_stand_by)
        if role and q.entities:
            # "Acme chief Ana Ruiz" heads Acme: a name just before the
            # role says whose role it is, and it must be the asked one ("Mayor Helen Park" alone is fine)
            anchors = [a for a in anchors if _role_belongs(q, text, a)]
        candidates = [sp for sp in candidates if any(_beside(text, sp, a) for a in anchors)]
        if not candidates:
            return None
    asked_here = q.asked_noun is not None and bool(_word_positions(text, related(q.asked_noun)))
    strength = 2.0 if asked_here or must_stand_by else 1.0
    if candidates:
        s, e = _join_names(text, _pick_name(q, text, candidates), candidates)
        return Phrase((start + s, start + e), None, strength, start)
    # "the union said it ended the strike": the actor is named in the sentence before
    referring = _REFERRING.match(text)
    if c.previous is not None and referring and _refers_to_actor(referring.group(1)):
        before = _name_candidates(c, c.previous.text)
        if before:
            s, e = _join_names(c.previous.text, before[0], before)
            return Phrase((c.previous.start + s, c.previous.start + e), None, strength * 0.8, c.previous.start)
    return None


def _role_belongs(q: Question, text: str, role: tuple[int, int]) -> bool:
    """Whether a role word is the asked entity's: the name right before it (if any) is that entity."""
    owner = [sp for sp in _names_in(text) if sp[1] <= role[0] and _beside(text, sp, role)]
    if not owner:
        of = re.match(r"\s+of\s+(?:the\s+)?", text[role[1] :])  # "the commander of X"
        if of:
            after = [sp for sp in _names_in(text) if sp[0] == role[1] + of.end()]
            return not after or any(TextNames(text[sp[0] : sp[1]]).match(n) > 0 for sp in after for n in q.entities)
        return True
    name = text[owner[-1][0] : owner[-1][1]]
    return any(TextNames(name).match(n) > 0 or TextNames(n).match(name) > 0 for n in q.entities)


def _beside(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans stand together in one phrase: "Acme chief Ana Ruiz"."""
    lo, hi = (a[1], b[0]) if a[0] < b[0] else (b[1], a[0])
    between = text[lo:hi] if hi > lo else ""
    return not re.search(r"[,.;:()]", between) and len(words(between)) <= 2


def _mentions(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that mention ``name`` (whole or by a distinctive word of it)."""
    spans = [(s, e) for s, e in _names_in(text) if TextNames(text[s:e]).match(name) > 0]
    return spans


def _pick_name(question: Question, text: str, candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """The name that answers: beside the asked noun ("Unite, a British trade union"),
    after "by" (passive), or the subject before the asked verb."""
    if question.asked_noun:
        nouns = _word_positions(text, related(question.asked_noun))
        if nouns:
            return min(candidates, key=lambda sp: min(_words_between(text, sp, n) for n in nouns))
    predicates: frozenset[str] = frozenset().union(*(related(t) for t in question.predicate_terms))
    verbs = _word_positions(text, predicates)
    if verbs:
        verb = verbs[0][0]
        # "negotiated by Russia", "under the control of Acme": the actor follows the predicate
        after_by = [
            sp
            for sp in candidates
            if sp[0] > verb and re.search(r"^\W*\w*\W+(?:\w+\W+)?(?:by|of)\s+(?:the\s+)?$", text[verb : sp[0]])
        ]
        if after_by:
            return after_by[0]
        before = [sp for sp in candidates if sp[1] <= verb]
        # "President X flew to Arequipa and declared": the actor, not the place it went to
        actors = [sp for sp in before if not _after_place_preposition(text, sp)]
        if actors or before:
            return (actors or before)[-1]
        return min(candidates, key=lambda sp: abs(sp[0] - verb))
    return candidates[0]


def _after_place_preposition(text: str, span: tuple[int, int]) -> bool:
    return (
        re.search(r"\b(?:to|in|at|near|from|into|outside|of)\s+(?:the\s+)?$", text[: span[0]], re.IGNORECASE)
        is not None
    )


def _join_names(text: str, chosen: tuple[int, int], candidates: list[tuple[int, int]]) -> tuple[int, int]:
    """Extend "Russia" to "Russia and Turkey" when the sentence names them together."""
    start, end = chosen
    for s, e in candidates:
        if s > end and re.fullmatch(r",?\s+(?:and|or)\s+", text[end:s]):
            end = e
    for s, e in reversed(candidates):
        if e < start and re.fullmatch(r",?\s+(?:and|or)\s+", text[e:start]):
            start = s  # "Maria Ortiz and Tom Becker voted": both, not the one nearest the verb
    return start, end


def _place_phrase(c: Candidate) -> Phrase | None:
    q, text, start = c.question, c.sentence.text, c.sentence.start
    asked = related(q.asked_noun) if q.asked_noun else frozenset()
    nouns = _word_positions(text, asked) if asked else []
    places: list[tuple[int, int]] = []
    as_place = set(places_in(text, media=True))
    for s, e in _names_in(text):
        name = text[s:e]
        if _excluded(q, name):
            continue
        based = re.match(r"[-‐]based\b", text[e:]) is not None or name.endswith("-based")
        beside_noun = any(_words_between(text, (s, e), n) <= 1 for n in nouns)
        if clean_name(name) in as_place or based or beside_noun:
            places.append((s, e))
    if not places:
        return None
    if asks_where_said(q):
        # "where did it announce that": the answer is a medium ("in a Facebook post"), not a town
        media = set(as_place) - set(places_in(text))
        said_in = [sp for sp in places if clean_name(text[sp[0] : sp[1]]) in media]
        if said_in:
            s, e = said_in[0]
            return Phrase((start + s, start + e), None, 2.0, start)
        return None  # a town the sentence names is not where it was said
    return _place_span(q, text, start, places, nouns, 2.0 if nouns else 1.0)


def asks_where_said(q: Question) -> bool:
    """Whether "where" asks where something was said ("where did it announce that"): a medium, not a town."""
    said = related("announce") | related("report")
    return any(t in said for t in q.predicate_terms)


def _place_span(
    q: Question, text: str, start: int, places: list[tuple[int, int]], nouns: list[tuple[int, int]], strength: float
) -> Phrase:
    if nouns:
        best = min(places, key=lambda sp: min(_words_between(text, sp, n) for n in nouns))
    else:
        best = _nearest_to_predicate(q, text, places)
    s, e = best
    if text[s:e].endswith("-based"):
        e -= len("-based")
    return Phrase((start + s, start + e), None, strength, start)


def _date_phrase(c: Candidate) -> Phrase | None:
    text, start = c.sentence.text, c.sentence.start
    pattern = _DURATION_RE if c.question.duration else _DATE_RE
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if c.question.exact:
        spans = [sp for sp in spans if _EXACT_DATE_RE.search(text[sp[0] : sp[1]])]
    if c.question.year:  # "in what year": "in September" does not say
        spans = [sp for sp in spans if HAS_YEAR.search(text[sp[0] : sp[1]])]
    if not spans:
        return None
    s, e = _nearest_to_predicate(c.question, text, spans)
    return Phrase((start + s, start + e), None, 1.0, start)


def _other_phrase(c: Candidate) -> Phrase | None:
    return Phrase(None, None, 0.0, c.sentence.start)


PHRASE_FINDERS: dict[str, Callable[[Candidate], Phrase | None]] = {
    "count": _count_phrase,
    "person": _name_phrase,
    "place": _place_phrase,
    "date": _date_phrase,
    "other": _other_phrase,
}


def _capitalised_elsewhere(article: Article, word: str) -> bool:
    return re.search(r"[a-z,;] " + re.escape(word.strip()) + r"\b", article.text) is not None


def _nearest_to_predicate(question: Question, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    predicates: frozenset[str] = frozenset().union(*(related(t) for t in question.predicate_terms))
    anchors = [s for s, _ in _word_positions(text, predicates)]
    if not anchors:
        return spans[0]
    return min(spans, key=lambda sp: min(abs(sp[0] - a) for a in anchors))


def mostly_in(phrase: str, names: TextNames) -> bool:
    toks = [fold(w) for w in words(phrase)]
    return sum(1 for t in toks if t in names.tokens) >= 0.8 * len(toks)
