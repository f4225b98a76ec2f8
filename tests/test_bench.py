"""The benchmark's own logic: percentiles, corpora, the results tables (the measurements are in bench/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import REAL_DIRS, build_corpus
from bench.measure import percentile, summary_ms
from bench.report import _replace_between, comparison_table, normalised, results_table
from qa.chunking import chunk_article
from qa.loaders import load_paths


def test_percentile_interpolates_between_ranks() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_summary_is_in_milliseconds() -> None:
    got = summary_ms([0.010, 0.020, 0.030])
    assert got == {"p50": 20.0, "p95": 29.0, "mean": 20.0, "n": 3}


def test_corpus_reaches_its_size_with_no_two_articles_alike(tmp_path: Path) -> None:
    corpus = build_corpus(400, tmp_path, seed=3)
    loaded = [item.article for item in load_paths([corpus.folder], max_bytes=10**8)]
    assert all(a is not None for a in loaded)
    articles = [a for a in loaded if a is not None]
    chunks = sum(len(chunk_article(a)) for a in articles)
    assert chunks == corpus.chunks >= 400
    assert len(articles) == corpus.articles
    assert len({a.content_hash for a in articles}) == len(articles)  # ingest would reject duplicates
    real = {p.name for d in REAL_DIRS for p in d.iterdir()}
    assert real <= {p.name for p in corpus.folder.iterdir()}  # the benchmark questions have answers
    generated = [a for a in articles if a.article_id.startswith("gen")]
    assert generated and all(a.title and a.published for a in generated)
    # written once, then reused as it is
    again = build_corpus(400, tmp_path, seed=3)
    assert again == corpus


def test_corpus_depends_on_the_seed(tmp_path: Path) -> None:
    a = build_corpus(150, tmp_path, seed=1)
    b = build_corpus(150, tmp_path, seed=2)
    first = sorted(a.folder.glob("gen_*"))[0].read_text()
    second = sorted(b.folder.glob("gen_*"))[0].read_text()
    assert first != second


def _size(target: int, hybrid_p95: float, tokens_per_s: float) -> dict[str, object]:
    return {
        "target": target,
        "articles": target // 10,
        "chunks": target + 3,
        "ingest": {"tokens_per_s": tokens_per_s, "ratio_to_raw": 0.9, "peak_rss_mb": 700.0},
        "queries": {
            "hybrid": {"p50": hybrid_p95 / 2, "p95": hybrid_p95, "mean": 1.0, "n": 3},
            "peak_rss_mb": 800.0,
        },
        "cold_cli": {"median_s": 2.5},
    }


def _run(sizes: list[dict[str, object]], commit: str) -> dict[str, object]:
    machine = {"cpu": "Test CPU", "cores": 2, "memory_gib": 24, "os": "Linux", "python": "3.11", "packages": {}}
    return {"label": "x", "date": "2026-11-22", "commit": commit, "machine": machine, "sizes": sizes}


def test_results_table_has_a_column_per_size_and_the_machine() -> None:
    table = results_table(_run([_size(1000, 4.0, 3000.0), _size(100000, 40.0, 2900.0)], "abc"))
    lines = table.splitlines()
    assert lines[0].startswith("| | 1k chunks | 100k chunks | target |")
    hybrid = next(line for line in lines if line.startswith("| hybrid retrieval"))
    assert "2.0 / 4.0" in hybrid and "20.0 / 40.0" in hybrid and "≤ 50" in hybrid
    peak = next(line for line in lines if line.startswith("| peak memory, max"))
    assert "| 800 | 800 |" in peak
    assert "Test CPU, 2 cores" in table and "commit abc" in table


def test_comparison_shows_the_change_for_sizes_in_both_runs() -> None:
    before = _run([_size(1000, 8.0, 2000.0)], "old")
    after = _run([_size(1000, 4.0, 3000.0), _size(10000, 6.0, 3000.0)], "new")
    table = comparison_table(before, after)
    assert "| 1k | ingest: embedded tokens/s | 2,000 | 3,000 | +50% |" in table
    assert "| 1k | hybrid retrieval p95 (ms) | 8.0 | 4.0 | -50% |" in table
    assert "| 10k |" not in table  # nothing to compare it with
    assert "commit old" in table and "commit new" in table


def test_the_embedder_alone_is_the_mean_of_its_runs_before_and_after_the_ingest() -> None:
    runs = [{"tokens_per_s": 4000.0}, {"tokens_per_s": 6000.0}]
    data = {
        "sizes": [{"target": 1000, "ingest": {"tokens_per_s": 4500.0, "raw_tokens_per_s": 6000.0, "raw_runs": runs}}]
    }
    ingest = normalised(data)["sizes"][0]["ingest"]
    assert ingest["raw_tokens_per_s"] == 5000.0
    assert ingest["ratio_to_raw"] == 0.9
    assert normalised({"sizes": [{"target": 1000}]}) == {"sizes": [{"target": 1000}]}  # no ingest measured


def test_generated_sections_are_replaced_in_place() -> None:
    text = "intro\n<!-- results:start -->\nold\n<!-- results:end -->\noutro\n"
    expected = "intro\n<!-- results:start -->\nnew\n<!-- results:end -->\noutro\n"
    assert _replace_between(text, "results", "new") == expected
    with pytest.raises(SystemExit):
        _replace_between("no markers", "results", "new")


def test_results_file_from_a_real_run_is_readable() -> None:
    current = Path(__file__).resolve().parent.parent / "bench" / "results" / "current.json"
    data = json.loads(current.read_text())
    assert {s["target"] for s in data["sizes"]} >= {1000, 10000, 100000}
    for size in data["sizes"]:
        assert size["chunks"] >= size["target"]
        assert size["queries"]["hybrid"]["n"] > 0
    results_table(data)  # the committed table can be regenerated from it
