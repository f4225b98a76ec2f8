"""Tests for qa.aliases: other names of one actor, learned from two articles telling the same thing."""

from __future__ import annotations

from qa.aliases import aliases_of, learn_aliases
from qa.names import TextNames, alias_forms, known_aliases

A = [
    "The Corvo-affiliated Lintel news agency reported the raid east of Marsa on Friday morning.",
    "Corvo lost its last stronghold in the valley in March after months of fighting.",
]
B = [
    "The CRV-affiliated Lintel news agency reported the raid east of Marsa on Friday morning.",
    "The Liberation Front lost its last stronghold in the valley in March after months of fighting.",
]


def test_a_sentence_told_alike_but_for_a_name_gives_that_names_other_spelling() -> None:
    groups = learn_aliases({"a": A, "b": B})
    assert groups == [frozenset({"Corvo", "CRV", "Liberation Front"})]


def test_different_figures_or_words_are_not_names() -> None:
    a = ["Rescuers said 27 miners were trapped in the shaft near Calder on Monday night."]
    b = ["Rescuers said 21 miners were stuck in the shaft near Calder on Monday night."]
    assert learn_aliases({"a": a, "b": b}) == []


def test_sentences_that_tell_different_things_teach_nothing() -> None:
    a = ["Marta Ines won the race in Calder after a long climb through the hills."]
    b = ["Jonas Berg lost his seat in Dunmore after a recount of the postal votes."]
    assert learn_aliases({"a": a, "b": b}) == []


def test_one_article_alone_teaches_nothing() -> None:
    assert learn_aliases({"a": [*A, *B]}) == []


def test_aliases_of_gives_the_other_names_of_the_question_names_only() -> None:
    groups = learn_aliases({"a": A, "b": B})
    assert aliases_of(["Corvo", "Marsa"], groups) == {"corvo": ("CRV", "Liberation Front")}


def test_known_aliases_let_a_name_be_found_by_its_other_name_within_the_block_only() -> None:
    text = TextNames("CRV fighters attacked the convoy near Marsa.")
    assert not text.has("Corvo")
    with known_aliases({"corvo": ("CRV",)}):
        assert text.has("Corvo")
        assert alias_forms("Corvo") == ("Corvo", "CRV")
    assert not text.has("Corvo")
    assert alias_forms("Corvo") == ("Corvo",)
