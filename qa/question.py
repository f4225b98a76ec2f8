"""What a question asks for: its answer type, the noun counted, the names it is about.

The extractive answerer refuses when the evidence lacks the asked type (a
"how many soldiers" question needs a number attached to soldiers) or misses a
name the question is about; dense similarity alone cannot tell answerable
from unanswerable questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qa.text import STOPWORDS, fold, stem, terms, words

Kind = Literal["count", "person", "date", "place", "other"]

# Nouns a count can be attached to, by what they include: asking for "people"
# accepts soldiers, asking for "soldiers" does not accept civilians.
_SOLDIER = {"soldier", "troop", "serviceman", "servicemen", "personnel", "officer", "army"}
_FIGHTER = {"fighter", "militant", "insurgent", "rebel", "jihadist", "gunman", "gunmen", "combatant", "militiaman"}
_CIVILIAN = {"civilian", "resident", "villager", "child", "woman", "man", "people", "person"}
HYPERNYMS: dict[str, set[str]] = {
    "soldier": _SOLDIER,
    "troop": _SOLDIER,
    "fighter": _FIGHTER | _SOLDIER,
    "militant": _FIGHTER,
    "insurgent": _FIGHTER,
    "civilian": {"civilian", "resident", "villager"},
    "people": _SOLDIER | _FIGHTER | _CIVILIAN | {"member", "worker", "casualty", "victim", "body"},
    "person": _SOLDIER | _FIGHTER | _CIVILIAN | {"member", "worker", "casualty", "victim", "body"},
    "casualty": {"casualty", "victim", "die", "dead"} | _SOLDIER | _FIGHTER | _CIVILIAN,
    "victim": {"casualty", "victim", "die", "dead"} | _CIVILIAN,
}

_PERSON_NOUNS = {
    "group",
    "militia",
    "organization",
    "organisation",
    "agency",
    "outlet",
    "person",
    "official",
    "leader",
    "chief",
    "monitor",
    "faction",
    "country",
    "countries",
    "president",
    "minister",
    "company",
    "team",
    "party",
    "news",
}
_PLACE_NOUNS = {"town", "city", "village", "province", "country", "region", "area", "place", "district", "desert"}

# Words that begin a question and are capitalised only for that reason.
_LEADING = {
    "how",
    "what",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "which",
    "why",
    "did",
    "does",
    "do",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "can",
    "could",
    "according",
    "in",
    "on",
    "name",
    "list",
}


@dataclass(frozen=True)
class Question:
    """The parts of a question the evidence must match."""

    text: str
    kind: Kind
    focus: tuple[str, ...]  # stemmed nouns a count must be attached to ("soldier",)
    focus_word: str | None  # the noun as written ("soldiers")
    entities: tuple[str, ...]  # names the question is about, as written
    terms: tuple[str, ...]  # stemmed content words, focus and entities included
    asked_noun: str | None = None  # stem of what a name question asks for: "militia" in "which militia"
    places: tuple[str, ...] = ()  # names used as places: "Aleppo" in "near Aleppo"

    @property
    def predicate_terms(self) -> tuple[str, ...]:
        """Content terms that are neither the counted noun nor part of a name."""
        entity_terms = {t for e in self.entities for t in terms(e)}
        return tuple(t for t in self.terms if t not in self.focus and t not in entity_terms and t != self.asked_noun)


_ENTITY_JOINERS = {"al", "el", "of", "de", "bin", "ibn", "abu", "for", "the", "van", "von", "and"}


def find_names(text: str, skip_first: bool = True) -> list[tuple[int, int]]:
    """Spans of capitalised names (runs of capitalised words, with joiners like 'al-', 'of')."""
    spans: list[tuple[int, int]] = []
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\W_]+(?:['’\-.][^\W_]+)*\.?", text)]
    i = 0
    while i < len(tokens):
        s, e, w = tokens[i]
        sentence_start = s == 0 or text[:s].rstrip()[-1:] in '.!?"“' if text[:s].strip() else True
        if _is_capitalised(w) and fold(w).removesuffix("'s") in _MONTHS_DAYS:
            i += 1
            continue
        if _is_capitalised(w) and not (skip_first and sentence_start and fold(w) in STOPWORDS | _LEADING):
            j = i + 1
            end = e
            while j < len(tokens):
                s2, e2, w2 = tokens[j]
                gap = text[end:s2]
                if gap.strip() not in ("", "-"):
                    break
                if _is_capitalised(w2):
                    end = e2
                    j += 1
                elif fold(w2) in _ENTITY_JOINERS and j + 1 < len(tokens) and _is_capitalised(tokens[j + 1][2]):
                    end = e2  # "Observatory for Human Rights": the joiner belongs to the name
                    j += 1
                else:
                    break
            spans.append((s, end))
            i = j
        else:
            i += 1
    return spans


def _is_capitalised(word: str) -> bool:
    # "al-Sukhna" and "HTS" count; "the" does not
    return any(part[:1].isupper() for part in re.split(r"[-']", word)) and not word.isdigit()


def parse_question(text: str) -> Question:
    """Analyse ``text`` into answer type, counted noun and names."""
    q = text.strip()
    low = fold(q)
    ws = [fold(w) for w in words(q)]
    kind: Kind = "other"
    focus: tuple[str, ...] = ()
    focus_word: str | None = None
    m = re.search(r"\bhow (many|much)\b\s*((?:[\w'-]+\s+){0,3}?)([\w'-]+)?", low)
    count_of = re.search(r"\b(?:what|which) (?:was|is|were)? ?the (?:number|death toll|toll|total) of ([\w'-]+)", low)
    if m or count_of or re.search(r"\b(?:death )?toll\b", low):
        kind = "count"
        noun = None
        if m:
            after = [w for w in words(q[m.end(1) :]) if fold(w) not in STOPWORDS]
            # the counted noun: the first word after "how many" that is not an adjective we know
            for w in after[:4]:
                if stem(w) in HYPERNYMS or stem(w) in _SOLDIER | _FIGHTER | _CIVILIAN or not _adjective(w):
                    noun = w
                    break
        elif count_of:
            noun = count_of.group(1)
        if noun and fold(noun) not in {"were", "was", "did", "have", "has", "of"}:
            focus_word = noun
            focus = (stem(noun),)
        elif re.search(r"\b(kill|die|dead|death|toll)", low):
            focus_word = "people"
            focus = ("people",)
    elif ws and ws[0] in ("who", "whom", "whose"):
        kind = "person"
    elif (ws and ws[0] == "when") or re.search(r"\b(what|which) (day|date|year|month|time)\b", low):
        kind = "date"
    elif (ws and ws[0] == "where") or re.search(
        r"\b(in |at )?(what|which) (town|city|village|province|country|region|area|place|district)\b", low
    ):
        kind = "place"
    elif re.search(r"\b(which|what) (\w+ )?(" + "|".join(sorted(_PERSON_NOUNS)) + r")\b", low) or re.match(
        r"^name the\b", low
    ):
        kind = "person"
    asked_noun = None
    if kind in ("person", "place"):
        m2 = re.search(r"\b(?:which|what) (?:[\w-]+ )?(" + "|".join(sorted(_PERSON_NOUNS | _PLACE_NOUNS)) + r")\b", low)
        m2 = m2 or re.search(r"\bwho (?:is|was|are|were) the ([\w-]+)", low)
        if m2:
            asked_noun = stem(m2.group(1))
    names = [q[s:e] for s, e in find_names(q)]
    return Question(
        text=q,
        kind=kind,
        focus=focus,
        focus_word=focus_word,
        entities=tuple(names),
        terms=tuple(dict.fromkeys(terms(q))),
        asked_noun=asked_noun,
        places=tuple(place_names(q)),
    )


_PLACE_PREPOSITIONS = ("in", "near", "at", "outside", "around", "of", "from", "inside", "into")
_MONTHS_DAYS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}


def place_names(text: str) -> list[str]:
    """Names right after a place preposition: "near Aleppo", "east of al-Sukhna" (not "in the HTS attack")."""
    out = []
    for s, e in find_names(text, skip_first=False):
        before = text[max(0, s - 12) : s].rstrip().rsplit(None, 1)
        if before and fold(before[-1]) in _PLACE_PREPOSITIONS:
            out.append(text[s:e])
    return out


_ADJECTIVES = {
    "other",
    "more",
    "regime",
    "government",
    "syrian",
    "pro-government",
    "allied",
    "total",
    "enemy",
    "foreign",
    "local",
    "besieged",
    "wounded",
    "injured",
    "armed",
    "killed",
    "dead",
}


def _adjective(word: str) -> bool:
    return fold(word) in _ADJECTIVES


def accepts(focus: tuple[str, ...], noun_stem: str) -> bool:
    """Whether a count attached to ``noun_stem`` counts what ``focus`` asks for."""
    for f in focus:
        if noun_stem == f:
            return True
        if noun_stem in HYPERNYMS.get(f, set()):
            return True
    return False
