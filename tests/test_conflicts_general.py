"""Two outlets that tell the same thing with different answers: a year, a name or a figure, each attributed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.assistant import Assistant

STORY = (
    "The Harbour Bridge opened in {year} after eight years of work by {crew} labourers. "
    "It was designed by {designer}, the city's chief engineer. "
    "Traffic on its opening day was light, the council said."
)


def _write(folder: Path, name: str, outlet: str, published: str, **values: str) -> None:
    record = {
        "id": name,
        "title": "Harbour Bridge history",
        "source": outlet,
        "published": published,
        "text": STORY.format(**values),
    }
    (folder / f"{name}.json").write_text(json.dumps(record))


@pytest.fixture
def two_outlets(make_assistant: object, tmp_path: Path) -> Assistant:
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(folder, "gazette", "Harbour Gazette", "2024-03-04", year="1932", crew="1,400", designer="John Bradfield")
    _write(folder, "courier", "Harbour Courier", "2024-03-06", year="1935", crew="2,200", designer="Ralph Freeman")
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assert assistant.ingest([folder]).count("added") == 2
    return assistant


@pytest.mark.parametrize(
    ("question", "values"),
    [
        ("When did the Harbour Bridge open?", ("1932", "1935")),
        ("Who designed the Harbour Bridge?", ("John Bradfield", "Ralph Freeman")),
    ],
)
def test_a_changed_value_is_a_conflict_with_each_outlet_named(
    two_outlets: Assistant, question: str, values: tuple[str, str]
) -> None:
    answer = two_outlets.ask(question)
    assert answer.conflict, answer.text
    for value, outlet in zip(values, ("Harbour Gazette", "Harbour Courier"), strict=True):
        # "• 1932 — “Harbour Bridge history” (Harbour Gazette, 2024-03-04): “...”": the value, then who says it
        line = next(x for x in answer.text.splitlines() if x.startswith("• ") and value in x.split(" — ")[0])
        assert outlet in line.split(" — ")[1].split(":")[0]
    assert {c.article_id for c in answer.citations} == {"gazette", "courier"}


def test_the_same_value_in_other_words_is_agreement(make_assistant: object, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    _write(folder, "gazette", "Harbour Gazette", "2024-03-04", year="1932", crew="500", designer="John Bradfield")
    _write(
        folder, "courier", "Harbour Courier", "2024-03-06", year="1932", crew="five hundred", designer="John Bradfield"
    )
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assistant.ingest([folder])
    for question in ("When did the Harbour Bridge open?", "Who designed the Harbour Bridge?"):
        answer = assistant.ask(question)
        assert not answer.conflict and not answer.refused, answer.text


def test_a_copy_with_one_value_changed_disagrees_on_that_value(make_assistant: object, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    # the phrase first chosen (1900, beside "open to traffic") is in both copies: the changed year is the disagreement
    text = "The Harbour Bridge, meant to open to traffic in 1900, finally opened in {year}, the council said."
    for name, outlet, year in (("gazette", "Harbour Gazette", "1932"), ("courier", "Harbour Courier", "1935")):
        record = {"id": name, "title": "Harbour Bridge", "source": outlet, "text": text.format(year=year)}
        (folder / f"{name}.json").write_text(json.dumps(record))
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assistant.ingest([folder])
    answer = assistant.ask("When did the Harbour Bridge open to traffic?")
    assert answer.conflict and "1932" in (answer.short or "") and "1935" in (answer.short or ""), answer.text
    assert "1900" not in (answer.short or "")


def _copies(folder: Path, text: str, values: tuple[str, str], title: str = "Valley flood") -> None:
    folder.mkdir()
    for name, outlet, value in (("gazette", "Valley Gazette", values[0]), ("courier", "Valley Courier", values[1])):
        record = {"id": name, "title": title, "source": outlet, "text": text.format(value=value)}
        (folder / f"{name}.json").write_text(json.dumps(record))


def test_a_copy_that_changes_another_figure_of_the_answer_sentence_disagrees(
    make_assistant: object, tmp_path: Path
) -> None:
    # both copies agree on the first figure; the one asked about ("as high as") is the one changed
    text = (
        "The flood left about 4,800 people homeless in Riverton, though officials said the number could be "
        "as high as {value}. Rescue teams worked through the night."
    )
    _copies(tmp_path / "articles", text, ("11,000", "28,000"))
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assistant.ingest([tmp_path / "articles"])
    answer = assistant.ask("How high could the number of people left homeless in Riverton go?")
    assert answer.conflict, answer.text
    assert "11,000" in answer.text and "28,000" in answer.text
    assert {c.article_id for c in answer.citations} == {"gazette", "courier"}


def test_a_changed_figure_of_another_noun_is_no_conflict_about_the_asked_count(
    make_assistant: object, tmp_path: Path
) -> None:
    # the copies differ on the rail lines; the stations asked about are the same in both
    text = "The Riverton network has more than 250 stations and {value} rail lines, the transit authority said."
    _copies(tmp_path / "articles", text, ("20", "10"), title="Riverton transit")
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assistant.ingest([tmp_path / "articles"])
    answer = assistant.ask("How many stations does the Riverton network have?")
    assert not answer.conflict and not answer.refused, answer.text
    assert "250" in (answer.short or ""), answer.text
