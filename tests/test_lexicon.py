"""Tests for qa.lexicon: words a question and its evidence use for the same thing."""

from __future__ import annotations

import pytest

from qa.lexicon import LIGHT_VERBS, ROLE_NOUNS, related
from qa.text import stem


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("trapped", "besieged"),
        ("heads", "chief"),
        ("killed", "died"),
        ("killed", "death"),
        ("wounded", "injured"),
        ("road", "highway"),
        ("seized", "captured"),
    ],
)
def test_related_links_question_words_to_news_synonyms(asked: str, written: str) -> None:
    assert stem(written) in related(stem(asked))


@pytest.mark.parametrize(("a", "b"), [("trapped", "besieged"), ("heads", "chief"), ("died", "killed")])
def test_related_is_symmetric(a: str, b: str) -> None:
    assert stem(a) in related(stem(b))
    assert stem(b) in related(stem(a))


def test_related_always_contains_the_term_itself() -> None:
    assert stem("kill") in related(stem("kill"))
    assert related("quarry") == frozenset({"quarry"})


def test_related_keeps_killed_and_wounded_apart() -> None:
    # "how many were wounded" must not be answered with a death toll
    assert stem("wounded") not in related(stem("killed"))
    assert stem("killed") not in related(stem("wounded"))


def test_related_does_not_link_unrelated_events() -> None:
    assert stem("flood") not in related(stem("fire"))
    assert stem("evacuated") not in related(stem("killed"))


def test_role_nouns_include_common_office_holders() -> None:
    assert {stem("mayor"), stem("commander"), stem("spokeswoman"), stem("minister")} <= ROLE_NOUNS
    assert stem("village") not in ROLE_NOUNS


def test_light_verbs_are_verbs_that_only_say_something_happened() -> None:
    assert {stem("happened"), stem("began"), stem("occur")} <= LIGHT_VERBS
    assert stem("killed") not in LIGHT_VERBS
