"""Tests for qa.numbers: figures in news text, their values and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.numbers import Quantity, contains_number, find_quantities, parse_number, same_value

ARTICLES = Path(__file__).resolve().parent.parent / "qa" / "samples" / "articles"


def _one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


def _values(text: str) -> list[tuple[str, float]]:
    return [(q.text, q.value) for q in find_quantities(text)]


# --- the sample sentences ----------------------------------------------------


def test_two_battalions_of_nearly_500() -> None:
    text = (
        "saying it had sent its fighters to liberate the two besieged battalions, "
        "made up of nearly 500 soldiers, east of the town of al-Sukhna."
    )
    two, five_hundred = find_quantities(text)
    assert (two.value, two.text, two.qualifier, two.kind) == (2, "two", None, "count")
    assert five_hundred.value == 500
    assert five_hundred.text == "nearly 500"
    assert five_hundred.qualifier == "nearly"
    assert five_hundred.number_start == text.index("500")
    assert five_hundred.start == text.index("nearly")
    assert five_hundred.approximate and not five_hundred.vague


def test_nearly_two_dozen() -> None:
    q = _one("its militants killed nearly two dozen soldiers and officers.")
    assert (q.value, q.text, q.qualifier, q.kind) == (24, "nearly two dozen", "nearly", "count")
    assert q.approximate


def test_more_than_370000() -> None:
    text = "Syria's war has killed more than 370,000 people and displaced millions since 2011."
    found = find_quantities(text)
    assert [(q.text, q.value, q.qualifier, q.kind) for q in found] == [
        ("more than 370,000", 370000, "more than", "count"),
        ("millions", 2_000_000, "millions", "count"),
        ("2011", 2011, None, "year"),
    ]
    assert found[0].number_start == text.index("370,000")


def test_in_2011_is_a_year() -> None:
    q = _one("the repression of anti-government protests in 2011.")
    assert (q.kind, q.value) == ("year", 2011)
    assert _one("since Russia intervened militarily in 2015").kind == "year"


def test_at_least_27() -> None:
    q = _one("The Observatory said at least 27 soldiers were killed")
    assert (q.value, q.qualifier, q.text, q.kind) == (27, "at least", "at least 27", "count")


def test_eight_other_soldiers() -> None:
    q = _one("Eight other regime soldiers were killed in a separate Daesh raid")
    assert (q.value, q.text, q.kind, q.qualifier) == (8, "Eight", "count", None)


def test_some_two_thirds_is_a_fraction() -> None:
    q = _one("Assad's troops have managed to claw back some two thirds of the country")
    assert q.kind == "count" and q.qualifier == "some" and q.text == "some two thirds"
    assert q.value == pytest.approx(2 / 3)
    assert same_value(q, 0.667)
    assert _one("two-thirds").value == pytest.approx(2 / 3)
    assert _one("a third of the country").value == pytest.approx(1 / 3)


def test_scores_of_headline() -> None:
    q = _one("Scores of Syrian regime troops killed in Daesh, HTS attacks")
    assert (q.value, q.qualifier, q.text) == (40, "scores of", "Scores of")
    assert q.vague


def test_27_never_matches_270() -> None:
    assert _values("killed 270 soldiers") == [("270", 270)]
    assert not contains_number("killed 270 soldiers", 27)
    assert not contains_number("2,700 people", 27)
    assert not contains_number("27.5 percent", 27)
    assert contains_number("killed 27 soldiers", 27)
    assert not same_value(27, 270)


def test_sample_articles_quantities_are_verbatim() -> None:
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = find_quantities(text)
        assert found
        previous_end = 0
        for q in found:
            assert text[q.start : q.end] == q.text
            assert q.start <= q.number_start < q.end
            assert q.start >= previous_end
            previous_end = q.end
        # The hex id in the file name never turns up as a figure.
        assert all(q.value not in (5433082, 11908, 4097) for q in found)


def test_sample_000_date_and_time() -> None:
    found = find_quantities("Published 20.04.2019 16:37")
    assert [(q.text, q.kind) for q in found] == [("20.04.2019", "date"), ("16:37", "time")]
    assert found[0].value == 20190420
    assert found[1].value == pytest.approx(16 + 37 / 60)


# --- digits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("370,000", 370000),
        ("1,200", 1200),
        ("2.5", 2.5),
        ("1.5 million", 1_500_000),
        ("2 billion", 2e9),
        ("3 thousand", 3000),
        ("21", 21),
    ],
)
def test_digit_counts(text: str, value: float) -> None:
    q = _one(text)
    assert (q.value, q.kind, q.text) == (value, "count", text)


def test_scale_word_across_wrapped_line() -> None:
    assert _values("about 1.5\nmillion people") == [("about 1.5\nmillion", 1_500_000)]
    assert _values("about 1.5\n\nMillion") == [("about 1.5", 1.5)]


def test_letter_scales_only_for_money() -> None:
    assert find_quantities("3m people") == []
    q = _one("a £3bn deal")
    assert (q.kind, q.value, q.text) == ("money", 3e9, "£3bn")


# --- words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two", 2),
        ("eight", 8),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("five hundred", 500),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("a hundred", 100),
        ("two billion", 2e9),
        ("one thousand two hundred and fifty", 1250),
        ("two million three hundred thousand", 2_300_000),
    ],
)
def test_number_words(text: str, value: float) -> None:
    q = _one(text)
    assert (q.value, q.kind, q.text) == (value, "count", text)


def test_number_words_do_not_run_together() -> None:
    assert _values("one two three") == [("one", 1), ("two", 2), ("three", 3)]
    assert _values("two and three") == [("two", 2), ("three", 3)]


def test_hyphenated_age() -> None:
    assert _values("a four-year-old boy") == [("four", 4)]


def test_pronoun_one_is_not_a_number() -> None:
    assert find_quantities("no one knows, they help one another") == []


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("hundreds of people", 200, "hundreds of"),
        ("dozens of soldiers", 24, "dozens of"),
        ("scores of troops", 40, "scores of"),
        ("thousands of people", 2000, "thousands of"),
        ("tens of thousands of people", 20000, "tens of thousands of"),
        ("hundreds of thousands of people", 200000, "hundreds of thousands of"),
    ],
)
def test_vague_plurals(text: str, value: float, qualifier: str) -> None:
    q = _one(text)
    assert (q.value, q.qualifier, q.kind, q.number_start) == (value, qualifier, "count", q.start)
    assert q.vague and q.approximate
    assert not contains_number(text, value)


# --- qualifiers -------------------------------------------------------------


@pytest.mark.parametrize(
    "qualifier",
    [
        "nearly",
        "about",
        "at least",
        "more than",
        "some",
        "around",
        "almost",
        "up to",
        "over",
        "roughly",
        "approximately",
        "an estimated",
        "fewer than",
        "less than",
    ],
)
def test_qualifiers(qualifier: str) -> None:
    text = f"The group said {qualifier.capitalize()} 1,200 fighters"
    q = _one(text)
    assert q.qualifier == qualifier
    assert q.text == f"{qualifier.capitalize()} 1,200"
    assert q.number_start == text.index("1,200")
    assert q.value == 1200


def test_qualifier_needs_whole_word() -> None:
    q = _one("handsome 20 men")
    assert q.qualifier is None and q.text == "20"


# --- other kinds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("in 2011", "year", 2011),
        ("since 2015", "year", 2015),
        ("in the 1990s", "year", 1990),
        ("by mid-2011", "year", 2011),
        ("20.04.2019", "date", 20190420),
        ("2019-04-20", "date", 20190420),
        ("April 20, 2019", "date", 20190420),
        ("20 April 2019", "date", 20190420),
        ("on Jan. 5", "date", 105),
        ("16:37", "time", 16 + 37 / 60),
        ("at 5 p.m. local time", "time", 17),
        ("27%", "percent", 27),
        ("27 percent", "percent", 27),
        ("twenty percent", "percent", 20),
        ("$5", "money", 5),
        ("5 dollars", "money", 5),
        ("$1.5 million", "money", 1_500_000),
        ("first", "ordinal", 1),
        ("third", "ordinal", 3),
        ("5th", "ordinal", 5),
        ("twenty-first", "ordinal", 21),
    ],
)
def test_kinds(text: str, kind: str, value: float) -> None:
    q = _one(text)
    assert q.kind == kind
    assert q.value == pytest.approx(value)


def test_qualified_four_digit_number_is_a_count() -> None:
    q = _one("nearly 2000 people")
    assert (q.kind, q.value, q.qualifier) == ("count", 2000, "nearly")


def test_money_number_start_includes_currency() -> None:
    text = "at least $5 million"
    q = _one(text)
    assert (q.qualifier, q.text, q.number_start, q.value) == ("at least", text, text.index("$"), 5e6)


def test_lowercase_month_is_not_a_date() -> None:
    assert [q.kind for q in find_quantities("we may 5 times")] == ["count"]


@pytest.mark.parametrize("text", ["db5433082a11908e", "HTS2", "F-16 jets", "COVID-19", "version 1.2.3", "4097ccc5"])
def test_numbers_inside_identifiers_are_ignored(text: str) -> None:
    assert find_quantities(text) == []


# --- parse_number / same_value / contains_number ------------------------------


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("500", 500),
        ("five hundred", 500),
        ("nearly 500", 500),
        ("two dozen", 24),
        ("1,200", 1200),
        ("21", 21),
        ("27%", 27),
    ],
)
def test_parse_number(answer: str, value: float) -> None:
    assert parse_number(answer) == value


def test_parse_number_without_number() -> None:
    assert parse_number("nobody knows") is None
    assert parse_number("") is None


def test_same_value_ignores_qualifiers() -> None:
    plain = _one("500")
    nearly = _one("nearly 500")
    assert same_value(plain, nearly)
    assert same_value(nearly, 500)
    assert same_value(500.0, plain)
    assert not same_value(nearly, 50)
    assert not same_value(370000, 370300)


def test_contains_number() -> None:
    assert contains_number("killed twenty-seven soldiers", 27)
    assert contains_number("more than 370,000 people", 370000)
    assert contains_number("nearly two dozen soldiers", 24)
    assert not contains_number("killed 270 soldiers", 27)
    assert not contains_number("HTS27 unit", 27)


def test_currency_written_as_a_word_before_or_after_the_figure_is_money() -> None:
    found = find_quantities("Mothers get pounds 102.80 a week; the project cost dollars 200,000 and 1.2bn euros.")
    assert [(q.text, q.kind) for q in found] == [
        ("pounds 102.80", "money"),
        ("dollars 200,000", "money"),
        ("1.2bn euros", "money"),
    ]
    assert found[2].value == 1.2e9


def test_a_unit_written_onto_its_figure_stays_with_it() -> None:
    assert [(q.text, q.value) for q in find_quantities("a 2.5MW turbine, a 5kg bag and a 64GB phone")] == [
        ("2.5MW", 2.5),
        ("5kg", 5.0),
        ("64GB", 64.0),
    ]
    assert find_quantities("a 4G phone and H2O") == []


@pytest.mark.parametrize(
    ("text", "value", "stated"),
    [
        ("In World War II, the colonies were bases.", 2, True),
        ("Henry III of Castile took the title.", 3, True),
        ("Henry III of Castile took the title.", 2, False),
        ("I said the class I receptor binds.", 1, False),  # one letter: a word, not a numeral
        ("The XIV corps held the line.", 14, True),
    ],
)
def test_a_roman_numeral_states_its_number(text: str, value: int, stated: bool) -> None:
    assert contains_number(text, value) is stated


def test_a_date_without_its_year_is_the_same_day_of_any_year() -> None:
    day, dated, other_year = _one("June 1"), _one("June 1, 2008"), _one("1 June 2010")
    assert same_value(day, dated) and same_value(day, other_year)
    assert not same_value(dated, other_year)  # both years said, and they differ
    assert not same_value(_one("June 4"), dated)
    assert contains_number("On Children's Day, June 1, 2008, parents mourned.", day)


def test_a_year_is_the_year_of_a_full_date() -> None:
    year, dated = _one("in 2005"), _one("October 12, 2005")
    assert same_value(year, dated) and same_value(dated, year)
    assert not same_value(_one("in 2003"), dated)
    assert contains_number("Videos went on sale on October 12, 2005.", year)


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("How tall is One World Trade Center in meters?", []),
        ("He won Formula One twice and two other races.", ["two"]),
        ("Work on the Three Gorges Dam took 17 years.", ["17"]),
        ("Two Syrian soldiers died.", ["Two"]),  # a capital at a sentence's start says nothing
        ("One man died. Two Syrian soldiers were hurt.", ["One", "Two"]),
        ("“Two Syrian soldiers died,” he said.", ["Two"]),
    ],
)
def test_number_words_that_are_part_of_a_name_are_no_figure(text: str, figures: list[str]) -> None:
    assert [q.text for q in find_quantities(text)] == figures
