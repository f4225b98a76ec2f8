"""Ingest: files to stored articles, idempotently.

An article is keyed by its id (file stem or record id) and its content hash:
unchanged articles cost one metadata read; a changed article's chunks are all
replaced; a file whose text is already stored under another id, or came earlier
in the same batch, is a duplicate and is skipped. A bad file is reported and
skipped (rejected); the batch goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.chunking import article_sentences, chunk_article, embedded_text
from qa.loaders import SUPPORTED_EXTENSIONS, load_paths
from qa.progress import Estimate, IngestProgress, Progress, Stage
from qa.reading import with_reading
from qa.store import Store
from qa.types import Article, Chunk, IngestReport, IngestResult, Sentence, SentenceVectors

log = logging.getLogger(__name__)

EMBED_GROUP = 512  # chunks embedded (and written) together: long batches, few store transactions, bounded memory
EMBED_SLICE = 128  # chunks per embedder call inside a group: progress moves every few seconds, batches stay long


@dataclass
class _Pending:
    article: Article
    status: str  # "added" | "updated"
    path: str
    chunks: list[Chunk] = field(default_factory=list)


class _Teller:
    """Sends progress events, each with the outcomes settled since the last one."""

    def __init__(self, progress: Progress | None, start: float | None = None) -> None:
        self._progress = progress
        self.start = time.monotonic() if start is None else start
        self.results: list[IngestResult] = []
        self._told = 0

    def settle(self, result: IngestResult) -> None:
        self.results.append(result)

    def __call__(self, stage: Stage, done: int, total: int, left: float | None = None, chunks: int = 0) -> None:
        if self._progress is None:
            return
        fresh = tuple(self.results[self._told :])
        self._told = len(self.results)
        self._progress(IngestProgress(stage, done, total, time.monotonic() - self.start, left, chunks, fresh))


def ingest_paths(
    store: Store,
    embedding: BaseEmbedding,
    paths: Iterable[str | Path],
    max_bytes: int,
    progress: Progress | None = None,
    *,
    started: float | None = None,
    fetch_timeout: float | None = None,
) -> IngestReport:
    """Ingest every file under ``paths`` into ``store``; see the module docstring.

    ``progress`` hears of every step (see :mod:`qa.progress`); ``started`` (a ``time.monotonic()``)
    is when the caller began, so elapsed times count the opening of the store too. ``paths`` may hold
    http(s) URLs of article pages and feeds; each fetch gives up after ``fetch_timeout`` seconds.
    """
    tell = _Teller(progress, started)
    paths = list(paths)
    files = count_files(paths)
    loaded = []
    read: set[str] = set()
    tell("reading", 0, files)
    for item in load_paths(paths, max_bytes=max_bytes, fetch_timeout=fetch_timeout):
        loaded.append(item)
        read.add(item.path.partition("#")[0])  # the records of a JSON file count as one file
        tell("reading", len(read), max(files, len(read)))
    ids = [item.article.article_id for item in loaded if item.article is not None]
    records = store.article_records(list(dict.fromkeys(ids)))
    # one lookup for every text that may already be stored under another id
    stored_hashes = store.find_by_hashes([item.article.content_hash for item in loaded if item.article is not None])
    pending: list[_Pending] = []
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[str, tuple[str, str]] = {}  # content hash -> (article id, path) earlier in this batch
    reread: list[tuple[Article, dict[str, Any]]] = []
    unchanged: list[Article] = []
    for item in loaded:
        if item.article is None:
            assert item.error is not None
            tell.settle(IngestResult(item.path, "rejected", reason=str(item.error)))
            continue
        art = item.article
        if art.article_id in seen_ids:
            tell.settle(
                IngestResult(
                    item.path,
                    "rejected",
                    art.article_id,
                    f"{item.path}: article id {art.article_id!r} is also used by {seen_ids[art.article_id]} "
                    "in this batch - rename one file or give the record its own 'id'",
                )
            )
            continue
        seen_ids[art.article_id] = item.path
        record = records.get(art.article_id)
        if record and record.get("status") == "ok" and record.get("content_hash") == art.content_hash:
            tell.settle(IngestResult(item.path, "unchanged", art.article_id, chunks=int(record.get("chunks", 0))))
            unchanged.append(art)
            if not store.has_reading(record):  # stored before readings were kept, or read by other code
                reread.append((with_reading(art), record))
            continue
        duplicate = _duplicate_reason(item.path, art, seen_hashes, stored_hashes)
        if duplicate:
            tell.settle(IngestResult(item.path, "duplicate", art.article_id, duplicate))
            continue
        seen_hashes[art.content_hash] = (art.article_id, item.path)
        pending.append(_Pending(art, "updated" if record else "added", item.path))
    if reread:
        log.info("ingest: keeping a new reading of %d unchanged articles", len(reread))
        store.keep_readings(reread)
    _keep_missing_vectors(store, embedding, unchanged)

    # Each group is read (sentences, chunks), embedded and written before the next one is read, so
    # the work done so far is a fair sample of what is left: the estimate is made of text characters.
    total = len(pending)
    estimate = Estimate(sum(len(p.article.text) for p in pending) or 1)
    done = chunks_done = 0
    chars_done = 0
    tell("embedding", 0, total)
    for group in _groups(pending, tell):
        texts = [embedded_text(p.article, c) for p in group for c in p.chunks]
        n_chunks = len(texts)
        # and every sentence alone, for the answer path's ranker (qa.sentence_rank): made here, not per question
        sentences = _sentences([p.article for p in group])
        texts += [s.text for _, s in sentences]
        group_chars = sum(len(p.article.text) for p in group)
        vectors: list[list[float]] = [[] for _ in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths batch together
        left: float | None = None
        for at in range(0, len(order), EMBED_SLICE):
            part = order[at : at + EMBED_SLICE]
            for index, vector in zip(part, embedding.get_text_embedding_batch([texts[i] for i in part]), strict=True):
                vectors[index] = vector
            chunks_done += sum(1 for i in part if i < n_chunks)
            share = (at + len(part)) / len(texts)
            left = estimate.update(chars_done + group_chars * share)
            tell("embedding", done + int(len(group) * share), total, left, chunks_done)
        writes = []
        offset = 0
        for p in group:
            n = len(p.chunks)
            writes.append((p.article, p.chunks, vectors[offset : offset + n]))
            offset += n
        kept = _by_article([p.article for p in group], sentences, vectors[n_chunks:])
        tell("writing", done + len(group), total, left, chunks_done)
        store.write_articles(
            writes, new={p.article.article_id for p in group if p.status == "added"}, sentence_vectors=kept
        )
        chars_done += group_chars
        for p in group:
            tell.settle(IngestResult(p.path, p.status, p.article.article_id, chunks=len(p.chunks)))  # type: ignore[arg-type]
        done += len(group)
        if done < total:
            tell("embedding", done, total, estimate.update(chars_done), chunks_done)
    tell("done", done, done, 0.0, chunks_done)  # also settles articles found to have no sentences at the end
    report = IngestReport(tell.results)
    log.info("ingest: %s", report.summary())
    return report


def _sentences(articles: Sequence[Article]) -> list[tuple[str, Sentence]]:
    """Every sentence of ``articles``, with its article's id: what ingest embeds alone."""
    return [(a.article_id, s) for a in articles for s in article_sentences(a)]


