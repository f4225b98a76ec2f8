"""What a question asks for: its answer type, the noun counted, the names it is about.

The extractive answerer refuses when the evidence lacks the asked type (a
"how many nurses" question needs a number attached to nurses) or misses a
name the question is about; dense similarity alone cannot tell answerable
from unanswerable questions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from qa.lexicon import LIGHT_VERBS, is_role, related
from qa.name_spans import _LEADING
from qa.name_spans import find_names as find_names  # where other modules have found it
from qa.numbers import find_quantities
from qa.text import STOPWORDS, fold, stem, terms, words
from qa.wordnet import (
    is_a,
    is_adjective,
    is_common_noun,
    is_noun,
    is_verb,
    lexnames,
    names_one_thing,
    pertains_to,
    senses,
    singular,
    words_with_stem,
)

Kind = Literal["count", "person", "date", "place", "other"]

# What kind of thing a noun names comes from WordNet (qa.wordnet), for any topic: a "which X" question
# asks for a name when X is a person, a group or a place; a noun is counted among people when it is a
# kind of person; "post" and "statement" are where something was said.
_ANYONE = frozenset({"people", "persons", "person", "individuals"})


def is_person_noun(word: str) -> bool:
    """Whether ``word`` names a kind of person or a body of people ("nurse", "crew", "committee")."""
    return bool(lexnames(word, "n", 2) & {"noun.person", "noun.group"}) or is_a(word, "person")


def is_place_noun(word: str) -> bool:
    """Whether ``word`` names a kind of place ("province", "valley", "village", "airport", "road")."""
    if "noun.person" in lexnames(word, "n", 1):
        return False
    if lexnames(word, "n", 2) & {"noun.location", "noun.object"}:
        return True
    return any(is_a(word, kind, 1, 8) for kind in ("structure", "facility", "way"))


def _names_a_place(word: str) -> bool:
    """Whether ``word``'s usual sense is a place ("desert", "city"), so that "the Gobi desert" is one
    and "the Verano plant" or "a Facebook post" (a post is also a message) are not."""
    return bool(lexnames(word, "n", 1) & {"noun.location", "noun.object"}) and not _is_media(word)


def _names_asked(word: str) -> bool:
    """Whether "which ``word``" asks for a name: its usual sense is a person, a body of people or a place
    (or the body behind a publication: "newspaper")."""
    if not is_common_noun(word):
        return False  # "Warsaw's": a name, not the kind of thing asked for
    first, two = lexnames(word, "n", 1), lexnames(word, "n", 2)
    if first & {"noun.person", "noun.group", "noun.location"} or is_a(word, "group", 1) or is_a(word, "person", 1):
        return True  # "which minister", "which committee", "which city"; "which group", "which person"
    if "noun.communication" in first and "noun.group" in two:
        return True
    return "noun.artifact" in first and is_place_noun(word)  # "which airport", "which road"


def _is_media(word: str) -> bool:
    """Where something is said: "post", "statement", "video", "interview"."""
    return "noun.communication" in lexnames(word, "n", 4)


def _is_time_noun(word: str) -> bool:
    return word == "long" or "noun.time" in lexnames(word, "n", 1)


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
_MODALS = {"can", "may", "might", "must", "should", "shall"}  # with _AUXILIARIES: "when can/did/was ..." asks


@dataclass(frozen=True)
class Question:
    """The parts of a question the evidence must match."""

    text: str
    kind: Kind
    focus: tuple[str, ...]  # stemmed nouns a count must be attached to ("worker",)
    focus_word: str | None  # the noun as written ("workers")
    entities: tuple[str, ...]  # names the question is about, as written ("Riverton", "Acme Corp")
    terms: tuple[str, ...]  # stemmed content words, focus and entities included
    asked_noun: str | None = None  # stem of what a name question asks for: "union" in "which union"
    places: tuple[str, ...] = ()  # names used as places: "Riverton" in "near Riverton"
    verb: str | None = None  # stem of the verb a count is about: "evacuat" in "how many were evacuated"
    claimants: tuple[str, ...] = ()  # "according to X": whose account is asked for
    quoted: tuple[str, ...] = ()  # quoted strings: usually an article's title
    numbers: tuple[float, ...] = ()  # counts the question states ("that 27 workers walked out")
    exact: bool = False  # "on what exact date": a vague "next week" does not answer
    raw_names: tuple[str, ...] = ()  # the names as written, affixes included ("UN-backed")
    adjacent: bool = False  # "the name of the X": the answer must stand next to X
    duration: bool = False  # "how long", "over what period": a length of time, not a date
    money: bool = False  # "how much did it cost", "what profit": a sum of money, not any figure
    year: bool = False  # "in what year": a date without its year ("in September") does not answer

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
            skip |= {t for t in self.terms if any(_is_time_noun(w) for w in words_with_stem(t))}
        return tuple(t for t in self.terms if t not in skip)

    @property
    def role(self) -> str | None:
        """The role asked for ("commander" in "who is the commander of X"), if any."""
        return self.asked_noun if self.asked_noun and is_role(self.asked_noun) else None


_ONE_OF = re.compile(r"one\s+of\b", re.IGNORECASE)
# "where can one find", "what does one need": "one" the pronoun, after a modal or an auxiliary verb
_PRONOUN_ONE = re.compile(r"\b(?:can|could|may|might|must|should|would|will|shall|do|does|did)\s+$", re.IGNORECASE)
# "what were the first two destinations", "which other two": how many answers are asked for, not a count the
# evidence states ("after the first six weeks" is one)
_HOW_MANY_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:(?:are|were|is|was)\s+)?(?:the\s+)?(?:first|last|top|next|other|final|only)\s+$",
    re.IGNORECASE,
)


def _common_opening(text: str, start: int, name: str) -> bool:
    """Whether ``name`` is one word at the start of the question that is a common noun or verb in lower case
    ("Setting", "Case"): capitalised as the first word, not as a name ("Warsaw", "Harvard" are not common)."""
    if text[:start].strip(" \"'“‘(") or " " in name or "-" in name:
        return False
    return (is_common_noun(name) or is_verb(name)) and not names_one_thing(name)


_OWNER_END = re.compile(r"['’]s\s+")


def _owners_apart(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "Louis XIV's France", "the Yuan's Persian ally": the owner and what it owns are two names."""
    out = []
    for s, e in spans:
        for m in _OWNER_END.finditer(text, s, e):
            out.append((s, m.start() + 2))
            s = m.end()
        out.append((s, e))
    return out


