"""Ingest: files to stored articles, idempotently.

An article is keyed by its id (file stem or record id) and its content hash:
unchanged articles cost one metadata read; a changed article's chunks are all
replaced; a file whose text is already stored under another id is rejected as
a duplicate. A bad file is reported and skipped; the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.chunking import chunk_article, embedded_text
from qa.loaders import load_paths
from qa.reading import with_reading
from qa.store import Store
from qa.types import Article, Chunk, IngestReport, IngestResult

log = logging.getLogger(__name__)

EMBED_GROUP = 512  # chunks embedded (and written) together: long batches, few store transactions, bounded memory

Progress = Callable[[int, int], None]  # (done, total) articles


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    status: str  # "added" | "updated"
    path: str


def ingest_paths(
    store: Store,
    embedding: BaseEmbedding,
    paths: Iterable[str | Path],
    max_bytes: int,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest every file under ``paths`` into ``store``; see the module docstring."""
    loaded = list(load_paths(paths, max_bytes=max_bytes))
    ids = [item.article.article_id for item in loaded if item.article is not None]
    records = store.article_records(list(dict.fromkeys(ids)))
    # one lookup for every text that may already be stored under another id
    stored_hashes = store.find_by_hashes([item.article.content_hash for item in loaded if item.article is not None])
    results: list[IngestResult] = []
    pending: list[_Pending] = []
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    reread: list[tuple[Article, dict[str, Any]]] = []
    for item in loaded:
        if item.article is None:
            assert item.error is not None
            results.append(IngestResult(item.path, "rejected", reason=str(item.error)))
            continue
        art = item.article
        if art.article_id in seen_ids:
            results.append(
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
            results.append(IngestResult(item.path, "unchanged", art.article_id, chunks=int(record.get("chunks", 0))))
            if not store.has_reading(record):  # stored before readings were kept, or read by other code
                reread.append((with_reading(art), record))
            continue
        twin = seen_hashes.get(art.content_hash) or next(
            (i for i in stored_hashes.get(art.content_hash, []) if i != art.article_id), None
        )
        if twin:
            results.append(
                IngestResult(
                    item.path,
                    "rejected",
                    art.article_id,
                    f"{item.path}: same text as article {twin!r}, already stored - nothing to do "
                    f"(remove {twin!r} first if this file should replace it)",
                )
            )
            continue
        seen_hashes[art.content_hash] = art.article_id
        art = with_reading(art)  # read once: for the chunks, and kept with the article for answering
        chunks = chunk_article(art)
        if not chunks:
            results.append(
                IngestResult(item.path, "rejected", art.article_id, f"{item.path}: no sentences of article text found")
            )
            continue
        pending.append(_Pending(art, chunks, "updated" if record else "added", item.path))
    if reread:
        log.info("ingest: keeping a new reading of %d unchanged articles", len(reread))
        store.keep_readings(reread)

    done = 0
    total = len(pending)
    if progress:
        progress(0, total)
    for group in _groups(pending):
        texts = [embedded_text(p.article, c) for p in group for c in p.chunks]
        vectors = embedding.get_text_embedding_batch(texts)
        writes = []
        offset = 0
        for p in group:
            n = len(p.chunks)
            writes.append((p.article, p.chunks, vectors[offset : offset + n]))
            offset += n
        store.write_articles(writes, new={p.article.article_id for p in group if p.status == "added"})
        for p in group:
            results.append(IngestResult(p.path, p.status, p.article.article_id, chunks=len(p.chunks)))  # type: ignore[arg-type]
            done += 1
            if progress:
                progress(done, total)
    log.info("ingest: %s", IngestReport(results).summary())
    return IngestReport(results)


def _groups(pending: Sequence[_Pending]) -> Iterable[list[_Pending]]:
    group: list[_Pending] = []
    size = 0
    for p in pending:
        group.append(p)
        size += len(p.chunks)
        if size >= EMBED_GROUP:
            yield group
            group, size = [], 0
    if group:
        yield group
