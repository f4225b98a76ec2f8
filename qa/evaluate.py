"""The eval runner: facts in, per-fact results and a gated summary out.

It drives the same ``Assistant`` users call. The suite file (``eval/suite.json``)
names the facts, the articles to ingest first and the thresholds per answer
mode; a missed threshold makes ``qa eval`` exit non-zero.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qa.assistant import Assistant
from qa.errors import QAError
from qa.scoring import (
    Fact,
    FactScore,
    Summary,
    gate_note,
    missed_thresholds,
    retrieval_ranks,
    score_answer,
    summarise,
)

SUITE_VERSION = 1
DEFAULT_SUITE = Path("eval") / "suite.json"
HIT_K = 5


class EvalError(QAError):
    """The suite, the facts or the thresholds cannot be read."""


@dataclass(frozen=True)
class Suite:
    """What ``qa eval`` runs: facts, the articles they are about, thresholds by mode."""

    facts: Path
    articles: tuple[Path, ...]
    thresholds: Mapping[str, Mapping[str, float]]
    version: int = SUITE_VERSION


def load_suite(path: Path) -> Suite:
    """Read a suite file; paths inside it are relative to the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalError(
            f"no eval suite at {path} - run 'qa eval' from the repository root, or pass --suite, "
            "or --facts and --articles for your own data"
        ) from None
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg}) - fix the file") from None
    base = path.parent
    try:
        return Suite(
            facts=base / data["facts"],
            articles=tuple(base / a for a in data["articles"]),
            thresholds={m: {k: float(v) for k, v in t.items()} for m, t in data["thresholds"].items()},
            version=int(data.get("version", SUITE_VERSION)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EvalError(f"{path}: needs 'facts', 'articles' and 'thresholds' ({exc}) - see eval/README.md") from None


def load_facts(path: Path) -> list[Fact]:
    """Read a JSONL facts file; one clear error per bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalError(f"no facts file at {path} - pass --facts PATH") from None
    facts: list[Fact] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{where}: malformed JSON ({exc.msg}) - one fact per line") from None
        try:
            fact = Fact.from_json(data, where)
        except (ValueError, TypeError, KeyError) as exc:
            raise EvalError(str(exc)) from None
        if fact.id in seen:
            raise EvalError(f"{where}: duplicate fact id {fact.id!r}")
        seen.add(fact.id)
        facts.append(fact)
    if not facts:
        raise EvalError(f"{path}: no facts - write one JSON object per line (see eval/README.md)")
    return facts


@dataclass(frozen=True)
class FactResult:
    """One fact's question, answer and scores, as recorded in the reports."""

    fact: Fact
    answer_text: str
    short: str | None
    refused: bool
    conflict: bool
    citations: list[dict[str, Any]]
    score: FactScore
    rank: int | None  # rank of the first expected article in retrieval
    seconds: float
    mode: str = "extractive"  # who wrote the answer: "extractive", "llm (...)", "extractive (fallback ...)"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupReport:
    """A group of facts gated on its own (``"group"`` in the facts, ``"MODE:GROUP"`` thresholds)."""

    name: str
    summary: Summary
    thresholds: Mapping[str, float]
    missed: list[str]


@dataclass(frozen=True)
class EvalReport:
    """All results plus the summary and the thresholds check (the main group's, then each other group's)."""

    mode: str
    results: list[FactResult]
    summary: Summary
    thresholds: Mapping[str, float]
    missed: list[str]
    groups: tuple[GroupReport, ...] = ()

    @property
    def passed(self) -> bool:
        """True when every threshold of every group is met."""
        return not self.missed and not any(g.missed for g in self.groups)

    @property
    def all_missed(self) -> list[str]:
        """Every missed threshold, an other group's named: "news: answer_accuracy 0.5 < 0.6"."""
        return self.missed + [f"{g.name}: {m}" for g in self.groups for m in g.missed]


Progress = Callable[[int, int], None]


def run_eval(
    assistant: Assistant,
    facts: Sequence[Fact],
    thresholds: Mapping[str, float],
    mode: str = "extractive",
    progress: Progress | None = None,
    group_thresholds: Mapping[str, Mapping[str, float]] | None = None,
) -> EvalReport:
    """Ask every fact's question (with its history) and score the answers.

    Facts of the main group (no ``"group"``) are gated by ``thresholds``; each
    other group by its own ``group_thresholds[name]`` (ungated when it has none).
    """
    texts: dict[str, str] = {}
    results: list[FactResult] = []
    for done, fact in enumerate(facts, start=1):
        started = time.perf_counter()
        answer = assistant.ask(fact.question, history=list(fact.history) or None, mode=mode)
        seconds = time.perf_counter() - started
        for c in answer.citations:
            if c.article_id not in texts:
                texts[c.article_id] = assistant.article(c.article_id).text
        expected = list(fact.cite) or list(dict.fromkeys(i for ids in fact.figures.values() for i in ids))
        rank = None
        if expected:
            standalone = assistant.standalone_question(fact.question, list(fact.history) or None)
            rank = retrieval_ranks(expected, [r.article_id for r in assistant.retrieve(standalone, k=HIT_K * 4)])
        results.append(
            FactResult(
                fact=fact,
                answer_text=answer.text,
                short=answer.short,
                refused=answer.refused,
                conflict=answer.conflict,
                citations=[asdict(c) for c in answer.citations],
                score=score_answer(fact, answer, texts),
                rank=rank,
                seconds=seconds,
                mode=answer.mode,
                notes=tuple(answer.notes),
            )
        )
        if progress:
            progress(done, len(facts))
    names = sorted({f.group for f in facts} - {""})
    main = _summary([r for r in results if not r.fact.group], mode)
    groups = []
    for name in names:
        summary = _summary([r for r in results if r.fact.group == name], mode)
        bounds = (group_thresholds or {}).get(name, {})
        groups.append(GroupReport(name, summary, bounds, missed_thresholds(summary.metrics, bounds)))
    return EvalReport(mode, results, main, thresholds, missed_thresholds(main.metrics, thresholds), tuple(groups))


def _summary(results: Sequence[FactResult], mode: str) -> Summary:
    summary = summarise([r.fact for r in results], [r.score for r in results], [r.rank for r in results], k=HIT_K)
    if mode == "llm":
        # how often the model's own answer passed the checks (the rest fell back to the extractive answer)
        answered = [r for r in results if not r.refused]
        written = sum(1 for r in answered if r.mode.startswith("llm ("))
        summary.metrics["model_written_share"] = written / len(answered) if answered else 0.0
    return summary


# ---- reports ---------------------------------------------------------------


def _status(r: FactResult) -> str:
    return "ok" if r.score.correct and not r.score.why else "FAIL"


def table(report: EvalReport) -> str:
    """The per-fact table and the summary, for the terminal."""
    lines = [f"{'fact':<28} {'category':<13} {'result':<6} answer"]
    for r in report.results:
        shown = "(refused)" if r.refused else (r.short or r.answer_text.splitlines()[0])
        lines.append(f"{r.fact.id[:28]:<28} {r.fact.category:<13} {_status(r):<6} {shown[:60]}")
        if r.score.why:
            lines.append(f"{'':<28} {'':<13} {'':<6} ! {r.score.why}")
    lines.append("")
    lines.extend(_summary_lines(report))
    return "\n".join(lines)


def _summary_lines(report: EvalReport) -> list[str]:
    out = [f"mode: {report.mode}   facts: {report.summary.counts['facts']}"]
    blocks = [(report.summary, report.thresholds)] + [(g.summary, g.thresholds) for g in report.groups]
    for k, (summary, thresholds) in enumerate(blocks):
        if k:
            out.append(f"group {report.groups[k - 1].name}   facts: {summary.counts['facts']}")
        for name, value in summary.metrics.items():
            out.append(f"  {name:<20} {value:.3f}{gate_note(name, value, thresholds.get(name))}")
    out.append("PASSED: every threshold met" if report.passed else "FAILED: " + "; ".join(report.all_missed))
    return out


def to_json(report: EvalReport) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return {
        "suite_version": SUITE_VERSION,
        "mode": report.mode,
        "passed": report.passed,
        "missed": report.all_missed,
        "metrics": report.summary.metrics,
        "thresholds": dict(report.thresholds),
        "counts": report.summary.counts,
        "groups": {
            g.name: {"metrics": g.summary.metrics, "thresholds": dict(g.thresholds), "counts": g.summary.counts}
            for g in report.groups
        },
        "facts": [
            {
                "id": r.fact.id,
                "version": r.fact.version,
                "category": r.fact.category,
                "group": r.fact.group,
                "question": r.fact.question,
                "ok": _status(r) == "ok",
                "why": r.score.why,
                "answer": r.answer_text,
                "short": r.short,
                "refused": r.refused,
                "conflict": r.conflict,
                "retrieval_rank": r.rank,
                "answered_by": r.mode,
                "notes": list(r.notes),
                "seconds": round(r.seconds, 4),
                "citations": r.citations,
                "score": asdict(r.score),
            }
            for r in report.results
        ],
    }


def to_markdown(report: EvalReport) -> str:
    """A Markdown report: summary table, then one row per fact."""
    lines = [f"# Eval report ({report.mode})", ""]
    blocks = [("", report.summary, report.thresholds)] + [(g.name, g.summary, g.thresholds) for g in report.groups]
    for group, summary, thresholds in blocks:
        lines += [f"Group {group}:", ""] if group else []
        lines += ["| metric | value | threshold |", "|---|---|---|"]
        for name, value in summary.metrics.items():
            bound = thresholds.get(name)
            lines.append(f"| {name} | {value:.3f} | {'' if bound is None else bound} |")
        lines.append("")
    lines += ["**PASSED**" if report.passed else "**FAILED**: " + "; ".join(report.all_missed), ""]
    lines += ["| fact | category | result | answer | problem |", "|---|---|---|---|---|"]
    for r in report.results:
        shown = "(refused)" if r.refused else (r.short or r.answer_text.splitlines()[0])
        cell = shown.replace("|", "\\|").replace("\n", " ")[:80]
        lines.append(f"| {r.fact.id} | {r.fact.category} | {_status(r)} | {cell} | {r.score.why} |")
    return "\n".join(lines) + "\n"


def write_reports(report: EvalReport, json_path: Path, md_path: Path) -> None:
    """Write the JSON and Markdown reports (directories created as needed)."""
    for path in (json_path, md_path):
        path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(to_markdown(report), encoding="utf-8")
