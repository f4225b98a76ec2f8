"""Follow-up questions made standalone before retrieval, without a model.

"And how many managers?" after "How many workers were laid off at the
Verano plant?" becomes "How many managers were laid off at the Verano plant?";
"What road does that village overlook?" after an answer "Elmsford" becomes
"What road does Elmsford overlook?". Retrieval on the last message alone (what
most RAG chats do) would search for "managers" with nothing to anchor it.

The rewrite is also shown to the user ("Understood as: ..."), so it is one
question a person would write: a pronoun is replaced by what it stands for
(the answer's name, the people a count counted: "Which crew rescued the
workers trapped in the Calder mine?"), a closing "that" by what the previous
question stated, and a question that names nothing gets the previous one's
setting. Only grammar is used (pronouns, articles, auxiliaries, prepositions,
the past of a verb), no words of any topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa.lexicon import LIGHT_VERBS, related
from qa.name_spans import find_names
from qa.names import TextNames
from qa.numbers import find_quantities
from qa.question import parse_question
from qa.text import STOPWORDS, base_form, stem, terms, words
from qa.wordnet import is_verb, lexnames, singular

if TYPE_CHECKING:
    from qa.llm import ChatModel
    from qa.templates import Templates

History = Sequence[tuple[str, str]]  # (question, answer) turns, oldest first

_LEAD_IN = re.compile(
    r"^\s*(?:and|but|also|so|ok(?:ay)?|then)?[\s,]*(?:what|how) about\s+|^\s*(?:and|but|also|so)[\s,]+",
    re.IGNORECASE,
)
# "that"/"this" point back only at the end ("Who reported that?"), not in "that 27 homes flooded"
_POINTS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|those|these|there|then|the same)\b|\b(?:that|this)\s*[?.!]*$", re.IGNORECASE
)
_WH_CORE = re.compile(
    r"^\s*(?:how (?:many|much)|who(?:m|se)?|what|when|where|which)"
    r"(?: (?:is|are|was|were|did|does|do|has|have|had))?\s+",
    re.IGNORECASE,
)
_CONSTRAINT = re.compile(r"\s+(?:in|near|at|during|on|east of|west of|north of|south of|outside|around)\s+", re.I)
_COUNT_NP = re.compile(
    r"^(.*?\bhow many\s+)(.+?)(\s+(?:were|was|are|is|have|has|had|did|do|does|died|die)\b.*)$", re.IGNORECASE
)
_LEAD_WORDS = re.compile(r"^\s*(?:and|but|also|so|then)[\s,]+", re.IGNORECASE)
_REFUSALS = ("do not contain", "not in the articles", "don't know", "no answer")

# The grammar a rewrite needs (auxiliaries, articles, prepositions, pronouns): no word of any topic.
_BE_AUX = re.compile(r"^(?:were|was|are|is|(?:have|has|had) been)\s+", re.IGNORECASE)
_BE = {"is", "are", "was", "were"}
_AUX = _BE | {"did", "does", "do", "has", "have", "had", "will", "would", "can", "could", "should"}
_ARTICLES = {"the", "a", "an"}
_DETERMINERS = _ARTICLES | {"this", "that", "these", "those", "its", "their", "his", "her", "our"}
_SUBJECTS = {"it", "they", "he", "she", "we", "i", "you"}
_PREPOSITIONS = {
    "in", "near", "at", "during", "on", "of", "for", "to", "from", "by", "with", "over", "after", "before", "since",
    "outside", "around", "among", "into", "across", "about", "against", "between", "under", "according", "than",
}  # fmt: skip
_NOT_A_NOUN = "|".join(sorted(_AUX | _DETERMINERS | _SUBJECTS | _PREPOSITIONS | {"had", "been"}))
_PRONOUN = re.compile(rf"\b(?:it|they|them|he|she|him|her(?=\s*(?:[?.!,]|$|(?:{_NOT_A_NOUN})\b)))\b", re.I)
# "its chief executive", "their coach": the nouns up to a preposition, an auxiliary or the end
_POSSESSIVE = re.compile(
    rf"\b(its|their|his|her)\s+((?!(?:{_NOT_A_NOUN})\b)[\w'-]+(?:\s+(?!(?:{_NOT_A_NOUN})\b)[\w'-]+)*)", re.IGNORECASE
)
# "that village", "the same group", "those workers": a noun phrase pointing back
_DEMONSTRATIVE_NP = re.compile(
    rf"\b(?:that|this|these|those|the\s+same)\s+(?!(?:{_NOT_A_NOUN})\b)([a-z][\w-]*)", re.IGNORECASE
)
# "When did that happen?": "that" is the subject of the verb that closes the question
_DEMONSTRATIVE_SUBJECT = re.compile(
    r"\b((?:did|does|do|will|would|can|could|should)\s+)(?:that|this)(?=\s+[a-z][\w-]*\s*[?.!]*$)", re.IGNORECASE
)
_TRAILING_DEMONSTRATIVE = re.compile(r"\b(?:that|this)(?=\s*[?.!]*$)", re.IGNORECASE)
_THERE = re.compile(r"\bthere\b", re.IGNORECASE)
# "said it won the contract": the clause a verb of saying reports
_REPORTED = re.compile(r"^[a-z][\w-]*\s+(?:that\s+)?((?:it|they|he|she|we)\s+[a-z].*)$")
_IRREGULAR_PAST = {
    "be": "was", "begin": "began", "break": "broke", "bring": "brought", "build": "built", "buy": "bought",
    "choose": "chose", "come": "came", "cut": "cut", "do": "did", "drive": "drove", "fall": "fell",
    "feel": "felt", "fight": "fought", "find": "found", "flee": "fled", "fly": "flew", "get": "got",
    "give": "gave", "go": "went", "grow": "grew", "have": "had", "hear": "heard", "hit": "hit", "hold": "held",
    "keep": "kept", "know": "knew", "lead": "led", "leave": "left", "lose": "lost", "make": "made",
    "meet": "met", "pay": "paid", "put": "put", "rise": "rose", "run": "ran", "say": "said", "see": "saw",
    "sell": "sold", "send": "sent", "set": "set", "shoot": "shot", "speak": "spoke", "spend": "spent",
    "stand": "stood", "take": "took", "teach": "taught", "tell": "told", "think": "thought", "throw": "threw",
    "win": "won", "write": "wrote",
}  # fmt: skip


def points_back(question: str) -> bool:
    """Whether a question refers to something said before ("it", "they", "that?")."""
    return _POINTS_BACK.search(question) is not None


def _short_answer(answer: str) -> str | None:
    """What a pronoun in the follow-up can stand for: the name the previous answer leads with,
    or the whole answer when it is a short phrase with no number in it."""
    first = answer.strip().splitlines()[0] if answer.strip() else ""
    first = re.sub(r"\s*(?:\[\d+\])+\.?$", "", first).strip(" .")
    if not first or any(r in first.lower() for r in _REFUSALS):
        return None
    names = find_names(first)
    if names:
        s, e = names[0]
        return first[s:e]
    phrase = first.split(",")[0].strip()
    # "500", "12 workers", "at least 27 homes were flooded": a count stands for no one
    if len(phrase.split()) > 6 or any(c.isdigit() for c in phrase) or find_quantities(phrase):
        return None
    return phrase


def _past(verb: str) -> str:
    """The simple past of a bare verb: "win" -> "won", "happen" -> "happened", "stop" -> "stopped"."""
    low = verb.lower()
    if " " in verb:  # "take place" -> "took place"
        first, rest = verb.split(" ", 1)
        return f"{_past(first)} {rest}"
    if low in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[low]
    if low.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ied"
    if len(re.findall(r"[aeiou]+", low)) == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", low):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _plain_word(word: str) -> bool:
    """A lower-case word that can be a noun or a verb: no name, number, article, pronoun or preposition."""
    plain = word.replace("-", "").replace(" ", "")
    return word[:1].islower() and plain.isalpha() and not re.fullmatch(_NOT_A_NOUN, word.lower())


def _joined(*parts: str) -> str:
    """Words joined by spaces, with no space before a comma: "happened, according to X"."""
    return re.sub(r"\s+,", ",", " ".join(p for p in parts if p))


def _do_clause(text: str, auxiliary: str = "did") -> tuple[str, str, str] | None:
    """Subject, verb and the rest of "... did SUBJECT VERB REST". The verb is the plain word before a
    determiner ("did Porto win the final"), else before a comma or the end ("did the council vote in Dunmore
    happen"), else before a preposition ("did the council spend on roads"); a subject holds no verb."""
    m = re.search(rf"\b(?:{auxiliary})\s+(.+)$", text, re.IGNORECASE)
    if not m:
        return None
    rest = m.group(1)
    toks = list(re.finditer(r"take place|[\w'-]+|,", rest))  # "did the vote take place"
    for follows in (_DETERMINERS, {"", ","}, _PREPOSITIONS):
        for i in range(1, len(toks)):
            after = toks[i + 1].group().lower() if i + 1 < len(toks) else ""
            subject = [t.group().lower() for t in toks[:i]]
            if (
                _plain_word(toks[i].group())
                and subject[-1] not in _PREPOSITIONS
                and after in follows
                and not set(subject) & (_AUX | {"been", ","})
                and len(subject) <= 5  # a subject is a short phrase: "the council vote in Dunmore"
                and len(set(subject) & _PREPOSITIONS) <= 1
                and all(
                    w not in _DETERMINERS or k == 0 or subject[k - 1] in _PREPOSITIONS for k, w in enumerate(subject)
                )
            ):
                return rest[: toks[i].start()].strip(), toks[i].group(), rest[toks[i].end() :].strip()
    return None


def _phrase_ending(text: str, noun: str) -> re.Match[str] | None:
    """The article-led phrase of ``text`` ending in ``noun``: "the 2023 cup final" for "final"."""
    words = rf"(?:(?!(?:{_NOT_A_NOUN})\b)[\w'-]+\s+){{0,3}}?"
    return re.search(rf"\bthe\s+{words}{re.escape(noun)}\b", text, re.IGNORECASE)


def _name_phrase(text: str, name: str) -> str:
    """``name`` as ``text`` writes it: "the Verano plant" (an article takes the nouns after it), "Porto"."""
    do = _do_clause(text)
    if do and name in do[0]:
        return do[0]  # "did the Brackwater council give": the subject ends before the verb
    m = re.search(rf"\bthe\s+{re.escape(name)}((?:\s+[a-z][\w-]*)*)", text)
    if not m:
        return name
    nouns = []
    for word in m.group(1).split():
        if word.lower() in STOPWORDS or not _plain_word(word):
            break
        nouns.append(word)
    return " ".join(["the", name, *nouns])


@dataclass(frozen=True)
class _Before:
    """What the previous question and its answer let a follow-up point back at."""

    text: str  # the previous question, standalone, without its question mark
    asked: str | None = None  # the stem of the noun it asked for: "villag" in "Which village ...?"
    names: tuple[str, ...] = ()  # its names: "Dunmore"
    answer: str | None = None  # a name the answer gave: "Calder Industries"
    place: str | None = None  # the answer, when a place was asked for: "there" is "in Brackwater"
    thing: str | None = None  # "it": the answer, else what the question was about ("the fire at the plant")
    people: str | None = None  # "they"/"them": "the workers trapped in the Calder mine"
    other: str | None = None  # a second "it": the object of "Which company bought the Verano plant?"
    claim: str | None = None  # "that" as a statement: "that workers were injured in the fire ..."
    reported: str | None = None  # what the answer said: "it won the contract" of "Which company said it won ..."
    event: str | None = None  # "that" in "When did that happen?": "the council vote in Dunmore"
    inverted: str | None = None  # the question without its wh-word, for "Why?": "were workers injured in ..."
    setting: str = ""  # where and when: " in the Calder mine"


def _count_before(base: _Before, np: str, rest: str) -> _Before:
    """A count question's referents: "How many workers were trapped in the Calder mine?" gives
    "the workers trapped in the Calder mine" and "that workers were trapped in the Calder mine"."""
    be = _BE_AUX.match(rest)
    # "did the council say were evacuated", "... say left": a verb of saying and the clause it reports
    past = "|".join(["were", "was", "are", "is", r"\w+ed", *_IRREGULAR_PAST.values(), "died"])
    said = re.match(rf"^did\s+(.+?)\s+([a-z][\w-]*)\s+((?:{past})\s+.+)$", rest, re.IGNORECASE)
    do = _do_clause(base.text) if rest.lower().startswith("did ") else None
    if be:  # "the workers trapped in the Calder mine"
        people, claim = f"the {np} {rest[be.end() :]}", f"that {np} {rest}"
        inverted = _joined(be.group().strip(), np, rest[be.end() :])
    elif said:  # "the residents the council said were evacuated from X"
        subject, verb, inner = said.groups()
        people, claim = f"the {np} {subject} {_past(verb)} {inner}", f"that {subject} {_past(verb)} {np} {inner}"
        inverted = f"did {subject} {verb} {np} {inner}"
    elif do:  # "the homes the flood destroyed in Dunmore"
        subject, verb, after = do
        people, claim = (
            _joined("the", np, subject, _past(verb), after),
            _joined("that", subject, _past(verb), np, after),
        )
        inverted = _joined("did", subject, verb, np, after)
    elif rest.split()[0].lower() in _AUX:
        people, claim, inverted = f"the {np}{base.setting}", None, None
    else:  # "the homes that flooded in Dunmore"
        people, claim, inverted = f"the {np} that {rest}", f"that {np} {rest}", None
    setting = base.setting.split(maxsplit=1)
    event = setting[1] if setting[1:] and setting[1].startswith("the ") else None  # "the fire at the plant"
    return replace(base, thing=event, people=people, claim=claim, event=event, inverted=inverted)


def _setting_of(previous: str, question: str = "") -> str:
    """Where and when the previous question is set (" in the fire at the Verano plant"), less the
    phrases whose preposition ``question`` fills itself ("spent on schools" drops " on roads")."""
    text = previous.rstrip("?. ")
    split = _CONSTRAINT.split(text, maxsplit=1)
    setting = text[len(split[0]) :] if len(split) > 1 else ""
    inverted = _do_clause(text, "did|does|do|will|would|can|could|should")
    if (
        re.search(r"['\"‘’“”]", setting)
        or set(words(setting.lower())) & (_AUX | {"be", "been"})
        or (inverted and inverted[1] in words(setting))
    ):
        return ""  # "the festival in Corvale begin", "in Corvale will the festival be held": no setting at the end
    phrases = re.split(r"(?=\s(?:in|near|at|during|on|outside|around)\s)", setting)
    own = {w.lower() for w in question.split()}
    return "".join(p for p in phrases if p.split()[:1] and p.split()[0].lower() not in own)


def _before(previous: str, answer_text: str) -> _Before:
    prev = parse_question(previous)
    text = previous.rstrip("?. ")
    base = _Before(text=text, asked=prev.asked_noun, names=prev.entities, setting=_setting_of(previous))
    counted = prev.focus_word and re.match(rf"^how many\s+(.*?\b{re.escape(prev.focus_word)})\s+(.+)$", text, re.I)
    if prev.kind == "count" and counted:
        return _count_before(base, counted.group(1), counted.group(2))
    answer = _short_answer(answer_text) if prev.kind not in ("count", "date") else None
    base = replace(base, answer=answer, place=answer if prev.kind == "place" else None)
    # "Which company said it won the contract?", "Who won the final?": the answer did what the rest says
    subject = re.match(r"^(who|what|which)\s+(.+)$", text, re.IGNORECASE)
    after_wh = subject.group(2).split() if subject else []
    noun: list[str] = []
    if subject and subject.group(1).lower() != "who" and prev.asked_noun:
        at = next((i for i, w in enumerate(after_wh[:4]) if stem(w) == prev.asked_noun), None)
        noun, after_wh = (after_wh[: at + 1], after_wh[at + 1 :]) if at is not None else ([], after_wh)
    if (
        subject
        and after_wh
        and after_wh[0].lower() not in _AUX - _BE
        and after_wh[-1].lower() not in _PREPOSITIONS  # "Which city is Brackwater close to?" asks for an object
        and (noun or subject.group(1).lower() == "who")
    ):
        vp, head = " ".join(after_wh), " ".join(noun)
        copula = after_wh[0].lower() in _BE
        if copula and len(after_wh) > 1 and after_wh[1].lower() in _ARTICLES and not noun:
            described = " ".join(after_wh[1:])  # "Who is the mayor of Dunmore?": the mayor of Dunmore
        else:
            described = f"the {head} that {vp}" if noun else f"the one who {vp}"
        who = answer or (f"a {head}" if noun else "someone")
        reported = _REPORTED.match(vp)
        acted_on = not copula and len(after_wh) > 1 and (after_wh[1].lower() == "the" or after_wh[1][:1].isupper())
        return replace(
            base,
            thing=answer or described,
            people=answer or described,
            other=" ".join(after_wh[1:]) if acted_on else None,  # "bought the Verano plant": what it acted on
            claim=f"that {who} {vp}",
            reported=reported.group(1) if reported else None,
        )
    # "Where did the council vote in Dunmore happen?": "it" is the vote, "there" the answer. Asked again
    # with another question word only when the first one asked how, when, where or why, not what it did.
    do = _do_clause(text)
    adverbial = re.match(r"^(?:(?:when|where|why|how)\s+did|\w+\s+(?:what|which)\s+\w+(?:\s+\w+)?\s+did)\b", text, re.I)
    if do and adverbial:
        # "When did Porto win the cup final?": "it" is the final, "they" Porto
        done_to = do[2].split(",")[0] if do[0][:1].isupper() and do[2].lower().startswith("the ") else None
        return replace(
            base,
            thing=done_to or do[0],
            people=answer or do[0],
            other=answer,
            claim=_joined("that", do[0], _past(do[1]), do[2]),
            event=do[0],
            inverted=_joined("did", *do),
        )
    if do:  # "What figure did the council give?": the answer is what it gave
        return replace(base, thing=answer or do[0], people=answer or do[0], other=do[0] if answer else None)
    named = _name_phrase(text, prev.entities[0]) if prev.entities else None
    return replace(base, thing=answer or named, people=answer or named)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_name(phrase: str) -> bool:
    return phrase[:1].isupper() and len(phrase.split()) <= 4


def _resolve(question: str, before: _Before) -> tuple[str, bool]:
    """``question`` with what it points back at spelt out, and whether anything was."""
    changed = False
    put_in: list[str] = []  # what was put in, held out of later passes as "\0<n>\0"

    def put(pattern: re.Pattern[str], text: str, repl: Callable[[re.Match[str]], str | None]) -> str:
        nonlocal changed
        out, at = [], 0
        for m in pattern.finditer(text):
            new = repl(m)
            if new is not None:
                out += [text[at : m.start()], f"\0{len(put_in)}\0"]
                put_in.append(new)
                at, changed = m.end(), True
        return "".join(out) + text[at:]

    def written(text: str) -> str:
        return re.sub(r"\0(\d+)\0", lambda m: put_in[int(m.group(1))], text)

    used: dict[bool, str] = {}

    def referent(word: str) -> str | None:
        """The answer or the previous question's subject; a second, different pronoun gets what it acted on."""
        plural = word.lower() in ("they", "them", "their", "those", "these")
        if plural in used:
            return used[plural]
        first = before.people if plural else before.thing
        pick = first if first and first not in used.values() else before.other
        if pick:
            used[plural] = pick
        return pick

    def demonstrative(m: re.Match[str]) -> str | None:
        noun = m.group(1)
        if before.answer and stem(noun) == before.asked:  # "that village" after "Which village ...?"
            return before.answer
        earlier = _phrase_ending(before.text, noun)
        if earlier:  # "that plant" -> "the Verano plant"
            return earlier.group()
        if before.people and stem(noun) in [stem(w) for w in before.people.split()[1:2]]:
            return before.people  # "those workers" -> "the workers trapped in the Calder mine"
        return before.answer  # "What road does that village overlook?" -> "... does Elmsford overlook?"

    def possessive(m: re.Match[str]) -> str | None:
        ref = referent(m.group(1))
        if not ref:
            return None
        if _is_name(ref):  # "its chief executive" -> "Calder Industries' chief executive"
            return f"{ref}' {m.group(2)}" if ref.endswith("s") else f"{ref}'s {m.group(2)}"
        return f"the {m.group(2)} of {ref}"  # "their families" -> "the families of the workers ..."

    q = question
    if _DEMONSTRATIVE_SUBJECT.search(q):  # "When did that happen?" -> "When did the council vote in Dunmore happen?"
        q = put(_DEMONSTRATIVE_SUBJECT, q, lambda m: m.group(1) + before.event if before.event else None)
    else:
        q = put(_DEMONSTRATIVE_NP, q, demonstrative)
    q = put(_PRONOUN, q, lambda m: referent(m.group()))
    q = put(_POSSESSIVE, q, possessive)
    # "How many people live there?" -> "How many people live in Brackwater?"
    there = f"in {before.place}" if before.place else before.setting.strip()
    q = put(_THERE, q, lambda m: there or None)
    # "Who reported that?" -> "Who reported that workers were injured in the fire ...?"
    said = before.claim
    if before.answer and before.reported and before.answer in written(q):
        said = f"that {before.reported}"  # "Where did Calder Industries announce that it won the contract ...?"
    if said and " ".join(said.split()[-3:]) in written(q):
        said = None  # "the company that bought the plant announce that": the pronoun said it already
    q = put(_TRAILING_DEMONSTRATIVE, q, lambda m: said)
    return written(q), changed


def _with_setting(question: str, before: _Before) -> str:
    """A question naming nothing, given the previous question's setting: "Who is the mayor?" after a
    question about Dunmore -> "Who is the mayor of Dunmore?"."""
    body = question.rstrip("?. ")
    setting = _setting_of(before.text, body)
    role = re.match(r"^(?:who|what)\s+(?:is|are|was|were)\s+the\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?$", body, re.I)
    place = re.fullmatch(r"\s+(?:in|at)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)", setting)
    owner = before.answer or (place.group(1) if place else None)
    if role and (owner or before.names):
        return f"{body} of {owner or _name_phrase(before.text, before.names[0])}?"
    return f"{body}{setting}?" if setting else question


def _swap_phrase(text: str, phrase: str) -> str | None:
    """``text`` with its phrase of the same preposition as ``phrase`` ("on roads") replaced by it."""
    prep = phrase.split()[0]
    m = re.search(rf"\s{re.escape(prep)}\s+(?:the\s+)?[\w'-]+", text, re.IGNORECASE)
    return f"{text[: m.start()]} {phrase}{text[m.end() :]}" if m else None


# What a noun names when it is no place or event to set a question in: "the cost", "the turnout", "the
# weather" (WordNet's kinds of noun); "in the flood", "in the Calder mine" are settings.
_NOT_A_SETTING = frozenset(
    {
        "noun.attribute",
        "noun.cognition",
        "noun.communication",
        "noun.feeling",
        "noun.motive",
        "noun.phenomenon",
        "noun.possession",
        "noun.process",
        "noun.quantity",
        "noun.relation",
        "noun.state",
    }
)
_PAST = re.compile(r"\b(?:did|was|were|had)\b|\b[a-z]{3,}ed\b", re.I)


def _in_the_past(question: str) -> bool:
    """Whether ``question`` asks about the past: "did", "were", a verb in "-ed" or an irregular past ("built")."""
    return _PAST.search(question) is not None or any(
        base_form(w) != w and is_verb(base_form(w)) for w in words(question.lower())[1:]
    )


def _asked_of(previous: str, focus: str | None, names: Sequence[str], tail: str) -> str:
    """What about Y?": the previous question asked of Y, in place of its setting, counted noun or name."""
    text = previous.rstrip("?. ")
    core = _CONSTRAINT.split(text, maxsplit=1)[0]
    if re.match(r"(?:in|near|at|during|on|outside|around)\b", tail, re.I):
        swapped = _swap_phrase(text, tail) if not tail.split()[-1][:1].isupper() else None
        return f"{swapped or core + ' ' + tail}?"  # "And on schools?", "And in Corvale?"
    noun = re.sub(r"^(?:the|a|an)\s+", "", tail, flags=re.I)
    head = noun.split()[-1]
    same = _phrase_ending(text, head) if head[:1].islower() else None
    if same:  # "What about the 2022 final?" after "Which team won the 2023 cup final in Lisbon?"
        return f"{text[: same.start()]}{tail}{text[same.end() :]}?"
    common = head[:1].islower()
    one = singular(head.lower())
    plural = common and one != head.lower()
    kind = lexnames(one, "n", 1) if common else frozenset()
    if focus and plural and kind & lexnames(singular(focus.lower()), "n", 1):
        return re.sub(rf"\b{re.escape(focus)}\b", noun, text, count=1) + "?"  # "What about firefighters?"
    named = any(w[:1].isupper() for w in noun.split())  # "Port Ellery", "the Calder mine"
    if names and named and not any(n in text[len(core) :] for n in names):
        return text.replace(names[-1], tail, 1) + "?"  # "What about Port Ellery?" when no place is named
    past = _in_the_past(text)
    setting = _setting_of(previous, tail)
    if focus and plural:  # "What about injuries?" after a count of workers: a count of its own
        return f"How many {noun} {'were' if past else 'are'} there{setting}?"
    # "What about the cost?": the thing itself, where the last question was set
    if kind & _NOT_A_SETTING and not named:
        be = ("were" if past else "are") if plural else ("was" if past else "is")
        return f"What {be} {tail}{setting}?"
    return f"{core} in {tail}?"  # "What about Corvale?" after "How many ... injured in the fire at the Verano plant?"


def standalone_question(question: str, history: History | None) -> str:
    """``question`` rewritten so it can be understood without ``history``: a question a person would
    write, with what it points back at spelt out ("Which crew rescued the workers trapped in the
    Calder mine?") and the names and setting of the previous question that retrieval needs."""
    q = question.strip()
    if not history:
        return q
    previous = standalone_question(history[-1][0], history[:-1])
    cur, prev = parse_question(q), parse_question(previous)
    lead = _LEAD_IN.match(q)
    tail = q[lead.end() :].rstrip("?. ") if lead else ""

    # "What about the council vote in Dunmore?": the previous question, asked of something else
    if lead and tail and not _WH_CORE.match(tail):
        return _asked_of(previous, prev.focus_word if prev.kind == "count" else None, prev.entities, tail)

    # "And how many firefighters were injured?": the same count about other people
    elliptic = lead is not None or _POINTS_BACK.search(q) is not None or (cur.verb is None and len(q.split()) <= 6)
    among = re.search(r"\b(?:them|they|those|these)\b", q, re.I)  # "how many managers were among them"
    if cur.kind == "count" == prev.kind and elliptic and not among:
        if cur.verb and prev.verb and cur.verb not in related(prev.verb):
            # "And how many were rescued?": its own verb, the previous question's people and setting
            own = _LEAD_WORDS.sub("", q.rstrip("?. "))
            if not cur.focus_word and prev.focus_word:
                own = re.sub(r"\bhow many\b", f"how many {prev.focus_word}", own, count=1, flags=re.I)
            return f"{_capitalised(own)}{_setting_of(previous, own)}?"
        now, before = _COUNT_NP.match(q), _COUNT_NP.match(previous)
        if now and before:
            return _capitalised(f"{before.group(1)}{now.group(2)}{before.group(3)}")
        if cur.focus_word and prev.focus_word and not cur.entities:
            return re.sub(rf"\b{re.escape(prev.focus_word)}\b", cur.focus_word, previous, count=1)
        phrase = re.search(r"\b(?:on|for|in|at|during)\s+[a-z][\w'-]*\s*[?.!]*$", q)  # "how much was spent on schools"
        swapped = _swap_phrase(previous.rstrip("?. "), phrase.group().rstrip("?.! ")) if phrase else None
        if swapped and not cur.focus_word and not prev.focus_word:
            return f"{swapped}?"

    said = _before(previous, history[-1][1])
    own = _capitalised(_LEAD_WORDS.sub("", q))
    # "Why?", "When did it happen?": the previous question asked again with the new question word
    bare = re.fullmatch(
        r"(why|when|where|how)(?:\s+did\s+(?:it|that|this)\s+([a-z]+)(?:\s+place)?)?\s*[?.!]*", own, re.I
    )
    if bare and (not bare.group(2) or stem(bare.group(2)) in LIGHT_VERBS):
        if said.inverted:  # "Why?" -> "Why were workers injured in the fire at the Verano plant?"
            return f"{bare.group(1).capitalize()} {said.inverted}?"
        if not bare.group(2):
            return own  # nothing to ask it of: "Why?" stays as asked
        said = replace(said, thing=said.event, people=said.event, other=None)  # an answer does not "happen"
    # "Where did it announce that?" -> "Where did Calder Industries announce that it won the contract ...?"
    out, changed = _resolve(own, said)
    out = _capitalised(out)
    # A question that names nothing keeps the previous question's setting: "Who is the mayor of Dunmore?"
    unresolved = points_back(out) or (not changed and (lead is not None or (prev.entities and len(q.split()) <= 4)))
    if unresolved and not cur.entities and not any(TextNames(out).has(n) for n in prev.entities):
        out = _with_setting(out, said)
    return out


def rewrite_with_model(model: ChatModel, templates: Templates, question: str, history: History) -> str | None:
    """The model's standalone version of ``question``, or None when it cannot be trusted."""
    from qa.errors import BackendError

    turns = "\n".join(f"Q: {q}\nA: {a.splitlines()[0] if a else ''}" for q, a in history[-4:])
    try:
        reply = model.complete([{"role": "user", "content": templates.render_rewrite(turns, question)}], max_tokens=80)
    except BackendError:
        return None
    line = reply.strip().splitlines()[0].strip().strip('"') if reply.strip() else ""
    cur = parse_question(question)
    keeps_names = all(TextNames(line).has(name) for name in cur.entities)
    before = {t for q, _ in history for t in terms(q)} - set(terms(question))
    resolves = bool(before & set(terms(line)))  # it brought something over from the conversation
    if not line.endswith("?") or len(line) > 3 * len(question) + 200 or not keeps_names or not resolves:
        return None
    return line
