"""Where `qa eval` writes its reports: a build folder unless asked, so `make test` leaves the tree clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa import cli

ROOT = Path(__file__).resolve().parent.parent
ONE_FACT = "besieged-sukhna"


@pytest.fixture
def one_fact_suite(tmp_path: Path) -> Path:
    """A suite of one bundled fact on the sample articles, in a folder of its own."""
    folder = tmp_path / "suite"
    folder.mkdir()
    lines = (ROOT / "eval" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "facts.jsonl").write_text(next(x for x in lines if json.loads(x)["id"] == ONE_FACT) + "\n")
    suite = json.loads((ROOT / "eval" / "suite.json").read_text(encoding="utf-8"))
    suite.update(facts="facts.jsonl", articles=[str(ROOT / "qa" / "samples" / "articles")])
    (folder / "suite.json").write_text(json.dumps(suite))
    return folder / "suite.json"


def test_reports_go_to_build_eval_by_default_not_beside_the_suite(
    one_fact_suite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "checkout"
    work.mkdir()
    monkeypatch.chdir(work)

    code = cli.main(["eval", "--suite", str(one_fact_suite)])

    assert code == 0
    assert sorted(p.name for p in (work / "build" / "eval").iterdir()) == ["extractive.json", "extractive.md"]
    assert json.loads((work / "build" / "eval" / "extractive.json").read_text())["passed"] is True
    assert not (one_fact_suite.parent / "reports").exists()
    assert "reports: build/eval/extractive.json build/eval/extractive.md" in capsys.readouterr().out


def test_report_dir_puts_the_reports_where_asked(one_fact_suite: Path, tmp_path: Path) -> None:
    published = tmp_path / "eval" / "reports"

    code = cli.main(["eval", "--suite", str(one_fact_suite), "--report-dir", str(published)])

    assert code == 0
    assert "# Eval report (extractive)" in (published / "extractive.md").read_text()
    assert json.loads((published / "extractive.json").read_text())["mode"] == "extractive"
