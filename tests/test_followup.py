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
    assert out == "What road does the village that was cut off by the flood overlook?"


def test_that_at_the_end_becomes_what_the_previous_question_stated() -> None:
    out = standalone_question("Who reported that?", [FIRE_TURN])
    assert out == "Who reported that workers were killed in the fire at the Verano plant?"


def test_a_question_without_names_after_one_with_names_is_asked_of_its_place() -> None:
    out = standalone_question("Who is the mayor?", [("How many homes flooded in Dunmore?", "200 [1]")])
    assert out == "Who is the mayor of Dunmore?"


def test_a_self_contained_question_is_left_alone() -> None:
    history = [("How many homes flooded in Dunmore?", "200 [1]")]
    assert standalone_question("Who is the mayor of Port Ellery?", history) == "Who is the mayor of Port Ellery?"


def test_a_new_question_naming_its_own_subject_is_left_alone() -> None:
    history = [("Who owns the Verano plant?", "Calder Industries [1].")]
    assert standalone_question("When did the Verano fire start?", history) == "When did the Verano fire start?"


def test_there_is_replaced_by_the_previous_answer_as_a_place() -> None:
    out = standalone_question("How many people live there?", [VILLAGE_TURN])
    assert parse_question(out).places == ("Brackwater",)


# The rewrite is shown to the user as "Understood as: ...": it must read as a question a person would write,
# with what the follow-up points back at spelt out and the previous question's names kept for retrieval.
SIEGE_TURN = ("How many soldiers were besieged near al-Sukhna?", "500 [1].")
MILITIA_TURN = ("Which militia said it broke the siege of the soldiers near al-Sukhna?", "Liwa al-Quds, a militia [1].")
COMPANY_TURN = ("Which company bought the Verano plant in 2021?", "Calder Industries [1].")
FINAL_TURN = ("Which team won the 2023 cup final in Lisbon?", "Porto [1].")
FINAL_DATE_TURN = ("When did Porto win the cup final?", "In May 2023 [1].")
BUDGET_TURN = ("How much did the Dunmore city council spend on roads in 2022?", "12 million euros [1].")
HOMS_TURN = ("How many soldiers were killed in the ambush in Homs?", "27 [1].")


@pytest.mark.parametrize(
    ("follow_up", "turn", "expected"),
    [
        # "them" after a count: the people counted, never the number the answer gave
        ("And which militia freed them?", SIEGE_TURN, "Which militia freed the soldiers besieged near al-Sukhna?"),
        ("Who rescued them?", FIRE_TURN, "Who rescued the workers killed in the fire at the Verano plant?"),
        ("How many of them died?", FIRE_TURN, "How many of the workers killed in the fire at the Verano plant died?"),
        # a pronoun subject or object: the name the answer gave
        ("When was it founded?", COMPANY_TURN, "When was Calder Industries founded?"),
        ("Who founded it?", COMPANY_TURN, "Who founded Calder Industries?"),
        ("And who coached them?", FINAL_TURN, "Who coached Porto?"),
        ("Whom did they beat?", FINAL_TURN, "Whom did Porto beat?"),
        ("Also, who is its chief executive?", COMPANY_TURN, "Who is Calder Industries' chief executive?"),
        # "it" after a question whose subject is a name: what that name acted on
        ("Who refereed it?", FINAL_DATE_TURN, "Who refereed the cup final?"),
        (
            "How much did it spend on schools?",
            BUDGET_TURN,
            "How much did the Dunmore city council spend on schools in 2022?",
        ),
        # "it" after a count: the event the count was about
        ("What caused it?", FIRE_TURN, "What caused the fire at the Verano plant?"),
        # "When did it happen?", "Why?": the previous question asked again with the new question word
        ("When did that happen?", FIRE_TURN, "When were workers killed in the fire at the Verano plant?"),
        ("Where did it take place?", FINAL_DATE_TURN, "Where did Porto win the cup final?"),
        # "that" at the end: what the previous question stated, its verb put in the past where "did" held it
        ("Who reported that?", FINAL_DATE_TURN, "Who reported that Porto won the cup final?"),
        ("Who reported that?", COMPANY_TURN, "Who reported that Calder Industries bought the Verano plant in 2021?"),
        # "And how many X?", "What about Y?", "And in Y?": the previous question asked of something else
        ("And how many officers?", HOMS_TURN, "How many officers were killed in the ambush in Homs?"),
        ("And in Deraa?", HOMS_TURN, "How many soldiers were killed in Deraa?"),
        ("What about the 2022 final?", FINAL_TURN, "Which team won the 2022 final in Lisbon?"),
        ("And on schools?", BUDGET_TURN, "How much did the Dunmore city council spend on schools in 2022?"),
        ("What about Port Ellery?", BUDGET_TURN, "How much did the Port Ellery city council spend on roads in 2022?"),
        # "What about the death toll?": a thing that is no place or event to set the question in is asked itself,
        # in the previous question's setting and tense; a plural of another kind than the counted noun is counted
        ("What about the death toll?", SIEGE_TURN, "What was the death toll near al-Sukhna?"),
        ("What about the cost?", COMPANY_TURN, "What was the cost in 2021?"),
        (
            "What about the weather?",
            ("Where does the festival take place in Corvale?", "The park [1]."),
            "What is the weather in Corvale?",
        ),
        ("What about injuries?", HOMS_TURN, "How many injuries were there in the ambush in Homs?"),
        ("What about the Calder mine?", FIRE_TURN, "How many workers were killed in the Calder mine?"),
        ("What about officers?", SIEGE_TURN, "How many officers were besieged near al-Sukhna?"),
        ("Why?", FIRE_TURN, "Why were workers killed in the fire at the Verano plant?"),
        # an opening "and" goes; a question that is already whole is otherwise kept
        ("And who is the mayor of Port Ellery?", BUDGET_TURN, "Who is the mayor of Port Ellery?"),
    ],
)
def test_a_follow_up_is_rewritten_as_a_question_a_person_would_write(
    follow_up: str, turn: tuple[str, str], expected: str
) -> None:
    assert standalone_question(follow_up, [turn]) == expected


