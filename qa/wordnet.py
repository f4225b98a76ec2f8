"""General knowledge of English words, from WordNet 3.0.

The reader must know that "troops" are people, that "killed" and "death" tell of one event, and
that "which province" asks for a place, for news of any topic, without word lists of any topic.
WordNet knows it for all of English. ``scripts/build_wordnet_table.py`` writes the parts used here
to ``qa/models/wordnet.json.gz`` (2.3 MB, read once on first use, ~0.5 s). A word's senses are
taken in WordNet's order, most frequent first, and only the first few: rare senses ("troop" as a
verb, "kill" as a tennis shot) would relate everything to everything.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from qa.text import base_form, fold, stem

Pos = str  # "n" (noun) or "v" (verb)


@dataclass(frozen=True)
class _Table:
    lexnames: list[str]
    synsets: list[list[Any]]  # [lexfile, parents, lemma names, derived, is an instance, caused, entailed]
    words: dict[str, dict[str, list[int]]]  # word -> pos -> synset ids, most frequent sense first
    pertains: dict[str, list[str]]  # adjective -> the nouns it pertains to ("syrian" -> "syria")
    by_stem: dict[str, tuple[str, ...]]  # qa.text.stem -> WordNet words with that stem
    adjectives: frozenset[str]
    measures: dict[str, list[str]]  # adjective -> the nouns of what it measures ("deep" -> "depth")


@lru_cache(maxsize=1)
def _table() -> _Table:
    with resources.files("qa").joinpath("models/wordnet.json.gz").open("rb") as raw, gzip.open(raw, "rt") as fh:
        data = json.load(fh)
    by_stem: dict[str, list[str]] = {}
    for word in data["words"]:
        by_stem.setdefault(stem(word), []).append(word)
    return _Table(
        data["lexnames"],
        data["synsets"],
        data["words"],
        data["pertains"],
        {k: tuple(v) for k, v in by_stem.items()},
        frozenset(data["adjectives"]),
        data["measures"],
    )


def _base_forms(word: str, pos: Pos) -> list[str]:
    """``word`` as WordNet lists it: itself, or with a regular ending removed ("soldiers" -> "soldier")."""
    w = fold(word)
    words = _table().words
    found = [w] if pos in words.get(w, {}) else []
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
            if pos in words.get(b, {}) and b not in found:
                found.append(b)
    if pos == "v":  # "stopped" -> "stop"
        for ending in ("ed", "ing"):
            b = w[: -len(ending)]
            if w.endswith(ending) and len(b) > 2 and b[-1] == b[-2] and pos in words.get(b[:-1], {}):
                found.append(b[:-1])
    return found


def senses(word: str, pos: Pos, k: int = 2) -> list[int]:
    """The ids of ``word``'s first ``k`` senses as a noun ("n") or verb ("v")."""
    out: list[int] = []
    for base in dict.fromkeys([*_base_forms(word, pos), *_base_forms(base_form(fold(word)), pos)]):
        out.extend(s for s in _table().words[base][pos][:k] if s not in out)
    return out


def lexnames(word: str, pos: Pos = "n", k: int = 1) -> frozenset[str]:
    """The lexicographer files of ``word``'s first senses: "noun.person", "noun.location", "verb.motion"..."""
    t = _table()
    return frozenset(t.lexnames[t.synsets[s][0]] for s in senses(word, pos, k))


@lru_cache(maxsize=65536)
def _ancestors(synset: int) -> frozenset[int]:
    parents = _table().synsets[synset][1]
    return frozenset(parents).union(*(_ancestors(p) for p in parents)) if parents else frozenset()


def is_a(word: str, kind: str, k: int = 2, kind_senses: int = 1) -> bool:
    """Whether one of ``word``'s first ``k`` noun senses is a kind of ``kind`` ("soldier" is a "person").

    ``kind`` is taken in its first ``kind_senses`` senses ("way" as a road is its sixth).
    """
    targets = set(senses(kind, "n", kind_senses))
    return any(s in targets or targets & _ancestors(s) for s in senses(word, "n", k))


def is_common_noun(word: str) -> bool:
    """Whether ``word`` names a kind of thing ("ministry"), not one thing ("Aleppo")."""
    t = _table()
    return any(not t.synsets[s][4] for s in senses(word, "n", 4))


def is_adjective(word: str) -> bool:
    """Whether ``word`` can be an adjective ("national", "popular", "new")."""
    return fold(word) in _table().adjectives


def pertains_to(adjective: str) -> tuple[str, ...]:
    """The nouns an adjective is about: "Syrian" -> ("syria", "syrian arab republic")."""
    return tuple(_table().pertains.get(fold(adjective), ()))


@lru_cache(maxsize=16384)
def related_stems(term: str, k: int = 1) -> frozenset[str]:
    """Stems of words that can tell the same thing as the stemmed ``term``.

    Synonyms in the first ``k`` senses (the usual one; a verb's first two) of each word with that stem, and the
    words WordNet derives from them or says they cause or entail: "kill" -> "killing", "die",
    "death"; "besiege" -> "beleaguer", "siege".
    """
    t = _table()
    out = {term}
    words = t.by_stem.get(term, ())
    # "win" is the verb "win", not "wine" that the stemmer brings to the same stem
    words = tuple(w for w in words if w == term) or words
    for word in t.measures.get(term, ()):  # "how deep" -> "depth"
        out.add(stem(word))
    for word in words:
        for pos in ("n", "v"):
            for s in t.words[word].get(pos, [])[: k + (pos == "v")]:  # verbs' second sense is often the news one
                out.update(stem(n) for n in t.synsets[s][2])
                # a derived sense, whole: "head" (be in charge) -> "head", "chief"
                out.update(stem(n) for x in t.synsets[s][3] for n in t.synsets[x][2])
                # of a caused sense and what derives from it, the head word only: "kill" -> "die", "death"
                # (not "croak"); of an entailed one, the head word: "buy" -> "pay" (not "payment")
                for x in t.synsets[s][5]:
                    out.update(stem(t.synsets[y][2][0]) for y in (x, *t.synsets[x][3]) if t.synsets[y][2])
                out.update(stem(t.synsets[x][2][0]) for x in t.synsets[s][6] if t.synsets[x][2])
    return frozenset(out)


def words_with_stem(term: str) -> tuple[str, ...]:
    """The single WordNet words whose ``qa.text.stem`` is ``term``."""
    return _table().by_stem.get(term, ())


def singular(word: str) -> str:
    """The noun ``word`` in the singular as WordNet lists it ("soldiers" -> "soldier", "children" -> "child")."""
    w = fold(word)
    forms = _base_forms(w, "n")
    if forms and forms[0] != w:
        return forms[0]
    base = base_form(w)
    if base != w and "n" in _table().words.get(base, {}) and "v" not in _table().words.get(base, {}):
        return base  # "children" -> "child"; not "went" -> "go"
    return forms[0] if forms else w


def is_noun(word: str) -> bool:
    """Whether ``word`` can be a noun (in any number): "soldiers", "children", "people"; not "went"."""
    return "n" in _table().words.get(singular(word), {})
