"""``python -m bench``: build corpora, measure, and write the results (JSON, table, plot)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import coldstart
from bench.corpus import build_corpus
from bench.measure import machine
from bench.report import write_report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUESTION = "How many soldiers were besieged near al-Sukhna?"

DESCRIPTION = """\
Benchmark newsqa on corpora of 1k, 10k and 100k chunks (news-like articles generated from the
bundled ones, no two alike): ingest throughput against the embedder's raw throughput on the same
text, retrieval and answer latency (p50/p95), cold start of the CLI and the UI, and peak memory.
Each phase runs in its own process. Results go to bench/results/LABEL.json; `python -m bench report`
turns them into the table in bench/README.md and the plot bench/results.png.
"""

EPILOG = """\
examples:
  python -m bench                          all sizes (100k chunks takes about an hour to ingest on 2 cores)
  python -m bench --sizes 1000 --label quick
  python -m bench --sizes 100000 --skip-ingest   measure again on the 100k store built last time
  python -m bench report                   rewrite bench/README.md's tables and bench/results.png
"""


def _phase(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one phase in a fresh process (own memory peak, cold caches); its JSON result."""
    env = coldstart.measured_env(Path(args["home"]))
    done = subprocess.run(
        [sys.executable, "-m", "bench.phases", name, json.dumps(args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: the {name} phase failed (exit {done.returncode}); its output is above")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "qa"], capture_output=True, text=True)
        return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median ingest time (its figures stay consistent with each other)."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs"] = len(runs)
    chosen["ratio_runs"] = [r["ratio_to_raw"] for r in runs]
    return chosen


def measure_size(target: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    corpus = build_corpus(target, work)
    print(f"bench: {target:,} chunks -> {corpus.articles:,} articles, {corpus.chunks:,} chunks", file=sys.stderr)
    home = work / f"store-{target}"
    result: dict[str, Any] = {"target": target, "articles": corpus.articles, "chunks": corpus.chunks}
    if args.skip_ingest:
        if not (home / "chroma").is_dir():
            raise SystemExit(f"bench: no store in {home} to reuse - run without --skip-ingest first")
    else:
        reps = args.ingest_reps if corpus.chunks <= args.repeat_ingest_up_to else 1
        runs = []
        for rep in range(reps):
            shutil.rmtree(home, ignore_errors=True)
            print(f"bench: ingest {rep + 1}/{reps}", file=sys.stderr)
            runs.append(
                _phase(
                    "ingest",
                    {
                        "corpus": str(corpus.folder),
                        "home": str(home),
                        "raw_sample": args.raw_sample,
                        "articles": corpus.articles,
                    },
                )
            )
        result["ingest"] = _median_run(runs)
    print("bench: queries", file=sys.stderr)
    result["queries"] = _phase("queries", {"home": str(home), "reps": args.query_reps})
    print("bench: cold start (CLI)", file=sys.stderr)
    result["cold_cli"] = coldstart.cli(home, QUESTION, args.cold_reps)
    if args.ui_reps:
        print("bench: cold start (UI)", file=sys.stderr)
        result["cold_ui"] = coldstart.ui(home, QUESTION, args.ui_reps)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", choices=["run", "report"], default="run")
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in chunks (default %(default)s)")
    parser.add_argument("--label", default="current", help="results file bench/results/LABEL.json (%(default)s)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work", help="corpora and stores (%(default)s)")
    parser.add_argument("--ingest-reps", type=int, default=3, help="ingest repetitions per size (%(default)s)")
    parser.add_argument(
        "--repeat-ingest-up-to",
        type=int,
        default=20000,
        help="larger corpora are ingested once (%(default)s chunks)",
    )
    parser.add_argument("--raw-sample", type=int, default=2000, help="chunks the raw embedder is timed on")
    parser.add_argument("--query-reps", type=int, default=3, help="passes over the eval questions (%(default)s)")
    parser.add_argument("--cold-reps", type=int, default=5, help="CLI cold starts per size (%(default)s)")
    parser.add_argument("--ui-reps", type=int, default=3, help="UI cold starts per size; 0 skips (%(default)s)")
    parser.add_argument("--skip-ingest", action="store_true", help="reuse the stores built by the last run")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "report":
        write_report(RESULTS)
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.label}.json"
    previous = json.loads(out.read_text()) if out.is_file() else {}
    kept = {r["target"]: r for r in previous.get("sizes", [])}
    started = time.perf_counter()
    for target in sizes:
        result = measure_size(target, args, args.work)
        if "ingest" not in result and "ingest" in kept.get(target, {}):
            result["ingest"] = kept[target]["ingest"]  # measured by the run that built this store
        kept[target] = result
        data = {
            "label": args.label,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": _commit(),
            "machine": machine(),
            "sizes": [kept[t] for t in sorted(kept)],
        }
        out.write_text(json.dumps(data, indent=1) + "\n")  # after every size: a long run is never lost
    print(f"bench: done in {time.perf_counter() - started:.0f} s -> {out}", file=sys.stderr)
    write_report(RESULTS)
    return 0
