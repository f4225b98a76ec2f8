"""newsqa for llama-index users: a retriever and a query engine over an :class:`~qa.assistant.Assistant`.

Both return the sentences the answer cites as llama-index nodes: a node's text
is the quote, verbatim, and ``start_char_idx`` / ``end_char_idx`` (also
``metadata["start"]`` / ``metadata["end"]``) are its offsets in the article
``metadata["article_id"]``, so ``assistant.article(id).text[start:end] == node.text``.
A refused question gives no nodes. Retrieval of whole chunks, for a
synthesizer of your own, is :attr:`Assistant.retriever
<qa.assistant.Assistant.retriever>` (same node metadata).

Importing this module imports llama-index; nothing on the answer path imports it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.callbacks import CallbackManager
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from qa.assistant import Assistant
from qa.types import Answer, Citation

__all__ = ["NewsQAQueryEngine", "NewsQARetriever", "citation_node"]

History = Sequence[tuple[str, str]]


def citation_node(citation: Citation) -> NodeWithScore:
    """One cited sentence as a llama-index node: the quote, its offsets, its article and marker.

    The score is None: citations are ordered by the answer, not scored.
    """
    node = TextNode(
        id_=f"{citation.article_id}:{citation.start}-{citation.end}",
        text=citation.quote,
        start_char_idx=citation.start,
        end_char_idx=citation.end,
        metadata={
            "article_id": citation.article_id,
            "start": citation.start,
            "end": citation.end,
            "marker": citation.marker,
            "title": citation.title,
            "source": citation.source,
            "published": citation.published,
            "url": citation.url,
        },
    )
    return NodeWithScore(node=node, score=None)


def _answer_metadata(answer: Answer) -> dict[str, Any]:
    return {
        "refused": answer.refused,
        "conflict": answer.conflict,
        "short": answer.short,
        "mode": answer.mode,
        "notes": list(answer.notes),
    }


class NewsQARetriever(BaseRetriever):
    """Retrieves the sentences that answer a question, as cited by the assistant (verbatim, with offsets).

    Compose it with llama-index's own engines, e.g.
    ``RetrieverQueryEngine.from_args(NewsQARetriever(assistant), llm=your_llm)``.
    """

    def __init__(
        self,
        assistant: Assistant,
        mode: str | None = None,
        history: History | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        # an explicit callback manager: llama-index's global Settings would be used otherwise
        super().__init__(callback_manager=callback_manager or CallbackManager([]))
        self.assistant = assistant
        self.mode = mode
        self.history = list(history or [])

    def answer(self, question: str) -> Answer:
        """The assistant's checked answer, whose citations this retriever returns."""
        return self.assistant.ask(question, history=self.history, mode=self.mode)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [citation_node(c) for c in self.answer(query_bundle.query_str).citations]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return await asyncio.to_thread(self._retrieve, query_bundle)


class NewsQAQueryEngine(BaseQueryEngine):
    """The assistant's checked answer as a llama-index ``Response``.

    ``response.response`` is the answer text (with its ``[n]`` markers),
    ``response.source_nodes`` the cited sentences in marker order, as its
    :class:`NewsQARetriever` returns them (see :func:`citation_node`);
    ``response.metadata`` says whether it was refused, whether the sources
    disagree, the short answer, the mode and any notes.
    """

    def __init__(self, retriever: NewsQARetriever) -> None:
        super().__init__(callback_manager=retriever.callback_manager)
        self.retriever = retriever

    @classmethod
    def from_assistant(
        cls, assistant: Assistant, mode: str | None = None, history: History | None = None
    ) -> NewsQAQueryEngine:
        """An engine over ``assistant`` (``mode``: extractive | llm; ``history``: earlier turns)."""
        return cls(NewsQARetriever(assistant, mode=mode, history=history))

    def _get_prompt_modules(self) -> PromptMixinType:
        return {}  # the prompts are newsqa's files (prompts/), checked on start, not llama-index templates

    def _query(self, query_bundle: QueryBundle) -> Response:
        answer = self.retriever.answer(query_bundle.query_str)
        return Response(
            response=answer.text,
            source_nodes=[citation_node(c) for c in answer.citations],
            metadata=_answer_metadata(answer),
        )

    async def _aquery(self, query_bundle: QueryBundle) -> Response:
        return await asyncio.to_thread(self._query, query_bundle)

    def retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """The cited sentences alone."""
        return self.retriever.retrieve(query_bundle)
