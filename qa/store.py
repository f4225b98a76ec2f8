"""Chroma: the one source of truth for articles and their chunk vectors.

Three collections per store:

* ``<name>_chunks``: one record per chunk, with its vector, its text and the
  offsets of its sentences;
* ``<name>_articles``: one record per article, holding the full text (so any
  citation can be checked against it), its metadata, its content hash and its
  state. Chroma needs a vector for every record; article records carry a
  constant one-dimensional vector that nothing queries;
* ``<name>_sentences``: one record per article, holding the vector of each of
  its sentences (made at ingest, so answering does not embed them), as float16
  bytes in its document and the sentences' offsets in its metadata; the same
  constant vector. An article without one (stored before them) is embedded
  when asked about.

An article is written as: record marked ``pending`` -> old chunks deleted ->
new chunks and sentence vectors added -> record marked ``ok`` with its hash. A crash anywhere in
between leaves a ``pending`` record that the next ingest redoes and
``check`` reports, never an article that looks complete but is not.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

from qa.errors import ConfigError, StoreError
from qa.reading import from_json, reader, to_json
from qa.types import Article, ArticleInfo, Chunk, Reading, SentenceVectors

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

STATE_ID = "__state__"  # record in the articles collection whose "generation" changes on every write
BATCH = 256  # records per Chroma call: keeps server requests well under size limits
_DUMMY: Any = [[1.0]]  # the vector of article and state records, which nothing queries
# How many neighbours the HNSW search explores. Chroma's default (100) missed one of the 12 nearest chunks
# for 13-20 of 1,000 SQuAD questions over 1,491 chunks, and which ones changed from one ingest of the same
# articles to the next (the graph is built in another order): answers changed between identical runs.
# With 400 the 12 nearest were exactly those of a full scan for all 1,000 (bench/README.md for its cost).
SEARCH_EF = 400


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store, with what a citation needs."""

    chunk_id: str
    article_id: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]


def _connect(home: Path, chroma_url: str | None, timeout: float) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if not url.hostname:
            raise ConfigError("QA_CHROMA_URL", f"{chroma_url!r} has no host", "use e.g. http://127.0.0.1:8000")
        port = url.port or (443 if url.scheme == "https" else 8000)
        try:
            # chromadb's HttpClient talks to the server while it is made, with no timeout at all: ask first
            _heartbeat(url.scheme, url.hostname, port, timeout)
            client = chromadb.HttpClient(host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings)
            _bound_requests(client, timeout)
            client.heartbeat()
        except Exception as exc:  # chromadb raises plain exceptions for connection failures
            if _caused_by(exc, _timeouts()):
                raise _no_answer(chroma_url, "connect", timeout) from exc
            raise StoreError(
                chroma_url,
                f"cannot reach the Chroma server ({type(exc).__name__})",
                "start it with 'chroma run --path DIR --host 127.0.0.1 --port 8000' or unset QA_CHROMA_URL",
            ) from exc
        return client
    path = home / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except OSError as exc:
        raise StoreError(str(path), f"cannot open the store ({exc.strerror or exc})", "check QA_HOME") from exc


def _heartbeat(scheme: str, host: str, port: int, timeout: float) -> None:
    """One request to the server's heartbeat, bounded by ``timeout`` (raises httpx errors)."""
    import httpx

    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    httpx.get(f"{'https' if scheme == 'https' else 'http'}://{host}:{port}/api/v2/heartbeat", timeout=timeout)


def _bound_requests(client: ClientAPI, timeout: float) -> None:
    """Give every request of ``client`` a timeout.

    chromadb 1.5 makes its ``httpx.Client`` with ``timeout=None`` (chromadb/api/fastapi.py) and has no
    setting for it (its Settings' request timeouts are for its distributed server's own calls), so a
    server that stops answering would hang a question forever. The session is reached through private
    attributes; if a chromadb release moves them, say so loudly rather than hang silently.
    """
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        log.warning("cannot set a timeout on chromadb's HTTP client: a hung Chroma server may hang questions")
        return
    session.timeout = httpx.Timeout(timeout)


def _timeouts() -> tuple[type[BaseException], ...]:
    import httpx

    # not ConnectTimeout: a server that cannot be reached at all is "cannot reach", below
    return (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout)


