"""What a question asks for: its answer type, the noun counted, the names it is about.

The extractive answerer refuses when the evidence lacks the asked type (a
"how many soldiers" question needs a number attached to soldiers) or misses a
name the question is about; dense similarity alone cannot tell answerable
from unanswerable questions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from qa.lexicon import LIGHT_VERBS, ROLE_NOUNS
from qa.name_spans import _LEADING
from qa.name_spans import find_names as find_names  # where other modules have found it
from qa.numbers import find_quantities
from qa.text import STOPWORDS, fold, stem, terms, words

Kind = Literal["count", "person", "date", "place", "other"]

# Nouns a count can be attached to, by what they include: asking for "people"
# accepts soldiers, asking for "soldiers" does not accept civilians.
_SOLDIER = {"soldier", "troop", "serviceman", "servicemen", "personnel", "officer", "army"}
_FIGHTER = {"fighter", "militant", "insurgent", "rebel", "jihadist", "gunman", "gunmen", "combatant", "militiaman"}
_CIVILIAN = {"civilian", "resident", "villager", "child", "woman", "man", "people", "person"}
_ANY_PERSON = _SOLDIER | _FIGHTER | _CIVILIAN | {"member", "worker", "casualty", "victim", "body", "terrorist"}
_COUNTABLE = _ANY_PERSON | {"civilian", "officer", "member"}
# Nouns that make "an HTS operative" a person, where "a Facebook post" is a thing.
PERSON_HEADS = _ANY_PERSON | {
    "operative", "official", "source", "spokesman", "spokeswoman", "commander", "leader", "chief", "member",
    "activist", "witness", "resident", "diplomat", "minister", "officer", "monitor", "analyst", "envoy",
}  # fmt: skip
HYPERNYMS: dict[str, set[str]] = {
    "soldier": _SOLDIER,
    "troop": _SOLDIER,
    "fighter": _FIGHTER | {"terrorist"},
    "militant": _FIGHTER | {"terrorist"},
    "insurgent": _FIGHTER,
    "terrorist": _FIGHTER | {"terrorist"},
    "civilian": {"civilian", "resident", "villager"},
    "people": _ANY_PERSON,
    "person": _ANY_PERSON,
    "casualty": {"casualty", "victim", "die", "dead"} | _ANY_PERSON,
    "victim": {"casualty", "victim", "die", "dead"} | _CIVILIAN,
}

# Nouns after "which"/"what" that ask for a name, and those that ask for a place.
_NAME_NOUNS = {
    "group",
    "militia",
    "organization",
    "organisation",
    "agency",
    "outlet",
    "person",
    "official",
    "monitor",
    "faction",
    "country",
    "countries",
    "company",
    "team",
    "party",
    "news",
    "site",
    "website",
    "newspaper",
    "paper",
    "channel",
    "network",
    "force",
    "forces",
    "army",
    "unit",
    "movement",
    "side",
    "ally",
    "allies",
    "insurgents",
    "militants",
    "rebels",
    "state",
    "nation",
    "alliance",
    "coalition",
    "body",
    "publication",
    "broadcaster",
    "man",
    "woman",
} | {r for r in ROLE_NOUNS}
_PLACE_NOUNS = {
    "town", "city", "village", "province", "region", "area", "place", "district", "desert", "valley", "river",
    "road", "highway", "street", "border", "mountain", "island", "camp", "base", "airport", "port", "county",
    "neighbourhood", "neighborhood", "capital", "crossing", "prison", "hospital", "airbase", "field", "site",
}  # fmt: skip
# "in a Facebook post", "on a Telegram channel": where something was said
_MEDIA = {
    "post", "posts", "statement", "video", "broadcast", "interview", "channel", "page", "account", "message",
    "tweet", "report", "article", "website", "feed", "blog", "newsletter", "bulletin",
}  # fmt: skip
_TIME_NOUNS = {"day", "date", "year", "month", "time", "week", "night", "period", "hour", "season", "decade", "long"}

_PLACE_PREPOSITIONS = {"in", "near", "at", "outside", "around", "inside", "into", "from", "across", "to", "towards"}
_PLACE_OF = re.compile(
    r"\b(?:east|west|north|south|northeast|northwest|southeast|southwest|outskirts|city|town|village|province|"
    r"region|area|capital|district|suburbs?|countryside)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_AFFIX = re.compile(r"[-‐](?:linked|backed|led|based|affiliated|allied|run|held|controlled|born|style)$", re.I)
_AUXILIARIES = {
    "were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "get", "got", "reportedly",
    "also", "still", "allegedly", "did", "does", "do", "will", "would", "could", "say", "said", "reported",
}  # fmt: skip
_ADJECTIVES = {
    "other", "more", "regime", "government", "syrian", "pro-government", "allied", "total", "enemy", "foreign",
    "local", "armed", "security", "police", "army", "military", "opposition", "rebel", "civilian", "innocent",
    "additional", "new", "further", "american", "russian", "turkish", "iraqi", "israeli", "palestinian",
}  # fmt: skip


@dataclass(frozen=True)
class Question:
    """The parts of a question the evidence must match."""

    text: str
    kind: Kind
    focus: tuple[str, ...]  # stemmed nouns a count must be attached to ("soldier",)
    focus_word: str | None  # the noun as written ("soldiers")
    entities: tuple[str, ...]  # names the question is about, as written ("Aleppo", "Hayat Tahrir al-Sham")
    terms: tuple[str, ...]  # stemmed content words, focus and entities included
    asked_noun: str | None = None  # stem of what a name question asks for: "militia" in "which militia"
    places: tuple[str, ...] = ()  # names used as places: "Aleppo" in "near Aleppo"
    verb: str | None = None  # stem of the verb a count is about: "besieg" in "how many were besieged"
    claimants: tuple[str, ...] = ()  # "according to X": whose account is asked for
    quoted: tuple[str, ...] = ()  # quoted strings: usually an article's title
    numbers: tuple[float, ...] = ()  # counts the question states ("that 27 soldiers died")
    exact: bool = False  # "on what exact date": a vague "next week" does not answer
    raw_names: tuple[str, ...] = ()  # the names as written, affixes included ("HTS-linked")
    adjacent: bool = False  # "the name of the X": the answer must stand next to X
    duration: bool = False  # "how long", "over what period": a length of time, not a date

    @functools.cached_property
    def predicate_terms(self) -> tuple[str, ...]:
        """Content terms that are not the counted noun, a name, a number or a light verb."""
        skip = {t for e in (*self.entities, *self.claimants, *self.quoted, *self.raw_names) for t in terms(e)}
        skip |= set(self.focus) | LIGHT_VERBS | {t for t in self.terms if t[:1].isdigit()}
        if self.asked_noun:
            skip.add(self.asked_noun)
        if self.adjacent:
            skip |= {"name", "nam"}
        skip |= {"articl", "story", "piec", "text"}  # the document itself, not an event in it
        if self.quoted:
            skip |= {"report", "headlin", "titl"}
        if self.kind == "date":
            skip |= {stem(w) for w in _TIME_NOUNS}
        return tuple(t for t in self.terms if t not in skip)

    @property
    def role(self) -> str | None:
        """The role asked for ("commander" in "who is the commander of X"), if any."""
        return self.asked_noun if self.asked_noun in ROLE_NOUNS else None


def clean_name(name: str) -> str:
    """'Daesh's' -> 'Daesh', 'HTS-linked' -> 'HTS', "Syrian Observatory's" -> 'Syrian Observatory'."""
    name = re.sub(r"['’]s$", "", name.strip())
    return _AFFIX.sub("", name).strip()


