"""General knowledge of English words, from WordNet 3.0.

The reader must know that "nurses" are people, that "bought" and "paid" tell of one event, and
that "which province" asks for a place, for news of any topic, without word lists of any topic.
WordNet knows it for all of English. ``scripts/build_wordnet_table.py`` writes the parts used here
to ``qa/models/wordnet.json.gz`` (1.8 MB, read once on first use in ~0.1 s: each record is a string, split
only when it is looked up, and the index of words by stem comes stored). A word's senses are
taken in WordNet's order, most frequent first, and only the first few: rare senses ("crew" as a
verb, "coach" as a carriage) would relate everything to everything.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

from qa.text import TERMS_VERSION, base_form, fold, stem

Pos = str  # "n" (noun) or "v" (verb)


@dataclass(frozen=True)
class _Table:
    """The table as stored: few, long strings, parsed fast, and each record split when it is looked up."""

    lexnames: list[str]
    synsets: list[str]  # "lexfile|is an instance|parents|lemma names|derived|caused|entailed", lists space-joined
    senses: dict[Pos, dict[str, str]]  # pos -> word -> its synset ids, most frequent sense first, space-joined
    pertains: dict[str, list[str]]  # adjective -> the nouns it pertains to ("french" -> "france")
    by_stem: dict[str, str]  # qa.text.stem -> the WordNet words with that stem, space-joined
    adjectives: frozenset[str]
    measures: dict[str, list[str]]  # adjective -> the nouns of what it measures ("deep" -> "depth")
    antonyms: dict[str, list[str]]  # word -> its antonyms ("open" -> "closed", "shut")


class _Synset(NamedTuple):
    lexfile: int  # an index into _Table.lexnames
    is_instance: bool  # one named thing ("Lisbon"), not a kind of thing
    parents: tuple[int, ...]  # hypernyms and instance hypernyms
    names: tuple[str, ...]  # single-word lemma names, in WordNet's order
    derived: tuple[int, ...]  # derivationally related synsets
    caused: tuple[int, ...]  # synsets it causes or is caused by
    entailed: tuple[int, ...]  # synsets it entails or is entailed by


def pairs(keys: str, values: str) -> dict[str, str]:
    """A dict stored as two strings: its keys joined by spaces, its values by commas (keys hold neither)."""
    return dict(zip(keys.split(" "), values.split(","), strict=True))


def stem_index(words: Iterable[str]) -> dict[str, str]:
    """``qa.text.stem`` -> the ``words`` with that stem, in their order, space-joined."""
    out: dict[str, list[str]] = {}
    for word in words:
        out.setdefault(stem(word), []).append(word)
    return {k: " ".join(v) for k, v in out.items()}


def load_stored() -> dict[str, Any]:
    """``qa/models/wordnet.json.gz`` as ``scripts/build_wordnet_table.py`` wrote it."""
    with resources.files("qa").joinpath("models/wordnet.json.gz").open("rb") as fh:
        data: dict[str, Any] = json.loads(gzip.decompress(fh.read()))
    return data


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = load_stored()
    senses = {pos: pairs(*data["senses"][pos]) for pos in ("n", "v")}
    if data["terms_version"] == TERMS_VERSION:
        by_stem = pairs(*data["by_stem"])
    else:  # stored with another stemmer: the words' stems now
        by_stem = stem_index(sorted({*senses["n"], *senses["v"]}))
    return _Table(
        data["lexnames"],
        data["synsets"],
        senses,
        data["pertains"],
        by_stem,
        frozenset(data["adjectives"].split(" ")),
        data["measures"],
        data["antonyms"],
    )


def _ints(text: str) -> tuple[int, ...]:
    return tuple(map(int, text.split()))


@cache
def _synset(synset: int) -> _Synset:
    lexfile, instance, parents, names, derived, caused, entailed = _table().synsets[synset].split("|")
    return _Synset(
        int(lexfile),
        instance == "1",
        _ints(parents),
        tuple(names.split()),
        _ints(derived),
        _ints(caused),
        _ints(entailed),
    )


@lru_cache(maxsize=65536)
def _senses(word: str, pos: Pos) -> list[int]:
    """The synset ids of ``word``'s senses as a ``pos``, most frequent first ([] if WordNet has none)."""
    return list(map(int, _table().senses.get(pos, {}).get(word, "").split()))


def _has(word: str, pos: Pos) -> bool:
    """Whether WordNet lists ``word`` as a ``pos``."""
    return word in _table().senses.get(pos, {})


def _base_forms(word: str, pos: Pos) -> list[str]:
    """``word`` as WordNet lists it: itself, or with a regular ending removed ("workers" -> "worker")."""
    w = fold(word)
    known = _table().senses.get(pos, {})  # the words WordNet lists as a ``pos``
    found = [w] if w in known else []
    endings: tuple[tuple[str, str], ...] = (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("ies", "y"),
        ("men", "man"),
    )
    if pos == "v":
        endings = (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""))
    for ending, base in endings:
        if w.endswith(ending) and len(w) > len(ending) + 1:
            b = w[: -len(ending)] + base
            if b in known and b not in found:
                found.append(b)
    if pos == "v":  # "stopped" -> "stop"
        for ending in ("ed", "ing"):
            b = w[: -len(ending)]
            if w.endswith(ending) and len(b) > 2 and b[-1] == b[-2] and b[:-1] in known:
                found.append(b[:-1])
    return found