def clean_name(name: str) -> str:
    """'Calder's' -> 'Calder', 'UN-backed' -> 'UN', "Riverton Council's" -> 'Riverton Council'."""
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
        # "in the Acme merger": the name modifies a noun, it is not where things happen
        modifier = (
            after[:1].islower()
            and fold(after) not in _PLACE_PREPOSITIONS | {"and", "or", "of", "on", "where", "which", "that", "was"}
            and fold(after) not in {"is", "were", "are"}
            and not _names_a_place(after)
            and not (media and is_noun(after))  # "in a Facebook post": where something was said
        )
        indefinite = m is not None and fold((m.group(2) or "").strip()) in ("a", "an")
        if m and m.group(2) and (modifier or (indefinite and not (media and is_noun(after)))):
            continue  # "in a Facebook post": a name after "a" qualifies something, it is not a place
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
    if asked and any(is_place_noun(w) for w in words_with_stem(asked)):
        return "place"
    if asked or re.match(r"^(name the|what (is|was|are|were) the names? of)\b", low):
        return "person"
    if re.search(r"\b(death )?toll\b", low):
        return "count"
    return "other"


_WH = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "how", "why"})
_OPENING_CLAUSE = re.compile(r"^[^,?]*,\s*")


def _main_clause(low: str, first: str) -> str | None:
    """The question after an opening clause, when the question word is not its first word: "In 1995, who
    won?" asks "who won?"; "When Acme cut prices, what did its rival do?" asks "what did its rival do?" (a
    "when" that no auxiliary follows opens a clause, not the question). None when the question opens with it."""
    second = (words(low)[1:2] or [""])[0]
    if first in _WH and not (first == "when" and second not in _AUXILIARIES and second not in _MODALS):
        return None
    m = _OPENING_CLAUSE.match(low)
    if m is None:
        return low[len(first) :] if first == "when" else None  # "when X happens, it does what?": no question word
    return low[m.end() :]


