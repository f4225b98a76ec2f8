"""The ``qa`` command: a thin door onto :class:`qa.Assistant`.

Only this module parses arguments. Library errors become one line on stderr
and a non-zero exit; an unexpected error is logged with its traceback to
``QA_HOME/qa.log`` and shown as one line too.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from qa.errors import QAError

if TYPE_CHECKING:
    from qa.assistant import Assistant
    from qa.progress import IngestProgress
    from qa.types import Answer, IngestResult

EXIT_ERROR = 1
EXIT_BUG = 2

DESCRIPTION = """\
Answer questions about news articles, citing the exact sentences behind every claim.

Works offline: articles are embedded locally (all-MiniLM-L6-v2 on onnxruntime) and
stored in Chroma under QA_HOME (default ~/.local/share/newsqa), or on a Chroma
server when QA_CHROMA_URL is set.
"""

EPILOG = """\
examples:
  qa ingest --samples                      load the two bundled sample articles
  qa ingest articles/ more/report.html     add or update files and folders
  qa ingest https://example.org/feed.xml   an article page, or each item of an RSS/Atom feed
  qa ask "How many soldiers were besieged near al-Sukhna?"
  qa ask "..." --json                      the answer with its citations as JSON
  qa list                                  what is stored
  qa remove 000_db5433082a11908e           delete an article and its chunks
  qa eval                                  score answers against eval/facts.jsonl (from the repo root)

environment:
  QA_HOME          where the store lives (default ~/.local/share/newsqa)
  QA_CHROMA_URL    use a Chroma server, e.g. http://127.0.0.1:8000
  QA_TOP_K         citations at most in one answer (default 5)
  QA_MAX_FILE_MB   larger files are rejected (default 20)
  OPENAI_BASE_URL, OPENAI_API_KEY, QA_LLM_MODEL
                   let an OpenAI-compatible model (OpenAI, Ollama, vLLM, llama.cpp server) write answers
  QA_LLM_BACKEND=local [QA_LLM_GGUF=path]
                   run a GGUF model in-process instead (pip install -e '.[local]')
