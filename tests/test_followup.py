"""Tests for qa.followup: follow-up questions rewritten to stand on their own."""

from __future__ import annotations

import pytest

from qa.followup import standalone_question
from qa.question import parse_question

FIRE_Q = "How many workers were killed in the fire at the Verano plant?"
FIRE_TURN = (FIRE_Q, "12 workers [1].")
VILLAGE_TURN = ("Which village was cut off by the flood?", "Brackwater [1].")
REFUSED_TURN = ("Which village was cut off by the flood?", "The articles do not contain the answer to this question.")


def test_without_history_the_question_is_only_stripped() -> None:
    assert standalone_question("  Who runs the plant?  ", None) == "Who runs the plant?"
    assert standalone_question("What road does that village overlook?", []) == "What road does that village overlook?"


@pytest.mark.parametrize("follow_up", ["And how many firefighters?", "How many firefighters?"])
def test_count_follow_up_asks_the_previous_count_about_another_noun(follow_up: str) -> None:
    assert standalone_question(follow_up, [FIRE_TURN]) == (
        "How many firefighters were killed in the fire at the Verano plant?"
    )


def test_count_follow_up_keeps_a_name_in_the_new_noun_phrase() -> None:
    out = standalone_question(
        "And how many Daesh fighters died?", [("How many soldiers were killed in the ambush in Homs?", "27 [1]")]
    )
    assert out.startswith("How many Daesh fighters ")
    assert out.endswith(" in the ambush in Homs?")


def test_count_follow_up_builds_on_the_rewritten_previous_follow_up() -> None:
    history = [
        ("How many workers were killed in the Verano fire?", "12 [1]"),
        ("And how many firefighters?", "3 [2]"),
    ]
    assert (
        standalone_question("And how many engineers?", history) == "How many engineers were killed in the Verano fire?"
    )


def test_count_follow_up_keeps_its_own_verb() -> None:
    out = standalone_question("How many officers were wounded?", [FIRE_TURN])
    assert "wounded" in out
    assert "killed" not in out


def test_what_about_asks_the_previous_question_of_something_else() -> None:
    out = standalone_question("What about Corvale?", [FIRE_TURN])
    assert out == "How many workers were killed in Corvale?"
    assert parse_question(out).places == ("Corvale",)


def test_what_about_keeps_a_preposition_the_follow_up_gives() -> None:
    assert standalone_question("And what about near Corvale?", [FIRE_TURN]) == (
        "How many workers were killed near Corvale?"
    )


def test_referring_noun_phrase_is_replaced_by_the_short_previous_answer() -> None:
    assert standalone_question("What road does that village overlook?", [VILLAGE_TURN]) == (
        "What road does Brackwater overlook?"
    )


def test_pronoun_is_replaced_by_the_name_the_previous_answer_leads_with() -> None:
    history = [("Which company owns the Verano plant?", "Calder Industries [1].")]
    assert standalone_question("Where is it based?", history) == "Where is Calder Industries based?"


def test_a_refusal_is_never_put_in_for_a_pronoun() -> None:
    out = standalone_question("What road does that village overlook?", [REFUSED_TURN])
    assert "do not contain" not in out
    assert out.startswith("What road does that village overlook")


def test_a_question_with_no_names_carries_over_what_the_last_one_was_about() -> None:
    out = standalone_question("Who reported that?", [FIRE_TURN])
    assert out.startswith("Who reported that - about: ")
    assert "Verano plant" in out
    assert "How many" not in out  # only what it was about, not the old question word


def test_a_question_without_names_after_one_with_names_gets_the_carry_over() -> None:
    out = standalone_question("Who is the mayor?", [("How many homes flooded in Dunmore?", "200 [1]")])
    assert out.startswith("Who is the mayor - about: ")
    assert "Dunmore" in out


def test_a_self_contained_question_is_left_alone() -> None:
    history = [("How many homes flooded in Dunmore?", "200 [1]")]
    assert standalone_question("Who is the mayor of Port Ellery?", history) == "Who is the mayor of Port Ellery?"


def test_a_new_question_naming_its_own_subject_is_left_alone() -> None:
    history = [("Who owns the Verano plant?", "Calder Industries [1].")]
    assert standalone_question("When did the Verano fire start?", history) == "When did the Verano fire start?"


def test_there_is_replaced_by_the_previous_answer_as_a_place() -> None:
    out = standalone_question("How many people live there?", [VILLAGE_TURN])
    assert parse_question(out).places == ("Brackwater",)