def _asked_noun(low: str) -> str | None:
    m = re.search(r"\bnames? of (?:the |a |an )?([^?,;]+)", low)
    if m:
        # "the name of Acme's largest factory in Ohio": the head noun of that phrase
        phrase = re.split(r"\s+(?:in|of|on|at|that|who|which|near|from|during|to|for)\s+", m.group(1))[0]
        heads = [w for w in re.findall(r"[\w'-]+", phrase) if not w.endswith("ed") and not w[:1].isdigit()]
        return stem(heads[-1].removesuffix("'s")) if heads else None
    m = re.search(r"\b(?:which|what)\s+((?:[\w-]+\s+){0,4}[\w-]+)", low)
    if m:
        following = m.group(1).split()
        for i, w in enumerate(following):
            if w in _AUXILIARIES or w in ("did", "do", "does", "say", "says"):
                break  # "what did Acme say the workers ...": no noun is asked for
            if _adjective_before_noun(w, following[i + 1 : i + 2]):
                continue  # "what major crop", "which marine engines": the noun after the adjective is asked
            if w not in STOPWORDS and _names_asked(w):
                # "which news site", "which river valley": the last noun of the compound
                while i + 1 < len(following) and _compound_goes_on(following[i + 1 : i + 3]):
                    i += 1
                return stem(following[i])
            if (
                w not in STOPWORDS
                and is_noun(w)
                and i + 1 < len(following)
                and _compound_goes_on(following[i + 1 : i + 3])
            ):
                return stem(following[i + 1])  # "which news agency": a noun before the asked one
            if w in STOPWORDS or not _modifier(w):
                break  # "what type of law", "what bacteria lives inside": the asked noun is the first one
    # "who is british airways' chief executive": the noun after the owner, not the owner's first word
    m = re.search(r"\bwho (?:is|was|are|were) (?:the )?(?:[\w .&-]+?['’]s? )?([\w-]+)", low)
    return stem(m.group(1)) if m else None


def _adjective_before_noun(word: str, next_words: list[str]) -> bool:
    """Whether ``word`` can be an adjective and the next word a noun, that it modifies ("major crop")."""
    if not next_words or next_words[0] in STOPWORDS or next_words[0] in _AUXILIARIES:
        return False
    return is_adjective(word) and is_noun(next_words[0])


def _compound_goes_on(next_words: list[str]) -> bool:
    """Whether the next word still belongs to the asked noun: "which news site", not "which road links the"."""
    w = next_words[0]
    if w in STOPWORDS or not _names_asked(w):
        return False
    # "links the two towns": a verb in the present, followed by its object
    verb = w.endswith("s") and bool(senses(w, "v", 1))
    return not (verb and len(next_words) > 1 and next_words[1] in ("the", "a", "an", "its", "their", "his", "her"))


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
                break  # "how many were injured": no noun is named
            if m.end() + w.start() in named or fold(word) in STOPWORDS:
                continue  # "how many Riverton Rovers players": the noun is players
            if word[:1].isdigit() or find_quantities(word):
                continue  # "how many of the 40 workers"
            if fold(word) in _AUXILIARIES:
                break
            if re.search(r"\b(?:toll|figure|tally)\b", low[: m.end()]) and not is_person_noun(word):
                break  # "the death toll of the storm" counts people, not storms
            # "how many council workers", "how many Spanish farm workers": the head noun ends the phrase
            head = _head_noun(q[m.end() + w.start() :])
            return head[0], m.end() + w.start() + head[1]
    if re.search(r"\b(kill|die|dead|death|toll|casualt)", low):
        return "people", -1
    return None, -1


def _count_verb(q: str, low: str, focus_end: int) -> str | None:
    """The verb a count is about: "were evacuated", "died", "did the company ... hire"."""
    if re.search(r"\b(death )?toll\b|\bcasualt", low):
        return "kill"
    measure = re.search(r"\bhow (deep|far|high|tall|big|large|heavy|old|strong|wide|long)\b", low)
    if measure:
        return stem(measure.group(1))  # "how deep was it": the figure of its depth
    bare = re.search(r"\bhow many\s+(?:were|was|are|is|have been|has been|had been|got)\s+([\w'-]+)", q, re.I)
    if bare:
        return stem(bare.group(1))  # "how many were injured": no noun, the verb comes straight after
    after = re.findall(r"[\w'-]+", q[focus_end:]) if focus_end >= 0 else []
    if after and fold(after[0]) in ("did", "does", "do", "has", "have", "had", "will", "would", "can", "could"):
        after = []  # "how many workers did the company hire": the verb closes the clause
    for n, w in enumerate(after[:6]):
        f = fold(w)
        following = after[n + 1] if n + 1 < len(after) else ""
        if is_adjective(w) and following and is_person_noun(following):
            continue  # "nurses and retired teachers walked out": "retired" qualifies the teachers
        if f in ("and", "or") or f in _AUXILIARIES or f in STOPWORDS or (_modifier(w) and not senses(w, "v", 1)):
            continue
        if is_person_noun(w) and not senses(w, "v", 1):  # "how many workers were...", not "were injured"
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
    """The verb of "who owns X", "who broke the record": what the named person must have done."""
    # "who may also submit bills": past a modal and an adverb, the verb
    m = re.match(
        r"^\W*who\s+(?:(?:may|might|can|could|must|shall|should|will|would)\s+)?(?:\w+ly\s+|also\s+)?([a-z][\w'-]*)",
        low,
    )
    if not m or m.group(1) in _AUXILIARIES or m.group(1) in STOPWORDS:
        return None
    return stem(m.group(1))


