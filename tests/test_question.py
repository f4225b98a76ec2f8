"""Tests for qa.question: what a question asks for, and the names and constraints it carries."""

from __future__ import annotations

import pytest

from qa.question import accepts, clean_name, find_names, parse_question, place_names
from qa.text import stem


def _names(text: str, skip_first: bool = True) -> list[str]:
    return [text[s:e] for s, e in find_names(text, skip_first=skip_first)]


# --- answer type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many workers were killed in the fire at the Verano plant?", "count"),
        ("What was the death toll of the Verano fire?", "count"),
        ("What is the number of homes flooded in Brackwater?", "count"),
        ("Who is the mayor of Port Ellery?", "person"),
        ("Which company owns the Verano plant?", "person"),
        ("Name the judge who halted the quarry expansion.", "person"),
        ("When did the River Marle burst its banks?", "date"),
        ("On what date did the court rule?", "date"),
        ("How long did the rescue operation last?", "date"),
        ("Where did the convoy stop?", "place"),
        ("Which village was evacuated near Lake Ardwin?", "place"),
        ("Why did the Dunmore dam fail?", "other"),
        # an opening clause before the question word: the main clause asks
        ("In 1995, who won the Ardwin cup?", "person"),
        ("When Acme cut its prices, what did its rival do?", "other"),
        ("When the flood reached Brackwater, where did the residents go?", "place"),
        ("When the wall failed, it flooded how many homes?", "count"),
        ("When will the Dunmore dam reopen?", "date"),
    ],
)
def test_parse_question_finds_the_answer_type(question: str, kind: str) -> None:
    assert parse_question(question).kind == kind


def test_parse_question_keeps_the_question_text_stripped() -> None:
    assert parse_question("  How many workers died?  ").text == "How many workers died?"


# --- counts ----------------------------------------------------------------------


def test_count_focus_is_the_counted_noun() -> None:
    q = parse_question("How many workers were killed in the fire at the Verano plant?")
    assert q.focus == (stem("workers"),)
    assert q.focus_word == "workers"
    assert q.verb == stem("killed")


def test_count_focus_skips_a_name_before_the_noun() -> None:
    q = parse_question("How many Harlan Mining employees were trapped in the shaft?")
    assert q.focus_word == "employees"
    assert q.verb == stem("trapped")
    assert "Harlan Mining" in q.entities


def test_count_focus_skips_adjectives() -> None:
    q = parse_question("How many police officers were injured?")
    assert q.focus_word == "officers"
    assert q.verb == stem("injured")


def test_death_toll_counts_people_killed() -> None:
    q = parse_question("What was the death toll?")
    assert q.kind == "count"
    assert q.focus == (stem("people"),)
    assert q.verb == "kill"


def test_count_verb_after_the_subject_of_did_from_the_lexicon() -> None:
    q = parse_question("How many workers did the blast kill?")
    assert q.focus_word == "workers"
    assert q.verb == "kill"


@pytest.mark.parametrize(
    ("question", "verb"),
    [("How many homes did the flood destroy?", "destroy"), ("How many people did the council rehouse?", "rehouse")],
)
def test_count_verb_after_the_subject_of_did_is_the_verb(question: str, verb: str) -> None:
    assert parse_question(question).verb == stem(verb)


def test_how_much_of_a_place_has_no_counted_noun() -> None:
    q = parse_question("How much of Brackwater was flooded?")
    assert q.kind == "count"
    assert q.focus == ()
    assert q.focus_word is None


def test_count_focus_skips_a_number_before_the_noun() -> None:
    q = parse_question("How many of the 40 firefighters were hurt?")
    assert q.focus == (stem("firefighters"),)


def test_numbers_stated_by_the_question_are_kept() -> None:
    assert parse_question("Did the 27 miners survive the collapse?").numbers == (27.0,)


def test_the_asked_how_many_is_not_a_stated_number() -> None:
    assert parse_question("How many workers died in the Verano fire?").numbers == ()


# --- names, places and claimants ---------------------------------------------------


def test_entities_are_the_names_the_question_is_about() -> None:
    q = parse_question("Who is the mayor of Port Ellery?")
    assert q.entities == ("Port Ellery",)


def test_entities_drop_the_capitalised_question_word() -> None:
    q = parse_question("Which village was evacuated near Lake Ardwin?")
    assert q.entities == ("Lake Ardwin",)


def test_places_are_names_after_a_place_preposition() -> None:
    q = parse_question("How many people died in the fire near Lessing on Tuesday?")
    assert q.places == ("Lessing",)
    assert "Tuesday" not in q.entities


def test_a_name_modifying_a_noun_is_not_a_place() -> None:
    q = parse_question("How many workers were killed in the fire at the Verano plant?")
    assert "Verano" in q.entities
    assert q.places == ()


def test_claimants_come_from_according_to() -> None:
    q = parse_question("According to the Valley Herald report, how many workers died?")
    assert q.claimants == ("Valley Herald",)
    assert q.entities == ()  # the claimant is not what the question is about