def _caused_by(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """True when ``exc``, or what caused it (a few links down), is one of ``kinds``."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unreachable(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) means the Chroma server did not answer at all."""
    import httpx

    return _caused_by(exc, (httpx.TransportError, ConnectionError, TimeoutError))


def _no_answer(where: str, action: str, timeout: float) -> StoreError:
    return StoreError(
        where,
        f"the Chroma server accepted the connection but did not answer within {timeout:g} s (to {action})",
        "check that the server is up, that it is a Chroma server, and that it is not overloaded; "
        "or set QA_TIMEOUT higher, or unset QA_CHROMA_URL",
    )


def _clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    # Chroma rejects None metadata values
    return {k: v for k, v in meta.items() if v is not None}


class Store:
    """Articles and chunk vectors in Chroma (embedded or server)."""

    def __init__(
        self, home: Path, name: str, chroma_url: str | None, embedding_signature: str, timeout: float = 20.0
    ) -> None:
        self.where = chroma_url or str(home / "chroma")
        self._timeout = timeout  # seconds each request to a Chroma server may wait for its answer
        self._client = _connect(home, chroma_url, timeout)
        with self._errors("open the collections"):
            self.chunks: Collection = self._client.get_or_create_collection(
                f"{name}_chunks",
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "embedding": embedding_signature},
            )
            self.articles: Collection = self._client.get_or_create_collection(
                f"{name}_articles", embedding_function=None
            )
            self.sentences: Collection = self._client.get_or_create_collection(
                f"{name}_sentences", embedding_function=None, metadata={"embedding": embedding_signature}
            )
        self._search_widely()
        stored = (self.chunks.metadata or {}).get("embedding")
        if stored and stored != embedding_signature:
            raise ConfigError(
                "QA_EMBED_BACKEND",
                f"the store in {self.where} was built with {stored}, not {embedding_signature}",
                "use the same embedding settings, or a new QA_HOME / QA_COLLECTION",
            )

    def _search_widely(self) -> None:
        """Give the chunk index :data:`SEARCH_EF` (once per store: a new one, or one made before it or by other code);
        set before the index is first read, it holds from this process on."""
        hnsw = (self.chunks.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != SEARCH_EF:
            with self._errors("set the vector index's search breadth"):
                self.chunks.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except (ConfigError, StoreError):
            raise
        except Exception as exc:
            if self.where.startswith("http") and _caused_by(exc, _timeouts()):
                raise _no_answer(self.where, action, self._timeout) from exc
            if self.where.startswith("http") and _unreachable(exc):
                raise StoreError(
                    self.where,
                    f"cannot reach the Chroma server to {action} ({type(exc).__name__})",
                    "start it with 'chroma run --path DIR --host HOST --port PORT' (the same --path as before) "
                    "or unset QA_CHROMA_URL",
                ) from exc
            raise StoreError(
                self.where,
                f"could not {action} ({type(exc).__name__}: {str(exc)[:200]})",
                "check that the Chroma server is running and reachable"
                if self.where.startswith("http")
                else "check QA_HOME; 'qa check' tells whether the store is healthy",
            ) from exc

    # ---- state -------------------------------------------------------------

    def generation(self) -> str:
        """A token that changes whenever any article is written or removed."""
        with self._errors("read the store state"):
            got = self.articles.get(ids=[STATE_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0].get("generation", "")) if metas else ""

    def _bump(self) -> None:
        self.articles.upsert(
            ids=[STATE_ID],
            embeddings=_DUMMY,
            metadatas=[{"generation": uuid.uuid4().hex, "kind": "state"}],
            documents=[""],
        )

    # ---- articles ----------------------------------------------------------

    def article_records(self, ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Metadata of the given (or all) article records, by id; the state record left out."""
        with self._errors("read articles"):
            if ids is not None:
                got = self.articles.get(ids=list(ids), include=["metadatas"]) if ids else None
            else:
                got = self.articles.get(where={"kind": "article"}, include=["metadatas"])
        if not got:
            return {}
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True) if i != STATE_ID}

    def find_by_hashes(self, hashes: Sequence[str]) -> dict[str, list[str]]:
        """Ids of complete articles by content hash, for every hash in ``hashes`` that is stored."""
        found: dict[str, list[str]] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), BATCH):
            part = unique[i : i + BATCH]
            where: Any = {"content_hash": part[0]} if len(part) == 1 else {"content_hash": {"$in": part}}
            with self._errors("look up articles"):
                got = self.articles.get(where={"$and": [where, {"status": "ok"}]}, include=["metadatas"])
            for article_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                found.setdefault(str((meta or {}).get("content_hash", "")), []).append(article_id)
        return found

    def article(self, article_id: str) -> Article | None:
        """The stored article, full text included, or None."""
        return self.articles_by_id([article_id]).get(article_id)

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        """Stored articles (full text included) for the ids that exist."""
        if not ids:
            return {}
        with self._errors("read articles"):
            got = self.articles.get(ids=list(ids), include=["metadatas", "documents"])
        out: dict[str, Article] = {}
        for i, meta, doc in zip(got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True):
            if i == STATE_ID or not meta:
                continue
            out[i] = Article(
                article_id=i,
                text=doc or "",
                content_hash=str(meta.get("content_hash", "")),
                title=_opt(meta, "title"),
                source=_opt(meta, "source"),
                published=_opt(meta, "published"),
                url=_opt(meta, "url"),
                path=_opt(meta, "path"),
                author=_opt(meta, "author"),
                boilerplate=tuple(tuple(p) for p in json.loads(str(meta.get("boilerplate", "[]")))),
                reading=_stored_reading(meta, len(doc or "")),
            )
        return out

    def list_articles(self) -> list[ArticleInfo]:
        """Every complete article, sorted by id."""
        records = self.article_records()
        return [
            ArticleInfo(
                article_id=i,
                title=_opt(m, "title"),
                source=_opt(m, "source"),
                published=_opt(m, "published"),
                url=_opt(m, "url"),
                path=_opt(m, "path"),
                chunks=int(m.get("chunks", 0)),
                content_hash=str(m.get("content_hash", "")),
                added=_opt(m, "added"),
            )
            for i, m in sorted(records.items())
            if m.get("status") == "ok"
        ]

    # ---- writes ------------------------------------------------------------

    def write_articles(
        self,
        items: Sequence[tuple[Article, Sequence[Chunk], Sequence[Sequence[float]]]],
        new: Container[str] = (),
        sentence_vectors: Mapping[str, SentenceVectors] | None = None,
    ) -> None:
        """Replace everything stored for each article with its chunks, all in a few calls.

        Crash-safe order for the whole group: every record marked ``pending``,
        their old chunks deleted, the new chunks added, every record marked
        ``ok``. A handful of Chroma calls per group instead of five per article
        (each call is a database transaction). ``new``: ids of articles that had no
        record, so no chunks either (a record is written before its chunks and removed after them):
        there is nothing of theirs to delete, and looking costs 6 ms per article at 100k chunks.
        ``sentence_vectors``: each article's sentence vectors, by article id (an article left out keeps none).
        """
        if not items:
            return
        ids = [article.article_id for article, _, _ in items]
        replaced = [i for i in ids if i not in new]
        added = datetime.now(timezone.utc).isoformat(timespec="seconds")  # the Articles view sorts by it
        metas = {article.article_id: {**_article_meta(article), "added": added} for article, _, _ in items}
        what = f"write article {ids[0]}" if len(ids) == 1 else f"write {len(ids)} articles ({ids[0]}, ...)"
        with self._errors(what):
            self.articles.upsert(
                ids=ids,
                embeddings=_DUMMY * len(ids),
                metadatas=[_clean_meta({**metas[i], "status": "pending", "content_hash": ""}) for i in ids],
                documents=[article.text for article, _, _ in items],
            )
            if replaced:
                owned: Any = {"article_id": replaced[0]} if len(replaced) == 1 else {"article_id": {"$in": replaced}}
                self.chunks.delete(where=owned)
            rows = [(c, v) for _, chunks, vectors in items for c, v in zip(chunks, vectors, strict=True)]
            for i in range(0, len(rows), BATCH):
                part = rows[i : i + BATCH]
                self.chunks.upsert(
                    ids=[c.chunk_id for c, _ in part],
                    embeddings=cast(Any, [list(map(float, v)) for _, v in part]),
                    documents=[c.text for c, _ in part],
                    metadatas=[
                        {
                            "article_id": c.article_id,
                            "index": c.index,
                            "start": c.start,
                            "end": c.end,
                            "sentences": json.dumps([list(s) for s in c.sentences]),
                        }
                        for c, _ in part
                    ],
                )
            self._write_sentence_vectors(ids, sentence_vectors or {})
            # metadata only: the text written with the pending record stays
            self.articles.update(
                ids=ids,
                metadatas=[
                    _clean_meta(
                        {**metas[a.article_id], "status": "ok", "content_hash": a.content_hash, "chunks": len(chunks)}
                    )
                    for a, chunks, _ in items
                ],
            )
            self._bump()

    def _write_sentence_vectors(self, ids: Sequence[str], vectors: Mapping[str, SentenceVectors]) -> None:
        kept = [i for i in ids if i in vectors]
        for i in range(0, len(kept), BATCH):
            part = kept[i : i + BATCH]
            self.sentences.upsert(
                ids=part,
                embeddings=_DUMMY * len(part),
                documents=[_vectors_text(vectors[a]) for a in part],
                metadatas=[{"starts": json.dumps(list(vectors[a])), "dim": _dimension(vectors[a])} for a in part],
            )
        stale = [i for i in ids if i not in vectors]
        if stale:  # an article written again without them: none of its old ones may stay
            self.sentences.delete(ids=stale)

    def keep_sentence_vectors(self, vectors: Mapping[str, SentenceVectors]) -> None:
        """Keep the sentence vectors of stored, unchanged articles (stored before they were kept)."""
        ids = list(vectors)
        if ids:
            with self._errors(f"write the sentence vectors of {len(ids)} articles ({ids[0]}, ...)"):
                self._write_sentence_vectors(ids, vectors)

    def lacking_sentence_vectors(self, ids: Sequence[str]) -> list[str]:
        """Those of the articles ``ids`` that have no sentence vectors kept."""
        have: set[str] = set()
        for i in range(0, len(ids), 5000):
            with self._errors("look up sentence vectors"):
                have.update(self.sentences.get(ids=list(ids[i : i + 5000]), include=[])["ids"])
        return [i for i in ids if i not in have]

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, SentenceVectors]:
        """The sentence vectors kept for the articles ``ids`` (those that have them), by article id."""
        if not ids:
            return {}
        with self._errors("read sentence vectors"):
            got = self.sentences.get(ids=list(ids), include=["metadatas", "documents"])
        out: dict[str, SentenceVectors] = {}
        for i, meta, doc in zip(got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True):
            kept = _vectors_from_text(doc or "", meta or {})
            if kept is not None:
                out[i] = kept
        return out

    @staticmethod
    def has_reading(record: Mapping[str, Any]) -> bool:
        """Whether an article record keeps a reading made by the code running now (see qa.reading)."""
        return record.get("reader") == reader() and "reading" in record

    def keep_readings(self, items: Sequence[tuple[Article, dict[str, Any]]]) -> None:
        """Keep a new reading of stored, unchanged articles (``(article, its record)``): metadata only."""
        for i in range(0, len(items), BATCH):
            part = items[i : i + BATCH]
            with self._errors(f"update {len(part)} articles ({part[0][0].article_id}, ...)"):
                self.articles.update(
                    ids=[a.article_id for a, _ in part],
                    metadatas=[_clean_meta({**record, **_article_meta(a)}) for a, record in part],
                )

    def remove_article(self, article_id: str) -> bool:
        """Delete an article and its chunks; False when it was not there."""
        with self._errors(f"remove article {article_id}"):
            if not self.articles.get(ids=[article_id], include=[])["ids"]:
                return False
            self.chunks.delete(where={"article_id": article_id})
            self.sentences.delete(ids=[article_id])
            self.articles.delete(ids=[article_id])
            self._bump()
        return True

    # ---- reads for retrieval ----------------------------------------------

    def count_chunks(self) -> int:
        """Number of chunk records."""
        with self._errors("count chunks"):
            return int(self.chunks.count())

    def all_chunks(self) -> Iterator[tuple[list[str], list[str]]]:
        """(ids, texts) of every chunk, page by page (for building BM25)."""
        total = self.count_chunks()
        page = 5000
        for offset in range(0, total, page):
            with self._errors("read chunks"):
                got = self.chunks.get(include=["documents"], limit=page, offset=offset)
            yield list(got["ids"]), [d or "" for d in got["documents"] or []]

    def chunk_article_ids(self) -> dict[str, str]:
        """chunk id -> article id, for every chunk (for checks)."""
        out: dict[str, str] = {}
        total = self.count_chunks()
        for offset in range(0, total, 5000):
            with self._errors("read chunks"):
                got = self.chunks.get(include=["metadatas"], limit=5000, offset=offset)
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True):
                out[i] = str((m or {}).get("article_id", ""))
        return out

    def query(self, vector: Sequence[float], k: int, total: int | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``k`` nearest chunks (``total``: the chunk count, if known)."""
        with self._errors("query the vector index"):
            n = self.chunks.count() if total is None else total
            if n == 0:
                return []
            got = self.chunks.query(
                query_embeddings=cast(Any, [list(vector)]), n_results=min(k, n), include=["distances"]
            )
        ids = got["ids"][0]
        dists = (got["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def chunks_by_id(self, ids: Sequence[str], text: bool = True) -> dict[str, StoredChunk]:
        """The stored chunks for ``ids``; without ``text``, their places only (``text`` is empty: a quicker read)."""
        if not ids:
            return {}
        with self._errors("read chunks"):
            got = self.chunks.get(ids=list(ids), include=["metadatas", "documents"] if text else ["metadatas"])
        docs = got["documents"] if text else None
        out: dict[str, StoredChunk] = {}
        for i, meta, doc in zip(got["ids"], got["metadatas"] or [], docs or [""] * len(got["ids"]), strict=True):
            m = meta or {}
            out[i] = StoredChunk(
                chunk_id=i,
                article_id=str(m.get("article_id", "")),
                start=int(m.get("start", 0)),  # type: ignore[arg-type]
                end=int(m.get("end", 0)),  # type: ignore[arg-type]
                text=doc or "",
                sentences=tuple(tuple(p) for p in json.loads(str(m.get("sentences", "[]")))),
            )
        return out


def _dimension(vectors: SentenceVectors) -> int:
    return len(next(iter(vectors.values()))) if vectors else 0


def _vectors_text(vectors: SentenceVectors) -> str:
    """Sentence vectors as a document: float16 rows (a cosine moves by about 1e-4), base64."""
    import base64

    import numpy as np

    if not vectors:
        return ""
    rows = np.stack([np.asarray(v, dtype=np.float16) for v in vectors.values()])
    return base64.b64encode(rows.tobytes()).decode("ascii")


def _vectors_from_text(text: str, meta: Mapping[str, Any]) -> SentenceVectors | None:
    """The vectors :func:`_vectors_text` wrote, by sentence start; None when they do not fit their offsets."""
    import base64

    import numpy as np

    try:
        starts = [int(s) for s in json.loads(str(meta.get("starts", "[]")))]
        dim = int(meta.get("dim", 0))
        rows = np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)
    except (ValueError, TypeError):
        return None
    if not starts:
        return {}
    if dim <= 0 or rows.size != dim * len(starts):
        log.warning(
            "sentence vectors of %d sentences do not fit their %d values: embedding them", len(starts), rows.size
        )
        return None
    return dict(zip(starts, rows.reshape(len(starts), dim), strict=True))


def _article_meta(article: Article) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kind": "article",
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "url": article.url,
        "path": article.path,
        "author": article.author,
        "boilerplate": json.dumps([list(s) for s in article.boilerplate]),
    }
    if article.reading is not None:
        meta["reader"] = article.reading.reader
        meta["reading"] = to_json(article.reading)
    return meta


def _stored_reading(meta: Mapping[str, Any], length: int) -> Reading | None:
    """The reading kept from ingest, if the code running now made it (else None: read the article again)."""
    if not Store.has_reading(meta):
        return None
    reading = from_json(reader(), str(meta["reading"]), length)
    if reading is None:
        log.warning("article %s: its kept reading does not fit its text; reading it again", meta.get("path"))
    return reading


def _opt(meta: dict[str, Any] | Any, key: str) -> str | None:
    value = meta.get(key) if meta else None
    return str(value) if value not in (None, "") else None
