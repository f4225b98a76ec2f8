"""Metadata and page debris found in article text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.metadata import Metadata, extract_metadata, normalize_date, parse_date

SAMPLES = Path(__file__).resolve().parent.parent / "qa" / "samples" / "articles"


def _sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def _debris(text: str, meta: Metadata) -> list[str]:
    return [text[start:end] for start, end in meta.boilerplate]


def _assert_whole_lines(text: str, meta: Metadata) -> None:
    lines = text.splitlines()
    for start, end in meta.boilerplate:
        assert start == 0 or text[start - 1] in "\r\n"
        assert end == len(text) or text[end] in "\r\n"
        assert text[start:end] in lines


def test_sample_000_metadata_and_debris() -> None:
    text = _sample("000_db5433082a11908e.txt")
    meta = extract_metadata(text)
    assert meta.title == "Scores of Syrian regime troops killed in Daesh, HTS attacks"
    assert meta.published == "2019-04-20T16:37"
    assert meta.source is None
    assert _debris(text, meta) == [
        "Scores of Syrian regime troops killed in Daesh, HTS attacks",
        "Published 20.04.2019 16:37",
        text.splitlines()[-1],
    ]
    assert text.splitlines()[-1].startswith("Share on Facebook Share on Twitter")
    _assert_whole_lines(text, meta)


def test_sample_003_metadata_and_debris() -> None:
    text = _sample("003_4097ccc5a1db7ed0.txt")
    meta = extract_metadata(text)
    assert meta.title == "Separate militant attacks kill nearly 50 Syrian soldiers"
    assert meta.source == "The Washington Post"
    assert meta.published is None
    debris = _debris(text, meta)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] in debris  # the site name above the headline
    assert "Separate militant attacks kill nearly 50 Syrian soldiers" in debris
    assert lines[-1].startswith("Source: ") and lines[-1] in debris
    assert len(debris) == 3
    _assert_whole_lines(text, meta)


@pytest.mark.parametrize("name", ["000_db5433082a11908e.txt", "003_4097ccc5a1db7ed0.txt"])
def test_body_paragraphs_are_never_debris(name: str) -> None:
    text = _sample(name)
    debris = set(_debris(text, extract_metadata(text)))
    body = [line for line in text.splitlines() if len(line) > 120]
    assert body and not debris.intersection(body)


def test_general_debris_lines() -> None:
    text = (
        "# Rebels seize airport in the north\n"
        "By Jane Doe and John Smith\n"
        "Updated April 21, 2019 at 9:05 am\n"
        "Tweet\n"
        "\n"
        "Rebels seized the airport on Sunday. Officials confirmed the report.\n"
        "Advertisement\n"
        "Print media in the region has declined since the war began.\n"
        "Read more: Five things to know about the conflict\n"
        "Follow us on Twitter\n"
        "URL: https://news.example.com/rebels-airport\n"
    )
    meta = extract_metadata(text)
    assert meta.title == "Rebels seize airport in the north"
    assert meta.url == "https://news.example.com/rebels-airport"
    assert meta.published == "2019-04-21T09:05"
    debris = _debris(text, meta)
    assert debris == [
        "# Rebels seize airport in the north",
        "By Jane Doe and John Smith",
        "Updated April 21, 2019 at 9:05 am",
        "Tweet",
        "Advertisement",
        "Read more: Five things to know about the conflict",
        "Follow us on Twitter",
        "URL: https://news.example.com/rebels-airport",
    ]
    _assert_whole_lines(text, meta)


def test_sentences_that_start_like_debris_are_body() -> None:
    text = (
        "Headline here\n\n"
        "By the end of the week the roads were open again.\n\n"
        "Share prices fell 3% on the news.\n\n"
        "Posted 20 soldiers to the border on 20.04.2019, the army said in a long statement today.\n"
    )
    debris = _debris(text, extract_metadata(text))
    assert debris == ["Headline here"]


def test_crlf_spans_exclude_line_breaks() -> None:
    text = "Title line\r\nPublished 2019-04-20\r\n\r\nBody sentence one. Body two.\r\n"
    meta = extract_metadata(text)
    assert _debris(text, meta) == ["Title line", "Published 2019-04-20"]
    assert meta.published == "2019-04-20"


def test_long_first_paragraph_is_not_a_title() -> None:
    text = "Troops advanced overnight. Officials said more were coming. " * 3 + "\n\nMore text.\n"
    meta = extract_metadata(text)
    assert meta.title is None
    assert meta.boilerplate == ()


def test_known_title_marks_its_line_only() -> None:
    text = "World\nBig news today\n\nThe body starts here and goes on.\n"
    meta = extract_metadata(text, title="Big News Today")
    assert meta.title == "Big News Today"
    assert _debris(text, meta) == ["World", "Big news today"]


def test_source_footer_with_other_dashes() -> None:
    text = "Some headline\n\nBody text of the story.\n\nSource: Some headline | Reuters\n"
    meta = extract_metadata(text)
    assert (meta.title, meta.source) == ("Some headline", "Reuters")
    assert _debris(text, meta)[-1] == "Source: Some headline | Reuters"


def test_front_matter_fields_and_spans() -> None:
    text = '---\ntitle: "Front title"\ndate: 2019-04-20\nsource: AP\n---\n\nBody of the text here.\n'
    meta = extract_metadata(text)
    assert (meta.title, meta.published, meta.source) == ("Front title", "2019-04-20", "AP")
    assert "Body of the text here." not in _debris(text, meta)
    assert _debris(text, meta)[0] == "---"


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Published 20.04.2019 16:37", "2019-04-20T16:37"),
        ("20.04.2019", "2019-04-20"),
        ("03.04.2019", "2019-04-03"),  # day-first, not March 4th
        ("2019-04-20", "2019-04-20"),
        ("2019-04-20T16:37:05+0200", "2019-04-20T16:37:05+02:00"),
        ("April 20, 2019", "2019-04-20"),
        ("Apr. 20, 2019 4:37 PM", "2019-04-20T16:37"),
        ("20 April 2019", "2019-04-20"),
        ("Sat, 20 Apr 2019 16:37:00 GMT", "2019-04-20T16:37:00Z"),
        ("13/04/2019", "2019-04-13"),
        ("04/05/2019", None),  # April or May: no guess
        ("31.02.2019", None),
        ("no date here", None),
    ],
)
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_normalize_date_needs_the_whole_value() -> None:
    assert normalize_date("Saturday, April 20, 2019") == "2019-04-20"
    assert normalize_date("April 20, 2019 and then some") is None