"""


INGEST_EXIT_CODES = """\
exit status:
  0  every file was added, updated, unchanged, or a duplicate (the same text as an article
     already stored, or as a file earlier in the same batch: stored once, nothing lost)
  1  a file could not be ingested (rejected: unreadable, empty, binary, too large, malformed
     JSON, an unsupported type, an id used twice in the batch); the other files still are
  2  an internal error (the traceback is in QA_HOME/qa.log)
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", help="store directory (overrides QA_HOME)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser(
        "ingest",
        help="add or update articles (.txt .md .html .json .jsonl .pdf .docx, folders of them, http(s) URLs)",
        description="Add or update articles. Each file's outcome is printed as soon as it is known (added, "
        "updated, unchanged, duplicate on stdout; rejected on stderr), then a summary line. On a terminal a "
        "progress line on stderr tells the stage (reading files, embedding, writing), the counts and the time "
        "left, estimated from the work done so far.",
        epilog=INGEST_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, folders, or http(s) URLs of article pages and RSS/Atom feeds"
    )
    p.add_argument("--samples", action="store_true", help="also ingest the bundled sample articles")
    p.add_argument("--json", action="store_true", help="print the per-file report as JSON (at the end)")
    p.add_argument(
        "--summary", action="store_true", help="print only the rejected files and the summary, not a line per file"
    )
    p.add_argument(
        "--progress",
        action="store_true",
        help="print progress lines on stderr even when it is not a terminal (at most one a second)",
    )

    p = sub.add_parser("ask", help="answer a question from the stored articles")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--json", action="store_true", help="print the answer and its citations as JSON")
    p.add_argument(
        "--mode",
        choices=["extractive", "llm"],
        help="extractive quotes the articles; llm lets the configured model write the answer, every sentence "
        "checked (default: llm when OPENAI_BASE_URL/OPENAI_API_KEY or QA_LLM_BACKEND=local is set)",
    )

    p = sub.add_parser("list", help="list stored articles")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("remove", help="delete an article and all of its chunks")
    p.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID", help="ids as shown by 'qa list'")

    p = sub.add_parser("serve", help="start the chat web UI and serve it until Ctrl-C")
    p.add_argument("--host", help="address to listen on (default: QA_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: QA_PORT, GRADIO_SERVER_PORT or 7860)")
    p.add_argument("--samples", action="store_true", help="ingest the bundled sample articles first")

    sub.add_parser("check", help="check that the store is consistent (after a crash, say); exit 1 if not")

    p = sub.add_parser(
        "eval",
        help="score answers against hand-written facts; exit 1 when a threshold is missed",
        description="Ingest the suite's articles into a fresh store, ask every fact's question and score the "
        "answers. With no arguments, run from the repository root, it evaluates eval/facts.jsonl on the "
        "bundled articles with the thresholds in eval/suite.json.",
    )
    p.add_argument("--suite", type=Path, default=Path("eval/suite.json"), help="suite file (default: %(default)s)")
    p.add_argument("--facts", type=Path, help="facts JSONL file (overrides the suite's)")
    p.add_argument("--articles", type=Path, nargs="+", help="articles to ingest first (override the suite's)")
    p.add_argument(
        "--mode",
        default="extractive",
        choices=["extractive", "llm"],
        help="answer mode (default: %(default)s); llm needs OPENAI_BASE_URL/OPENAI_API_KEY or QA_LLM_BACKEND=local",
    )
    p.add_argument(
        "--report-dir",
        type=Path,
        default=Path("build/eval"),
        help="where MODE.json and MODE.md go (default: %(default)s, ignored by git; "
        "--report-dir eval/reports updates the published ones)",
    )
    p.add_argument(
        "--json-out",
        type=Path,
        help="JSON report path (default: MODE.json, squad.json or counterfactual.json in --report-dir)",
    )
    p.add_argument("--md-out", type=Path, help="Markdown report path (default: MODE.md in --report-dir)")
    p.add_argument("--keep-store", action="store_true", help="evaluate in --home/QA_HOME instead of a fresh store")
    reading = p.add_mutually_exclusive_group()
    reading.add_argument(
        "--squad",
        type=Path,
        metavar="FILE",
        help="evaluate on a SQuAD (2.0) file instead: its paragraphs are ingested as articles and a fixed sample "
        "of its questions asked (found-and-cited, short-answer EM/F1, refusals), gated by the suite's 'squad' "
        "thresholds",
    )
    reading.add_argument(
        "--counterfactual",
        type=Path,
        metavar="FILE",
        help="measure how conflicting sources are handled, from a SQuAD (2.0) file: each sampled question's "
        "paragraph is ingested as outlet A's article and a copy as outlet B's, where B states another value of "
        "the answer's type (figure, year, date, name), plus half as many controls where B states the same value "
        "in other words. Reports answers giving both values with the conflict flagged, and false conflicts, "
        "gated by the suite's 'counterfactual' thresholds (see eval/README.md)",
    )
    p.add_argument(
        "--sample",
        type=int,
        help="--squad: questions asked (default: 1000); --counterfactual: conflict items, plus half as many "
        "controls (default: 60)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the --squad/--counterfactual sample (default: 0)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qa`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "eval":
            return _eval(args, sys.stdout)
        from qa.assistant import Assistant

        assistant = Assistant(home=args.home)
        handler = {
            "ingest": _ingest,
            "ask": _ask,
            "list": _list,
            "remove": _remove,
            "serve": _serve,
            "check": _check,
        }[args.command]
        return handler(assistant, args, sys.stdout)
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: keep the traceback for the report, show the user one line
        log_path = _log_bug()
        print(f"internal error: {type(exc).__name__}: {exc} (traceback in {log_path})", file=sys.stderr)
        return EXIT_BUG


def _log_bug() -> Path:
    from qa.config import Settings

    try:
        home = Settings.from_env().home
        home.mkdir(parents=True, exist_ok=True)
        path = home / "qa.log"
        with path.open("a", encoding="utf-8") as f:
            f.write(traceback.format_exc() + "\n")
        return path
    except Exception:
        return Path("(no log: QA_HOME not writable)")


def _ingest(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    from qa.assistant import samples_dir

    paths: list[str | Path] = list(args.paths)
    if args.samples:
        paths.append(samples_dir())
    if not paths:
        raise QAError("nothing to ingest - give files, folders or URLs, e.g. 'qa ingest articles/', or use --samples")
    if args.json:
        report = assistant.ingest(paths)
        json.dump([asdict(r) for r in report.results], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0 if report.ok else EXIT_ERROR
    live = sys.stderr.isatty()
    display = _IngestDisplay(out, sys.stderr, live=live, lines=args.progress and not live, per_file=not args.summary)
    try:
        report = assistant.ingest(paths, progress=display)
    finally:
        display.close()
    print(report.summary(), file=out)
    return 0 if report.ok else EXIT_ERROR


class _IngestDisplay:
    """Prints each file's outcome as it is settled, and the progress: a live line on a terminal
    (redrawn in place), or plain lines at most once a second when asked for."""

    def __init__(self, out: TextIO, err: TextIO, *, live: bool, lines: bool, per_file: bool) -> None:
        self._out, self._err = out, err
        self._live, self._lines, self._per_file = live, lines, per_file
        self._shown = ""  # the live line on screen
        self._last = -1.0  # when a progress line was last printed
        self._stage = ""

    def __call__(self, event: IngestProgress) -> None:
        from qa.progress import describe

        if event.results:
            self._clear()
            for r in event.results:
                _print_result(r, self._out, self._err, self._per_file)
        changed = event.stage != self._stage
        self._stage = event.stage
        if event.stage == "done":
            self._clear()
            return
        if self._live:
            line = describe(event)
            self._err.write("\r\033[K" + line)
            self._err.flush()
            self._shown = line
        elif self._lines and (changed or event.elapsed - self._last >= 1.0):
            print(describe(event), file=self._err, flush=True)
            self._last = event.elapsed

    def _clear(self) -> None:
        if self._shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._shown = ""
        self._out.flush()

    def close(self) -> None:
        """Take the live line off the screen."""
        self._clear()


def _progress_bar(desc: str, unit: str) -> Callable[[int, int], None]:
    from tqdm import tqdm

    bar: tqdm[object] | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=unit, desc=desc, leave=False)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def _print_result(r: IngestResult, out: TextIO, err: TextIO, per_file: bool) -> None:
    """One file's outcome: rejected on ``err`` always, the others on ``out`` when ``per_file``."""
    if r.status == "rejected":
        print(f"rejected   {r.reason}", file=err, flush=True)
    elif not per_file:
        return
    elif r.status == "duplicate":
        print(f"duplicate  {r.reason}", file=out, flush=True)
    else:
        print(f"{r.status:<10} {r.article_id}  ({r.chunks} chunks)  {r.path}", file=out, flush=True)


def _ask(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    answer = assistant.ask(args.question, mode=args.mode)
    if args.json:
        json.dump(asdict(answer), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_answer(answer, out)
    return 0


def _print_answer(answer: Answer, out: TextIO) -> None:
    if answer.standalone:
        print(f"(understood as: {answer.standalone})", file=out)
    print(answer.text, file=out)
    for note in answer.notes:
        print(f"note: {note}", file=sys.stderr)
    if answer.mode != "extractive":
        print(f"answered by: {answer.mode}", file=sys.stderr)
    if answer.citations:
        print("\nSources:", file=out)
    from qa.extractive import display_date

    for c in answer.citations:
        details = ", ".join(x for x in (c.source, display_date(c.published)) if x)
        title = c.title or c.article_id
        print(f"  [{c.marker}] {title}" + (f" ({details})" if details else ""), file=out)
        print(f"      {c.article_id} chars {c.start}-{c.end}" + (f"  {c.url}" if c.url else ""), file=out)


def _list(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    articles = assistant.list_articles()
    if args.json:
        json.dump([asdict(a) for a in articles], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    if not articles:
        print("no articles yet - add some with 'qa ingest PATH' or 'qa ingest --samples'", file=out)
        return 0
    from qa.extractive import display_date

    for a in articles:
        details = ", ".join(x for x in (a.source, display_date(a.published)) if x)
        print(
            f"{a.article_id}  {a.title or '(untitled)'}"
            + (f"  ({details})" if details else "")
            + f"  [{a.chunks} chunks]",
            file=out,
        )
    print(f"{len(articles)} articles", file=out)
    return 0


def _check(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    health = assistant.check()
    for problem in health.problems:
        print(f"problem: {problem}", file=out)
    state = "healthy" if health.healthy else f"{len(health.problems)} problem(s)"
    print(f"{state}: {health.articles} articles, {health.chunks} chunks in {assistant.store.where}", file=out)
    return 0 if health.healthy else EXIT_ERROR


def _remove(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    for article_id in args.article_ids:
        assistant.remove(article_id)
        print(f"removed {article_id}", file=out)
    return 0


def _serve(assistant: Assistant, args: argparse.Namespace, out: TextIO) -> int:
    from qa.app import serve  # gradio is imported only on this path

    if args.samples:
        from qa.assistant import samples_dir

        report = assistant.ingest([samples_dir()])
        print(f"samples: {report.summary()}", file=out)
    serve(assistant, host=args.host, port=args.port, out=out)
    return 0


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from qa.assistant import Assistant
    from qa.evaluate import EvalError, Suite, load_facts, load_suite, run_eval, table, write_reports

    if args.squad:
        from qa.squad import run_squad

        return _eval_own_articles(args, out, "squad", run_squad, args.squad, 1000)
    if args.counterfactual:
        from qa.counterfactual import run_counterfactual

        return _eval_own_articles(args, out, "counterfactual", run_counterfactual, args.counterfactual, 60)
    if args.facts and args.articles and not args.suite.exists():
        suite = Suite(facts=args.facts, articles=tuple(args.articles), thresholds={})
    else:
        suite = load_suite(args.suite)
    facts = load_facts(args.facts or suite.facts)
    articles = tuple(args.articles) if args.articles else suite.articles
    thresholds = suite.thresholds.get(args.mode, {})
    # "extractive:news": the thresholds of the facts of group "news" in that mode
    groups = {k.split(":", 1)[1]: v for k, v in suite.thresholds.items() if k.startswith(f"{args.mode}:")}
    if not thresholds:
        print(f"note: no thresholds for mode {args.mode!r} in {args.suite}; nothing is gated", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
        assistant = Assistant(home=args.home if args.keep_store else Path(tmp))
        report = assistant.ingest(list(articles))
        rejected = [r for r in report.results if r.status == "rejected"]
        for r in rejected:
            print(f"rejected   {r.reason}", file=sys.stderr)
        if not report.results or len(rejected) == len(report.results):
            raise EvalError(f"no articles could be ingested from {', '.join(map(str, articles))}")
        bar = _progress_bar("asking", "fact") if sys.stderr.isatty() else None
        result = run_eval(assistant, facts, thresholds, mode=args.mode, progress=bar, group_thresholds=groups)
    print(table(result), file=out)
    json_out = args.json_out or args.report_dir / f"{args.mode}.json"
    md_out = args.md_out or args.report_dir / f"{args.mode}.md"
    write_reports(result, json_out, md_out)
    print(f"reports: {json_out} {md_out}", file=out)
    return 0 if result.passed else EXIT_ERROR


class _GatedReport(Protocol):
    """What an eval over its own articles returns: its summary lines, its JSON and the gate's verdict."""

    @property
    def passed(self) -> bool: ...

    def lines(self) -> list[str]: ...

    def to_json(self) -> dict[str, Any]: ...


def _eval_own_articles(
    args: argparse.Namespace, out: TextIO, name: str, run: Callable[..., _GatedReport], path: Path, sample: int
) -> int:
    """An eval that ingests the articles it builds from ``path`` into a fresh store, gated by the suite's ``name``.

    ``run`` is :func:`qa.squad.run_squad` or :func:`qa.counterfactual.run_counterfactual`; ``sample``
    its default --sample. Prints the summary and writes the JSON report (``NAME.json`` in --report-dir).
    """
    import tempfile

    from qa.assistant import Assistant
    from qa.evaluate import load_suite

    thresholds = dict(load_suite(args.suite).thresholds.get(name, {})) if args.suite.exists() else {}
    with tempfile.TemporaryDirectory(prefix=f"qa-{name}-") as tmp:
        assistant = Assistant(home=args.home if args.keep_store else Path(tmp) / "store")
        bar = _progress_bar("asking", "question") if sys.stderr.isatty() else None
        report = run(
            assistant.ingest,
            lambda q: assistant.ask(q, mode=args.mode),
            path,
            Path(tmp) / "articles",
            sample if args.sample is None else args.sample,
            thresholds,
            seed=args.seed,
            progress=bar,
        )
    print("\n".join(report.lines()), file=out)
    json_out = args.json_out or args.report_dir / f"{name}.json"
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"report: {json_out}", file=out)
    return 0 if report.passed else EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
