"""Hybrid retrieval: dense (Chroma) and BM25 ranks fused by reciprocal rank.

Implemented as a llama-index retriever so it composes with the rest of that
framework (query engines, evaluators); the bookkeeping is llama-index's, only
``_retrieve`` is ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from qa.bm25 import BM25Index
from qa.store import Store

RRF_K = 60  # the constant from Cormack et al.; damps the weight of the very top ranks


@dataclass(frozen=True)
class Ranked:
    """One fused result with the ranks that produced it (1-based; None = not found)."""

    chunk_id: str
    score: float
    dense_rank: int | None
    bm25_rank: int | None


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of 1 / (k + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over the same chunks, fused with reciprocal rank fusion."""

    def __init__(
        self,
        store: Store,
        embedding: BaseEmbedding,
        bm25: Callable[[], BM25Index],
        k: int = 12,
    ) -> None:
        super().__init__()
        self._store = store
        self._embedding = embedding
        self._bm25 = bm25  # a getter: the index is rebuilt when the store changes
        self._k = k

    def rank(self, question: str, k: int | None = None, bm25: BM25Index | None = None) -> list[Ranked]:
        """Fused ranking of chunk ids for ``question`` (``bm25``: an index the caller already holds)."""
        k = k or self._k
        vector = self._embedding.get_query_embedding(question)
        dense = [cid for cid, _ in self._store.query(vector, k)]
        sparse = [cid for cid, _ in (bm25 or self._bm25()).search(question, k)]
        dense_pos = {cid: i for i, cid in enumerate(dense, start=1)}
        sparse_pos = {cid: i for i, cid in enumerate(sparse, start=1)}
        return [
            Ranked(cid, score, dense_pos.get(cid), sparse_pos.get(cid))
            for cid, score in reciprocal_rank_fusion([dense, sparse])
        ]

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranked = self.rank(query_bundle.query_str)
        chunks = self._store.chunks_by_id([r.chunk_id for r in ranked])
        out: list[NodeWithScore] = []
        for r in ranked:
            chunk = chunks.get(r.chunk_id)
            if chunk is None:  # removed between the two calls
                continue
            node = TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                metadata={"article_id": chunk.article_id, "start": chunk.start, "end": chunk.end},
            )
            out.append(NodeWithScore(node=node, score=r.score))
        return out
