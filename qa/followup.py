"""Follow-up questions made standalone before retrieval, without a model.

"And how many officers?" after "How many soldiers were killed in the ambush
in Homs?" becomes "How many officers were killed in the ambush in Homs?".
Retrieval on the last message alone (what most RAG chats do) would search
for "officers" with nothing to anchor it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.question import parse_question

History = Sequence[tuple[str, str]]  # (question, answer) turns, oldest first

_LEAD_IN = re.compile(
    r"^\s*(?:and|but|also|so|ok(?:ay)?|then)?[\s,]*(?:what|how) about\s+|^\s*(?:and|but|also|so)[\s,]+",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(r"\b(?:that|this|it|they|them|those|these|there|then|the same)\b", re.IGNORECASE)
_WH_CORE = re.compile(
    r"^\s*(?:how (?:many|much)|who(?:m|se)?|what|when|where|which)"
    r"(?: (?:is|are|was|were|did|does|do|has|have|had))?\s+",
    re.IGNORECASE,
)
_CONSTRAINT = re.compile(r"\s+(?:in|near|at|during|on|east of|west of|north of|south of|outside|around)\s+", re.I)


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

    # "And how many officers?": the same question about another counted noun
    new_noun, old_noun = cur.focus_word, prev.focus_word
    counted = cur.kind == "count" == prev.kind and not cur.entities
    if counted and new_noun and old_noun and (len(q.split()) <= 8 or _REFERS_BACK.search(q)):
        return re.sub(rf"\b{re.escape(old_noun)}\b", new_noun, previous, count=1)

    # "Who reported that?": keep the new question, carry over what the last one was about
    if (not cur.entities and prev.entities) or _REFERS_BACK.search(q):
        about = _WH_CORE.sub("", previous.rstrip("?. "), count=1)
        return f"{q.rstrip('?. ')} - about: {about}?"
    return q
