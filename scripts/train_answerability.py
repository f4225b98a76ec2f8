"""Fit the answer gate (qa/models/answerability.json) on a SQuAD-format file, on CPU in minutes.

    python scripts/train_answerability.py ../shared/dev/squad-v2-train-sample.json --home /tmp/gate-home

Its paragraphs are ingested as articles (into ``--home``, kept for the next run)
and every question is asked with the gate open. Each answer the pipeline gives is
one example, with the features ``qa.answerability`` reads of its best evidence:
an answer to an answerable question that is found and cited is right (1); any
other answer, and every answer to an unanswerable question, is wrong (0). A
logistic regression (Newton's method, a little L2) fits the weights, and the
threshold is the one that refuses most unanswerable questions while the
answerable questions it refuses stay within ``--budget`` of all answerable ones
(the issue allows 0.15 in all; the pipeline refuses about 0.11 before the gate).
The fitted model is measured on another file with
``qa eval --squad``; it must never be fitted on the file it is measured on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa.answerability import FEATURES, MODEL, features
from qa.assistant import Assistant
from qa.squad import SquadQuestion, ask_all, load_squad, sample, write_articles
from qa.types import Answer

Matrix = npt.NDArray[np.float64]


class Recording(Assistant):
    """An assistant whose gate lets every answer through and keeps what it read of the last one."""

    last: Matrix | None = None

    def _trusted(self, parsed, evidence, index, general):  # type: ignore[no-untyped-def]
        self.last = features(parsed, evidence, index, general)
        return True


def probabilities(x: Matrix, w: Matrix) -> Matrix:
    """The logistic model's probability for each row of ``x`` (as ``qa.answerability.Gate`` computes it)."""
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def fit(x: Matrix, y: Matrix, l2: float = 1.0, steps: int = 50) -> Matrix:
    """Logistic-regression weights by Newton's method (the bias, column 0, is not penalised)."""
    mean, std = x[:, 1:].mean(axis=0), x[:, 1:].std(axis=0) + 1e-9
    z = np.hstack([x[:, :1], (x[:, 1:] - mean) / std])  # fitted on standard scores, returned on raw ones
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = probabilities(z, w)
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = np.empty_like(w)
    raw[1:] = w[1:] / std
    raw[0] = w[0] - float((w[1:] * mean / std).sum())
    return raw


def choose_threshold(p: Matrix, unanswerable: npt.NDArray[np.bool_], answerable_total: int, budget: float) -> float:
    """The threshold that refuses most unanswerable questions while at most ``budget`` of the answerable ones
    are newly refused."""
    best = 0.0
    for t in np.unique(np.round(p, 3)):
        refused = p < t
        if ((refused & ~unanswerable).sum()) / answerable_total <= budget:
            best = float(t)
    return best


def examples(
    articles: list[dict[str, str]], questions: list[SquadQuestion], home: Path
) -> tuple[Matrix, Matrix, npt.NDArray[np.bool_], int]:
    """The gate's features of every answer given to ``questions`` from a store of ``articles`` (ingested into
    ``home`` unless it exists), whether each is right, whether its question is unanswerable, and how many of
    the questions are answerable."""
    fresh = not home.exists()
    assistant = Recording(home=home)
    if fresh:
        t = time.time()
        assistant.ingest([write_articles(articles, home.parent / f"{home.name}-articles")])
        print(f"ingested {len(articles)} paragraphs in {time.time() - t:.0f} s", file=sys.stderr)
    rows: list[Matrix | None] = []

    def ask(q: str) -> Answer:
        assistant.last = None
        answer = assistant.ask(q, mode="extractive")
        rows.append(assistant.last if not answer.refused else None)
        return answer

    results = list(ask_all(ask, questions))
    kept = [(r, x) for r, x in zip(results, rows, strict=True) if x is not None]
    x = np.stack([k[1] for k in kept])
    y = np.asarray([float(r.found_and_cited) for r, _ in kept])
    unanswerable = np.asarray([not r.question.answers for r, _ in kept])
    return x, y, unanswerable, sum(1 for r in results if r.question.answers)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("squad", type=Path, help="SQuAD 2.0 file to fit on (never the one it is measured on)")
    ap.add_argument("--home", type=Path, required=True, help="store to ingest its paragraphs into (kept)")
    ap.add_argument("--sample", type=int, default=None, help="questions to ask (default: all)")
    ap.add_argument("--budget", type=float, default=0.03, help="share of answerable questions it may refuse")
    ap.add_argument(
        "--holdout",
        type=float,
        default=0.0,
        help="also ask every question of a store without this share of the paragraphs (their questions become "
        "unanswerable: more negatives, like questions on news no article covers)",
    )
    ap.add_argument("--rows", type=Path, help="save the examples (features, labels) here as .npz")
    ap.add_argument("--out", type=Path, default=MODEL)
    args = ap.parse_args(argv)

    data = load_squad(args.squad)
    questions = sample(data.questions, args.sample, 0)
    x, y, unanswerable, answerable_total = examples(data.articles, questions, args.home / "full")
    if args.holdout:
        held = {a["id"] for a in data.articles if random.Random(a["id"]).random() < args.holdout}
        kept = [a for a in data.articles if a["id"] not in held]
        asked = [replace(q, answers=()) if q.article_id in held else q for q in questions]
        more = examples(kept, asked, args.home / "holdout")
        x, y, unanswerable = (
            np.vstack([x, more[0]]),
            np.concatenate([y, more[1]]),
            np.concatenate([unanswerable, more[2]]),
        )
        answerable_total += more[3]
    w = fit(x, y)
    p = probabilities(x, w)
    threshold = choose_threshold(p, unanswerable, answerable_total, args.budget)
    refused = p < threshold
    report = {
        "examples": len(y),
        "right": int(y.sum()),
        "unanswerable_answered": int(unanswerable.sum()),
        "unanswerable_refused_by_gate": int((refused & unanswerable).sum()),
        "answerable_refused_by_gate": int((refused & ~unanswerable).sum()),
        "right_refused_by_gate": int((refused & (y == 1)).sum()),
    }
    print(json.dumps(report, indent=1), file=sys.stderr)
    if args.rows:
        np.savez(args.rows, x=x, y=y, unanswerable=unanswerable, answerable_total=answerable_total)
    args.out.write_text(
        json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(float(v), 6) for v in w],
                "threshold": threshold,
                "fitted_on": f"{args.squad.name}: {report}",
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
