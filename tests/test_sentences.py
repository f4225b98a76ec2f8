"""Tests for qa.sentences: offsets are exact and boundaries fit news text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.sentences import MAX_SENTENCE_CHARS, paragraph_spans, split_sentences
from qa.types import Sentence

ARTICLES = Path(__file__).resolve().parent.parent / "qa" / "samples" / "articles"
SAMPLE_000 = ARTICLES / "000_db5433082a11908e.txt"
SAMPLE_003 = ARTICLES / "003_4097ccc5a1db7ed0.txt"


def _read(path: Path) -> str:
    # newline="" keeps the file's own line endings so offsets are the file's.
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def _assert_invariants(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.text
        assert s.start >= previous_end
        previous_end = s.end


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name)
def test_sample_articles_are_verbatim_at_their_offsets(path: Path) -> None:
    text = _read(path)
    sentences = split_sentences(text)
    assert len(sentences) > 10
    _assert_invariants(text, sentences)
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)


def test_sample_003_sentences() -> None:
    texts = _texts(_read(SAMPLE_003))
    assert (
        "Baladi news, an activist-operated news site, said the attack in Akrab village killed 27 soldiers, "
        "quoting an HTS operative." in texts
    )
    assert "Akrab overlooks the Aleppo-Damascus highway." in texts
    assert (
        "The Islamic State group lost its last territories in Syria in March after months of battles with "
        "U.S-backed Kurdish-led fighters in the eastern province of Deir el-Zour." in texts
    )
    # The curly apostrophe in "didn’t" does not end anything.
    assert any(t.startswith("Liwa al-Quds, one of the elite militias") and t.endswith("figure.") for t in texts)


def test_sample_000_dotted_date_and_acronym() -> None:
    text = _read(SAMPLE_000)
    texts = _texts(text)
    assert "Published 20.04.2019 16:37" in texts
    us = [t for t in texts if "U.S-backed" in t]
    assert len(us) == 1 and us[0].startswith("Daesh lost") and us[0].endswith("Deir el-Zour.")
    assert "The Observatory said at least 27 soldiers were killed, including four officers." in texts
    quoted = [t for t in texts if t.startswith("On Friday, Assad insisted")]
    assert quoted and quoted[0].endswith("planned demilitarized area.")


def test_sample_paragraph_indexes_match_paragraph_spans() -> None:
    text = _read(SAMPLE_000)
    spans = paragraph_spans(text)
    assert text[slice(*spans[0])] == "Scores of Syrian regime troops killed in Daesh, HTS attacks"
    assert text[slice(*spans[1])] == "Published 20.04.2019 16:37"
    assert text[slice(*spans[-1])] == "Share on Facebook Share on Twitter"
    for s in split_sentences(text):
        p_start, p_end = spans[s.paragraph]
        assert p_start <= s.start and s.end <= p_end


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith and Dr. Jones met Gen. Allen on Jan. 5 in St. Louis.",
        "The talks, e.g. those in Geneva, went on until 10 p.m. Tuesday.",
        "Shares of Acme Inc. Holdings rose.",
        "He lives at No. 10 Downing Street.",
        "The vote was 5 vs. 3 in the end.",
        "Sen. Warren and Rep. Ocasio-Cortez spoke.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    assert _texts(text) == [text]


def test_soft_abbreviation_before_a_sentence_opener_splits() -> None:
    text = "He works for Acme Inc. The company declined to comment."
    assert _texts(text) == ["He works for Acme Inc.", "The company declined to comment."]


def test_initials_do_not_split() -> None:
    text = "The report by J. Smith and George W. Bush was read. It was long."
    assert _texts(text) == ["The report by J. Smith and George W. Bush was read.", "It was long."]


def test_dotted_acronyms() -> None:
    assert _texts("The U.S. Army and the U.N. Security Council met.") == [
        "The U.S. Army and the U.N. Security Council met."
    ]
    assert _texts("Troops left the U.S. The war ended.") == ["Troops left the U.S.", "The war ended."]
    assert _texts("U.S-backed forces advanced. They won.") == ["U.S-backed forces advanced.", "They won."]


def test_decimals_and_dotted_dates() -> None:
    text = "Growth was 3.5 percent. Published 20.04.2019 16:37 in Ankara."
    assert _texts(text) == ["Growth was 3.5 percent.", "Published 20.04.2019 16:37 in Ankara."]


def test_ellipsis() -> None:
    assert _texts("He paused... and then went on. Next came...") == ["He paused... and then went on.", "Next came..."]
    assert _texts("It ended… Then a new one began.") == ["It ended…", "Then a new one began."]


def test_question_exclamation_and_digit_start() -> None:
    assert _texts("Why? Nobody knows! 27 people died.") == ["Why?", "Nobody knows!", "27 people died."]


def test_lowercase_after_period_does_not_split() -> None:
    assert _texts("The version 2. was not released.") == ["The version 2. was not released."]


def test_quote_closes_sentence() -> None:
    text = 'He said "no." Then he left.'
    assert _texts(text) == ['He said "no."', "Then he left."]
    curly = "“We will win,” he said. “Nobody doubts it.” Then silence."
    assert _texts(curly) == ["“We will win,” he said.", "“Nobody doubts it.”", "Then silence."]
    bracket = "They won (narrowly.) The rest lost."
    assert _texts(bracket) == ["They won (narrowly.)", "The rest lost."]


def test_crlf_text() -> None:
    text = "Headline here\r\n\r\nFirst sentence. Second one\r\nwraps here.\r\n\r\nLast paragraph."
    sentences = split_sentences(text)
    _assert_invariants(text, sentences)
    assert [s.text for s in sentences] == [
        "Headline here",
        "First sentence.",
        "Second one\r\nwraps here.",
        "Last paragraph.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]


def test_wrapped_lines_stay_one_sentence() -> None:
    text = (
        "The Observatory said the insurgents assaulted the government positions west of\n"
        "Aleppo early Saturday, killing 21 soldiers and allied fighters. Baladi news said\n"
        "the attack in Akrab village killed 27 soldiers.\n"
    )
    texts = _texts(text)
    assert texts == [
        "The Observatory said the insurgents assaulted the government positions west of\n"
        "Aleppo early Saturday, killing 21 soldiers and allied fighters.",
        "Baladi news said\nthe attack in Akrab village killed 27 soldiers.",
    ]


def test_line_ending_in_punctuation_ends_sentence() -> None:
    text = "First line ends here.\nSecond line is its own sentence."
    assert _texts(text) == ["First line ends here.", "Second line is its own sentence."]


def test_line_ending_in_punctuation_then_lowercase_continues() -> None:
    text = "He paused...\nand then went on. Growth hit 3.\nthen it fell."
    assert _texts(text) == ["He paused...\nand then went on.", "Growth hit 3.\nthen it fell."]


def test_heading_like_lines_stand_alone() -> None:
    text = (
        "Separate Militant Attacks Kill Nearly 50 Syrian Soldiers\n"
        "Published 20.04.2019 16:37\n"
        "Syrian government forces came under separate attacks from militants in different parts of the country.\n"
    )
    assert _texts(text) == [
        "Separate Militant Attacks Kill Nearly 50 Syrian Soldiers",
        "Published 20.04.2019 16:37",
        "Syrian government forces came under separate attacks from militants in different parts of the country.",
    ]


def test_long_sentence_is_cut_at_whitespace() -> None:
    clause = "the militants seized ammunition and vehicles near the town, "
    text = "Then " + clause * 60 + "and left."
    sentences = split_sentences(text)
    _assert_invariants(text, sentences)
    assert len(sentences) >= 3
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    # Cut after a comma, the clause boundary, and nothing is lost.
    assert all(s.text.endswith(",") for s in sentences[:-1])
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_long_run_without_whitespace_is_hard_cut() -> None:
    text = "x" * 2500
    sentences = split_sentences(text)
    assert [len(s.text) for s in sentences] == [1000, 1000, 500]
    _assert_invariants(text, sentences)


def test_skip_spans_drop_overlapping_sentences_but_keep_indexes() -> None:
    text = "Headline\n\nShare on Facebook\n\nBody one. Body two.\n\nSource: Wire"
    share = text.index("Share")
    source = text.index("Source")
    sentences = split_sentences(text, skip=[(0, len("Headline")), (share, share + 5), (source, len(text))])
    assert [(s.text, s.paragraph) for s in sentences] == [("Body one.", 2), ("Body two.", 2)]
    # A span ending exactly where a sentence starts does not touch it.
    body = text.index("Body one")
    assert split_sentences(text, skip=[(0, body)])[0].text == "Body one."


def test_paragraph_spans_split_on_blank_lines_with_whitespace() -> None:
    text = "  One.\n \t \nTwo a.\nTwo b.\n\n\n\nThree.  \n"
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["One.", "Two a.\nTwo b.", "Three."]
    assert [s.paragraph for s in split_sentences(text)] == [0, 1, 1, 2]


def test_empty_and_whitespace_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []
    assert paragraph_spans("\n\n") == []
