"""Attribution: who a sentence says claims what it says, and whether that is who the question asks about."""

from __future__ import annotations

import re

from qa.candidate import Candidate
from qa.names import TextNames
from qa.question import is_person_noun

_PRONOUNS = {"it", "he", "she", "they", "we"}


def refers_back(claimant: str) -> bool:
    """Whether a claimant only points back to someone named before: "it", "they", "the group"."""
    low = claimant.lower().strip()
    if low in _PRONOUNS:
        return True
    m = re.fullmatch(r"the ([a-z][\w-]*)", low)
    return m is not None and is_person_noun(m.group(1))


_CLAIM_VERBS = r"(?:said|says|reported|reports|claimed|claims|told|added|announced|stated|confirmed)"


def find_claimant(text: str) -> str | None:
    """Who a sentence attributes its claim to: 'the union', 'the Herald (quoting an Acme engineer)'."""
    who: str | None = None
    m = re.search(r"\baccording to ((?:the )?[^,.;]{2,60})", text)
    if m:
        who = m.group(1)
    if who is None:
        # ", the union said." at the end
        m = re.search(r",\s+((?:the\s+)?[A-Z][^,.;]{1,60}?)\s+" + _CLAIM_VERBS + r"\s*[.!]?[\"”]?$", text)
        lower = r",\s+(the\s+[a-z][\w'’-]*(?:\s+[\w'’-]+){0,3})\s+" + _CLAIM_VERBS + r"\s*[.!]?[\"”]?$"
        m = m or re.search(lower, text)
        if m:
            who = m.group(1)
    if who is None:
        # "The union said ...", "The Herald, a family-owned news site, said ..."
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


def claimant_matches(c: Candidate, claimant: str | None) -> bool:
    if not c.question.claimants:
        return True
    said = TextNames(" ".join(x for x in (c.sentence.text, claimant, c.article.source) if x))
    return any(said.has(name) or said.match(name) > 0 for name in c.question.claimants)
