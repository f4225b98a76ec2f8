"""Tests for qa.names: one actor, several spellings, acronyms and aliases."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qa.names import TextNames, _close, acronym, alias_forms, is_acronym, name_tokens, text_tokens, typo_variants
from qa.text import fold

HTS_TEXT = "On Monday, fighters of Hayat Tahrir al-Sham entered the town, the Syrian Observatory for Human Rights said."
AUTHORITY_TEXT = "The Harrowgate Valley Water Authority said the dam at Lake Ardwin held overnight."


def test_has_finds_an_acronym_of_a_name_spelled_out_in_the_text() -> None:
    assert TextNames(HTS_TEXT).has("HTS")
    assert TextNames(AUTHORITY_TEXT).has("HVWA")


def test_has_finds_the_spelled_out_name_of_an_acronym_in_the_text() -> None:
    assert TextNames("HTS fighters entered the town.").has("Hayat Tahrir al-Sham")


def test_has_finds_an_acronym_when_the_sentence_opens_with_a_word_of_the_name() -> None:
    assert TextNames("Fighters of Hayat Tahrir al-Sham entered the town.").has("HTS")


def test_has_does_not_find_an_acronym_that_is_not_there() -> None:
    assert not TextNames(HTS_TEXT).has("SDF")


@pytest.mark.parametrize("spelling", ["Hayat Tahir al-Sham", "Hayat Tahrir al-Sham", "hayat tahrir al sham"])
def test_has_tolerates_one_typo_and_case_in_long_tokens(spelling: str) -> None:
    assert TextNames(HTS_TEXT).has(spelling)


def test_has_tolerates_a_transliteration_variant_of_a_long_name() -> None:
    assert TextNames(AUTHORITY_TEXT).has("Harowgate")


def test_has_does_not_treat_a_derived_word_as_a_typo() -> None:
    assert not TextNames("Syrian forces advanced.").has("Syria")
    assert not TextNames("Syria said it would respond.").has("Syrian")


def test_has_does_not_forgive_typos_in_short_tokens() -> None:
    assert not TextNames("Police in Lenz said.").has("Lens")


def test_has_needs_both_words_of_a_two_word_name() -> None:
    assert not TextNames("Ines Calloway said the village would recover.").has("Ines Marsh")


def test_a_number_word_tells_one_name_from_another() -> None:
    names = TextNames("The Six-Day War of 1967 redrew the region's borders, and Formula One raced there later.")
    assert names.has("Six-Day War")
    assert not names.has("Seven-Day War")
    assert names.match("Eight-Day War") == 0.0
    assert not names.has("Formula Two")


def test_has_knows_dotted_and_plain_country_abbreviations() -> None:
    assert TextNames("The UN said aid would arrive.").has("United Nations")
    assert TextNames("The United Nations said aid would arrive.").has("U.N.")


def test_match_is_full_for_a_mentioned_name() -> None:
    assert TextNames(HTS_TEXT).match("Syrian Observatory for Human Rights") == 1.0


def test_match_is_half_for_only_the_head_word_of_a_long_name() -> None:
    assert TextNames("Rescue teams arrived, the Observatory said.").match("Syrian Observatory for Human Rights") == 0.5
    assert TextNames("Calloway told residents to stay indoors.").match("Ines Calloway") == 0.5


def test_match_is_zero_for_an_absent_name() -> None:
    assert TextNames(AUTHORITY_TEXT).match("Corvale") == 0.0
    assert TextNames(AUTHORITY_TEXT).match("Brackwater Town Council") == 0.0


def test_match_gives_no_partial_credit_for_a_nationality_word() -> None:
    # "Syrian" says nothing about which Syrian organisation is meant
    assert TextNames("Syrian officials said.").match("Free Syrian Army") == 0.0


def test_has_does_not_confuse_two_fire_services_of_different_towns() -> None:
    assert not TextNames("The North Ridge Fire Service said 12 workers died.").has("Corvale Fire Service")


def test_acronym_is_the_initials_of_a_multi_word_name_without_joiners() -> None:
    assert acronym("Hayat Tahrir al-Sham") == "HTS"
    assert acronym("Bank of England") == "BE"
    assert acronym("Harrowgate Valley Water Authority") == "HVWA"


def test_acronym_of_a_single_word_is_empty() -> None:
    assert acronym("Brackwater") == ""


def test_is_acronym() -> None:
    assert is_acronym("HTS")
    assert is_acronym("U.N.")
    assert not is_acronym("Aleppo")
    assert not is_acronym("A")


def test_name_tokens_are_folded_and_drop_joiners() -> None:
    assert name_tokens("Hayat Tahrir al-Sham") == ("hayat", "tahrir", "sham")
    assert name_tokens("Café de Flore") == ("cafe", "flore")


def test_alias_forms_of_an_unknown_name_is_only_that_name() -> None:
    assert alias_forms("Calder Industries") == ("Calder Industries",)


def test_sentence_index_finds_every_sentence_that_mentions_a_name() -> None:
    """could_mention may return too many sentences, never too few (the topic count depends on it)."""
    from qa.chunking import article_sentences
    from qa.loaders import load_paths
    from qa.names import SentenceIndex, name_acronyms
    from qa.question import find_names
    from tests.conftest import SAMPLES

    checked = 0
    for item in load_paths([SAMPLES, Path(__file__).parent / "data" / "other_news"], max_bytes=10**8):
        assert item.article is not None
        texts = [s.text for s in article_sentences(item.article)]
        acronyms = [
            frozenset(a for s, e in find_names(t, skip_first=False) for a in name_acronyms(t[s:e])) for t in texts
        ]
        index = SentenceIndex(texts)
        whole = TextNames("\n|\n".join(texts))
        names = {t[s:e] for t in texts for s, e in find_names(t, skip_first=False)}
        # names as written, their aliases and acronyms, one-letter typos, second mentions by head word
        names |= {"Islamic State", "ISIS", "Hayat Tahir al-Sham", "HTS", "the Observatory", "Daesh", "Palmira"}
        for name in sorted(names):
            forms = whole.forms_in(name)
            could = index.could_mention(name, forms, lambda acronyms=acronyms: acronyms)  # type: ignore[misc]
            for i, text in enumerate(texts):
                # a sentence mentions no spelling the whole article does not
                assert TextNames(text).match(name, forms) == TextNames(text).match(name), (name, text)
                if TextNames(text).match(name) > 0:
                    checked += 1
                    assert i in could, (name, text)
    assert checked > 200  # the property was tried on many real mentions


def _one_edit_away(token: str, rng: random.Random, letters: str) -> str:
    chars = list(token)
    for _ in range(rng.choice((1, 1, 1, 2))):
        at = rng.randrange(len(chars) + 1)
        edit = rng.choice("cad")
        if edit == "c" and at < len(chars):
            chars[at] = rng.choice(letters)
        elif edit == "a":
            chars.insert(at, rng.choice(letters))
        elif edit == "d" and at < len(chars):
            del chars[at]
    return "".join(chars)


def test_typo_variants_are_exactly_the_tokens_close_takes() -> None:
    """The set made once per token must agree with comparing word by word, typo rules included."""
    rng = random.Random(7)
    for _ in range(1500):
        # few letters: many repeated ones, where "a letter added" and "a prefix" are easiest to get wrong
        token = "".join(rng.choice("abs1") for _ in range(rng.randint(3, 9)))
        variants = typo_variants(token)
        for other in {_one_edit_away(token, rng, "abs1z") for _ in range(60)}:
            assert (other in variants) == (other != token and _close(token, other)), (token, other)


def test_a_typo_is_found_in_a_long_text_as_in_a_sentence() -> None:
    sentence = "Fighters of Hayat Tahir al-Sham attacked positions near Aleppo in Syria, the army said."
    long_text = sentence + " " + " ".join(f"filler{i} word{i}" for i in range(60))
    assert len(TextNames(long_text).tokens) > 64  # the long path: typo_variants, not word by word
    for text in (sentence, long_text):
        names = TextNames(text)
        assert names.has("Hayat Tahrir al-Sham")  # "Tahir" is a typo of "Tahrir"
        assert not names.has("Hayat Tahrim Sham")  # nor is every one-letter change of every word
        assert not names.has("Syrian Army")  # "Syria"/"Syrian" differ by a letter, not by a typo
    accented = "Les combattants de Hayat Tahrír al-Sham " + " ".join(f"mot{i}" for i in range(70))
    assert TextNames(accented).has("Hayat Tahrir al-Sham")


@pytest.mark.parametrize(
    "text",
    [
        "The Observatory’s chief said “27 soldiers” died — in al-Sukhna…",
        "Émile Zola visited Aleppo’s old city; São Paulo\u00a0next",
        "İstanbul and the Straße committee",
    ],
)
def test_text_tokens_are_the_folded_tokens(text: str) -> None:
    import re

    assert text_tokens(text) == frozenset(fold(t) for t in re.findall(r"[^\W_]+", text))


@pytest.mark.parametrize(
    "text", ["Gegeen Khan ruled for two years.", " ".join(["Gegeen Khan ruled."] + [f"word{i}" for i in range(80)])]
)
def test_has_tolerates_two_swapped_letters_in_a_long_token(text: str) -> None:
    # a sentence is compared word by word, a long text through typo_variants: both forgive the swap
    assert TextNames(text).has("Geegen")
    assert not TextNames(text).has("Gegene Khanate")
