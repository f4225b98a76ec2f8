"""Tests for qa.wordnet: general knowledge of English words, for any news topic."""

from __future__ import annotations

import pytest

import qa.wordnet
from qa.text import TERMS_VERSION, stem
from qa.wordnet import (
    is_a,
    is_adjective,
    is_common_noun,
    is_noun,
    lexnames,
    load_stored,
    pairs,
    pertains_to,
    related_stems,
    singular,
    words_with_stem,
)


@pytest.mark.parametrize(("word", "kind"), [("soldier", "person"), ("nurse", "person"), ("province", "district")])
def test_is_a_follows_kinds_up(word: str, kind: str) -> None:
    assert is_a(word, kind)


def test_is_a_does_not_go_down_or_sideways() -> None:
    assert not is_a("person", "soldier")
    assert not is_a("civilian", "soldier")


def test_lexnames_say_what_kind_of_thing_a_noun_is() -> None:
    assert "noun.person" in lexnames("minister")
    assert "noun.location" in lexnames("city")
    assert "noun.group" in lexnames("militia")


def test_names_of_one_thing_are_not_common_nouns() -> None:
    assert is_common_noun("ministry")
    assert not is_common_noun("Aleppo")
    assert not is_common_noun("Zorblatt")


@pytest.mark.parametrize(("plural", "one"), [("soldiers", "soldier"), ("children", "child"), ("cities", "city")])
def test_singular_knows_regular_and_irregular_plurals(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_a_verb_form_is_not_a_noun() -> None:
    assert is_noun("people") and is_noun("soldiers")
    assert not is_noun("went")


def test_adjectives_and_what_they_pertain_to() -> None:
    assert is_adjective("national")
    assert "syria" in pertains_to("Syrian")


def test_related_stems_hold_synonyms_and_derived_words() -> None:
    assert stem("purchase") in related_stems(stem("buy"))
    assert stem("die") in related_stems(stem("kill"))
    assert "vino" not in related_stems(stem("win"))  # the stemmer brings "wine" to "win" too; WordNet does not


def test_the_stored_stem_index_is_what_stemming_the_words_gives_now() -> None:
    stored = load_stored()
    # else qa.wordnet rebuilds the index at each start: run scripts/build_wordnet_table.py
    assert stored["terms_version"] == TERMS_VERSION
    words = sorted({w for keys, _ in stored["senses"].values() for w in keys.split(" ")})
    recomputed: dict[str, list[str]] = {}
    for word in words:
        recomputed.setdefault(stem(word), []).append(word)
    assert {k: v.split(" ") for k, v in pairs(*stored["by_stem"]).items()} == recomputed


def test_a_table_stored_with_another_stemmer_is_indexed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qa.wordnet, "TERMS_VERSION", "another")
    monkeypatch.setattr(qa.wordnet, "stem", lambda word: word[:3])
    caches = (qa.wordnet._table, qa.wordnet.words_with_stem, qa.wordnet.related_stems)
    for cache in caches:
        cache.cache_clear()
    try:
        assert "kill" in words_with_stem("kil") and "kilogram" in words_with_stem("kil")
    finally:
        for cache in caches:
            cache.cache_clear()
