"""SQuAD-format evaluation: scoring the SQuAD way, and qa eval --squad end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.squad import SquadError, SquadQuestion, load_squad, normalize, score, token_f1
from qa.types import Answer, Citation


def test_normalisation_and_token_f1_follow_squad() -> None:
    assert normalize("The  Eiffel Tower!") == "eiffel tower"
    assert token_f1("the Eiffel Tower", "Eiffel Tower") == 1.0
    assert token_f1("Paris, France", "France") == pytest.approx(2 / 3)
    assert token_f1("London", "Paris") == 0.0


def _answer(text: str, quote: str, short: str | None, refused: bool = False) -> Answer:
    cites = [] if refused else [Citation(1, "a", quote, 0, len(quote))]
    return Answer("q", text, refused, False, cites, short=short)


def test_found_and_cited_needs_the_gold_answer_in_the_answer_and_in_a_quote() -> None:
    q = SquadQuestion("1", "When?", "a", ("1964",))
    quote = "The orchestra toured Japan in 1964."
    assert score(q, _answer(f"1964 [1].\n• “{quote}” [1]", quote, "1964"), 0.1).found_and_cited
    other = "The orchestra toured Japan."
    assert not score(q, _answer(f"1964 [1].\n• “{other}” [1]", other, "1964"), 0.1).found_and_cited
    refused = score(q, _answer("not in the articles", "", None, refused=True), 0.1)
    assert refused.refused and not refused.found_and_cited and refused.f1 == 0.0


def test_a_file_that_is_not_squad_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": [{"title": "x"}]}', encoding="utf-8")
    with pytest.raises(SquadError, match="not in SQuAD format"):
        load_squad(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(SquadError, match="malformed JSON"):
        load_squad(bad)


def _squad_file(path: Path) -> Path:
    data = {
        "version": "v2.0",
        "data": [
            {
                "title": "Larkspur_Orchestra",
                "paragraphs": [
                    {
                        "context": "The Larkspur Orchestra was founded in 1921 by the cellist Mirela Dobos. "
                        "It first toured Japan in 1964, playing twelve concerts in three weeks.",
                        "qas": [
                            {"id": "q1", "question": "When did the Larkspur Orchestra first tour Japan?",
                             "answers": [{"text": "1964", "answer_start": 0}], "is_impossible": False},
                            {"id": "q2", "question": "Who founded the Larkspur Orchestra?",
                             "answers": [{"text": "Mirela Dobos", "answer_start": 0}], "is_impossible": False},
                            {"id": "q3", "question": "When did the Larkspur Orchestra first tour Brazil in 1990?",
                             "answers": [], "is_impossible": True},
                        ],
                    }
                ],
            },
            {
                "title": "Vell_Ferry",
                "paragraphs": [
                    {
                        "context": "The ferry to Vell resumed service in March after the harbour wall was rebuilt. "
                        "The first crossing carried 312 passengers.",
                        "qas": [],
                    }
                ],
            },
        ],
    }  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_qa_eval_squad_ingests_the_paragraphs_and_scores_the_answers(tmp_path: Path) -> None:
    squad = _squad_file(tmp_path / "mini.json")
    report = tmp_path / "squad.json"
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "--home", str(tmp_path / "home"), "eval", "--squad", str(squad),
         "--suite", str(tmp_path / "none.json"), "--json-out", str(report)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "squad: 3 questions (2 answerable, 1 not)" in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["q1"]["found_and_cited"] and "1964" in by_id["q1"]["short"]
    assert by_id["q2"]["found_and_cited"] and by_id["q2"]["short"] == "Mirela Dobos"
    assert by_id["q3"]["refused"]  # the year it asks about is in no article
    assert data["metrics"]["found_and_cited"] == 1.0 and data["metrics"]["unanswerable_refused"] == 1.0