def place_names(text: str, media: bool = False) -> list[str]:
    """Names used as places: after "in", "near", "east of", "the city of" (with an optional article).

    With ``media``, also where something was said: "in a Facebook post".
    """
    out = []
    for s, e in find_names(text, skip_first=False):
        lead = text[max(0, s - 40) : s]
        if re.search(r"\baccording\s+to\s+(?:the\s+)?$", lead, re.IGNORECASE):
            continue
        m = re.search(r"(\w+)\s+((?:a|an|the)\s+)?$", lead)
        after_match = re.match(r"\s*([\w-]+)", text[e:])
        after = after_match.group(1) if after_match else ""
        # "in the HTS assault": the name modifies a noun, it is not where things happen
        modifier = after[:1].islower() and fold(after) not in (
            _PLACE_PREPOSITIONS
            | {"and", "or", "of", "on", "where", "which", "that", "was", "is", "were", "are"}
            | _PLACE_NOUNS
            | (_MEDIA if media else set())
        )
        if m and m.group(2) and modifier:
            continue
        if (m and fold(m.group(1)) in _PLACE_PREPOSITIONS) or _PLACE_OF.search(lead):
            out.append(clean_name(text[s:e]))
    return out


def _kind(low: str, first: str) -> Kind:
    if first in ("who", "whom", "whose"):
        return "person"
    if first == "when" or re.search(
        r"\b(what|which) (exact |specific |precise )?(day|date|year|month|time|week)\b", low
    ):
        return "date"
    if re.search(r"\b(what|which|for how) (period|length of time|duration)\b|\bhow long\b", low):
        return "date"
    if re.search(r"\bhow (many|much|deep|far|high|tall|big|large|heavy|old|strong|wide)\b", low) or re.search(
        r"\b(what|which) (was |is |were )?(the )?(figure|number|death toll|toll|tally|count|total)\b", low
    ):
        return "count"
    if first == "where":
        return "place"
    asked = _asked_noun(low)
    if asked in {stem(n) for n in _PLACE_NOUNS}:
        return "place"
    if asked or re.match(r"^(name the|what (is|was|are|were) the names? of)\b", low):
        return "person"
    if re.search(r"\b(death )?toll\b", low):
        return "count"
    return "other"