def senses(word: str, pos: Pos, k: int = 2) -> list[int]:
    """The ids of ``word``'s first ``k`` senses as a noun ("n") or verb ("v")."""
    out: list[int] = []
    for base in dict.fromkeys([*_base_forms(word, pos), *_base_forms(base_form(fold(word)), pos)]):
        out.extend(s for s in _senses(base, pos)[:k] if s not in out)
    return out


def lexnames(word: str, pos: Pos = "n", k: int = 1) -> frozenset[str]:
    """The lexicographer files of ``word``'s first senses: "noun.person", "noun.location", "verb.motion"..."""
    names = _table().lexnames
    return frozenset(names[_synset(s).lexfile] for s in senses(word, pos, k))


@lru_cache(maxsize=65536)
def _ancestors(synset: int) -> frozenset[int]:
    parents = _synset(synset).parents
    return frozenset(parents).union(*(_ancestors(p) for p in parents)) if parents else frozenset()


def is_a(word: str, kind: str, k: int = 2, kind_senses: int = 1) -> bool:
    """Whether one of ``word``'s first ``k`` noun senses is a kind of ``kind`` ("nurse" is a "person").

    ``kind`` is taken in its first ``kind_senses`` senses ("way" as a road is its sixth).
    """
    targets = set(senses(kind, "n", kind_senses))
    return any(s in targets or targets & _ancestors(s) for s in senses(word, "n", k))


def is_common_noun(word: str) -> bool:
    """Whether ``word`` names a kind of thing ("ministry"), not one thing ("Lisbon")."""
    return any(not _synset(s).is_instance for s in senses(word, "n", 4))


def names_one_thing(word: str) -> bool:
    """Whether one of ``word``'s senses is a single thing ("China" the country, beside "china" the porcelain)."""
    return any(_synset(s).is_instance for s in senses(word, "n", 8))


def is_adjective(word: str) -> bool:
    """Whether ``word`` can be an adjective ("national", "popular", "new")."""
    return fold(word) in _table().adjectives


def pertains_to(adjective: str) -> tuple[str, ...]:
    """The nouns an adjective is about: "French" -> ("france", "french republic")."""
    return tuple(_table().pertains.get(fold(adjective), ()))


@lru_cache(maxsize=16384)
def related_stems(term: str, k: int = 1) -> frozenset[str]:
    """Stems of words that can tell the same thing as the stemmed ``term``.

    Synonyms in the first ``k`` senses (the usual one; a verb's first two) of each word with that stem, and the
    words WordNet derives from them or says they cause or entail: "hire" -> "employ", "employer",
    "engagement"; "buy" -> "purchase", "buyer", "pay".
    """
    t = _table()
    out = {term}
    words = words_with_stem(term)
    # "win" is the verb "win", not "wine" that the stemmer brings to the same stem
    words = tuple(w for w in words if w == term) or words
    for word in t.measures.get(term, ()):  # "how deep" -> "depth"
        out.add(stem(word))
    for word in words:
        for pos in ("n", "v"):
            for s in _senses(word, pos)[: k + (pos == "v")]:  # verbs' second sense is often the news one
                synset = _synset(s)
                out.update(stem(n) for n in synset.names)
                # a derived sense, whole: "head" (be in charge) -> "head", "chief"
                out.update(stem(n) for x in synset.derived for n in _synset(x).names)
                # of a caused sense and what derives from it, the head word only: "kill" -> "die", "death"
                # (not "croak"); of an entailed one, the head word: "buy" -> "pay" (not "payment")
                for x in synset.caused:
                    out.update(stem(_synset(y).names[0]) for y in (x, *_synset(x).derived) if _synset(y).names)
                out.update(stem(_synset(x).names[0]) for x in synset.entailed if _synset(x).names)
    return frozenset(out)


@cache
def _opposites() -> dict[str, frozenset[str]]:
    """The antonyms by ``qa.text.stem``: stem -> the stems of its words' antonyms."""
    out: dict[str, set[str]] = {}
    for word, opposites in _table().antonyms.items():
        out.setdefault(stem(word), set()).update(stem(o) for o in opposites)
    return {k: frozenset(v - {k}) for k, v in out.items()}


def opposite_stems(term: str) -> frozenset[str]:
    """Stems of the words WordNet says mean the opposite of a word with the stem ``term`` ("clos" -> "open")."""
    return _opposites().get(term, frozenset())


@lru_cache(maxsize=65536)
def words_with_stem(term: str) -> tuple[str, ...]:
    """The single WordNet words whose ``qa.text.stem`` is ``term``."""
    found = _table().by_stem.get(term)
    return tuple(found.split(" ")) if found else ()


def singular(word: str) -> str:
    """The noun ``word`` in the singular as WordNet lists it ("workers" -> "worker", "children" -> "child")."""
    w = fold(word)
    forms = _base_forms(w, "n")
    if forms and forms[0] != w:
        return forms[0]
    base = base_form(w)
    if base != w and _has(base, "n") and not _has(base, "v"):
        return base  # "children" -> "child"; not "went" -> "go"
    return forms[0] if forms else w


def is_plural_noun(word: str) -> bool:
    """Whether ``word`` is a noun in the plural ("years", "kilometres"; a word WordNet lacks, by its "-s")."""
    w = fold(word)
    forms = _base_forms(w, "n")
    if forms:
        return any(f != w for f in forms)
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


def is_verb(word: str) -> bool:
    """Whether ``word`` is a verb in some form: "setting", "spoke", "won"."""
    w = fold(word)
    return _has(w, "v") or any(_has(b, "v") for b in _base_forms(w, "v"))


def is_noun(word: str) -> bool:
    """Whether ``word`` can be a noun (in any number): "workers", "children", "people"; not "went"."""
    return _has(singular(word), "n")
