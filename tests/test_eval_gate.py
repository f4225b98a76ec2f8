"""The eval gate: passes on the real answerer, fails when the answerer is broken."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import qa.extractive
from qa import cli
from qa.evaluate import load_facts, load_suite
from qa.types import Answer

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "eval" / "suite.json"
# a small, mixed slice of the bundled facts keeps this test quick; `qa eval` in CI runs them all
SLICE = ("besieged-sukhna", "aleppo-attack-toll", "australia-capital", "civilians-aleppo", "deir-raid-toll")


@pytest.fixture
def small_suite(tmp_path: Path) -> Path:
    facts = [
        line for line in (ROOT / "eval" / "facts.jsonl").read_text().splitlines() if json.loads(line)["id"] in SLICE
    ]
    assert len(facts) == len(SLICE)
    (tmp_path / "facts.jsonl").write_text("\n".join(facts) + "\n")
    suite = json.loads(SUITE.read_text())
    suite["facts"] = "facts.jsonl"
    suite["articles"] = [str(ROOT / "qa" / "samples" / "articles"), str(ROOT / "eval" / "articles")]
    (tmp_path / "suite.json").write_text(json.dumps(suite))
    return tmp_path / "suite.json"


def run_eval(suite: Path, tmp_path: Path) -> tuple[int, dict[str, object]]:
    out = tmp_path / "report.json"
    code = cli.main(["eval", "--suite", str(suite), "--json-out", str(out), "--md-out", str(tmp_path / "r.md")])
    return code, json.loads(out.read_text())


def test_bundled_suite_loads_with_the_issue_thresholds() -> None:
    suite = load_suite(SUITE)
    gate = suite.thresholds["extractive"]
    assert gate["answer_accuracy"] >= 0.9
    assert gate["citation_precision"] == 1.0
    assert gate["refusal_accuracy"] == 1.0
    assert gate["hit@5"] >= 0.95
    facts = load_facts(suite.facts)
    assert len(facts) >= 40
    assert sum(f.category == "unanswerable" for f in facts) >= 8


def test_gate_passes_with_the_real_answerer(small_suite: Path, tmp_path: Path) -> None:
    code, report = run_eval(small_suite, tmp_path)
    assert code == 0, report["missed"]
    assert report["passed"] is True


def test_a_group_of_facts_is_gated_by_its_own_thresholds(tmp_path: Path) -> None:
    lines = (ROOT / "eval" / "facts.jsonl").read_text().splitlines()
    news = [line for line in lines if json.loads(line).get("group") == "news"][:3]
    main = [line for line in lines if json.loads(line)["id"] in SLICE[:2]]
    (tmp_path / "facts.jsonl").write_text("\n".join(main + news) + "\n")
    suite = json.loads(SUITE.read_text())
    suite["facts"] = "facts.jsonl"
    suite["articles"] = [str(ROOT / "qa" / "samples" / "articles"), str(ROOT / "eval" / "articles")]
    suite["thresholds"] = {"extractive": {"hit@5": 0.5}, "extractive:news": {"answer_accuracy": 1.01}}  # unmeetable
    (tmp_path / "suite.json").write_text(json.dumps(suite))
    code, report = run_eval(tmp_path / "suite.json", tmp_path)
    assert code == 1
    assert report["missed"] == [
        f"news: answer_accuracy {report['groups']['news']['metrics']['answer_accuracy']:.3f} < 1.01"
    ]
    assert report["counts"]["facts"] == 2 and report["groups"]["news"]["counts"]["facts"] == 3  # type: ignore[index]


def test_the_bundled_facts_reach_beyond_the_war_reports() -> None:
    facts = load_facts(load_suite(SUITE).facts)
    news = [f for f in facts if f.group == "news"]
    assert len(news) >= 30 and len({c for f in news for c in f.cite}) >= 6
    assert "extractive:news" in load_suite(SUITE).thresholds and "llm:news" in load_suite(SUITE).thresholds


def test_gate_fails_when_citations_are_dropped(
    small_suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = qa.extractive.answer_from_evidence

    def no_citations(*args: object, **kwargs: object) -> Answer:
        return replace(real(*args, **kwargs), citations=[])  # type: ignore[arg-type]

    monkeypatch.setattr(qa.extractive, "answer_from_evidence", no_citations)
    code, report = run_eval(small_suite, tmp_path)
    assert code == 1
    assert any("citation_recall" in m for m in report["missed"])  # type: ignore[union-attr]


def test_gate_fails_when_it_answers_instead_of_refusing(
    small_suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = qa.extractive.answer_from_evidence

    def never_refuses(question: object, evidence: list[object], top_k: int, general: bool = False) -> Answer:
        answer = real(question, evidence, top_k, general=general)  # type: ignore[arg-type]
        if answer.refused:
            return replace(answer, refused=False, text="Canberra.")
        return answer

    monkeypatch.setattr(qa.extractive, "answer_from_evidence", never_refuses)
    code, report = run_eval(small_suite, tmp_path)
    assert code == 1
    assert any("refusal_accuracy" in m for m in report["missed"])  # type: ignore[union-attr]


def test_malformed_facts_line_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text('{"id": "a", "category": "single", "question": "Q?", "accept": ["1"]}\n{oops\n')
    code = cli.main(
        ["eval", "--suite", str(tmp_path / "none.json"), "--facts", str(facts), "--articles", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{facts}:2: malformed JSON" in err and "Traceback" not in err
