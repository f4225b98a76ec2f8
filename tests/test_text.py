"""Tests for qa.text: the one tokenizer shared by BM25, question analysis and evidence scoring."""

from __future__ import annotations

import pytest

from qa.text import STOPWORDS, fold, stem, terms, words


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("workers", "worker"),
        ("villages", "village"),
        ("liberated", "liberate"),
        ("forces", "force"),
        ("stopped", "stop"),
        ("flooding", "flood"),
        ("flooded", "flood"),
        ("cities", "city"),
        ("classes", "class"),
    ],
)
def test_stem_brings_inflections_to_the_same_stem(inflected: str, base: str) -> None:
    assert stem(inflected) == stem(base)


@pytest.mark.parametrize(
    "group",
    [("died", "dies", "dying", "die"), ("killed", "killing", "kill"), ("fought", "fight"), ("children", "child")],
)
def test_stem_maps_irregular_forms_together(group: tuple[str, ...]) -> None:
    assert len({stem(w) for w in group}) == 1


def test_stem_keeps_killed_and_died_apart() -> None:
    # the lexicon, not the stemmer, says they are related
    assert stem("killed") != stem("died")


def test_stem_keeps_the_double_l_of_killed() -> None:
    assert stem("killed") == "kill"


@pytest.mark.parametrize("word", ["glass", "bus", "analysis", "status"])
def test_stem_does_not_strip_an_s_that_is_part_of_the_word(word: str) -> None:
    assert stem(word) == word


def test_stem_strips_the_possessive() -> None:
    assert stem("council's") == stem("council")
    assert stem("Council’s") == stem("council")


def test_stem_ignores_case_and_accents() -> None:
    assert stem("Café") == stem("cafe")
    assert stem("WORKERS") == stem("workers")


def test_stem_leaves_short_words_and_numbers_alone() -> None:
    assert stem("bus") == "bus"
    assert stem("2024") == "2024"


@pytest.mark.parametrize(("inflected", "base"), [("ruled", "rule"), ("based", "base"), ("fired", "fire")])
def test_stem_meets_for_short_words_ending_in_e(inflected: str, base: str) -> None:
    assert stem(inflected) == stem(base)


def test_terms_drops_stopwords_and_reporting_verbs() -> None:
    got = terms("The dam was said to be near the town, officials told reporters")
    assert got == [stem("dam"), stem("town"), stem("officials"), stem("reporters")]


def test_terms_are_stemmed() -> None:
    assert terms("Floodwaters swamped villages") == [stem("floodwaters"), stem("swamped"), stem("villages")]


def test_terms_keep_a_hyphenated_word_and_add_its_parts() -> None:
    got = terms("the water-treatment plant")
    assert "water-treatment" in got
    assert stem("water") in got
    assert stem("treatment") in got
    assert stem("plant") in got


def test_terms_let_a_name_be_found_without_its_article_prefix() -> None:
    got = terms("fighting near al-Marsa")
    assert "marsa" in got
    assert "al" not in got  # two-letter parts are not terms


def test_terms_keep_numbers() -> None:
    assert "12" in terms("12 workers died")


def test_terms_of_only_stopwords_is_empty() -> None:
    assert terms("What was it that they said?") == []


def test_words_keep_hyphenated_and_apostrophe_words_whole() -> None:
    assert words("Port Ellery's well-known mayor") == ["Port", "Ellery's", "well-known", "mayor"]


def test_fold_lowercases_and_strips_accents_and_curly_apostrophes() -> None:
    assert fold("São Tomé’s ÉCOLE") == "sao tome's ecole"


def test_stopwords_include_question_words_but_not_content_words() -> None:
    assert {"how", "what", "the", "according"} <= STOPWORDS
    assert not {"fire", "flood", "court", "workers"} & STOPWORDS


@pytest.mark.parametrize(
    "text",
    [
        "The Observatory’s chief said 27 soldiers died — “a massacre” – in al-Sukhna…",
        "Rebels\u00a0seized «the base» on Tuesday; the army’s ‘counter-attack’ failed.",
        "Émile Zola visited Aleppo’s old city; Ürümqi and São Paulo were next.",
        "İstanbul officials and the Straße committee met",
        "plain ASCII text with al-Sham's fighters and U.S. forces",
    ],
)
def test_terms_are_the_folded_stems_of_each_word(text: str) -> None:
    """Typographic quotes and dashes take a faster path; the terms must be those word-by-word folding gives."""
    expected: list[str] = []
    for word in words(text):
        folded = fold(word)
        if folded in STOPWORDS:
            continue
        expected.append(stem(folded))
        if "-" in folded:
            expected.extend(stem(p) for p in folded.split("-") if len(p) > 2 and p not in STOPWORDS)
    assert terms(text) == expected
