"""Hybrid ranking: dense (Chroma) and BM25 ranks of chunks fused by reciprocal rank.

Plain code with no framework: ``Assistant.ask`` calls it directly, so a
question from the command line never imports llama-index. The llama-index
retriever in :mod:`qa.retrieval` is a thin wrapper around it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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


class HybridRanker:
    """Dense + BM25 over the same chunks, fused with reciprocal rank fusion."""

    def __init__(
        self,
        store: Store,
        embed_query: Callable[[str], Sequence[float]],
        bm25: Callable[[], BM25Index],
        k: int = 12,
    ) -> None:
        self.store = store
        self.embed_query = embed_query
        self._bm25 = bm25  # a getter: the index is rebuilt when the store changes
        self.k = k

    def rank(self, question: str, k: int | None = None, bm25: BM25Index | None = None) -> list[Ranked]:
        """Fused ranking of chunk ids for ``question`` (``bm25``: an index the caller already holds)."""
        k = k or self.k
        index = bm25 or self._bm25()
        vector = self.embed_query(question)
        # the BM25 index holds every chunk of the store's current generation: no count needed
        dense = [cid for cid, _ in self.store.query(vector, k, total=len(index))]
        sparse = [cid for cid, _ in index.search(question, k)]
        dense_pos = {cid: i for i, cid in enumerate(dense, start=1)}
        sparse_pos = {cid: i for i, cid in enumerate(sparse, start=1)}
        return [
            Ranked(cid, score, dense_pos.get(cid), sparse_pos.get(cid))
            for cid, score in reciprocal_rank_fusion([dense, sparse])
        ]