def _asked_noun(low: str) -> str | None:
    m = re.search(r"\bnames? of (?:the |a |an )?([^?,;]+)", low)
    if m:
        # "the name of Daesh's last holdout in Syria": the head noun of that phrase
        phrase = re.split(r"\s+(?:in|of|on|at|that|who|which|near|from|during|to|for)\s+", m.group(1))[0]
        heads = [w for w in re.findall(r"[\w'-]+", phrase) if not w.endswith("ed") and not w[:1].isdigit()]
        return stem(heads[-1].removesuffix("'s")) if heads else None
    nouns = _NAME_NOUNS | _PLACE_NOUNS
    m = re.search(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,4}[\w-]+)", low)
    if m:
        following = m.group(1).split()
        for i, w in enumerate(following):
            if w in _AUXILIARIES or w in ("did", "do", "does", "say", "says"):
                break  # "what did Aamaq say the militants ...": no noun is asked for
            if w in nouns:
                # "which news site", "which river valley": the last noun of the compound
                while i + 1 < len(following) and following[i + 1] in nouns:
                    i += 1
                return stem(following[i])
    # "who is british airways' chief executive": the noun after the owner, not the owner's first word
    m = re.search(r"\bwho (?:is|was|are|were) (?:the )?(?:[\w .&-]+?['’]s? )?([\w-]+)", low)
    return stem(m.group(1)) if m else None


def _focus(q: str, low: str, names: list[tuple[int, int]]) -> tuple[str | None, int]:
    """The counted noun as written, and where it ends in ``q`` (-1 when implied)."""
    named = {i for s, e in names for i in range(s, e)}
    m = re.search(r"\bhow many\b", low) or re.search(
        r"\b(?:figure|number|toll|tally|count|total)\b(?: \w+){0,6}? (?:for|of) (?:the )?", low
    )
    if m:
        for w in re.finditer(r"[\w'-]+", q[m.end() :]):
            word = w.group()
            if fold(word) in _AUXILIARIES:
                break  # "how many were wounded": no noun is named
            if m.end() + w.start() in named or fold(word) in STOPWORDS or fold(word) in _ADJECTIVES:
                continue  # "how many Liwa al-Quds fighters": the noun is fighters
            if word[:1].isdigit() or find_quantities(word):
                continue  # "how many of the 40 firefighters"
            if fold(word) in _AUXILIARIES:
                break
            if re.search(r"\b(?:toll|figure|tally)\b", low[: m.end()]) and stem(word) not in _COUNTABLE:
                break  # "the death toll of Syria's war" counts people, not wars
            return word, m.end() + w.end()
    if re.search(r"\b(kill|die|dead|death|toll|casualt)", low):
        return "people", -1
    return None, -1


