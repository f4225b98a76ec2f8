"""The CLI and the UI with a thousand articles: ingest progress and the Articles view, timed.

    python -m bench.articles_view [--articles 1000] [--work bench/.work] [--screenshots docs]

1. Writes N news-like article files (2-5 paragraphs each, made from the real articles' sentences).
2. Runs ``qa ingest FOLDER`` as a user would, its stderr a terminal (a pty): when the first progress
   appears, and how far the estimated end (elapsed + "about m:ss left") is from the real end, for every
   estimate shown after the first 10% of the run.
3. Serves the UI on that store and drives it with headless Chromium: the Articles tab's count, a search
   for one word of a title, and a removal after its confirmation, each timed from the click or key
   press to the answer on screen. Screenshots of the view at that size go to ``--screenshots``.

Prints the figures as JSON and writes them to ``bench/results/articles_view.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import random
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import _pseudo_word, _sentence_pool, _vary
from tests.test_ui_browser import CHROMIUM, CHROMIUM_ARGS  # the browser the UI tests drive, launched alike

ROOT = Path(__file__).resolve().parent.parent
_LEFT = re.compile(r"· (\d+):(\d\d)(?::(\d\d))? · about (\d+):(\d\d)(?::(\d\d))? left")


def write_articles(folder: Path, n: int, seed: int = 11) -> str:
    """``n`` article files; returns a word of one title to search for."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = _sentence_pool()
    for i in range(n):
        names: dict[str, str] = {}
        paragraphs = [
            " ".join(_vary(rng.choice(pool), names, rng) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(2, 5))
        ]
        title = f"{_pseudo_word(rng)} " + " ".join(paragraphs[0].split()[: rng.randint(5, 8)]).rstrip(".,;:")
        if i == n // 2:
            title = "Zellwood's lighthouse keepers end their strike"
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2026)
        text = f"{title}\n\nPublished {day:02d}.{month:02d}.{year} 12:00\n\n" + "\n\n".join(paragraphs) + "\n"
        (folder / f"story_{i:05d}.txt").write_text(text, encoding="utf-8")
    return "zellwood's"


def _seconds(h_or_m: str, m_or_s: str, s: str | None) -> float:
    return int(h_or_m) * 3600 + int(m_or_s) * 60 + int(s) if s else int(h_or_m) * 60 + int(m_or_s)


def time_ingest(folder: Path, home: Path) -> dict[str, Any]:
    """``qa ingest`` with a terminal for stderr: first output, and the estimates against the real end."""
    env = {**os.environ, "QA_HOME": str(home)}
    master, slave = pty.openpty()
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", str(folder)], stdout=subprocess.DEVNULL, stderr=slave, env=env
    )
    os.close(slave)
    first: float | None = None
    estimates: list[tuple[float, float]] = []  # (elapsed, estimated total)
    buffer = ""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536).decode("utf-8", "replace")
            except OSError:
                data = ""
            if not data and proc.poll() is not None:
                break
            now = time.monotonic() - start
            if data and first is None:
                first = now
            buffer += data
            *lines, buffer = re.split(r"[\r\n]", buffer)
            for line in lines:
                m = _LEFT.search(line)
                if m:
                    estimates.append((now, now + _seconds(*m.group(4, 5, 6))))
        elif proc.poll() is not None:
            break
    os.close(master)
    real = time.monotonic() - start
    late = [(t, est) for t, est in estimates if t >= 0.1 * real]
    errors = [(est - real) / real for _, est in late]
    return {
        "exit_code": proc.returncode,
        "seconds": round(real, 1),
        "first_output_s": round(first or -1, 2),
        "estimates_after_10pct": len(late),
        "worst_estimate_error_after_10pct": round(max(errors, key=abs), 3) if errors else None,
        "first_estimate_after_10pct": {"at_s": round(late[0][0], 1), "estimated_total_s": round(late[0][1], 1)}
        if late
        else None,
    }


def time_view(home: Path, word: str, shots: Path | None) -> dict[str, Any]:
    """The Articles view over the store: count, search, removal after confirmation, timed in Chromium."""
    from playwright.sync_api import expect, sync_playwright

    from qa.app import build_app
    from qa.assistant import Assistant

    assistant = Assistant(home=home)
    stored = len(assistant.list_articles())
    demo = build_app(assistant)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=7871, quiet=True)
    out: dict[str, Any] = {"articles": stored}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto("http://127.0.0.1:7871/")
            page.locator("#qa-question textarea").wait_for()
            t = time.monotonic()
            page.get_by_role("tab", name="Articles").click()
            expect(page.locator("#qa-count")).to_contain_text(f"{stored:,} articles stored")
            out["count_shown_s"] = round(time.monotonic() - t, 2)
            if shots:
                page.screenshot(path=str(shots / "articles.png"), full_page=True)
            search = page.locator("#qa-search textarea, #qa-search input").first
            search.fill(word)
            t = time.monotonic()
            search.press("Enter")
            expect(page.locator("#qa-count")).to_contain_text("1 match")
            out["search_s"] = round(time.monotonic() - t, 2)
            t = time.monotonic()
            page.locator("#qa-remove").click()
            expect(page.locator("#qa-confirm-text")).to_contain_text("Remove")
            out["confirmation_shown_s"] = round(time.monotonic() - t, 2)
            if shots:
                page.screenshot(path=str(shots / "articles-remove.png"), full_page=True)
            t = time.monotonic()
            page.locator("#qa-confirm-yes").click()
            expect(page.locator("#qa-remove-status")).to_contain_text("Removed")
            expect(page.locator("#qa-count")).to_contain_text(f"{stored - 1:,} articles stored")
            out["removal_s"] = round(time.monotonic() - t, 2)
            browser.close()
    finally:
        demo.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.articles_view", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "docs", help="folder for the screenshots")
    args = parser.parse_args(argv)
    run = args.work / f"articles-view-{args.articles}-{int(time.time())}"
    word = write_articles(run / "articles", args.articles)
    result: dict[str, Any] = {"ingest": time_ingest(run / "articles", run / "home")}
    print(json.dumps(result), file=sys.stderr, flush=True)
    result["view"] = time_view(run / "home", word, args.screenshots)
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "articles_view.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
