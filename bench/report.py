"""Results JSON -> the tables in bench/README.md and the plot bench/results.png."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent / "README.md"
PLOT = Path(__file__).resolve().parent / "results.png"

Row = tuple[str, Callable[[dict[str, Any]], Any], str]


def _get(size: dict[str, Any], *path: str) -> Any:
    value: Any = size
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _p(size: dict[str, Any], name: str) -> str:
    got = _get(size, "queries", name)
    return "-" if not got else f"{got['p50']:.1f} / {got['p95']:.1f}"


def _peak(size: dict[str, Any]) -> float | None:
    values = [v for v in (_get(size, "ingest", "peak_rss_mb"), _get(size, "queries", "peak_rss_mb")) if v is not None]
    return max(values) if values else None


ROWS: list[Row] = [
    ("chunks", lambda s: _fmt(s["chunks"]), ""),
    ("articles", lambda s: _fmt(s["articles"]), ""),
    ("ingest: articles/s", lambda s: _fmt(_get(s, "ingest", "articles_per_s"), 2), ""),
    ("ingest: embedded tokens/s", lambda s: _fmt(_get(s, "ingest", "tokens_per_s")), ""),
    ("embedder alone: tokens/s (same text)", lambda s: _fmt(_get(s, "ingest", "raw_tokens_per_s")), ""),
    ("ingest / embedder alone", lambda s: _fmt(_get(s, "ingest", "ratio_to_raw"), 3), "≥ 0.85"),
    ("re-ingest, nothing changed (s)", lambda s: _fmt(_get(s, "ingest", "reingest_unchanged_s"), 2), ""),
    ("dense retrieval p50 / p95 (ms)", lambda s: _p(s, "dense"), ""),
    ("BM25 retrieval p50 / p95 (ms)", lambda s: _p(s, "bm25"), ""),
    ("hybrid retrieval p50 / p95 (ms)", lambda s: _p(s, "hybrid"), "p95 ≤ 50 at 100k"),
    ("extractive answer p50 / p95 (ms)", lambda s: _p(s, "answer"), "p95 ≤ 150 at 100k"),
    ("… first pass only, articles read afresh (ms)", lambda s: _p(s, "answer_first"), ""),
    ("CLI cold start to first answer (s, median)", lambda s: _fmt(_get(s, "cold_cli", "median_s"), 2), "≤ 3"),
    ("UI cold start to first answer (s, median)", lambda s: _fmt(_get(s, "cold_ui", "median_s"), 2), ""),
    ("peak memory, ingest (MiB)", lambda s: _fmt(_get(s, "ingest", "peak_rss_mb")), ""),
    ("peak memory, questions (MiB)", lambda s: _fmt(_get(s, "queries", "peak_rss_mb")), ""),
    ("peak memory, max (MiB)", lambda s: _fmt(_peak(s)), "≤ 1,536 at 100k"),
]


def _size_name(target: int) -> str:
    return f"{target // 1000}k" if target >= 1000 and target % 1000 == 0 else str(target)


def results_table(data: dict[str, Any]) -> str:
    """Metrics as rows, corpus sizes as columns, targets last."""
    sizes = data["sizes"]
    head = "| | " + " | ".join(_size_name(s["target"]) + " chunks" for s in sizes) + " | target |"
    rule = "|---|" + "---:|" * len(sizes) + "---|"
    lines = [head, rule]
    for name, value, target in ROWS:
        lines.append(f"| {name} | " + " | ".join(value(s) for s in sizes) + f" | {target} |")
    m = data["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    lines += [
        "",
        f"Measured {data['date']} at commit {data['commit']} on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB, {m['os']}, Python {m['python']}; {packages}.",
    ]
    return "\n".join(lines)


COMPARED: list[tuple[str, tuple[str, ...], int]] = [
    ("ingest: embedded tokens/s", ("ingest", "tokens_per_s"), 0),
    ("ingest / embedder alone", ("ingest", "ratio_to_raw"), 3),
    ("ingest: peak memory (MiB)", ("ingest", "peak_rss_mb"), 0),
    ("hybrid retrieval p95 (ms)", ("queries", "hybrid", "p95"), 1),
    ("extractive answer p95 (ms)", ("queries", "answer", "p95"), 1),
    ("questions: peak memory (MiB)", ("queries", "peak_rss_mb"), 0),
    ("CLI cold start (s)", ("cold_cli", "median_s"), 2),
    ("UI cold start (s)", ("cold_ui", "median_s"), 2),
]


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Results with the embedder-alone figure as the mean of the runs before and after the ingest.

    Runs before 2026-11-22 07:00 UTC took the faster of the two; recomputing makes every run compare alike.
    """
    for size in data.get("sizes", []):
        ingest = size.get("ingest") or {}
        runs = [r["tokens_per_s"] for r in ingest.get("raw_runs", [])]
        if runs and ingest.get("tokens_per_s"):
            ingest["raw_tokens_per_s"] = round(sum(runs) / len(runs), 1)
            ingest["ratio_to_raw"] = round(ingest["tokens_per_s"] / ingest["raw_tokens_per_s"], 3)
    return data


