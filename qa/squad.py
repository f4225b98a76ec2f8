"""SQuAD-format evaluation: reading measured on text nobody here wrote.

Every paragraph of a SQuAD 2.0 file is ingested as an article (its title the
Wikipedia title), a fixed sample of its questions is asked of the whole store,
and the answers are scored the SQuAD way, adapted to cited answers:

- answerable: *found and cited* when a gold answer is in the answer and in a
  quote it cites; the short answer's token F1 and exact match against the best
  gold answer (SQuAD's normalisation); refusing one is a *false refusal*;
- unanswerable (``is_impossible``): right when refused.
"""

from __future__ import annotations

import json
import random
import re
import string
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.scoring import gate_note, missed_thresholds
from qa.types import Answer

Progress = Callable[[int, int], None]


class SquadError(QAError):
    """A SQuAD file that cannot be read."""


@dataclass(frozen=True)
class SquadQuestion:
    """One question of a SQuAD file, with the article (paragraph) it was written on."""

    qid: str
    question: str
    article_id: str
    answers: tuple[str, ...]  # empty when the paragraph cannot answer it

    @property
    def answerable(self) -> bool:
        """False for SQuAD 2.0's ``is_impossible`` questions."""
        return bool(self.answers)


@dataclass(frozen=True)
class SquadSet:
    """The paragraphs of a SQuAD file as article records, and its questions."""

    articles: list[dict[str, str]]  # {"id", "title", "text"}: one JSONL record each
    questions: list[SquadQuestion]


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_")[:40] or "article"


def load_squad(path: Path) -> SquadSet:
    """Read a SQuAD (1.1 or 2.0) JSON file; each paragraph becomes one article."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles: list[dict[str, str]] = []
        questions: list[SquadQuestion] = []
        for doc in data["data"]:
            title = str(doc.get("title", "")).replace("_", " ")
            for p, para in enumerate(doc["paragraphs"]):
                article_id = f"{_slug(title)}_{p:03d}"
                articles.append({"id": article_id, "title": title, "text": para["context"]})
                for qa in para["qas"]:
                    golds = () if qa.get("is_impossible") else tuple(a["text"] for a in qa["answers"])
                    questions.append(SquadQuestion(str(qa["id"]), qa["question"], article_id, golds))
    except FileNotFoundError:
        raise SquadError(f"no SQuAD file at {path}") from None
    except json.JSONDecodeError as exc:
        raise SquadError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg})") from None
    except (KeyError, TypeError) as exc:
        raise SquadError(f"{path}: not in SQuAD format (missing {exc}) - expected data[].paragraphs[].qas[]") from None
    return SquadSet(articles, questions)


def sample(questions: Sequence[SquadQuestion], n: int | None, seed: int = 0) -> list[SquadQuestion]:
    """A fixed random sample of ``n`` questions (all of them when ``n`` is None or larger)."""
    if n is None or n >= len(questions):
        return list(questions)
    return random.Random(seed).sample(list(questions), n)


def write_articles(records: Iterable[Mapping[str, str]], folder: Path, name: str = "squad-paragraphs.jsonl") -> Path:
    """Article records (paragraphs) as one JSONL file that ``qa ingest`` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# ---- SQuAD's answer normalisation and token F1 ----------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("‘’“”–—")