def test_the_issue_example_names_the_militia_and_what_it_announced() -> None:
    out = standalone_question("Where did it announce that?", [MILITIA_TURN])
    assert out == "Where did Liwa al-Quds announce that it broke the siege of the soldiers near al-Sukhna?"


def test_a_second_pronoun_gets_what_the_answer_acted_on() -> None:
    history = [("Which company bought the Verano plant?", "Calder Industries [1].")]
    assert standalone_question("When did they buy it?", history) == "When did Calder Industries buy the Verano plant?"


def test_a_pronoun_whose_answer_was_refused_gets_what_the_question_described() -> None:
    out = standalone_question("Who founded it?", [("Which company bought the Verano plant?", REFUSED_TURN[1])])
    assert out == "Who founded the company that bought the Verano plant?"


def test_a_demonstrative_naming_a_noun_of_the_previous_question_gets_its_phrase() -> None:
    out = standalone_question("Which company bought that plant?", [COMPANY_TURN])
    assert out == "Which company bought the Verano plant?"


@pytest.mark.parametrize(
    "follow_up",
    [
        "Who is the mayor of Port Ellery?",
        "When did the Verano fire start?",
        "How many goals did Porto score in the 2023 cup final?",
        "What did the Dunmore city council spend on schools in 2022?",
    ],
)
@pytest.mark.parametrize("turn", [FIRE_TURN, FINAL_TURN, BUDGET_TURN])
def test_a_standalone_follow_up_is_left_unchanged(follow_up: str, turn: tuple[str, str]) -> None:
    assert standalone_question(follow_up, [turn]) == follow_up


@pytest.mark.parametrize(
    ("follow_up", "turn"),
    [
        ("And which militia freed them?", SIEGE_TURN),
        ("Where did it announce that?", MILITIA_TURN),
        ("Who reported that?", FIRE_TURN),
        ("Who is the mayor?", ("How many homes flooded in Dunmore?", "200 [1]")),
        ("When did that happen?", ("How many homes flooded in Dunmore?", "200 [1]")),
        ("And who sold it?", COMPANY_TURN),
        ("Who approved it?", BUDGET_TURN),
    ],
)
def test_a_rewrite_is_one_plain_question(follow_up: str, turn: tuple[str, str]) -> None:
    out = standalone_question(follow_up, [turn])
    assert " - " not in out and "about:" not in out and ":" not in out
    assert out.endswith("?") and out.count("?") == 1
    assert out[:1].isupper() and not out.lower().startswith(("and ", "also"))
    count = turn[1].split()[0]
    assert not count.isdigit() or count not in out.split()  # "freed 500" was how it read before
