"""Tests for qa.lexicon: words a question and its evidence use for the same thing (from WordNet)."""

from __future__ import annotations

import pytest

from qa.lexicon import LIGHT_VERBS, is_role, related
from qa.text import stem


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("killed", "died"),
        ("wounded", "injured"),
        ("seized", "captured"),
        ("bought", "purchased"),
        ("freed", "liberated"),
        ("elected", "chose"),
        ("heads", "leads"),
    ],
)
def test_related_links_words_that_tell_the_same_thing(asked: str, written: str) -> None:
    assert stem(written) in related(stem(asked))


def test_related_always_contains_the_term_itself() -> None:
    assert stem("kill") in related(stem("kill"))
    assert related("zzzq") == frozenset({"zzzq"})


def test_related_keeps_killed_and_wounded_apart() -> None:
    # "how many were wounded" must not be answered with a death toll
    assert stem("wounded") not in related(stem("killed"))
    assert stem("killed") not in related(stem("wounded"))


def test_related_does_not_link_unrelated_events() -> None:
    assert stem("flood") not in related(stem("fire"))
    assert stem("evacuated") not in related(stem("killed"))
    assert stem("sold") not in related(stem("bought"))


@pytest.mark.parametrize("noun", ["mayor", "commander", "spokeswoman", "minister", "coach", "chairman"])
def test_posts_a_person_holds_are_roles(noun: str) -> None:
    assert is_role(stem(noun))


@pytest.mark.parametrize("noun", ["village", "company", "person", "budget"])
def test_places_things_and_anyone_are_not_roles(noun: str) -> None:
    assert not is_role(stem(noun))


def test_light_verbs_are_verbs_that_only_say_something_happened() -> None:
    assert {stem("happened"), stem("began"), stem("occur")} <= LIGHT_VERBS
    assert stem("killed") not in LIGHT_VERBS


def test_a_verb_is_related_to_the_noun_for_whoever_does_it_when_that_noun_is_a_person() -> None:
    assert "director" in related("direct")
    assert "producer" in related("produced")
    assert "former" not in related("form")  # "former" is not someone who forms