def _by_article(
    articles: Sequence[Article], sentences: Sequence[tuple[str, Sentence]], vectors: Sequence[Sequence[float]]
) -> dict[str, SentenceVectors]:
    """The vectors of ``sentences`` (``(article id, sentence)``) by article id and sentence start."""
    kept: dict[str, dict[int, Any]] = {a.article_id: {} for a in articles}
    for (article_id, sentence), vector in zip(sentences, vectors, strict=True):
        kept[article_id][sentence.start] = np.asarray(vector, dtype=np.float32)
    return dict(kept)


def _sentence_vectors(embedding: BaseEmbedding, articles: Sequence[Article]) -> dict[str, SentenceVectors]:
    """Each sentence of ``articles`` embedded alone, by article id and sentence start."""
    sentences = _sentences(articles)
    vectors = embedding.get_text_embedding_batch([s.text for _, s in sentences]) if sentences else []
    return _by_article(articles, sentences, vectors)


def _keep_missing_vectors(store: Store, embedding: BaseEmbedding, unchanged: Sequence[Article]) -> None:
    """Unchanged articles stored before sentence vectors were kept get them now (answers then embed less)."""
    lacking = set(store.lacking_sentence_vectors([a.article_id for a in unchanged]))
    todo = [a for a in unchanged if a.article_id in lacking]
    if todo:
        log.info("ingest: embedding the sentences of %d unchanged articles stored without their vectors", len(todo))
    for i in range(0, len(todo), 64):
        store.keep_sentence_vectors(_sentence_vectors(embedding, todo[i : i + 64]))


def _duplicate_reason(
    path: str, art: Article, seen: dict[str, tuple[str, str]], stored: dict[str, list[str]]
) -> str | None:
    """Why ``art`` is a duplicate (of a text earlier in this batch, or already stored), or None."""
    earlier = seen.get(art.content_hash)
    if earlier:
        twin, twin_path = earlier
        return f"{path}: same text as {twin!r} ({twin_path}) earlier in this batch - ingested once, as {twin!r}"
    stored_twin = next((i for i in stored.get(art.content_hash, []) if i != art.article_id), None)
    if stored_twin:
        twin = stored_twin
        return (
            f"{path}: same text as article {twin!r}, already stored - nothing to do "
            f"(remove {twin!r} first if this file should replace it)"
        )
    return None


def count_files(paths: Sequence[str | Path]) -> int:
    """How many files ingest will read under ``paths`` (for progress; records of a JSON file count once)."""
    count = 0
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for _root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                count += sum(
                    1 for n in names if not n.startswith(".") and Path(n).suffix.lower() in SUPPORTED_EXTENSIONS
                )
        else:
            count += 1
    return count


def _groups(pending: Sequence[_Pending], tell: _Teller) -> Iterator[list[_Pending]]:
    """``pending`` read and chunked, in groups of about EMBED_GROUP chunks; an article without
    sentences is settled as rejected."""
    group: list[_Pending] = []
    size = 0
    for p in pending:
        p.article = with_reading(p.article)  # read once: for the chunks, and kept with the article for answering
        p.chunks = chunk_article(p.article)
        if not p.chunks:
            tell.settle(
                IngestResult(p.path, "rejected", p.article.article_id, f"{p.path}: no sentences of article text found")
            )
            continue
        group.append(p)
        size += len(p.chunks)
        if size >= EMBED_GROUP:
            yield group
            group, size = [], 0
    if group:
        yield group
