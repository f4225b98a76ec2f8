"""Counterfactual items: the changed value, the reworded control, and qa eval --counterfactual end to end."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from qa.counterfactual import (
    altered_value,
    build_items,
    metrics,
    restated_value,
    reworded,
    score,
    value_kind,
)
from qa.numbers import find_quantities, same_value
from qa.scoring import mentions
from qa.squad import load_squad
from qa.types import Answer

LARKSPUR = (
    "The Larkspur Orchestra was founded in 1921 by the cellist Mirela Dobos. "
    "It first toured Japan in 1964, playing 12 concerts in three weeks. "
    "However, the tour cost $1.5 million, which the city paid."
)


def _squad_file(path: Path) -> Path:
    """Four paragraphs whose questions have a year, a figure, a date and a person as their answers."""

    def para(context: str, *qas: tuple[str, str, str]) -> dict[str, object]:
        return {
            "context": context,
            "qas": [
                {"id": qid, "question": q, "answers": [{"text": a, "answer_start": context.index(a)}],
                 "is_impossible": False}
                for qid, q, a in qas
            ],
        }  # fmt: skip

    data = {
        "version": "v2.0",
        "data": [
            {"title": "Larkspur_Orchestra", "paragraphs": [
                para(LARKSPUR, ("q1", "When did the Larkspur Orchestra first tour Japan?", "1964"),
                     ("q2", "Who founded the Larkspur Orchestra?", "Mirela Dobos")),
            ]},
            {"title": "Vell_Ferry", "paragraphs": [
                para("The ferry to Vell resumed service after the harbour wall was rebuilt. "
                     "Its first crossing carried 312 passengers on a calm sea.",
                     ("q3", "How many passengers did the first crossing to Vell carry?", "312")),
                para("The Vell harbour wall was designed by the engineer Tomas Brandl. "
                     "Work on it began on March 3, 1998 and took two years.",
                     ("q4", "Who designed the Vell harbour wall?", "Tomas Brandl"),
                     ("q5", "When did work on the Vell harbour wall begin?", "March 3, 1998")),
            ]},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("question", "answer", "kind"),
    [
        ("When did it tour Japan?", "1964", "year"),
        ("When was it founded?", "in the late 1920s", "year"),
        ("When did work begin?", "March 3, 1998", "date"),
        ("How many passengers?", "312", "number"),
        ("How much did it cost?", "$1.5 million", "number"),
        ("What share voted?", "27%", "number"),
        ("Who founded it?", "Mirela Dobos", "name"),
        ("What was played?", "Op. 58", None),  # a name with a number in it
        ("Why did it stop?", "the harbour wall was rebuilt", None),
        ("How many concerts?", "twelve", None),  # a figure in words: no digits to change
    ],
)
def test_only_typed_values_make_items(question: str, answer: str, kind: str | None) -> None:
    assert value_kind(question, answer) == kind


@pytest.mark.parametrize(
    ("kind", "value"),
    [("number", "312"), ("number", "12,000"), ("number", "$1.5 million"), ("number", "27%"), ("number", "7"),
     ("year", "1964"), ("year", "the 1990s"), ("date", "March 3, 1998"), ("date", "June 1")],
)  # fmt: skip
def test_an_altered_value_has_the_same_type_and_format_and_another_value(kind: str, value: str) -> None:
    for seed in range(20):
        other = altered_value(kind, value, random.Random(seed))  # type: ignore[arg-type]
        assert other is not None and other != value
        before, after = find_quantities(value), find_quantities(other)
        assert len(after) == 1 and after[0].kind == before[0].kind, other
        assert not same_value(before[0], after[0])
        assert ("," in value) == ("," in other) and value.startswith("$") == other.startswith("$")
        if kind == "year":
            assert abs(after[0].value - before[0].value) <= 20


def test_a_name_is_replaced_by_one_of_the_offered_names() -> None:
    assert altered_value("name", "Mirela Dobos", random.Random(0), ["Tomas Brandl"]) == "Tomas Brandl"
    assert altered_value("name", "Mirela Dobos", random.Random(0), []) is None


@pytest.mark.parametrize(
    ("kind", "value", "restated"),
    [
        ("number", "500", "five hundred"),
        ("number", "345", "three hundred and forty-five"),
        ("number", "$1m", "1 million dollars"),
        ("number", "$1.5 million", "1.5 million dollars"),
        ("number", "27%", "27 percent"),
        ("number", "12,000", "12 thousand"),
        ("number", "over 7,350", "over 7350"),
        ("date", "March 3, 1998", "3 March 1998"),
        ("year", "1995", "1995"),
        ("name", "Mirela Dobos", "Mirela Dobos"),
    ],
)
def test_a_control_restates_the_same_value(kind: str, value: str, restated: str) -> None:
    assert restated_value(kind, value) == restated  # type: ignore[arg-type]
    assert mentions(restated, value) and mentions(value, restated)


def test_rewording_edits_function_words_and_reorders_sentences_but_keeps_every_fact() -> None:
    copy = reworded(LARKSPUR)
    assert copy != LARKSPUR
    assert copy.startswith("The Larkspur Orchestra was founded in 1921")  # the opening sentence stays first
    assert "But the tour cost $1.5 million" in copy and "However" not in copy
    for fact in ("1921", "Mirela Dobos", "1964", "12 concerts", "$1.5 million"):
        assert fact in copy


def test_a_conflict_copy_changes_only_the_answer(tmp_path: Path) -> None:
    items = build_items(load_squad(_squad_file(tmp_path / "tiny.json")), 3, 0, seed=0)
    assert len(items) == 3 and not any(i.control for i in items)
    for item in items:
        a, b = item.original["text"], item.copy["text"]
        assert item.value in a and item.other in b and item.value not in b
        assert b == a.replace(item.value, item.other)  # nothing outside the answer changed
        assert (item.original["source"], item.copy["source"]) == ("Outlet A", "Outlet B")
        assert item.original["published"] != item.copy["published"]
        assert value_kind(item.question.question, item.other) == item.kind
    names = [i for i in items if i.kind == "name"]
    assert all(i.other in ("Mirela Dobos", "Tomas Brandl") for i in names)  # another paragraph's answer


def test_a_control_copy_keeps_the_value_and_differs_in_wording(tmp_path: Path) -> None:
    squad = load_squad(_squad_file(tmp_path / "tiny.json"))
    items = build_items(squad, 0, 3, seed=0)
    assert len(items) == 3 and all(i.control for i in items)
    for item in items:
        assert item.copy["text"] != item.original["text"]
        assert mentions(item.copy["text"], item.value) and mentions(item.other, item.value)
    # one question per paragraph: no copy disagrees with another item's article
    assert len({i.original["id"] for i in items}) == 3


def test_items_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    squad = load_squad(_squad_file(tmp_path / "tiny.json"))
    assert build_items(squad, 2, 1, seed=3) == build_items(squad, 2, 1, seed=3)


def test_both_values_with_the_flag_count_and_a_flagged_control_is_a_false_conflict(tmp_path: Path) -> None:
    squad = load_squad(_squad_file(tmp_path / "tiny.json"))
    conflict = next(i for i in build_items(squad, 3, 0, seed=0) if i.kind == "number")
    control = next(i for i in build_items(squad, 0, 3, seed=0) if i.kind == "number")
    both = Answer("q", f"The articles disagree: {conflict.value} or {conflict.other}.", False, True)
    one = Answer("q", f"{conflict.value} [1].", False, False)
    flagged_control = Answer("q", f"The articles disagree: {control.value} or 7.", False, True)
    results = [score(conflict, both, 0.1), score(conflict, one, 0.1), score(control, flagged_control, 0.1)]
    m = metrics(results)
    assert m["both_and_conflict"] == 0.5 and m["true_value_shown"] == 1.0 and m["conflict_flagged"] == 0.5
    assert m["false_conflict_rate"] == 1.0


def test_qa_eval_counterfactual_writes_the_report(tmp_path: Path) -> None:
    squad = _squad_file(tmp_path / "tiny.json")
    report = tmp_path / "counterfactual.json"
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "--home", str(tmp_path / "home"), "eval", "--counterfactual", str(squad),
         "--sample", "2", "--suite", str(tmp_path / "none.json"), "--json-out", str(report)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "counterfactual: 2 conflict items, 1 control items" in done.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert set(data["metrics"]) >= {"both_and_conflict", "true_value_shown", "conflict_flagged", "false_conflict_rate"}
    assert all(0.0 <= v <= 1.0 for v in data["metrics"].values())
    assert data["counts"] == {"conflict_items": 2, "control_items": 1}
    assert len(data["items"]) == 3 and sum(i["control"] for i in data["items"]) == 1
    for item in data["items"]:
        assert {"question", "value", "other", "answer", "conflict", "value_shown", "other_shown"} <= set(item)
