"""Follow-up questions made standalone before retrieval, without a model.

"And how many officers?" after "How many soldiers were killed in the ambush
in Homs?" becomes "How many officers were killed in the ambush in Homs?";
"What road does that village overlook?" after an answer "Akrab" becomes
"What road does Akrab overlook?". Retrieval on the last message alone (what
most RAG chats do) would search for "officers" with nothing to anchor it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.lexicon import related
from qa.names import TextNames
from qa.question import parse_question
from qa.text import terms

if TYPE_CHECKING:
    from qa.llm import ChatModel
    from qa.templates import Templates

History = Sequence[tuple[str, str]]  # (question, answer) turns, oldest first

_LEAD_IN = re.compile(
    r"^\s*(?:and|but|also|so|ok(?:ay)?|then)?[\s,]*(?:what|how) about\s+|^\s*(?:and|but|also|so)[\s,]+",
    re.IGNORECASE,
)
# "that"/"this" point back only at the end ("Who reported that?"), not in "that 27 soldiers died"
_POINTS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|those|these|there|then|the same)\b|\b(?:that|this)\s*[?.!]*$", re.IGNORECASE
)
_REFERS_BACK = re.compile(r"\b(?:that|this|it|they|them|those|these|there|then|the same)\b", re.IGNORECASE)
# "that village", "this group", "it", "they": what a short previous answer can stand in for
_REFERRING_NP = re.compile(
    r"\b(?:(?:that|this|these|those|the\s+same)\s+(?!is\b|was\b|are\b|were\b)[a-z-]+|it|they|them|there)\b",
    re.IGNORECASE,
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


def points_back(question: str) -> bool:
    """Whether a question refers to something said before ("it", "they", "that?")."""
    return _POINTS_BACK.search(question) is not None


def _short_answer(answer: str) -> str | None:
    """What a pronoun in the follow-up can stand for: the name the previous answer leads with,
    or the whole answer when it is a short phrase."""
    from qa.question import find_names

    first = answer.strip().splitlines()[0] if answer.strip() else ""
    first = re.sub(r"\s*(?:\[\d+\])+\.?$", "", first).strip(" .")
    if not first or any(r in first.lower() for r in _REFUSALS):
        return None
    names = find_names(first)
    if names:
        s, e = names[0]
        return first[s:e]
    phrase = first.split(",")[0].strip()
    return phrase if len(phrase.split()) <= 6 else None


def standalone_question(question: str, history: History | None) -> str:
    """``question`` rewritten so it can be understood without ``history``."""
    q = question.strip()
    if not history:
        return q
    previous = standalone_question(history[-1][0], history[:-1])
    cur, prev = parse_question(q), parse_question(previous)
    lead = _LEAD_IN.match(q)
    tail = q[lead.end() :].rstrip("?. ") if lead else ""

    # "What about the attack near Aleppo?": the previous question, asked of something else
    if lead and tail and not _WH_CORE.match(tail):
        core = _CONSTRAINT.split(previous.rstrip("?. "), maxsplit=1)[0]
        joiner = " " if re.match(r"(?:in|near|at|during|on|outside|around)\b", tail, re.I) else " in "
        return f"{core}{joiner}{tail}?"

    # "And how many Daesh fighters died?": the same count about other people
    elliptic = lead is not None or _POINTS_BACK.search(q) is not None or (cur.verb is None and len(q.split()) <= 6)
    if cur.kind == "count" == prev.kind and elliptic:
        if cur.verb and prev.verb and cur.verb not in related(prev.verb):
            # "And how many were wounded?": its own verb, the previous question's people and setting
            setting = _CONSTRAINT.split(previous.rstrip("?. "), maxsplit=1)
            tail = previous.rstrip("?. ")[len(setting[0]) :] if len(setting) > 1 else ""
            own = _LEAD_WORDS.sub("", q.rstrip("?. "))
            if not cur.focus_word and prev.focus_word:
                own = re.sub(r"\bhow many\b", f"how many {prev.focus_word}", own, count=1, flags=re.I)
            return f"{own[:1].upper()}{own[1:]}{tail}?"
        now, before = _COUNT_NP.match(q), _COUNT_NP.match(previous)
        if now and before and not re.search(r"\b(?:them|they|those|these)\b", now.group(2), re.I):
            return f"{before.group(1)}{now.group(2)}{before.group(3)}"
        if cur.focus_word and prev.focus_word and not cur.entities:
            return re.sub(rf"\b{re.escape(prev.focus_word)}\b", cur.focus_word, previous, count=1)

    # "What road does that village overlook?" after "Akrab": put the answer in
    answer = _short_answer(history[-1][1])
    if answer and _REFERRING_NP.search(q):
        # "there" stands for a place: "How many people live there?" -> "... live in Brackwater?"
        q = _REFERRING_NP.sub(lambda m: f"in {answer}" if m.group().lower() == "there" else answer, q, count=1)
        cur = parse_question(q)

    # "Who reported that?": keep the new question, carry over what the last one was about.
    # A new question that names nothing and points back at nothing is asked afresh.
    refers = _POINTS_BACK.search(q) is not None
    if (
        refers
        or (lead is not None and not cur.entities)
        or (not cur.entities and prev.entities and len(q.split()) <= 4)
    ):
        about = _WH_CORE.sub("", previous.rstrip("?. "), count=1)
        return f"{q.rstrip('?. ')} - about: {about}?"
    return q


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