def _where_verb(low: str) -> str | None:
    """The participle of "where is X based", "where were they held": what the place must be said of."""
    m = re.match(r"^\W*where\s+(?:is|was|are|were)\s+.+?\s([a-z]+ed)\W*$", low)
    return stem(m.group(1)) if m else None


def parse_question(text: str) -> Question:
    """Analyse ``text`` into answer type, counted noun, names and constraints."""
    q = text.strip()
    low = fold(q)
    ws = [fold(w) for w in words(q)]
    first = ws[0] if ws else ""
    main = _main_clause(low, first)
    kind = _kind(main, (words(main) or [""])[0]) if main is not None else _kind(low, first)
    quoted = tuple(m.group(2) for m in re.finditer(r"(['\"‘“])(.{8,}?)(['\"’”])(?=\W|$)", q))
    unquoted = q
    for s in quoted:
        unquoted = unquoted.replace(s, " ")
    claimants: list[str] = []
    for m in re.finditer(r"\baccording to (?:the )?([^,?;]+?)(?= and according to|,|\?|$| and\b)", unquoted, re.I):
        claimants.append(clean_name(re.sub(r"\s+(report|reports|itself)$", "", m.group(1).strip())))
    name_spans = _owners_apart(unquoted, find_names(unquoted))
    entities: list[str] = []
    for s, e in name_spans:
        name = clean_name(unquoted[s:e])
        if _common_opening(unquoted, s, name):
            continue  # "Setting speed limits was ...": a word capitalised because it opens the question
        if name and fold(name) not in _LEADING and not any(fold(name) in fold(c) for c in claimants):
            entities.append(name)
    focus_word, focus_end = _focus(unquoted, low, name_spans) if kind == "count" else (None, -1)
    if kind == "count" and re.match(r"^how much of\b", low):
        focus_word, focus_end = None, -1  # "how much of the budget": a share, not a counted noun
    asked = _asked_noun(low) if kind in ("person", "place") else None
    wh = re.match(r"^\W*(?:\w+\W+){0,2}?(?:which|what|how many|how much)\W+(?:\w+\W+){0,2}", unquoted, re.I)
    numbers = tuple(
        x.value
        for x in find_quantities(unquoted)
        if x.kind == "count"
        and not (wh and x.start < wh.end())
        and not _ONE_OF.match(unquoted, x.start)  # "one of the reasons" is not a count
        and not (x.value == 1 and _PRONOUN_ONE.search(unquoted, 0, x.start))
        and not _HOW_MANY_ASKED.search(unquoted, 0, x.start)
    )
    return Question(
        text=q,
        kind=kind,
        focus=(stem(focus_word),) if focus_word else (),
        focus_word=focus_word,
        entities=tuple(dict.fromkeys(entities)),
        terms=tuple(dict.fromkeys(terms(unquoted))),
        asked_noun=asked,
        places=tuple(dict.fromkeys(place_names(unquoted))),
        verb=_count_verb(unquoted, low, focus_end)
        if kind == "count"
        else _who_verb(low)
        if kind == "person"
        else _where_verb(low)
        if kind == "place"
        else None,
        claimants=tuple(dict.fromkeys(c for c in claimants if c)),
        quoted=quoted,
        numbers=numbers,
        exact=bool(re.search(r"\b(exact|specific|precise)\b", low)),
        raw_names=tuple(unquoted[s:e] for s, e in name_spans),
        adjacent=bool(re.search(r"\bnames? of\b", low)),
        duration=bool(re.search(r"\b(period|length of time|duration)\b|\bhow long\b", low)),
        money=kind == "count" and not _CHANGE.search(low) and _asks_money(ws, focus_word),
        year=kind == "date" and re.search(r"\b(?:what|which) year\b", low) is not None,
    )


