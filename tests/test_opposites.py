"""A sentence that says the opposite of what was asked is not evidence."""

from __future__ import annotations

from qa.opposites import opposed
from qa.question import parse_question


def test_an_antonym_of_an_asked_word_is_the_opposite() -> None:
    q = parse_question("Which committee meetings are closed to the public?")
    assert opposed(q, "Committee meetings are open to the public.")
    q = parse_question("Who lost the final in 1998?")
    assert opposed(q, "Brazil won the final in 1998.")


def test_the_asked_word_itself_or_both_words_are_no_opposite() -> None:
    q = parse_question("Which committee meetings are closed to the public?")
    assert not opposed(q, "Some meetings are open, but committee meetings are closed to the public.")
    q = parse_question("Which meetings are open and which are closed?")
    assert not opposed(q, "Committee meetings are open to the public.")


def test_names_light_verbs_and_comparisons_are_never_opposed() -> None:
    assert not opposed(parse_question("Which country invaded the Middle East?"), "At one end of the region...")
    assert not opposed(parse_question("Who took command of the fleet?"), "Ana Ruiz was given command of the fleet.")
    assert not opposed(parse_question("Which plan is more costly?"), "The second plan is less costly.")
