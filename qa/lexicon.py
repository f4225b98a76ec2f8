"""Words a question and its evidence use for the same thing, from WordNet (``qa.wordnet``).

A reader asks "how many were hurt" of an article that says "injured", or "who heads" of one
that says "chief". No list of any news topic's words lives here: the synonyms, derived forms and
kinds of things come from WordNet, for every topic alike; matched on stems (``qa.text.stem``).
"""

from __future__ import annotations

from functools import lru_cache

from qa.text import stem
from qa.wordnet import is_a, lexnames, related_stems, words_with_stem

# Verbs that say only that something happened; "when did the strike begin" asks when the strike was.
LIGHT_VERBS = frozenset(
    stem(w) for w in ("happen", "occur", "begin", "start", "take", "place", "go", "come", "be", "locate", "situate")
)
# Verbs that say little of their own, beside another word that says what happened ("make up", "give rise").
GENERAL_VERBS = frozenset(stem(w) for w in ("make", "get", "have", "do", "give", "put", "keep"))

# Words for anyone at all: "who was the man" asks for a person, not for a post the person holds.
_ANYONE = frozenset(stem(w) for w in ("person", "people", "man", "woman", "individual", "one", "someone"))


def related(term: str) -> frozenset[str]:
    """The stem itself and the stems of words that can tell the same thing (a word is stemmed first)."""
    return related_stems(stem(term)) | {term} | agents(stem(term))


@lru_cache(maxsize=8192)
def agents(term: str) -> frozenset[str]:
    """Who does what the stemmed verb ``term`` says, when WordNet's usual sense of the word is a person:
    "direct" -> "director", "produce" -> "producer", "write" -> "writer" ("who directed the show" is told by
    "the show's director, Richard Eyre"); not "form" -> "former"."""
    return frozenset(stem(w) for w in (f"{term}er", f"{term}or", f"{term}r") if "noun.person" in lexnames(w, "n", 1))


# The kinds of person that hold a post (WordNet's): "chairman" and "mayor" are leaders, "envoy" an official.
_POSTS = ("leader", "official", "spokesperson", "officer")


@lru_cache(maxsize=8192)
def is_role(term: str) -> bool:
    """Whether the stemmed noun ``term`` names a post a person holds ("commander", "chairman", "coach")."""
    if term in _ANYONE:
        return False
    return any(w in _POSTS or any(is_a(w, post, 1) for post in _POSTS) for w in words_with_stem(term))


@lru_cache(maxsize=65536)
def is_kind(term: str, asked: str) -> bool:
    """Whether the stemmed noun ``term`` names a kind of the stemmed ``asked`` ("highway" of "road").

    Not of WordNet's top kinds ("group", "thing", "person"): everything is one of those."""
    if is_top_kind(asked):
        return False
    return any(is_a(w, a, 1, 2) for w in words_with_stem(term) for a in words_with_stem(asked))


@lru_cache(maxsize=8192)
def is_top_kind(term: str) -> bool:
    """Whether the stemmed noun ``term`` is one of WordNet's top kinds ("group", "thing", "person")."""
    return any("noun.Tops" in lexnames(w, "n", 1) for w in words_with_stem(term))
