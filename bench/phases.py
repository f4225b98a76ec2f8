"""One benchmark phase per process, so each has its own peak memory and cold caches.

``python -m bench.phases ingest|queries ARGS_JSON`` prints one JSON object
on its last line of stdout; the orchestrator (:mod:`bench.run`) reads it.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import peak_rss_mb, summary_ms
from qa.assistant import Assistant
from qa.chunking import article_sentences, chunk_article, embedded_text
from qa.embedding import MiniLMEmbedding
from qa.evaluate import load_facts
from qa.loaders import load_paths
from qa.progress import IngestProgress
from qa.reading import with_reading

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "eval" / "facts.jsonl"


def questions() -> list[str]:
    """The eval suite's single-turn questions: real questions, with real answers in every corpus."""
    return [fact.question for fact in load_facts(FACTS) if not fact.history]


def _embedded_texts(folder: Path) -> list[str]:
    """What ingest embeds: each chunk (with its title), and each sentence alone (for the answer path)."""
    texts: list[str] = []
    for item in load_paths([folder], max_bytes=50 * 1024 * 1024):
        if item.article is not None:
            article = with_reading(item.article)
            texts.extend(embedded_text(article, c) for c in chunk_article(article))
            texts.extend(s.text for s in article_sentences(article))
    return texts


def _raw_embedder(embedding: MiniLMEmbedding, texts: list[str]) -> dict[str, float]:
    """The encoder alone on ``texts``: tokens/s with the same batch size ingest uses."""
    encoder = embedding.encoder
    tokens = encoder.count_tokens(texts)
    start = time.perf_counter()
    encoder.encode(texts, batch_size=embedding.model_batch_size)
    seconds = time.perf_counter() - start
    return {"texts": len(texts), "tokens": tokens, "seconds": round(seconds, 3), "tokens_per_s": tokens / seconds}


def ingest(args: dict[str, Any]) -> dict[str, Any]:
    """Ingest a corpus into an empty store; the raw embedder on a sample of the same texts, before and after."""
    corpus = Path(args["corpus"])
    assistant = Assistant(args["home"])
    embedding = assistant.embedding
    if not isinstance(embedding, MiniLMEmbedding):
        raise SystemExit("the benchmark measures the bundled MiniLM embedder; unset QA_EMBED_BACKEND")
    embedding.encoder.load()  # model loading is start-up cost, not ingest throughput
    texts = _embedded_texts(corpus)
    sample = random.Random(1).sample(texts, min(len(texts), int(args["raw_sample"])))
    raw_before = _raw_embedder(embedding, sample)

    total = [0]
    step = max(1, int(args["articles"]) // 20)

    def progress(event: IngestProgress) -> None:
        if event.stage not in ("embedding", "done"):
            return
        total[0] = event.total
        if event.done % step == 0 or event.done == event.total:
            print(f"  ingest {event.done}/{event.total} articles", file=sys.stderr, flush=True)

    start = time.perf_counter()
    report = assistant.ingest(corpus, progress=progress)
    seconds = time.perf_counter() - start
    rss = peak_rss_mb()
    raw_after = _raw_embedder(embedding, sample)

    added = sum(1 for r in report.results if r.status == "added")
    chunks = sum(r.chunks for r in report.results if r.status == "added")
    tokens = embedding.encoder.count_tokens(texts)
    # the mean of the runs just before and just after: a drift of the machine's speed during the run
    # (this VM's varies by ±25%) weighs on both sides alike
    raw = (raw_before["tokens_per_s"] + raw_after["tokens_per_s"]) / 2
    start = time.perf_counter()
    again = assistant.ingest(corpus)
    reingest = time.perf_counter() - start
    return {
        "articles": added,
        "chunks": chunks,
        "tokens": tokens,
        "seconds": round(seconds, 2),
        "articles_per_s": round(added / seconds, 2),
        "chunks_per_s": round(chunks / seconds, 2),
        "tokens_per_s": round(tokens / seconds, 1),
        "raw_tokens_per_s": round(raw, 1),
        "raw_runs": [raw_before, raw_after],
        "ratio_to_raw": round(tokens / seconds / raw, 3),
        "reingest_unchanged_s": round(reingest, 2),
        "reingest_unchanged": sum(1 for r in again.results if r.status == "unchanged"),
        "peak_rss_mb": round(rss, 1),
    }


def queries(args: dict[str, Any]) -> dict[str, Any]:
    """Latency of dense, BM25 and hybrid retrieval and of whole extractive answers, on a built store."""
    assistant = Assistant(args["home"])
    reps = int(args["reps"])
    asked = questions()
    k = assistant.settings.retrieve_k
    store = assistant.store
    ranker = assistant.ranker

    start = time.perf_counter()
    assistant.ask(asked[0], mode="extractive")  # opens the store, loads the model and the BM25 index
    first = time.perf_counter() - start

    timings: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": [], "answer": [], "answer_first": []}
    for rep in range(reps):
        for question in asked:
            bm25 = assistant._bm25_index()

            t = time.perf_counter()
            store.query(ranker.embed_query(question), k)
            timings["dense"].append(time.perf_counter() - t)

            t = time.perf_counter()
            bm25.search(question, k)
            timings["bm25"].append(time.perf_counter() - t)

            t = time.perf_counter()
            ranker.rank(question, k)
            timings["hybrid"].append(time.perf_counter() - t)

            t = time.perf_counter()
            assistant.ask(question, mode="extractive")
            timings["answer"].append(time.perf_counter() - t)
            if rep == 0:  # the first pass: most articles are read for the first time (later passes reuse them)
                timings["answer_first"].append(timings["answer"][-1])
    return {
        "questions": len(asked),
        "reps": reps,
        "chunks": store.count_chunks(),
        "first_answer_s": round(first, 3),
        **{name: summary_ms(values) for name, values in timings.items()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


PHASES = {"ingest": ingest, "queries": queries}


def main() -> None:
    phase, raw_args = sys.argv[1], sys.argv[2]
    result = PHASES[phase](json.loads(raw_args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