def test_two_claimants_are_both_kept() -> None:
    q = parse_question(
        "How many homes were destroyed according to the Marle Gazette and according to the county council?"
    )
    assert q.claimants == ("Marle Gazette", "county council")


def test_quoted_titles_are_kept_and_not_parsed_as_names() -> None:
    q = parse_question('What does the article "Court halts Ardwin quarry expansion" say about the judge?')
    assert q.quoted == ("Court halts Ardwin quarry expansion",)
    assert "Ardwin" not in q.entities
    assert stem("judge") in q.predicate_terms


def test_affixes_are_stripped_from_entities_but_kept_in_raw_names() -> None:
    q = parse_question("Which Calder-backed group bought the quarry?")
    assert "Calder" in q.entities
    assert any("Calder-backed" in raw for raw in q.raw_names)


# --- name and place questions -----------------------------------------------------


def test_asked_noun_and_role_of_a_who_is_the_question() -> None:
    q = parse_question("Who is the commander of the Brackwater fire brigade?")
    assert q.asked_noun == stem("commander")
    assert q.role == stem("commander")


def test_asked_noun_that_is_not_a_role_has_no_role() -> None:
    q = parse_question("Which company owns the Verano plant?")
    assert q.asked_noun == stem("company")
    assert q.role is None


def test_name_of_asks_for_the_head_noun_and_adjacency() -> None:
    q = parse_question("What is the name of the river that flooded Brackwater?")
    assert q.kind == "place"
    assert q.asked_noun == stem("river")
    assert q.adjacent


# --- dates -----------------------------------------------------------------------


def test_exact_date_questions_are_marked_exact() -> None:
    assert parse_question("On what exact date did the court rule?").exact
    assert not parse_question("When did the court rule?").exact


@pytest.mark.parametrize("question", ["How long did the rescue operation last?", "Over what period did the rain fall?"])
def test_length_of_time_questions_ask_for_a_duration(question: str) -> None:
    q = parse_question(question)
    assert q.kind == "date"
    assert q.duration


def test_a_when_question_is_not_a_duration() -> None:
    assert not parse_question("When did the rain start?").duration


# --- predicate terms ----------------------------------------------------------------


def test_predicate_terms_leave_out_names_counted_noun_and_light_verbs() -> None:
    q = parse_question("How many workers were killed in the fire at the Verano plant?")
    assert set(q.predicate_terms) == {stem("killed"), stem("fire"), stem("plant")}


def test_predicate_terms_of_a_date_question_leave_out_time_nouns() -> None:
    q = parse_question("In what year did the Ardwin dam open?")
    assert stem("year") not in q.predicate_terms
    assert stem("dam") in q.predicate_terms
    assert stem("open") in q.predicate_terms


# --- helpers -----------------------------------------------------------------------


def test_find_names_joins_capitalised_runs_and_joiners() -> None:
    text = "Officials in Port Ellery met the Observatory for Human Rights and Mayor Ines Calloway."
    assert _names(text) == ["Officials", "Port Ellery", "Observatory for Human Rights", "Mayor Ines Calloway"]


def test_find_names_skips_weekdays_and_months() -> None:
    text = "The plant in Lessing closed on Tuesday, the Lessing Fire Service said in March."
    assert _names(text) == ["Lessing", "Lessing Fire Service"]


def test_find_names_skips_a_sentence_initial_function_word_unless_told_not_to() -> None:
    text = "Brackwater residents fled. They went to Ormsby."
    assert _names(text) == ["Brackwater", "Ormsby"]
    assert "They" in _names(text, skip_first=False)


def test_find_names_spans_index_the_text() -> None:
    text = "Crews from Dunmore and al-Marsa reached the U.N. depot."
    for s, e in find_names(text):
        assert text[s:e].strip() == text[s:e]
        assert text[s:e][:1].isalpha()


def test_place_names_after_prepositions_and_of_phrases() -> None:
    text = "The convoy left Brackwater and reached the village of Ormsby, north of Dunmore, near the River Marle."
    assert place_names(text) == ["Ormsby", "Dunmore", "River Marle"]


def test_place_names_skip_names_after_according_to() -> None:
    assert place_names("Two died, according to Ormsby officials in Dunmore.") == ["Dunmore"]


def test_place_names_include_media_only_when_asked() -> None:
    text = "The group said so in a Facebook post."
    assert place_names(text) == []
    assert place_names(text, media=True) == ["Facebook"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("Calder's", "Calder"), ("HTS-linked", "HTS"), ("Lessing-based", "Lessing"), ("  Ormsby’s ", "Ormsby")],
)
def test_clean_name_strips_possessives_and_affixes(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


def test_accepts_a_narrower_noun_for_a_broader_one_but_not_the_reverse() -> None:
    assert accepts((stem("people"),), stem("workers"))
    assert accepts((stem("soldiers"),), stem("troops"))
    assert not accepts((stem("workers"),), "people")
    assert not accepts((stem("soldiers"),), stem("civilians"))


def test_accepts_the_same_noun() -> None:
    assert accepts((stem("firefighters"),), stem("firefighter"))


def test_where_is_x_based_asks_what_the_place_is_said_of() -> None:
    assert parse_question("Where is the Calder Trust based?").verb == stem("based")


def test_an_adjective_before_the_counted_people_is_not_the_verb() -> None:
    q = parse_question("How many workers and allied contractors died in the blast?")
    assert q.verb == stem("died")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which group runs the shelter?", "group"),
        ("Which committee approved it?", "committee"),
        ("Which airport?", "airport"),
    ],
)
def test_which_noun_asks_for_a_name_when_it_names_people_or_places(question: str, asked: str) -> None:
    q = parse_question(question)
    assert q.kind in ("person", "place")
    assert q.asked_noun == stem(asked)