# what sums of money are, in WordNet: "cost", "price", "fee", "salary" (outgo, payment); "profit", "revenue",
# "sales" (sum, income); "budget", "fund" (money)
_MONEY_KINDS = ("outgo", "payment", "sum", "money")


def _is_money(word: str) -> bool:
    return any(is_a(word, kind, 1) for kind in _MONEY_KINDS)


# a change or a share may be a percentage ("by how much did sales rise", "how much of the budget")
_CHANGE = re.compile(
    r"\bhow much of\b|\bby how much\b|\b(?:ris|rose|fall|fell|increas|decreas|grow|grew|drop|jump|climb|declin|"
    r"gain|lost|los|cut|shr[iau]nk|doubl|tripl|alter|chang|adjust|vary|vari)\w*"
)


def _asks_money(ws: list[str], focus_word: str | None) -> bool:
    """Whether a count question asks for a sum of money: a word of it names one ("how much did the project
    cost", "what profit did it make"), and what it counts, if anything, is one ("how many shares" is not)."""
    if focus_word is not None:
        return _is_money(singular(fold(focus_word)))
    return any(_is_money(w) for w in ws if w not in STOPWORDS)


def accepts(focus: tuple[str, ...], noun_stem: str) -> bool:
    """Whether a count attached to ``noun_stem`` counts what ``focus`` asks for.

    The same noun, a synonym ("physicians" for "doctors" through WordNet's "doctor, physician"), or a
    kind of it ("nurses" for "people"; not "patients" for "nurses").
    """
    return any(noun_stem == f or _counts_as(noun_stem, f) for f in focus)


@functools.lru_cache(maxsize=8192)
def _counts_as(noun_stem: str, asked_stem: str) -> bool:
    nouns, asked = words_with_stem(noun_stem), words_with_stem(asked_stem)
    if asked_stem in {stem(w) for w in _ANYONE}:
        return any(is_person_noun(n) for n in nouns)
    if noun_stem in related(asked_stem):
        return True
    if any(is_a(n, a) for n in nouns for a in asked):
        return True
    return _same_meaning(nouns[0] if nouns else noun_stem, asked[0] if asked else asked_stem)


# Two nouns the bundled embedder puts this close mean the same ("worker"/"labourer" 0.75); "teacher" and
# "student" (0.66), "manager" and "worker" (0.52) stay apart.
SAME_MEANING = 0.72


def _same_meaning(a: str, b: str) -> bool:
    """Whether two person nouns name the same people, by the bundled embedder's word vectors."""
    if not (is_person_noun(a) and is_person_noun(b)):
        return False
    from qa.encoder import shared_encoder

    va, vb = shared_encoder().encode([a, b])
    return float(va @ vb) >= SAME_MEANING


def _modifier(word: str) -> bool:
    """A word that qualifies a noun without being one: "French", "other", "new" (an unknown word is a noun)."""
    w = fold(word)
    if "-" in w and not is_noun(w):
        return True  # "pro-business", "Acme-owned": compound adjectives
    return bool(pertains_to(w)) or (is_adjective(w) and not is_noun(w))


def _head_noun(text: str) -> tuple[str, int]:
    """The head of the noun phrase ``text`` starts with, and where it ends: "council workers were" -> workers."""
    run: list[re.Match[str]] = []
    for w in re.finditer(r"[\w'-]+|[^\w\s]", text):
        word = w.group()
        if not word[:1].isalnum() or fold(word) in STOPWORDS | _AUXILIARIES or len(run) == 4:
            break
        if run and not is_noun(word) and not _modifier(word) and senses(word, "v", 1):
            break  # "how many people went on strike": the verb ends the phrase
        run.append(w)
    if not run:
        return text.split()[0] if text.split() else text, len(text.split()[0]) if text.split() else 0
    nouns = [w for w in run if not _modifier(w.group())]
    # the first plural noun, else the last noun: "nurses and doctors" -> nurses, "new telecentres"
    plural = [w for w in nouns if fold(w.group()) != singular(w.group()) or fold(w.group()).endswith("s")]
    head = plural[0] if plural else (nouns or run)[-1]
    return head.group(), head.end()
