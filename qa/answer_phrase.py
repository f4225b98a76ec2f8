"""The answer phrase: a typed candidate of the evidence sentence, or none.

The question's answer type (``Question.kind``) says what kind of phrase can
answer it: a date or year for "when", a figure for "how many", a name for "who"
and "where". The candidates of that type in the sentence are found with the
general finders (``qa.numbers``, ``qa.question.find_names``); one the question
already states is never the answer. Of the rest, the one with the most of the
question's words around it is chosen, as answers sit beside what the
question asks about. A free-form question ("what", "why") gets no phrase: its
answer is the sentence, quoted, never a guessed fragment.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from qa.numbers import Quantity, find_quantities
from qa.question import Question, accepts, find_names, is_person_noun
from qa.text import STOPWORDS, WORD_RE, fold, stem, terms, words
from qa.types import Sentence
from qa.wordnet import is_plural_noun, pertains_to

_MONTH_OR_DAY = re.compile(
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
)
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|[a-z]+th)"
# "the 12th century", "the 10th and 11th centuries", "the fifth to seventh centuries"
_CENTURY = re.compile(
    rf"\b{_ORDINAL}(?:(?:\s+(?:and|or|to)\s+|\s*[-–]\s*){_ORDINAL})?[ -]centur(?:y|ies)\b", re.IGNORECASE
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR_SPAN = re.compile(rf"\b(?:from\s+|between\s+)?({_YEAR})\s*(?:to|until|till|and|–|—|-)\s*{_YEAR}\b")
_TIME_UNIT = re.compile(r"^\s*(?:-\s*)?(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)\b")


WINDOW = 5  # words either side of a candidate in which the question's words count for it


@dataclass(frozen=True)
class Phrase:
    """A candidate answer phrase: offsets relative to its sentence."""

    start: int
    end: int
    text: str
    value: float | None = None


def _is_year(q: Quantity) -> bool:
    return q.kind == "year" or (q.kind == "count" and q.text.isdigit() and len(q.text) == 4 and 1000 <= q.value < 2100)


def _approximate_year(q: Quantity, text: str) -> bool:
    """ "Around 1294, a French version …": a year with a qualifier, which counts nothing after it (unlike
    "about 1500 people")."""
    figure = text[q.number_start : q.end]
    if not (q.approximate and q.kind == "count" and figure.isdigit() and len(figure) == 4 and 1000 <= q.value < 2100):
        return False
    following = WORD_RE.match(text, q.end + 1) if text[q.end : q.end + 1] == " " else None
    return following is None or not is_plural_noun(following.group())


# a year, or a decade ("the 1970s"): what "in what year" asks for
HAS_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d{2})(?:s|(?!\d))")


def _dates(text: str, year: bool = False) -> list[Phrase]:
    found = [
        Phrase(q.start, q.end, q.text)
        for q in find_quantities(text)
        if q.kind == "date" or _is_year(q) or _approximate_year(q, text)
    ]
    for pattern in (_MONTH_OR_DAY, _CENTURY):
        found += [Phrase(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    found = _outermost(found)
    return [p for p in found if HAS_YEAR.search(p.text)] if year else found


def _durations(text: str) -> list[Phrase]:
    """ "three years", "18 months"; and a span between two years ("from 1870 to 1939"), which says how long."""
    out = []
    for q in find_quantities(text):
        unit = _TIME_UNIT.match(text[q.end :])
        if q.kind == "count" and unit:
            out.append(Phrase(q.start, q.end + unit.end(), text[q.start : q.end + unit.end()], q.value))
    out += [Phrase(m.start(1), m.end(), text[m.start(1) : m.end()]) for m in _YEAR_SPAN.finditer(text)]
    return out


def _figures(question: Question, text: str) -> list[Phrase]:
    out = []
    for q in find_quantities(text):
        if q.kind not in (("money",) if question.money else ("count", "money", "percent")) or _is_year(q):
            continue  # "how much did it cost": a sum of money, not "80 kilometres"
        end = q.end
        following = WORD_RE.match(text, end + 1) if text[end : end + 1] == " " else None
        noun = _counted_noun(text, end, question.focus) if question.focus else None
        if noun is not None:
            end = noun  # "4,000 nurses" for "how many nurses"
        elif (
            question.focus
            and following
            and _is_unit(following.group())
            and is_plural_noun(following.group())
            and not _is_scale(question.focus_word)  # "how many hundred of years": years are counted
            and not _counted_soon(question, text, end)
        ):
            continue  # "within three years" counts years, not the telecentres asked about
        elif (
            following
            and not question.focus
            and q.kind == "count"
            and q.text[-1:].isdigit()
            and _is_unit(following.group())
        ):
            end = following.end()  # "80 kilometres" for "how far": a bare number says nothing
        out.append(Phrase(q.start, end, text[q.start : end], q.value))
    return out


# a capitalised word with a lowercase tail modifies what follows: "Britain-based", "U.S-backed"
_MODIFIER = re.compile(r"[^\W\d_][\w.]*-[a-z]+\s*")
_ARTICLE = re.compile(r"(?:The|A|An)\s+")


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """A name without a leading article and modifiers: "Nordvik Group" of "The Oslo-based Nordvik Group".

    A name that is only a modifier keeps its capitalised head: "Britain" of "Britain-based".
    """
    while True:
        m = _ARTICLE.match(text, start, end) or _MODIFIER.match(text, start, end)
        if m is None or m.end() >= end:
            break
        start = m.end()
    whole = _MODIFIER.fullmatch(text, start, end)
    if whole is not None:
        end = text.index("-", start, end)
    return start, end


# nouns that count anything ("how many people went on strike" is answered by "4,000 nurses went on strike")
GENERIC_COUNTED = frozenset(stem(w) for w in ("people", "persons", "individuals", "times", "things", "ones"))
NEAR_NOUN = 3  # words between a figure and the noun it counts, at most ("14 new rural telecentres")


def _counted_noun(text: str, end: int, focus: tuple[str, ...]) -> int | None:
    """Where the noun a figure counts ends, when one of ``focus`` follows it closely."""
    at = end
    for _ in range(NEAR_NOUN + 1):
        m = _NEXT_WORD.match(text, at)
        if m is None:
            return None
        word = fold(m.group(1))
        if stem(word) in focus:
            return m.end()
        if word in STOPWORDS:
            return None
        at = m.end()
    return None


_NEXT_WORD = re.compile(r"[^\S\n]+([^\W_]+(?:['’-][^\W_]+)*)")


def _is_scale(word: str | None) -> bool:
    """Whether ``word`` multiplies a number ("hundred", "thousands", "dozen")."""
    return word is not None and any(q.end == 4 + len(word) for q in find_quantities(f"two {word}"))


def _counted_soon(question: Question, text: str, end: int) -> bool:
    """Whether the asked noun is coordinated with the noun after a figure ending at ``end`` ("40 volunteers and
    trained nurses" counts nurses too)."""
    m = re.match(r"\s*[\w'-]+\s+(?:and|or)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", text[end:])
    return m is not None and any(accepts(question.focus, stem(fold(w))) for w in words(m.group(1)))


def _is_unit(word: str) -> bool:
    """A lowercase word that can say what a bare figure measures (not "a", "and", "of")."""
    return word.isalpha() and word.islower() and fold(word) not in STOPWORDS


def _names(question: Question, text: str) -> list[Phrase]:
    cores = [_core(text, s, e) for s, e in find_names(text, skip_first=False)]
    found = [Phrase(s, e, text[s:e]) for s, e in cores]
    found = [p for p in found if fold(p.text) not in STOPWORDS]  # "It", "The" opening a sentence
    found = [p for p in found if not qualifies_a_thing(text, p.start, p.end)]
    if question.adjacent and question.asked_noun:
        # "the name of the X": only a name standing beside X ("the X Y", "Y, the X")
        nouns = [m for m in WORD_RE.finditer(text) if stem(fold(m.group())) == question.asked_noun]
        found = [p for p in found if any(_beside(text, p, m.start(), m.end()) for m in nouns)]
    return found


def qualifies_a_thing(text: str, start: int, end: int) -> bool:
    """ "a Facebook post": the name at ``start:end`` after "a"/"an" qualifies a thing; "an Acme engineer"
    is still a person."""
    if not re.search(r"\b(?:a|an)\s+$", text[max(0, start - 4) : start], re.IGNORECASE):
        return False
    head = re.match(r"\s*([\w-]+)", text[end:])
    return head is None or not is_person_noun(head.group(1))


# "the officer Y", "an officer named Y", "her sister, Alice,", "the organisation, Cepes (…)", "their castle: Y",
# "facilities such as the Y"
_AFTER_NOUN = re.compile(r"\s*(?:[,:]\s*)?(?:(?:named|called|such\s+as|including)\s+)?(?:the\s+)?")
_APPOSITIVE_END = re.compile(r"\s*(?:[,.;:()\]—–]|$)")
# "Y, the local officer", "Y, BA's chief"
_BEFORE_NOUN = re.compile(r",?\s+(?:(?:the|a|an)\s+)?(?:[^\W\d_]+(?:['’]s)?\s+)?")


def beside_asked_noun(question: Question, text: str, p: Phrase) -> bool:
    """Whether phrase ``p`` of ``text`` stands beside the noun the question asks a name for ("chief executive X")."""
    return question.asked_noun is not None and beside_noun({question.asked_noun}, text, p)


def beside_noun(stems: Set[str], text: str, p: Phrase) -> bool:
    """Whether phrase ``p`` of ``text`` stands in apposition to a noun of one of ``stems`` ("director X")."""
    nouns = [m for m in WORD_RE.finditer(text) if stem(fold(m.group())) in stems]
    return any(_beside(text, p, m.start(), m.end()) for m in nouns)


def _beside(text: str, p: Phrase, start: int, end: int) -> bool:
    """Whether name ``p`` stands in apposition to the noun at ``start:end``."""
    if p.start >= end:
        gap = _AFTER_NOUN.fullmatch(text[end : p.start])
        # after a comma, an appositive closes where it ends ("her sister, Alice, said"); a name that goes on
        # into a verb is the next clause's subject ("their third album, Beyoncé landed a role")
        return gap is not None and ("," not in gap.group() or _APPOSITIVE_END.match(text, p.end) is not None)
    if p.text.endswith(("'s", "’s", "'", "’")):
        return False  # "BA's chief executive": the owner, not who holds the post
    return p.end <= start and _BEFORE_NOUN.fullmatch(text[p.end : start]) is not None


def _outermost(phrases: list[Phrase]) -> list[Phrase]:
    """Drop a phrase that lies inside a longer one ("1066" inside "14 October 1066")."""
    phrases = sorted(phrases, key=lambda p: (p.start, -(p.end - p.start)))
    out: list[Phrase] = []
    for p in phrases:
        if out and p.start >= out[-1].start and p.end <= out[-1].end:
            continue
        out.append(p)
    return out


def is_typed(question: Question) -> bool:
    """Whether the question asks for a phrase of a type (a date, a figure, a name), not a free-form answer."""
    return question.kind in ("date", "count", "person", "place")


def _typed(question: Question, text: str) -> list[Phrase] | None:
    """Candidates of the asked type in ``text``; None when the question asks for no particular type."""
    if question.kind == "date":
        return _durations(text) if question.duration else _dates(text, question.year)
    if question.kind == "count":
        return _figures(question, text)
    if question.kind in ("person", "place"):
        return _names(question, text)
    return None


def _given(question: Question, phrase: Phrase) -> bool:
    """Whether the question already states the phrase (it cannot be the answer)."""
    asked = fold(question.text)
    if fold(phrase.text) in asked:
        return True
    if phrase.text.isupper() and any(phrase.text == "".join(c for c in e if c.isupper()) for e in question.entities):
        return True  # "UKA" for "UK Athletics", "BA" for "British Airways": the question's own name
    own = set(terms(phrase.text))
    if own and own <= set(question.terms):
        return True
    return _demonym_of_asked(question, phrase.text)


def _demonym_of_asked(question: Question, text: str) -> bool:
    """ "British" when the question says "Britain", "France" when it says "French": one word that is the
    adjective of a place the question names, or that place (WordNet's pertainyms)."""
    word = fold(text.strip())
    if " " in word or not word.isalpha():
        return False
    asked = [fold(w) for w in words(question.text)]

    def about(adjective: str) -> set[str]:  # "great britain" and its last word, "britain"
        nouns = pertains_to(adjective)
        return {*nouns, *(n.split()[-1] for n in nouns)}

    return bool(about(word) & set(asked)) or any(word in about(w) for w in asked if w != word)


def candidates(question: Question, text: str) -> list[Phrase] | None:
    """The typed candidates of ``text`` the question does not already state (None: no type asked)."""
    typed = _typed(question, text)
    if typed is None:
        return None
    return [p for p in typed if not _given(question, p)]


def choose_phrase(question: Question, sentence: Sentence, found: list[Phrase] | None = None) -> Phrase | None:
    """The typed candidate with the most of the question's words around it; None for free-form questions.

    ``found`` is the sentence's :func:`candidates` when the caller has them already.
    """
    text = sentence.text
    if found is None:
        found = candidates(question, text)
    if not found:
        return None
    asked = set(question.terms)
    tokens = list(WORD_RE.finditer(text))
    counted = {t for t in question.focus if t not in GENERIC_COUNTED}
    if counted:
        # "how many telecentres": a figure that counts them ("the 14 telecentres") before any other
        # figure of the sentence ("within three years"); a noun that counts anything asks less
        attached = [p for p in found if stem(fold(WORD_RE.findall(p.text)[-1])) in counted]
        found = attached or found
    if question.asked_noun:
        # "in which province": a name standing beside "province" ("central Hubei province") answers first
        nouns = [m for m in tokens if stem(fold(m.group())) == question.asked_noun]
        beside = [p for p in found if any(_beside(text, p, m.start(), m.end()) for m in nouns)]
        found = beside or found
    anchors = [i for i, m in enumerate(tokens) if stem(fold(m.group())) in asked]
    if not anchors:
        return _with_coordinated(question, text, found, found[0])

    def around(p: Phrase) -> tuple[int, int]:
        inside = [i for i, m in enumerate(tokens) if m.start() < p.end and m.end() > p.start]
        if not inside:
            return (0, 0)
        first, last = inside[0], inside[-1]
        gaps = [first - a if a < first else a - last for a in anchors if not first <= a <= last]
        near = sum(1 for g in gaps if g <= WINDOW)
        return (-near, min(gaps, default=len(tokens)))

    return _with_coordinated(question, text, found, min(found, key=lambda p: (*around(p), p.start)))


_COORDINATION = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)")


def _with_coordinated(question: Question, text: str, found: list[Phrase], p: Phrase) -> Phrase:
    """ "Maria Ortiz and Tom Becker voted": names joined by "and" or commas answer "who" together."""
    if question.kind != "person":
        return p
    start, end = p.start, p.end
    for q in sorted(found, key=lambda q: -q.start):  # names before it, nearest first
        if q.end <= start and _COORDINATION.fullmatch(text[q.end : start]):
            start = q.start
    for q in sorted(found, key=lambda q: q.start):  # and after it
        if q.start >= end and _COORDINATION.fullmatch(text[end : q.start]):
            end = q.end
    return p if (start, end) == (p.start, p.end) else Phrase(start, end, text[start:end])
