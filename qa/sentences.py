"""Split article text into paragraphs and sentences with exact offsets.

Citations quote sentences verbatim, so every span returned here indexes the
original text unchanged: ``text[s.start:s.end] == s.text``.  Nothing is
normalised; wrapped lines keep their line breaks inside the sentence text.

The splitter is rule based (no model) and tuned for news prose: it knows the
usual abbreviations, initials, dotted acronyms ("U.S."), decimals and dotted
dates, quotes closing a sentence, and hard-wrapped lines versus headings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from qa.types import Sentence

# Longest sentence we hand out; longer runs (lists without punctuation,
# scraped tables, hostile input) are cut so a citation can never be huge.
MAX_SENTENCE_CHARS = 1000

# Any single line break, including the Unicode ones str.splitlines() knows.
_LB = r"(?:\r\n|\r(?!\n)|[\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])"
# Whitespace that is not a line break.
_HS = r"[^\S\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"
_PARA_SEP = re.compile(rf"{_LB}(?:{_HS}*{_LB})+|\u2029")
_LINE_BREAK = re.compile(_LB)
_LINE_BREAK_CHARS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

_CLOSERS = "\"”’')]»"
_OPENERS = "\"“‘'([«"
_BULLETS = "-*•–—·▪►"
# Terminal punctuation, then closing quotes/brackets, then whitespace.
_TERMINATOR = re.compile(r"(?<![.!?…])(?P<punct>[.!?…]+)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?=\s)")
_WHITESPACE = re.compile(r"\s+")
_LAST_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+$")
_WORD = re.compile(r"[^\W\d_]+")
# "U.S", "U.N", "Ph.D" (the final dot is the one being judged).
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")

# Never end a sentence after these (compared lowercased, without the final
# dot).  Titles and months are followed by a name or a day, not a new sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "maj",
        "sen",
        "rep",
        "gov",
        "pres",
        "cmdr",
        "adm",
        "messrs",
        "rev",
        "hon",
        "supt",
        "insp",
        "det",
        "vs",
        "e.g",
        "i.e",
        "cf",
        "approx",
        "est",
        "dept",
        "univ",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
)
# These often do end a sentence ("... shares of Apple Inc. The company ..."),
# so they only block a split when the next word is not a typical opener.
_SOFT_ABBREVIATIONS = frozenset(["inc", "co", "corp", "ltd", "jr", "sr", "etc", "a.m", "p.m", "llc", "plc", "bros"])
# Words that almost always start a new sentence; used to tell "the U.S. The
# president said" (split) from "the U.S. Army said" (no split).
_STARTERS = frozenset(
    [
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Their",
        "His",
        "Her",
        "Its",
        "Our",
        "But",
        "And",
        "Yet",
        "So",
        "However",
        "Meanwhile",
        "In",
        "On",
        "At",
        "After",
        "Before",
        "When",
        "While",
        "If",
        "As",
        "Some",
        "Many",
        "Most",
        "Both",
        "All",
        "No",
        "Now",
        "Then",
        "Still",
        "Also",
    ]
)
# Lines ending in these words are wrapped mid-phrase, never headings.
_CONNECTORS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "nor",
        "with",
        "by",
        "from",
        "as",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "than",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "against",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "said",
        "says",
        "its",
        "their",
        "his",
        "her",
    ]
)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each non-empty paragraph, whitespace trimmed.

    Paragraphs are separated by blank lines (a line break, optional
    whitespace, another line break).  The list index is the paragraph index
    used by :func:`split_sentences`.
    """
    return _pieces(text, _PARA_SEP)


