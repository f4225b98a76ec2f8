"""The answer phrase: typed candidates of the evidence sentence, never a word of the question."""

from __future__ import annotations

from qa.answer_phrase import candidates, choose_phrase
from qa.question import parse_question
from qa.types import Sentence


def _sentence(text: str) -> Sentence:
    return Sentence(0, len(text), text, 0)


def test_a_when_question_takes_the_year_near_its_words() -> None:
    q = parse_question("When did the orchestra first tour Japan?")
    s = _sentence("Founded in 1921 by a cellist, the orchestra first toured Japan in 1964 with a new conductor.")
    phrase = choose_phrase(q, s)
    assert phrase is not None and phrase.text == "1964"


def test_a_date_the_question_states_is_not_the_answer() -> None:
    q = parse_question("What happened in 1964 to the orchestra?")
    assert candidates(q, "In 1964 the orchestra toured Japan.") is None  # free-form: no typed phrase
    q = parse_question("When did the orchestra tour Japan after 1964?")
    assert [p.text for p in candidates(q, "After 1964 the orchestra toured Japan in 1971.") or []] == ["1971"]


def test_a_count_takes_its_noun_when_the_question_counts_it() -> None:
    q = parse_question("How many nurses went on strike?")
    phrase = choose_phrase(q, _sentence("About 4,000 nurses went on strike on Monday, the union said."))
    assert phrase is not None and phrase.text == "About 4,000 nurses"


def test_a_who_question_needs_a_name_that_is_not_in_the_question() -> None:
    q = parse_question("Who founded Larkspur Analytics?")
    assert candidates(q, "Larkspur Analytics was founded in a garage.") == []
    phrase = choose_phrase(q, _sentence("Larkspur Analytics was founded by Mirela Dobos in a garage."))
    assert phrase is not None and phrase.text == "Mirela Dobos"


def test_a_sentence_opening_word_is_no_name() -> None:
    q = parse_question("Who chairs the board?")
    assert candidates(q, "It said the board would meet again next month.") == []


def test_the_name_of_an_x_must_stand_beside_the_x() -> None:
    q = parse_question("What was the name of the engineer who designed the bridge?")
    far = "The bridge opened in 1932, the Harbour Trust said, and an engineer inspected it."
    assert candidates(q, far) == []
    near = "The bridge was designed by the engineer Ada Lindqvist and opened in 1932."
    assert [p.text for p in candidates(q, near) or []] == ["Ada Lindqvist"]


def test_the_name_of_an_x_may_stand_after_it_between_commas() -> None:
    q = parse_question("What was the name of the curator's assistant?")
    apposed = "The curator's assistant, Lena Hartmann, catalogued the letters."
    assert [p.text for p in candidates(q, apposed) or []] == ["Lena Hartmann"]
    at_the_end = "The letters were catalogued by the curator's assistant, Lena Hartmann."
    assert [p.text for p in candidates(q, at_the_end) or []] == ["Lena Hartmann"]
    # a name that runs on into a verb is the next clause's subject, not the assistant
    subject = "While he was away with his assistant, Lena Hartmann catalogued the letters."
    assert candidates(q, subject) == []


def test_a_free_form_question_gets_no_phrase() -> None:
    q = parse_question("Why did the council delay the vote?")
    assert choose_phrase(q, _sentence("The council delayed the vote because the budget was late.")) is None
    assert candidates(q, "Anything at all.") is None  # no type asked: any sentence may answer


def test_a_name_loses_its_article_and_modifiers_but_a_bare_modifier_keeps_its_head() -> None:
    q = parse_question("Who announced the merger?")
    found = candidates(q, "The Oslo-based Nordvik Group announced the merger on Monday.") or []
    assert [p.text for p in found] == ["Nordvik Group"]
    q = parse_question("Where is the agency based?")
    assert "Geneva" in [p.text for p in candidates(q, "It said so, according to the Geneva-based agency.") or []]


def test_which_x_prefers_the_name_beside_x() -> None:
    q = parse_question("In which county did the storm flood the valley?")
    phrase = choose_phrase(q, _sentence("Tom Reyes said the storm flooded the valley in rural Marlow county."))
    assert phrase is not None and phrase.text == "Marlow"


def test_a_bare_figure_keeps_the_word_that_says_what_it_measures() -> None:
    q = parse_question("How far is the reservoir from the city?")
    found = candidates(q, "The reservoir, 80 kilometres north of the city, supplies water to the region.") or []
    assert [p.text for p in found] == ["80 kilometres"]
    q = parse_question("How much power does the turbine generate?")
    assert [p.text for p in candidates(q, "The turbine generates 2kW of power.") or []] == ["2kW"]


def test_a_discourse_word_opening_a_sentence_is_no_name() -> None:
    q = parse_question("Who leads the union?")
    assert candidates(q, "Meanwhile, the union said the strike would go on.") == []


def test_a_count_prefers_the_figure_that_counts_the_asked_noun() -> None:
    q = parse_question("How many telecentres serve the valley?")
    s = _sentence("Telecentres will serve the valley within three years, and 14 new telecentres are planned.")
    phrase = choose_phrase(q, s)
    assert phrase is not None and phrase.text == "14 new telecentres"