def comparison_table(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Before/after for every size measured in both runs."""
    old = {s["target"]: s for s in before["sizes"]}
    lines = ["| size | measure | before | after | change |", "|---|---|---:|---:|---:|"]
    for size in after["sizes"]:
        prior = old.get(size["target"])
        if prior is None:
            continue
        for name, path, digits in COMPARED:
            a, b = _get(prior, *path), _get(size, *path)
            if a is None or b is None:
                continue
            change = f"{(b - a) / a * 100:+.0f}%" if a else "-"
            row = [_size_name(size["target"]), name, _fmt(a, digits), _fmt(b, digits), change]
            lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        f"Before: commit {before['commit']} ({before['date']}); after: commit {after['commit']} ({after['date']}).",
    ]
    return "\n".join(lines)


def plot(data: dict[str, Any], path: Path) -> None:
    """Latency (p95) and peak memory against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = data["sizes"]
    chunks = [s["chunks"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, label in (("dense", "dense"), ("bm25", "BM25"), ("hybrid", "hybrid"), ("answer", "extractive answer")):
        points = [(c, _get(s, "queries", name, "p95")) for c, s in zip(chunks, sizes, strict=True)]
        points = [(c, v) for c, v in points if v is not None]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=label)
    left.axhline(50, color="grey", linestyle=":", linewidth=1)
    left.axhline(150, color="grey", linestyle="--", linewidth=1)
    left.set(xscale="log", yscale="log", xlabel="chunks in the store", ylabel="p95 latency (ms)")
    left.set_title("Latency p95 (targets at 100k: hybrid 50 ms, answer 150 ms)", fontsize=9)
    left.legend(fontsize=8)
    for key, label in (("ingest", "ingest"), ("queries", "answering questions")):
        points = [(c, _get(s, key, "peak_rss_mb")) for c, s in zip(chunks, sizes, strict=True)]
        points = [(c, v) for c, v in points if v is not None]
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    right.axhline(1536, color="grey", linestyle="--", linewidth=1)
    right.set(xscale="log", xlabel="chunks in the store", ylabel="peak resident memory (MiB)", ylim=(0, 1700))
    right.set_title("Peak memory (target 1.5 GiB at 100k)", fontsize=9)
    right.legend(fontsize=8)
    fig.suptitle(f"newsqa on {data['machine']['cores']} cores, commit {data['commit']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"bench: {README} has no {start} ... {end} section")
    return pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)


# earlier runs the latest is compared with: before any speed-up, and the run before the latest speed-ups
COMPARISONS = (("before.json", "before-after"), ("previous.json", "since-previous"))


def write_report(results: Path) -> None:
    """Rewrite the generated parts of bench/README.md and the plot from results/current.json and earlier runs."""
    current = results / "current.json"
    if not current.is_file():
        raise SystemExit(f"bench: no results in {current} - run 'python -m bench' first")
    data = normalised(json.loads(current.read_text()))
    text = README.read_text()
    text = _replace_between(text, "results", results_table(data))
    for name, section in COMPARISONS:
        if (results / name).is_file():
            earlier = normalised(json.loads((results / name).read_text()))
            text = _replace_between(text, section, comparison_table(earlier, data))
    README.write_text(text)
    plot(data, PLOT)