def split_sentences(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Sentence]:
    """Split ``text`` into sentences whose text is ``text[start:end]``.

    Sentences are in text order, do not overlap and carry no surrounding
    whitespace.  A sentence longer than :data:`MAX_SENTENCE_CHARS` is cut
    into pieces at whitespace.  Sentences overlapping any ``skip`` span
    (page debris such as share buttons or the headline) are dropped; the
    paragraph indexes of the others do not change because of that.
    """
    sentences: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        for s_start, s_end in _split_paragraph(text, p_start, p_end):
            for start, end in _cut_long(text, s_start, s_end):
                if _overlaps(start, end, skip):
                    continue
                sentences.append(Sentence(start, end, text[start:end], index))
    return sentences


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    start, end = _trim(text, start, end)
    if start < end:
        out.append((start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(start: int, end: int, skip: Sequence[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in skip)


def _split_paragraph(text: str, p_start: int, p_end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of one trimmed paragraph."""
    para = text[p_start:p_end]
    cuts: set[int] = set()

    for m in _TERMINATOR.finditer(para):
        ws = _WHITESPACE.match(para, m.end())
        if ws is None or ws.end() >= len(para):
            continue
        crosses_line = any(c in _LINE_BREAK_CHARS for c in ws.group())
        if _is_boundary(para, m, ws.end(), crosses_line):
            cuts.add(m.end())

    lines = _lines(para)
    if len(lines) > 1:
        width = max(end - start for start, end in lines)
        for (start, end), (n_start, n_end) in itertools.pairwise(lines):
            line = para[start:end]
            if line.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…"):
                continue  # the punctuation rules above already decided
            if _is_heading_like(line, para[n_start:n_end], width):
                cuts.add(end)

    spans: list[tuple[int, int]] = []
    pos = 0
    for cut in [*sorted(cuts), len(para)]:
        start, end = _trim(para, pos, cut)
        if start < end:
            spans.append((p_start + start, p_start + end))
        pos = cut
    return spans


def _lines(para: str) -> list[tuple[int, int]]:
    """Trimmed ``(start, end)`` of each non-empty line of a paragraph."""
    return _pieces(para, _LINE_BREAK)


def _pieces(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Trimmed ``(start, end)`` of each non-empty piece of ``text`` between ``separator`` matches."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for sep in separator.finditer(text):
        _add_trimmed(text, pos, sep.start(), spans)
        pos = sep.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _starts_sentence(ch: str) -> bool:
    # Uncased letters (Arabic, CJK, ...) cannot be told apart, so allow them.
    return ch.isupper() or ch.isdigit() or ch in _OPENERS or (ch.isalpha() and not ch.islower() and not ch.isupper())


def _is_boundary(para: str, m: re.Match[str], next_pos: int, crosses_line: bool) -> bool:
    """Whether the terminator ``m`` followed by whitespace ends a sentence."""
    nxt = para[next_pos]
    if crosses_line:
        # A line ending in punctuation ends the sentence, unless the next
        # line visibly continues it ("at 5 p.m.\nlocal time", "...\nand").
        if nxt.islower():
            return False
    elif not _starts_sentence(nxt):
        return False
    if m.group("punct") != "." or m.group("close"):
        return True
    word = _word_before(para, m.start())
    return not _is_abbreviation(word, para, next_pos)


def _word_before(para: str, dot: int) -> str:
    """The letters-and-dots token that ends just before ``dot``."""
    start = dot
    while start > 0 and (para[start - 1].isalpha() or para[start - 1] == "."):
        start -= 1
    return para[start:dot]


def _next_word(para: str, pos: int) -> tuple[str, str]:
    """The word starting at ``pos`` and the character right after it."""
    m = _WORD.match(para, pos)
    if m is None:
        return "", ""
    return m.group(), para[m.end() : m.end() + 1]


def _next_is_starter(para: str, pos: int) -> bool:
    word, after = _next_word(para, pos)
    # "A. A. Milne": a single letter followed by a dot is another initial.
    return word in _STARTERS and after != "."


def _is_abbreviation(word: str, para: str, next_pos: int) -> bool:
    """Whether the dot after ``word`` belongs to it rather than ending a sentence."""
    if not word:
        return False
    low = word.lower()
    if low in _ABBREVIATIONS:
        return True
    if low == "no":  # "No. 5" but "the answer was no. Then ..."
        return para[next_pos].isdigit()
    if low in _SOFT_ABBREVIATIONS:
        return not _next_is_starter(para, next_pos)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return not _next_is_starter(para, next_pos)
    if _ACRONYM.fullmatch(word):  # "U.S.", "U.N."
        return not _next_is_starter(para, next_pos)
    return False


def _is_heading_like(line: str, next_line: str, width: int) -> bool:
    """Whether a line without terminal punctuation stands alone.

    Headlines, datelines, bylines and button rows are short lines followed
    by a line starting a new sentence; hard-wrapped prose runs close to the
    wrap width and often ends mid-phrase.
    """
    if not next_line:
        return False
    if next_line[0] in _BULLETS and next_line[1:2].isspace():
        return True
    if not _starts_sentence(next_line[0]):
        return False
    if line[-1] in ",;:([{/&+=-–—":
        return False
    last = _LAST_WORD.search(line)
    if last is not None and last.group().lower() in _CONNECTORS:
        return False
    if len(line) <= 0.6 * width:
        return True
    return _is_title_case(line)


def _is_title_case(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if w.lower() not in _CONNECTORS]
    if len(words) < 2 or len(words) > 15:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.75 * len(words)


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long span into pieces of at most MAX_SENTENCE_CHARS."""
    pieces: list[tuple[int, int]] = []
    limit = MAX_SENTENCE_CHARS
    while end - start > limit:
        cut = _cut_point(text, start, start + limit)
        piece = _trim(text, start, cut)
        if piece[0] < piece[1]:
            pieces.append(piece)
        start, end = _trim(text, cut, end)
    if start < end:
        pieces.append((start, end))
    return pieces


def _cut_point(text: str, start: int, limit_end: int) -> int:
    """Where to cut ``text[start:]`` so the piece ends by ``limit_end``.

    Prefers whitespace after ";" or "," (a clause boundary) in the second
    half of the window, then the last whitespace, then a hard cut.
    """
    last_space = None
    for k in range(limit_end, start, -1):
        if k < len(text) and text[k].isspace():
            if text[k - 1] in ";," and k - start >= MAX_SENTENCE_CHARS // 2:
                return k
            if last_space is None:
                last_space = k
    return last_space if last_space is not None else limit_end
