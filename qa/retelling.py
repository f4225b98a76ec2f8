"""Two tellings of one sentence that differ in one value: "reached 40 feet" / "reached 20 feet".

News is copied and updated: a wire report reprinted by another outlet with a
new toll, a figure corrected, a name changed. Two sentences from different
articles that are the same words apart from one figure, date or name disagree
on that value, whatever the question's answer phrase was chosen to be. Word
alignment (:class:`difflib.SequenceMatcher`) finds the one place they differ;
no vocabulary is involved. The same value written two ways ("500" / "five
hundred", "$1m" / "1 million dollars") is not a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from qa.numbers import find_quantities, same_value
from qa.text import fold

MIN_SAME_WORDS = 0.75  # share of the two sentences' words in the same order (SequenceMatcher's ratio)
MAX_CHANGED_WORDS = 4  # the changed value, on either side, in words

_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’()[]{},.;:!?~"


@dataclass(frozen=True)
class Changed:
    """Where each sentence states the value the other states differently (offsets in the sentence)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


def _tokens(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        word = fold(m.group()).strip(_EDGE)
        if word:
            out.append((m.start(), m.end(), word))
    return out


def _is_value(raw: str, opens: bool) -> bool:
    """A figure, or a name (a capitalised word, not only the one that ``opens`` the sentence): what a copy
    changes when it changes a fact."""
    words = raw.split()
    return any(ch.isdigit() for ch in raw) or any(w.strip(_EDGE)[:1].isupper() for w in words[1 if opens else 0 :])


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to the whole quantity it is part of ("11" in "11 million"), without edge punctuation."""
    for q in find_quantities(text):
        if q.start < end and start < q.end:
            start, end = min(start, q.start), max(end, q.end)
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _same_value(a: str, b: str) -> bool:
    if fold(a) == fold(b):
        return True
    qa_, qb = find_quantities(a), find_quantities(b)
    return len(qa_) == len(qb) >= 1 and all(
        x.kind == y.kind and same_value(x.value, y.value) for x, y in zip(qa_, qb, strict=True)
    )


def changed_value(a: str, b: str) -> Changed | None:
    """The one value sentence ``b`` states differently from ``a`` when they are otherwise one telling, or None.

    None when they differ in more than one value, in words that are not a figure or a name (a paraphrase),
    or too much to be one sentence retold.
    """
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return None
    matcher = SequenceMatcher(None, [t[2] for t in ta], [t[2] for t in tb], autojunk=False)
    if matcher.ratio() < MIN_SAME_WORDS:
        return None
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if len(blocks) != 1 or blocks[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = blocks[0]
    if max(i2 - i1, j2 - j1) > MAX_CHANGED_WORDS:
        return None
    a_start, a_end = ta[i1][0], ta[i2 - 1][1]
    b_start, b_end = tb[j1][0], tb[j2 - 1][1]
    raw_a, raw_b = a[a_start:a_end], b[b_start:b_end]
    if not (_is_value(raw_a, i1 == 0) and _is_value(raw_b, j1 == 0)):
        return None
    a_start, a_end = _widen(a, a_start, a_end)
    b_start, b_end = _widen(b, b_start, b_end)
    if a_start >= a_end or b_start >= b_end or _same_value(a[a_start:a_end], b[b_start:b_end]):
        return None
    return Changed(a_start, a_end, b_start, b_end)