def _count_verb(q: str, low: str, focus_end: int) -> str | None:
    """The verb a count is about: "were besieged", "died", "did the ambush ... kill"."""
    from qa.lexicon import related

    if re.search(r"\b(death )?toll\b|\bcasualt", low):
        return "kill"
    measure = re.search(r"\bhow (deep|far|high|tall|big|large|heavy|old|strong|wide|long)\b", low)
    if measure:
        return stem(measure.group(1))  # "how deep was it": the figure of its depth
    bare = re.search(r"\bhow many\s+(?:were|was|are|is|have been|has been|had been|got)\s+([\w'-]+)", q, re.I)
    if bare:
        return stem(bare.group(1))  # "how many were wounded": no noun, the verb comes straight after
    after = re.findall(r"[\w'-]+", q[focus_end:]) if focus_end >= 0 else []
    if after and fold(after[0]) in ("did", "does", "do", "has", "have", "had", "will", "would", "can", "could"):
        after = []  # "how many troops did the ambush kill": the verb closes the clause
    for w in after[:6]:
        f = fold(w)
        if f in ("and", "or") or f in _AUXILIARIES or f in STOPWORDS or f in _ADJECTIVES or stem(w) in HYPERNYMS:
            continue
        if f in _PLACE_PREPOSITIONS or f in ("among", "of", "by", "with", "during", "on"):
            return None
        return stem(w)
    m = re.search(
        r"\b(?:did|does|do|will|would|can|could|should|has|have|had)\b([^,?;]*?)"
        r"(?:\s+(?:in|near|at|on|during|from|after|before|over|by)\s|[,?;]|$)",
        q,
    )
    if m:
        clause = re.findall(r"[\w'-]+", m.group(1))
        verbs = [stem(w) for w in clause if len(related(stem(w))) > 1 and not w[:1].isupper()]
        reporting = related("say") | related("report")
        verbs = [v for v in verbs if v not in reporting] or verbs
        if verbs:
            return verbs[-1]
        # "how many homes did the flood destroy": the verb closes the clause, after its subject
        plain = [w for w in clause if not w[:1].isupper() and fold(w) not in STOPWORDS]
        if plain:
            return stem(plain[-1])
    return None


def _who_verb(low: str) -> str | None:
    """The verb of "who owns X", "who broke the siege": what the named person must have done."""
    m = re.match(r"^\W*who\s+([a-z][\w'-]*)", low)
    if not m or m.group(1) in _AUXILIARIES or m.group(1) in STOPWORDS:
        return None
    return stem(m.group(1))


def parse_question(text: str) -> Question:
    """Analyse ``text`` into answer type, counted noun, names and constraints."""
    q = text.strip()
    low = fold(q)
    ws = [fold(w) for w in words(q)]
    first = ws[0] if ws else ""
    kind = _kind(low, first)
    quoted = tuple(m.group(2) for m in re.finditer(r"(['\"‘“])(.{8,}?)(['\"’”])(?=\W|$)", q))
    unquoted = q
    for s in quoted:
        unquoted = unquoted.replace(s, " ")
    claimants: list[str] = []
    for m in re.finditer(r"\baccording to (?:the )?([^,?;]+?)(?= and according to|,|\?|$| and\b)", unquoted, re.I):
        claimants.append(clean_name(re.sub(r"\s+(report|reports|itself)$", "", m.group(1).strip())))
    name_spans = find_names(unquoted)
    entities: list[str] = []
    for s, e in name_spans:
        name = clean_name(unquoted[s:e])
        if name and fold(name) not in _LEADING and not any(fold(name) in fold(c) for c in claimants):
            entities.append(name)
    focus_word, focus_end = _focus(unquoted, low, name_spans) if kind == "count" else (None, -1)
    if kind == "count" and re.match(r"^how much of\b", low):
        focus_word, focus_end = None, -1  # "how much of Syria": a share, not a counted noun
    asked = _asked_noun(low) if kind in ("person", "place") else None
    wh = re.match(r"^\W*(?:\w+\W+){0,2}?(?:which|what|how many|how much)\W+(?:\w+\W+){0,2}", unquoted, re.I)
    numbers = tuple(x.value for x in find_quantities(unquoted) if x.kind == "count" and not (wh and x.start < wh.end()))
    return Question(
        text=q,
        kind=kind,
        focus=(stem(focus_word),) if focus_word else (),
        focus_word=focus_word,
        entities=tuple(dict.fromkeys(entities)),
        terms=tuple(dict.fromkeys(terms(unquoted))),
        asked_noun=asked,
        places=tuple(dict.fromkeys(place_names(unquoted))),
        verb=_count_verb(unquoted, low, focus_end) if kind == "count" else _who_verb(low) if kind == "person" else None,
        claimants=tuple(dict.fromkeys(c for c in claimants if c)),
        quoted=quoted,
        numbers=numbers,
        exact=bool(re.search(r"\b(exact|specific|precise)\b", low)),
        raw_names=tuple(unquoted[s:e] for s, e in name_spans),
        adjacent=bool(re.search(r"\bnames? of\b", low)),
        duration=bool(re.search(r"\b(period|length of time|duration)\b|\bhow long\b", low)),
    )


def accepts(focus: tuple[str, ...], noun_stem: str) -> bool:
    """Whether a count attached to ``noun_stem`` counts what ``focus`` asks for."""
    return any(noun_stem == f or noun_stem in HYPERNYMS.get(f, set()) for f in focus)
