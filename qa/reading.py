"""What is read from an article once, at ingest, and kept with it: its sentences, its names' acronyms,
and which of its sentences address a model.

An answer reads the 30-40 articles its retrieved chunks come from. Splitting
each into sentences and finding the names in it took a third of an answer's
time at 100k chunks (bench/README.md); all of it depends on the text alone, so
ingest does them once and the store keeps the result with the article.

A kept reading is used only when the code that made it is the code running
now (:func:`reader`, a fingerprint of that code); otherwise the article is read
again when needed, and the next ingest of the same files replaces the reading
(no embedding: the text did not change).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import inspect
import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources

from qa.hygiene import is_instruction
from qa.name_spans import find_names
from qa.names import name_acronyms
from qa.sentences import split_sentences
from qa.types import Article, Reading, Sentence

SEPARATOR = "\n|\n"  # joins sentences: a name never runs on from one sentence into the next across a "|"


def _code_that_reads() -> Iterator[str]:
    """The code (and word lists) that decide where sentences end and which names and acronyms are found."""
    from qa import hygiene, name_spans, names, text

    yield resources.files("qa").joinpath("sentences.py").read_text(encoding="utf-8")  # the splitter, all of it
    for function in (
        read,
        sentence_acronyms,
        name_spans.find_names,
        name_spans.is_capitalised,
        name_spans._starts_sentence,
        names.name_acronyms,
        names.acronym,
        names.name_tokens,
        text.fold,
        hygiene.is_instruction,
    ):
        yield inspect.getsource(function)
    for words in (
        name_spans._LEADING,
        name_spans._ENTITY_JOINERS,
        name_spans._MONTHS_DAYS,
        text.STOPWORDS,
        names._JOINERS,
    ):
        yield repr(sorted(words))
    yield (
        name_spans.WORD_UNIT_RE.pattern
        + names._TOKEN_RE.pattern
        + hygiene._INSTRUCTION.pattern
        + hygiene._QUOTED.pattern
    )


@functools.cache
def reader() -> str:
    """A fingerprint of the code that reads: a reading made by other code is not used."""
    digest = hashlib.sha256()
    try:
        for part in _code_that_reads():
            digest.update(part.encode())
    except (OSError, TypeError):  # installed without sources: the package version is all there is to go by
        from qa import __version__

        digest.update(__version__.encode())
    return digest.hexdigest()[:16]


def sentence_acronyms(texts: list[str]) -> list[frozenset[str]]:
    """The acronyms of the names in each sentence ("IFS" for one that names the Institute for Fiscal Studies).

    The sentences are read as one text: the names found in it are exactly
    those each sentence has, and one pass over the text is much quicker than one per sentence.
    """
    joined = SEPARATOR.join(texts)
    step = len(SEPARATOR)
    starts = list(itertools.accumulate((len(t) + step for t in texts[:-1]), initial=0))
    found: list[set[str]] = [set() for _ in texts]
    for s, e in find_names(joined, skip_first=False):
        found[bisect.bisect_right(starts, s) - 1] |= name_acronyms(joined[s:e])
    return [frozenset(a) for a in found]


def read(article: Article) -> Reading:
    """Split ``article`` into sentences, find its names' acronyms and the sentences that address a model."""
    sentences = split_sentences(article.text, skip=article.boilerplate)
    return Reading(
        reader(),
        tuple((s.start, s.end, s.paragraph) for s in sentences),
        tuple(sentence_acronyms([s.text for s in sentences])),
        frozenset(i for i, s in enumerate(sentences) if is_instruction(s.text)),
    )


def with_reading(article: Article) -> Article:
    """``article`` with a current reading (read now unless it has one)."""
    return article if current(article.reading) else replace(article, reading=read(article))


def current(reading: Reading | None) -> bool:
    """Whether ``reading`` was made by the code running now."""
    return reading is not None and reading.reader == reader()


def sentences_of(article: Article) -> list[Sentence] | None:
    """The sentences of the article's current reading (None: it has none)."""
    if not current(article.reading):
        return None
    assert article.reading is not None
    text = article.text
    return [Sentence(start, end, text[start:end], paragraph) for start, end, paragraph in article.reading.sentences]


def to_json(reading: Reading) -> str:
    """A reading as the store keeps it: spans, acronyms only for the sentences that have some, instructions."""
    return json.dumps(
        {
            "sentences": [list(s) for s in reading.sentences],
            "acronyms": [[i, sorted(a)] for i, a in enumerate(reading.acronyms) if a],
            "instructions": sorted(reading.instructions),
        },
        separators=(",", ":"),
    )


def from_json(reader: str, data: str, length: int) -> Reading | None:
    """The reading kept for a text of ``length`` characters; None if it is unreadable or does not fit the text."""
    try:
        raw = json.loads(data)
        spans: tuple[tuple[int, int, int], ...] = tuple(map(tuple, raw["sentences"]))
        acronyms = [frozenset[str]()] * len(spans)
        for i, names in raw["acronyms"]:
            acronyms[i] = frozenset(names)
        instructions = frozenset(raw["instructions"])
        fits = all(type(s) is type(e) is type(p) is int and 0 <= s < e <= length for s, e, p in spans)
        fits = fits and all(type(n) is str for a in acronyms for n in a)
        fits = fits and all(type(i) is int and 0 <= i < len(spans) for i in instructions)
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    return Reading(reader, spans, tuple(acronyms), instructions) if fits else None
