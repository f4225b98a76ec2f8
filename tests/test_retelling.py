"""Two tellings of one sentence that differ in one value (pure logic of qa.retelling)."""

from __future__ import annotations

import pytest

from qa.retelling import changed_value


def _values(a: str, b: str) -> tuple[str, str] | None:
    found = changed_value(a, b)
    return None if found is None else (a[found.a_start : found.a_end], b[found.b_start : found.b_end])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # a figure, grown to the whole quantity it is part of
        (
            "The flood left about 4,800 people homeless, though the number could be as high as 11 million.",
            "The flood left about 4,800 people homeless, though the number could be as high as 28 million.",
            ("11 million", "28 million"),
        ),
        # money in brackets, without the brackets
        (
            "Donations totalled 1.5 billion yuan (~US$208 million) that evening.",
            "Donations totalled 1.5 billion yuan (~US$520 million) that evening.",
            ("US$208 million", "US$520 million"),
        ),
        # a name of one word for a name of two
        (
            "The island of Runa was traded to the Dutch in 1667.",
            "The island of Lord Howe was traded to the Dutch in 1667.",
            ("Runa", "Lord Howe"),
        ),
    ],
)
def test_one_changed_value_is_found_in_both_sentences(a: str, b: str, expected: tuple[str, str]) -> None:
    assert _values(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the same value in other words is agreement
        ("The strike was joined by 500 workers on Monday.", "The strike was joined by five hundred workers on Monday."),
        ("The strike was joined by 500 workers on Monday.", "The strike was joined by nearly 500 workers on Monday."),
        # words that are neither a figure nor a name: a paraphrase, not another value
        ("The strike was joined by many workers on Monday.", "The strike was joined by lots of workers on Monday."),
        # two values changed: not one sentence retold with one fact changed
        (
            "The bridge opened in 1932 and cost 6 million pounds.",
            "The bridge opened in 1935 and cost 9 million pounds.",
        ),
        # different sentences
        ("The bridge opened in 1932.", "Traffic on the opening day was light, with 400 cars."),
        # the same sentence
        ("The bridge opened in 1932.", "The bridge opened in 1932."),
    ],
)
def test_no_single_changed_value(a: str, b: str) -> None:
    assert _values(a, b) is None
