"""Hybrid retrieval as a llama-index retriever, so it composes with the rest of that framework.

The ranking itself is :class:`qa.ranking.HybridRanker` (dense + BM25, fused by
reciprocal rank); the bookkeeping is llama-index's, only ``_retrieve`` is ours.
"""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from qa.bm25 import BM25Index
from qa.ranking import RRF_K, HybridRanker, Ranked, reciprocal_rank_fusion

__all__ = ["RRF_K", "HybridRetriever", "Ranked", "reciprocal_rank_fusion"]


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over the same chunks, fused with reciprocal rank fusion (llama-index interface)."""

    def __init__(self, ranker: HybridRanker) -> None:
        super().__init__()
        self.ranker = ranker

    def rank(self, question: str, k: int | None = None, bm25: BM25Index | None = None) -> list[Ranked]:
        """Fused ranking of chunk ids for ``question``."""
        return self.ranker.rank(question, k, bm25)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        ranked = self.ranker.rank(query_bundle.query_str)
        chunks = self.ranker.store.chunks_by_id([r.chunk_id for r in ranked])
        out: list[NodeWithScore] = []
        for r in ranked:
            chunk = chunks.get(r.chunk_id)
            if chunk is None:  # removed between the two calls
                continue
            node = TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                start_char_idx=chunk.start,
                end_char_idx=chunk.end,
                metadata={"article_id": chunk.article_id, "start": chunk.start, "end": chunk.end},
            )
            out.append(NodeWithScore(node=node, score=r.score))
        return out