def normalize(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces (the official SQuAD normalisation)."""
    text = "".join(c for c in text.lower() if c not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD's token-level F1 of one prediction against one gold answer."""
    p, g = normalize(prediction).split(), normalize(gold).split()
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def _contains(text: str, gold: str) -> bool:
    g = normalize(gold)
    return bool(g) and f" {g} " in f" {normalize(text)} "


# ---- scoring ----------------------------------------------------------------


@dataclass(frozen=True)
class SquadResult:
    """One question's answer and scores."""

    question: SquadQuestion
    refused: bool
    short: str | None
    text: str
    cited_ids: tuple[str, ...]
    found_and_cited: bool
    f1: float
    exact: bool
    seconds: float


def score(q: SquadQuestion, answer: Answer, seconds: float) -> SquadResult:
    """Score one answer against its question's gold answers."""
    quotes = [c.quote for c in answer.citations]
    found = False
    f1 = 0.0
    exact = False
    if q.answerable and not answer.refused:
        found = any(_contains(answer.text, g) and any(_contains(quote, g) for quote in quotes) for g in q.answers)
        shown = answer.short or (quotes[0] if quotes else answer.text)
        f1 = max(token_f1(shown, g) for g in q.answers)
        exact = any(normalize(shown) == normalize(g) for g in q.answers)
    return SquadResult(
        q,
        answer.refused,
        answer.short,
        answer.text,
        tuple(dict.fromkeys(c.article_id for c in answer.citations)),
        found,
        f1,
        exact,
        seconds,
    )


@dataclass
class SquadSummary:
    """What ``qa eval --squad`` reports."""

    metrics: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def summarise(results: Sequence[SquadResult]) -> SquadSummary:
    """Found-and-cited, short-answer EM/F1, refusal accuracy and false refusals."""
    answerable = [r for r in results if r.question.answerable]
    impossible = [r for r in results if not r.question.answerable]

    def share(rs: Sequence[SquadResult], ok: Callable[[SquadResult], bool]) -> float:
        return sum(1 for r in rs if ok(r)) / len(rs) if rs else 0.0

    seconds = sorted(r.seconds for r in results)
    metrics = {
        "found_and_cited": share(answerable, lambda r: r.found_and_cited),
        "short_f1": sum(r.f1 for r in answerable) / len(answerable) if answerable else 0.0,
        "short_exact": share(answerable, lambda r: r.exact),
        "cited_right_article": share(answerable, lambda r: r.question.article_id in r.cited_ids),
        "unanswerable_refused": share(impossible, lambda r: r.refused),
        "answerable_refused_rate": share(answerable, lambda r: r.refused),
        "p95_seconds": seconds[int(0.95 * (len(seconds) - 1))] if seconds else 0.0,
    }
    counts = {"questions": len(results), "answerable": len(answerable), "unanswerable": len(impossible)}
    return SquadSummary(metrics, counts)


def ask_timed(
    ask: Callable[[str], Answer], questions: Sequence[str], progress: Progress | None = None
) -> Iterator[tuple[Answer, float]]:
    """Ask every question in turn with ``ask``: each answer with the seconds it took."""
    for done, question in enumerate(questions, start=1):
        started = time.perf_counter()
        answer = ask(question)
        yield answer, time.perf_counter() - started
        if progress:
            progress(done, len(questions))


def ask_all(
    ask: Callable[[str], Answer], questions: Sequence[SquadQuestion], progress: Progress | None = None
) -> Iterator[SquadResult]:
    """Ask every question with ``ask`` and score its answer."""
    answers = ask_timed(ask, [q.question for q in questions], progress)
    for q, (answer, seconds) in zip(questions, answers, strict=True):
        yield score(q, answer, seconds)


def report_json(
    summary: SquadSummary, results: Sequence[SquadResult], thresholds: dict[str, float], missed: list[str]
) -> dict[str, Any]:
    """The report as JSON-ready data: the summary, then every question's answer."""
    return {
        "metrics": summary.metrics,
        "counts": summary.counts,
        "thresholds": thresholds,
        "missed": missed,
        "questions": [
            {
                "id": r.question.qid,
                "question": r.question.question,
                "article": r.question.article_id,
                "gold": list(r.question.answers),
                "refused": r.refused,
                "short": r.short,
                "answer": r.text,
                "cited": list(r.cited_ids),
                "found_and_cited": r.found_and_cited,
                "f1": round(r.f1, 3),
            }
            for r in results
        ],
    }


@dataclass(frozen=True)
class SquadReport:
    """A SQuAD run: the summary, every question's result and the thresholds check."""

    summary: SquadSummary
    results: list[SquadResult]
    thresholds: dict[str, float]
    missed: list[str]

    @property
    def passed(self) -> bool:
        """True when every threshold is met."""
        return not self.missed

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (:func:`report_json`)."""
        return report_json(self.summary, self.results, self.thresholds, self.missed)

    def lines(self) -> list[str]:
        """The summary for the terminal, each gated metric with its bound."""
        c = self.summary.counts
        out = [f"squad: {c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} not)"]
        for name, value in self.summary.metrics.items():
            out.append(f"  {name:<24} {value:.3f}{gate_note(name, value, self.thresholds.get(name))}")
        out.append("PASSED: every threshold met" if self.passed else "FAILED: " + "; ".join(self.missed))
        return out


def run_squad(
    ingest: Callable[[list[Path]], Any],
    ask: Callable[[str], Answer],
    path: Path,
    workdir: Path,
    n: int | None,
    thresholds: dict[str, float],
    seed: int = 0,
    progress: Progress | None = None,
) -> SquadReport:
    """Ingest ``path``'s paragraphs as articles, ask a fixed sample of its questions, score and gate."""
    squad = load_squad(path)
    ingest([write_articles(squad.articles, workdir)])
    results = list(ask_all(ask, sample(squad.questions, n, seed), progress))
    summary = summarise(results)
    return SquadReport(summary, results, thresholds, missed_thresholds(summary.metrics, thresholds))