@pytest.mark.parametrize("question", ["What type of law applies?", "What bacteria lives inside the cell?"])
def test_which_noun_of_a_thing_is_a_free_form_question(question: str) -> None:
    assert parse_question(question).kind == "other"


@pytest.mark.parametrize(
    ("question", "entities"),
    [
        # a common word capitalised because it opens the question is no name
        ("Setting speed limits was conferred by what act?", ()),
        ("Case studies show what about the reform?", ()),
        ("Along with Stephenson, who designed the valve gear?", ("Stephenson",)),
        # a name that opens the question stays one, even when it is also a common word ("china")
        ("China's exports rose by how much in 2015?", ("China",)),
        ("Warsaw had how many inhabitants in 1933?", ("Warsaw",)),
    ],
)
def test_a_capitalised_opening_word_is_a_name_only_when_it_names_something(
    question: str, entities: tuple[str, ...]
) -> None:
    assert parse_question(question).entities == entities


def test_one_of_is_not_a_number_to_meet() -> None:
    assert parse_question("Speed limits were one of the powers conferred by what act?").numbers == ()
    assert parse_question("The council closed three schools in which year?").numbers == (3.0,)


@pytest.mark.parametrize(
    ("question", "kind", "asked"),
    [
        # an adjective that is also a noun of a person ("a major", "a marine") only modifies the asked noun
        ("What major crop was brought to the valley from the west?", "other", None),
        ("Which marine engines were less efficient than turbines?", "other", None),
        ("Which British general negotiated at Montreal?", "person", "general"),
        ("Which local council approved the plan?", "person", "council"),
    ],
)
def test_the_asked_noun_is_the_noun_an_adjective_modifies(question: str, kind: str, asked: str | None) -> None:
    parsed = parse_question(question)
    assert (parsed.kind, parsed.asked_noun) == (kind, stem(asked) if asked else None)


def test_located_says_nothing_a_where_question_does_not() -> None:
    # "where is X located" asks where X is: the evidence need not say "located"
    parsed = parse_question("Where is the Congress Hall located?")
    assert parsed.kind == "place"
    assert stem("located") not in parsed.predicate_terms
    assert stem("based") in parse_question("Where is the company based?").predicate_terms


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Who may also submit private bills to Parliament?", "submit"),
        ("Who can legally veto a bill?", "veto"),
        ("Who recently bought the firm?", "buy"),
        ("Who owns the club?", "own"),
        ("Who was the director?", None),
    ],
)
def test_who_verb_is_the_verb_past_a_modal_and_an_adverb(question: str, verb: str | None) -> None:
    assert parse_question(question).verb == (stem(verb) if verb else None)


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("How much did the Larkspur bridge cost?", True),
        ("How much will the new director be paid?", True),
        ("How many shares did Acme buy?", False),  # what is counted is no sum of money
        ("How many natural reserves are in Ormsby?", False),  # a reserve is money only in a later sense
        ("How much did sales rise?", False),  # a change may be a percentage
        ("How much of the budget was spent?", False),  # a share
        ("How far is Ormsby from Kesh?", False),
    ],
)
def test_a_count_question_asks_for_money_when_a_word_of_it_names_a_sum(question: str, money: bool) -> None:
    assert parse_question(question).money is money


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        # "one" the pronoun, after a modal or an auxiliary, is no count
        ("Where can one find the old mills of the Tarrow valley?", ()),
        ("What does one need to enter the Marlow archive?", ()),
        # how many answers are asked for ("the first two") is not a count the evidence must state
        ("What were the first two stops of the Orla tour?", ()),
        ("Which other three firms bid for the Kessing contract?", ()),
        # but a count the question states is, wherever it stands
        ("How much do new mothers get after the first six weeks?", (6.0,)),
        ("Did one of the 27 miners survive?", (27.0,)),
        ("Can 12 people share one Tarrow cabin?", (12.0, 1.0)),
    ],
)
def test_a_number_word_is_a_stated_count_only_when_it_counts_something(
    question: str, numbers: tuple[float, ...]
) -> None:
    assert parse_question(question).numbers == numbers


def test_an_owner_and_what_it_owns_are_two_names() -> None:
    # "Louis XIV's France": the evidence may say "Louis" and "France" apart ("the French state of Louis XIV")
    assert parse_question("Which coalition opposed Louis XIV's France?").entities == ("Louis XIV", "France")
    assert parse_question("What was the Yuan's Persian ally?").entities == ("Yuan", "Persian")
    assert parse_question("What did Marlow Council's leader say?").entities == ("Marlow Council",)
