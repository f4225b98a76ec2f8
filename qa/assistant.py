"""The core: ``Assistant`` ingests articles and answers questions with checked citations.

The UI, the CLI and the eval runner call this class and nothing below it.
Heavy things (Chroma, the embedder, the BM25 index) are opened on first use,
so constructing an Assistant is cheap and never touches the network.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from qa.config import Settings
from qa.errors import EmptyIndexError, NotFoundError, QAError, QuestionError
from qa.lru import Lru
from qa.types import Answer, Article, ArticleInfo, IngestReport, SentenceVectors

V = TypeVar("V")

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from qa.bm25 import BM25Index
    from qa.evidence import Evidence
    from qa.generative import StreamEvent
    from qa.llm import ChatModel
    from qa.progress import Progress
    from qa.question import Question
    from qa.ranking import HybridRanker
    from qa.retrieval import HybridRetriever
    from qa.span_reader import SpanReader
    from qa.store import Store
    from qa.templates import Templates

log = logging.getLogger(__name__)


def samples_dir() -> Path:
    """The bundled sample articles."""
    return Path(__file__).parent / "samples" / "articles"


@dataclass(frozen=True)
class Health:
    """What ``qa check`` finds: counts, and every inconsistency in words."""

    articles: int
    chunks: int
    problems: list[str]

    @property
    def healthy(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


@dataclass(frozen=True)
class RetrievedArticle:
    """An article in retrieval order (for retrieval metrics), with its best chunk's rank."""

    article_id: str
    rank: int
    score: float


