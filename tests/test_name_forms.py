"""A name asked in another form than the article's ("the Huguenots" / "Huguenot settlers") is still met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.assistant import Assistant

TEXT = (
    "Religious refugees arrived from La Rochelle in the 1680s. A group of Huguenot settlers bought the land "
    "from a local landowner and founded the town of New Rochelle in 1688, the historian wrote. "
    "Many of their descendants still live there."
)


@pytest.fixture
def history(make_assistant: object, tmp_path: Path) -> Assistant:
    folder = tmp_path / "articles"
    folder.mkdir()
    record = {"id": "history", "title": "A town's founders", "source": "Valley Gazette", "text": TEXT}
    (folder / "history.json").write_text(json.dumps(record))
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assistant.ingest([folder])
    return assistant


def test_a_plural_name_is_met_by_its_singular(history: Assistant) -> None:
    answer = history.ask("In what year did the Huguenots found New Rochelle?")
    assert not answer.refused and answer.short == "1688", answer.text


def test_a_name_the_article_never_gives_is_still_missing(history: Assistant) -> None:
    answer = history.ask("In what year did the Walloons found New Rochelle?")
    assert answer.refused, answer.text
    assert any("Walloons" in note for note in answer.notes), answer.notes
