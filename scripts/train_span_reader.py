"""Train the span reader's weights (qa/models/span_reader.npz) on a SQuAD-format file, on CPU.

    python scripts/train_span_reader.py ../shared/dev/squad-v2-train-sample.json \\
        --dev ../shared/dev/squad-v2-dev-half.json --out qa/models/span_reader.npz

Each answerable question is paired with the sentence of its paragraph that
holds the answer; the bundled encoder reads the pair once (frozen, about a
minute for 4,000 pairs on 2 cores) and two linear scorers (start, end) are fitted
with a softmax over the sentence's tokens (Adam, L2). ``--dev`` reports the
span's token F1 and exact match on another file's pairs, which are never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa.encoder import shared_encoder
from qa.sentences import split_sentences
from qa.span_reader import FEATURES, ReaderWeights, SpanReader, features
from qa.squad import normalize, token_f1

Example = tuple[npt.NDArray[np.float32], int, int]  # feature rows, gold start token, gold end token


def answer_sentences(path: Path) -> list[tuple[str, str, int, int, list[str]]]:
    """(question, sentence, answer start, answer end, gold answers) for each answerable question."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out = []
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            sentences = split_sentences(context)
            for qa in paragraph["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    continue
                first = qa["answers"][0]
                a = first["answer_start"]
                b = a + len(first["text"])
                inside = next((s for s in sentences if s.start <= a and b <= s.end), None)
                if inside is not None:
                    golds = [g["text"] for g in qa["answers"]]
                    out.append((qa["question"], inside.text, a - inside.start, b - inside.start, golds))
    return out


def examples(pairs: list[tuple[str, str, int, int, list[str]]]) -> list[Example]:
    """Feature rows and gold token positions of each pair (pairs whose answer has no token are dropped)."""
    encoder = shared_encoder()
    out = []
    for question, sentence, a, b, _golds in pairs:
        states = encoder.pair_states(question, [sentence])[0]
        spans = [states.offsets[i] for i in states.context]
        starts = [j for j, (s, e) in enumerate(spans) if e > a]
        ends = [j for j, (s, e) in enumerate(spans) if s < b]
        if starts and ends and starts[0] <= ends[-1]:
            out.append((features(question, sentence, states), starts[0], ends[-1]))
    return out


def fit(
    data: list[Example],
    which: int,
    mean: npt.NDArray[np.float32],
    scale: npt.NDArray[np.float32],
    epochs: int = 30,
    rate: float = 0.01,
    l2: float = 1e-3,
    seed: int = 0,
) -> npt.NDArray[np.float32]:
    """A linear scorer whose softmax over each example's tokens puts the gold start (0) or end (1) first."""
    w = np.zeros(FEATURES, dtype=np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    step = 0
    rng = np.random.default_rng(seed)
    scaled = [((rows - mean) / scale, gold[which]) for rows, *gold in data]
    for _ in range(epochs):
        order = rng.permutation(len(scaled))
        for first in range(0, len(order), 64):
            batch = order[first : first + 64]
            grad = np.zeros_like(w)
            for k in batch:
                x, y = scaled[k]
                s = x @ w
                p = np.exp(s - s.max())
                p /= p.sum()
                p[y] -= 1.0
                grad += x.T @ p
            grad = grad / len(batch) + l2 * w
            step += 1
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad * grad
            w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w.astype(np.float32)


def train(path: Path, epochs: int = 30) -> ReaderWeights:
    """Weights fitted on the answerable questions of SQuAD file ``path``."""
    data = examples(answer_sentences(path))
    if not data:
        raise SystemExit(f"{path}: no answerable question whose answer sits inside one sentence")
    stacked = np.concatenate([rows for rows, _, _ in data])
    mean = stacked.mean(axis=0).astype(np.float32)
    scale = (stacked.std(axis=0) + 1e-3).astype(np.float32)
    return ReaderWeights(fit(data, 0, mean, scale, epochs), fit(data, 1, mean, scale, epochs), mean, scale)


def evaluate(weights: ReaderWeights, path: Path) -> tuple[float, float, int]:
    """ReadSpan token F1 and exact match on ``path``'s answerable pairs (the answer's sentence given)."""
    reader = SpanReader(shared_encoder(), weights)
    pairs = answer_sentences(path)
    f1 = em = 0.0
    for question, sentence, _a, _b, golds in pairs:
        span = reader.read(question, [sentence])[0].best()
        text = span.text if span else ""
        f1 += max(token_f1(text, g) for g in golds)
        em += max(normalize(text) == normalize(g) for g in golds)
    n = max(len(pairs), 1)
    return f1 / n, em / n, len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="SQuAD-format JSON to train on")
    parser.add_argument("--dev", type=Path, help="SQuAD-format JSON to measure on (never trained on)")
    parser.add_argument("--out", type=Path, default=Path("qa/models/span_reader.npz"))
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    weights = train(args.train, args.epochs)
    weights.save(args.out)
    print(f"wrote {args.out} in {time.perf_counter() - began:.0f} s")
    if args.dev:
        f1, em, n = evaluate(weights, args.dev)
        print(f"{args.dev.name}: span F1 {f1:.3f}, exact match {em:.3f} on {n} answer sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