def test_the_holder_of_an_asked_post_not_its_owner() -> None:
    q = parse_question("Who is Harbour Air's chief executive?")
    assert q.asked_noun == "chief"  # the post, not the owner's first word
    s = _sentence("Ana Ruiz, Harbour Air's chief executive, said fares would rise.")
    phrase = choose_phrase(q, s)
    assert phrase is not None and phrase.text == "Ana Ruiz"


def test_the_initials_of_a_name_in_the_question_are_that_name() -> None:
    q = parse_question("Who is the chief executive of Harbour Air?")
    assert "HA" not in [p.text for p in candidates(q, "HA chief executive Ana Ruiz said fares would rise.") or []]


def test_names_joined_by_and_answer_who_together() -> None:
    q = parse_question("Who voted against the plan?")
    s = _sentence("On Monday, councillors Ana Ruiz and Tom Becker voted against the plan.")
    phrase = choose_phrase(q, s)
    assert phrase is not None and phrase.text == "Ana Ruiz and Tom Becker"


def test_a_name_after_a_qualifies_a_thing_and_is_no_answer() -> None:
    q = parse_question("Which company announced the merger?")
    s = _sentence("In a Facebook post, the company announced the merger.")
    assert choose_phrase(q, s) is None


def test_the_adjective_of_a_place_the_question_names_is_not_an_answer() -> None:
    question = parse_question("Which country had trading posts in India before Britain?")
    found = candidates(question, "The British and the Portuguese had trading posts in India.")
    assert found is not None
    assert [p.text for p in found if "Portuguese" in p.text] and not [p.text for p in found if p.text == "British"]


def test_a_span_between_two_years_says_how_long() -> None:
    q = parse_question("How long was the summer theatre in operation?")
    found = candidates(q, "The summer theatre was in operation from 1870 to 1939, the museum says.")
    assert found is not None and [p.text for p in found] == ["1870 to 1939"]


def test_the_name_of_a_thing_may_follow_it_after_a_colon_or_such_as() -> None:
    q = parse_question("What was the name of the Ormsby castle?")
    assert [p.text for p in candidates(q, "They gave a name to their castle: Redmoor, after the hill.") or []] == [
        "Redmoor"
    ]
    q = parse_question("What is the name of the college's rowing facility?")
    found = candidates(q, "The college has several facilities, such as the Tarrant Boathouse, a hall and a gym.")
    assert [p.text for p in found or []] == ["Tarrant Boathouse"]


def test_in_what_year_takes_a_year_never_a_month_without_one() -> None:
    q = parse_question("In what year was the Ormsby network inaugurated?")
    assert candidates(q, "The network was inaugurated in September by the mayor.") == []
    found = candidates(q, "The network was inaugurated in September 2005 and extended in the 1990s plan.")
    assert [p.text for p in found or []] == ["September 2005", "1990s"]
    q = parse_question("When was the Ormsby network inaugurated?")  # "when" takes a month
    assert [p.text for p in candidates(q, "The network was inaugurated in September by the mayor.") or []] == [
        "September"
    ]


def test_a_figure_that_counts_another_plural_noun_is_no_count_of_the_asked_one() -> None:
    q = parse_question("How many telecentres make up the Ormsby network?")
    text = "The board aims to make the network pay for itself within three years, using the telecentres as cafes."
    assert candidates(q, text) == []
    assert [p.text for p in candidates(q, "The 14 telecentres use only free software.") or []] == ["14 telecentres"]
    q = parse_question("How many hundreds of years did the Ormsby parliament govern?")  # a scale: years counted
    assert [p.text for p in candidates(q, "It governed for three hundred years.") or []] == ["three hundred years"]
    q = parse_question("How many reservists joined the rescue?")  # coordinated: the figure counts both
    found = candidates(q, "By noon, over 15,600 troops and militia reservists had joined the rescue.")
    assert [p.text for p in found or []] == ["over 15,600"]
    q = parse_question("How many officers were among the soldiers killed?")  # not its own noun "soldiers"
    found = candidates(q, "At least 27 soldiers were killed, including four officers.")
    assert [p.text for p in found or []] == ["four officers"]


def test_a_name_set_off_after_the_asked_noun_may_open_a_parenthesis() -> None:
    from qa.answer_phrase import beside_asked_noun

    q = parse_question("Which organisation led the Ormsby wireless project?")
    text = "The non-government organisation, Cepes (Ormsby Centre for Social Studies) led the project."
    assert [p.text for p in candidates(q, text) or [] if beside_asked_noun(q, text, p)] == ["Cepes"]


def test_a_qualified_year_and_a_span_of_centuries_answer_when() -> None:
    q = parse_question("When did the first printed atlas of the Orla coast appear?")
    found = candidates(q, "Around 1294, a printed atlas of the Orla coast was made by a monk.") or []
    assert [p.text for p in found] == ["Around 1294"]
    found = candidates(q, "The Orla coast was mapped in the 10th and 11th centuries by traders.") or []
    assert [p.text for p in found] == ["10th and 11th centuries"]
    # a qualified figure that counts something is not a year
    assert candidates(q, "About 1500 traders mapped the Orla coast.") == []