class Assistant:
    """Question answering over news articles with verbatim, checked citations."""

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        settings: Settings | None = None,
        embedding: BaseEmbedding | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env(home=home)
        self._embedding = embedding
        self._store: Store | None = None
        self._bm25: BM25Index | None = None
        self._ranker: HybridRanker | None = None
        self._retriever: HybridRetriever | None = None
        self._lock = threading.RLock()  # the lazy wiring and the BM25 index
        # Writes (ingest, remove) are serialised by their own lock, so a long ingest never holds up questions:
        # a question sees the store as it is (the BM25 index follows the store's generation token).
        self._write_lock = threading.RLock()
        self._chat: ChatModel | None = None
        self._templates: Templates | None = None
        self._articles: _Recent[Article] = _Recent()
        self._vectors: _Recent[SentenceVectors] = _Recent()
        if self.settings.answer_mode == "llm":
            _ = self.templates  # a broken prompt file fails here, at start, not in the middle of an answer

    # ---- wiring (lazy) -----------------------------------------------------

    @property
    def embedding(self) -> BaseEmbedding:
        """The embedding model (llama-index interface)."""
        if self._embedding is None:
            from qa.embedding import make_embedding

            self._embedding = make_embedding(self.settings)
        return self._embedding

    @property
    def store(self) -> Store:
        """The Chroma store, opened on first use."""
        with self._lock:
            if self._store is None:
                from qa.store import Store

                s = self.settings
                self._store = Store(s.home, s.collection, s.chroma_url, self._embedding_signature(), s.timeout)
            return self._store

    def _bundled_encoder(self) -> bool:
        """True when vectors come from the bundled MiniLM and no other embedding was handed in."""
        return self._embedding is None and self.settings.embed_backend == "minilm"

    def _embedding_signature(self) -> str:
        if self._bundled_encoder():
            from qa.encoder import MINILM_SIGNATURE

            return MINILM_SIGNATURE  # known without building the llama-index embedding (and importing llama-index)
        from qa.embedding import embedding_signature

        return embedding_signature(self.embedding)

    def _embed_query(self, text: str) -> list[float]:
        """A question's vector: the bundled encoder called directly (the same vector the embedding gives)."""
        if self._bundled_encoder():
            from qa.encoder import shared_encoder
            from qa.sentence_rank import vectors

            # kept with the sentence vectors: the sentence ranker compares the question's with theirs next
            vector: list[float] = vectors([text], shared_encoder().encode)[0].tolist()
            return vector
        return self.embedding.get_query_embedding(text)

    def _embed_texts(self, texts: list[str]) -> Any:
        """Vectors of sentences (rows of a float32 array), from the same model as the chunks'."""
        import numpy as np

        if self._bundled_encoder():
            from qa.encoder import shared_encoder

            return shared_encoder().encode(texts)
        return np.asarray(self.embedding.get_text_embedding_batch(texts), dtype=np.float32)

    def _span_reader(self) -> SpanReader:
        """The learned span reader (its own model, whatever embeds the chunks)."""
        from qa.span_reader import shared_reader

        return shared_reader()

    def _bm25_index(self) -> BM25Index:
        """The BM25 index for the store's current generation (loaded, or rebuilt and cached)."""
        from qa.bm25 import BM25Index

        with self._lock:
            generation = self.store.generation()
            if self._bm25 is not None and self._bm25.generation == generation:
                return self._bm25
            cache = self._bm25_dir()
            index = BM25Index.load(cache, generation)
            if index is None:
                log.info("building the BM25 index from %s", self.store.where)
                index = BM25Index.build(self.store.all_chunks(), generation)
                try:
                    index.save(cache)
                except OSError as exc:  # a read-only home still answers, it just rebuilds next time
                    log.warning("could not cache the BM25 index in %s: %s", cache, exc)
            self._bm25 = index
            return index

    def _bm25_dir(self) -> Path:
        where = self.settings.chroma_url or "local"
        key = hashlib.sha1(f"{where}|{self.settings.collection}".encode()).hexdigest()[:12]
        return self.settings.home / "bm25" / f"{self.settings.collection}-{key}"

    @property
    def ranker(self) -> HybridRanker:
        """Dense + BM25 ranking of chunks, fused by reciprocal rank (what questions use)."""
        if self._ranker is None:
            from qa.ranking import HybridRanker

            self._ranker = HybridRanker(self.store, self._embed_query, self._bm25_index, k=self.settings.retrieve_k)
        return self._ranker

    @property
    def retriever(self) -> HybridRetriever:
        """The same ranking as a llama-index retriever, to compose with llama-index query engines."""
        if self._retriever is None:
            from qa.retrieval import HybridRetriever

            self._retriever = HybridRetriever(self.ranker)
        return self._retriever

    # ---- articles ----------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path] | str | Path, progress: Progress | None = None) -> IngestReport:
        """Add or update the articles under ``paths`` (files or directories); report per file.

        ``progress`` hears of every step (:class:`qa.progress.IngestProgress`), the first one at
        once, before the store and the embedder are opened (which takes seconds).
        """
        import time

        started = time.monotonic()
        if progress is not None:
            from qa.progress import IngestProgress

            progress(IngestProgress("opening", 0, 0, 0.0))
        from qa.ingest import ingest_paths

        if isinstance(paths, str | Path):
            paths = [paths]
        with self._write_lock:
            report = ingest_paths(
                self.store,
                self.embedding,
                paths,
                self.settings.max_file_bytes,
                progress,
                started=started,
                fetch_timeout=self.settings.timeout,
            )
        return report

    def generation(self) -> str:
        """A token that changes whenever an article is written or removed (to cache what derives from them)."""
        return self.store.generation()

    def list_articles(self) -> list[ArticleInfo]:
        """The stored articles, sorted by id."""
        return self.store.list_articles()

    def remove(self, article_id: str) -> None:
        """Delete an article and all of its chunks; NotFoundError when there is none."""
        with self._write_lock:
            if not self.store.remove_article(article_id):
                raise NotFoundError(article_id)

    def check(self) -> Health:
        """Check the store: complete articles, no orphan or stale chunks, BM25 in step with Chroma."""
        with self._write_lock, self._lock:  # not in the middle of a write (always this order: write, then wiring)
            store = self.store
            records = store.article_records()
            owners = store.chunk_article_ids()
            problems: list[str] = []
            complete = {i for i, m in records.items() if m.get("status") == "ok"}
            for i in sorted(records):
                if i not in complete:
                    problems.append(
                        f"{i}: ingest did not finish - run 'qa ingest' on its file again or 'qa remove {i}'"
                    )
            per_article: dict[str, list[str]] = {}
            for chunk_id, article_id in owners.items():
                per_article.setdefault(article_id, []).append(chunk_id)
            for article_id in sorted(set(per_article) - set(records)):
                problems.append(f"{len(per_article[article_id])} orphan chunk(s) of unknown article {article_id!r}")
            articles = store.articles_by_id(sorted(complete))
            for i in sorted(complete):
                expected = int(records[i].get("chunks", 0))
                ids = per_article.get(i, [])
                if len(ids) != expected:
                    problems.append(f"{i}: {len(ids)} chunk(s) stored, {expected} expected - ingest it again")
                    continue
                for chunk in store.chunks_by_id(ids).values():
                    if articles[i].text[chunk.start : chunk.end] != chunk.text:
                        problems.append(
                            f"{i}: chunk {chunk.chunk_id} does not match the article text - ingest it again"
                        )
                        break
            bm25 = set(self._bm25_index().chunk_ids)
            if bm25 != set(owners):
                problems.append(
                    f"BM25 index out of step ({len(bm25)} chunks vs {len(owners)} in Chroma) - "
                    "it rebuilds on the next question"
                )
            return Health(articles=len(complete), chunks=len(owners), problems=problems)

    def article(self, article_id: str) -> Article:
        """A stored article with its full text."""
        found = self.store.article(article_id)
        if found is None:
            raise NotFoundError(article_id)
        return found

    # ---- questions ---------------------------------------------------------

    def _check_question(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty - type a question about the articles")
        limit = self.settings.max_question_chars
        if len(q) > limit:
            raise QuestionError(
                f"the question is {len(q):,} characters, over the limit of {limit:,} - "
                "shorten it (or raise QA_MAX_QUESTION_CHARS)"
            )
        return q

    def retrieve(self, question: str, k: int | None = None) -> list[RetrievedArticle]:
        """Articles in the order retrieval ranks them (best chunk per article)."""
        q = self._check_question(question)
        ranked = self.ranker.rank(q, k or self.settings.retrieve_k)
        chunks = self.store.chunks_by_id([r.chunk_id for r in ranked])
        out: list[RetrievedArticle] = []
        for r in ranked:
            chunk = chunks.get(r.chunk_id)
            if chunk and all(a.article_id != chunk.article_id for a in out):
                out.append(RetrievedArticle(chunk.article_id, len(out) + 1, r.score))
        return out

    def standalone_question(self, question: str, history: Sequence[tuple[str, str]] | None = None) -> str:
        """``question`` rewritten to stand alone, given the conversation so far.

        Rules resolve the usual follow-ups ("and how many officers?", "what road
        does that village overlook?"); when they cannot and a language model is
        configured, the model rewrites it, and a rewrite that drops a name of the
        question or brings nothing from the conversation is not trusted.
        """
        from qa.followup import points_back, rewrite_with_model, standalone_question

        q = self._check_question(question)
        by_rules = standalone_question(q, history)
        if history and by_rules == q and self.chat_model is not None and points_back(q):
            # the rules could not resolve what "it"/"that" stands for: ask the model, and trust it
            # only if its rewrite keeps the question's names and brings something from the conversation
            rewritten = rewrite_with_model(self.chat_model, self.templates, q, history)
            if rewritten:
                return rewritten
        return by_rules

    @property
    def chat_model(self) -> ChatModel | None:
        """The configured language model, or None in extractive mode."""
        if self._chat is None and self.settings.answer_mode == "llm":
            from qa.llm import make_chat_model

            self._chat = make_chat_model(self.settings)
        return self._chat

    @property
    def templates(self) -> Templates:
        """The prompt templates, checked when first needed (at start in LLM mode)."""
        if self._templates is None:
            from qa.templates import load_templates

            self._templates = load_templates()
        return self._templates

    def _evidence(self, question: str, history: Sequence[tuple[str, str]] | None) -> tuple[Answer, list[Evidence]]:
        """The extractive answer and the evidence it was chosen from."""
        from qa.aliases import question_aliases
        from qa.citations import quote_is_verbatim
        from qa.names import known_aliases
        from qa.question import parse_question

        asked = self._check_question(question)
        q = self.standalone_question(asked, history)
        index = self._bm25_index()  # one look at the store's generation serves ranking and scoring
        if len(index) == 0:  # the index holds every chunk of this generation
            raise EmptyIndexError(self.store.where)
        parsed = parse_question(q)
        ranked = self.ranker.rank(q, self.settings.retrieve_k, bm25=index)
        chunks = self.store.chunks_by_id([r.chunk_id for r in ranked], text=False)  # their sentences are enough
        best = ranked[0].score if ranked else 1.0
        priors: dict[tuple[str, int], float] = {}
        for r in ranked:
            chunk = chunks.get(r.chunk_id)
            if chunk is None:
                continue
            for start, _end in chunk.sentences:
                key = (chunk.article_id, start)
                priors[key] = max(priors.get(key, 0.0), r.score / best)
        articles = self._load_articles({c.article_id for c in chunks.values()}, index.generation)
        with known_aliases(question_aliases(parsed.entities, articles.values(), priors)):
            answer, evidence = self._read(parsed, articles, priors, index)
        if q != asked:
            answer = replace(answer, question=asked, standalone=q)
        for citation in answer.citations:
            if not quote_is_verbatim(articles[citation.article_id], citation):  # a bug, never a user error
                raise QAError(f"internal error: citation [{citation.marker}] is not verbatim - please report it")
        return answer, evidence

    def _read(
        self, parsed: Question, articles: dict[str, Article], priors: dict[tuple[str, int], float], index: BM25Index
    ) -> tuple[Answer, list[Evidence]]:
        """The answer to ``parsed`` that the candidate sentences of ``articles`` give, and its evidence."""
        from qa.evidence import select_evidence
        from qa.extractive import answer_from_evidence
        from qa.negation import keeps_negation
        from qa.opposites import keeps_sense
        from qa.phrase_finders import asks_where_said
        from qa.sentence_rank import general_evidence
        from qa.span_reader import with_spans

        # a question of what did not happen needs a quote that says something did not (qa.negation); no sentence
        # that says the opposite of what was asked is evidence (qa.opposites)
        def checked(found: list[Evidence]) -> list[Evidence]:
            return keeps_sense(parsed, keeps_negation(parsed.text, found))

        def general_reader() -> list[Evidence]:
            kept = partial(self._kept_vectors, generation=index.generation)
            return checked(general_evidence(parsed, articles, priors, index, self._embed_texts, kept))

        def rules() -> list[Evidence]:
            return checked(select_evidence(parsed, articles, priors, index))

        # the sentence that means most what was asked, if it meets the question's constraints and answer
        # type (qa.sentence_rank), answers first; a count, what one claimant says, or where something was
        # said needs the figure attached to its noun, its claimant or its medium: the typed rules (qa.evidence)
        general_first = parsed.kind != "count" and not parsed.claimants and not asks_where_said(parsed)
        readers = [(general_reader, True), (rules, False)]
        evidence, general = [], False
        for read, general in readers if general_first else readers[::-1]:
            # the answer phrase of the best sentences: the learned reader's span, when it is sure
            evidence = with_spans(parsed, read(), self._span_reader())
            # and the best sentence answers only when the learned gate trusts it to (qa.answerability); a
            # sentence it doubts gives way to the other reader's
            if evidence and self._trusted(parsed, evidence, index, general):
                break
            evidence = []
        answer = answer_from_evidence(parsed, evidence, self.settings.top_k, general=general)
        if answer.refused:
            from qa.sentence_rank import not_found

            missing = not_found(parsed, articles)
            if missing:  # say what was not found, not only that nothing was
                answer = replace(answer, notes=[f"not in the articles: {', '.join(missing)}"])
        return answer, evidence

    def _trusted(self, parsed: Question, evidence: list[Evidence], index: BM25Index, general: bool) -> bool:
        """Whether the best of ``evidence`` is trusted to answer ``parsed`` (``scripts/train_answerability.py``
        overrides it to record what the gate reads)."""
        from qa.answerability import trusted

        return trusted(parsed, evidence, index, general)

    def _model_for(self, mode: str | None) -> ChatModel | None:
        if mode not in (None, "extractive", "llm"):
            raise QuestionError(f"unknown answer mode {mode!r} - use 'extractive' or 'llm'")
        if mode == "extractive":
            return None
        model = self.chat_model
        if mode == "llm" and model is None:
            raise QuestionError(
                "no language model is configured - set OPENAI_BASE_URL (and QA_LLM_MODEL) or QA_LLM_BACKEND=local"
            )
        return model

    def ask(self, question: str, history: Sequence[tuple[str, str]] | None = None, mode: str | None = None) -> Answer:
        """Answer ``question`` from the stored articles, every claim cited (or refuse).

        ``history`` holds the earlier (question, answer) turns of a conversation;
        a follow-up is resolved against them before retrieval. ``mode``
        ("extractive" or "llm") overrides the configured answer mode. With a language
        model configured, the model writes the answer and every sentence of it
        is checked against what it cites; an answer that does not hold up is
        replaced by the extractive one (the reason is in ``Answer.notes``).
        """
        model = self._model_for(mode)
        answer, evidence = self._evidence(question, history)
        if model is None:
            return answer
        from qa.generative import llm_answer

        return llm_answer(answer, evidence, model, self.templates)

    def stream(
        self, question: str, history: Sequence[tuple[str, str]] | None = None, mode: str | None = None
    ) -> Iterator[StreamEvent]:
        """Like :meth:`ask`, as it is written: text pieces, then the checked answer in the last event.

        ``mode`` ("extractive" or "llm") overrides the configured answer mode for this question.
        """
        from qa.citations import markers_in
        from qa.generative import StreamEvent, stream_llm_answer

        model = self._model_for(mode)
        answer, evidence = self._evidence(question, history)
        if model is not None:
            yield from stream_llm_answer(answer, evidence, model, self.templates)
            return
        lines = answer.text.splitlines(keepends=True)
        for line in lines:
            markers = set(markers_in(line))
            yield StreamEvent(line, [c for c in answer.citations if c.marker in markers])
        yield StreamEvent("", answer.citations, answer)

    def _kept_vectors(self, ids: Sequence[str], generation: str) -> dict[str, SentenceVectors]:
        """The sentence vectors kept at ingest for the articles ``ids``; those read since the store last
        changed (``generation``) from memory."""
        got = self._vectors.get(ids, generation)
        missing = [i for i in ids if i not in got]
        if missing:
            fresh = self.store.sentence_vectors(missing)
            self._vectors.put(fresh, generation)
            got.update(fresh)
        return got

    def _load_articles(self, ids: set[str], generation: str) -> dict[str, Article]:
        """Articles by id, full text included: those read since the store last changed (``generation``)
        from memory, the others in one store read."""
        got = self._articles.get(ids, generation)
        missing = sorted(ids - got.keys())
        if missing:
            fresh = self.store.articles_by_id(missing)
            self._articles.put(fresh, generation)
            got.update(fresh)
        return got


class _Recent(Generic[V]):
    """What the last questions read of each article (the article, its sentence vectors), while the store does
    not change (a follow-up reads the same ones)."""

    def __init__(self, size: int = 512) -> None:
        self._lock = threading.Lock()  # a question of one generation never sees what another kept
        self._generation: str | None = None
        self._kept: Lru[str, V] = Lru(size)  # 512 articles or their sentence vectors (~30 kB each): a few MB

    def get(self, ids: Iterable[str], generation: str) -> dict[str, V]:
        with self._lock:
            if generation != self._generation:  # written or removed since: nothing kept is trusted
                self._kept.clear()
                self._generation = generation
            return {i: value for i in ids if (value := self._kept.get(i)) is not None}

    def put(self, values: Mapping[str, V], generation: str) -> None:
        with self._lock:
            if generation == self._generation:
                for i, value in values.items():
                    self._kept.put(i, value)
