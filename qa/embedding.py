"""Embedding models: the bundled MiniLM (offline, default) or an OpenAI-compatible API.

The default embedder is all-MiniLM-L6-v2 with int8 weights as an ONNX file
(:mod:`qa.encoder`), wrapped here as a llama-index embedding; the other talks
to an OpenAI-compatible ``/v1/embeddings`` endpoint.

Nothing heavy happens when an object is constructed: the model is loaded, and
the ``openai`` client created, on the first call that needs them.

:func:`embedding_signature` names the model behind an embedding; the store
keeps it with the collection so vectors from one model are never searched with
queries embedded by another.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import Field, PrivateAttr

from qa.encoder import (
    MINILM_DIMENSION,
    MINILM_MAX_TOKENS,
    MINILM_MODEL_NAME,
    MINILM_SIGNATURE,
    MiniLMEncoder,
    shared_encoder,
)
from qa.errors import BackendError, ConfigError

if TYPE_CHECKING:
    import openai

    from qa.config import Settings

__all__ = [
    "MINILM_DIMENSION",
    "MINILM_MAX_TOKENS",
    "MINILM_MODEL_NAME",
    "MiniLMEmbedding",
    "MiniLMEncoder",
    "OpenAICompatibleEmbedding",
    "embedding_signature",
    "make_embedding",
]


class _LengthSortedBatches(BaseEmbedding):
    """Hands texts to the base class's fixed-size batching sorted by length, then restores the order.

    ``BaseEmbedding.get_text_embedding_batch`` cuts the input into
    ``embed_batch_size`` chunks in input order; with chunks of mixed lengths
    every chunk is padded to its longest text. Sorting first keeps similar
    lengths together (the events, callbacks, cache and rate limiter of the
    base class still apply).
    """

    def _embed(self, texts: list[str]) -> list[Embedding]:
        raise NotImplementedError  # each backend embeds a list of texts its own way

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embed([query])[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embed([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embed(texts)

    # the model call releases the GIL (onnxruntime) or waits on the network: a worker thread keeps
    # the event loop free
    async def _aget_query_embedding(self, query: str) -> Embedding:
        return await asyncio.to_thread(self._get_query_embedding, query)

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return await asyncio.to_thread(self._get_text_embedding, text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return await asyncio.to_thread(self._get_text_embeddings, texts)

    def _sort_key(self, texts: list[str]) -> list[int]:
        return [len(text) for text in texts]

    def _sorted(self, texts: list[str]) -> tuple[list[str], list[int]]:
        keys = self._sort_key(texts)
        order = sorted(range(len(texts)), key=keys.__getitem__)
        return [texts[i] for i in order], order

    @staticmethod
    def _unsorted(embeddings: list[Embedding], order: list[int]) -> list[Embedding]:
        result: list[Embedding] = [[] for _ in order]
        for embedding, index in zip(embeddings, order, strict=True):
            result[index] = embedding
        return result

    def get_text_embedding_batch(self, texts: list[str], show_progress: bool = False, **kwargs: Any) -> list[Embedding]:
        """Embed ``texts`` in batches of similar length; the result follows ``texts``."""
        if len(texts) <= self.embed_batch_size:  # one call: nothing to group
            return super().get_text_embedding_batch(texts, show_progress=show_progress, **kwargs)
        ordered, order = self._sorted(list(texts))
        embeddings = super().get_text_embedding_batch(ordered, show_progress=show_progress, **kwargs)
        return self._unsorted(embeddings, order)

    async def aget_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[Embedding]:
        """Async :meth:`get_text_embedding_batch`."""
        if len(texts) <= self.embed_batch_size:
            return await super().aget_text_embedding_batch(texts, show_progress=show_progress, **kwargs)
        ordered, order = self._sorted(list(texts))
        embeddings = await super().aget_text_embedding_batch(ordered, show_progress=show_progress, **kwargs)
        return self._unsorted(embeddings, order)


class MiniLMEmbedding(_LengthSortedBatches):
    """The bundled all-MiniLM-L6-v2 int8 model as a llama-index embedding (offline).

    By default all instances share one process-wide :class:`MiniLMEncoder`
    (one model in memory); pass ``encoder=`` to use another.
    """

    model_name: str = Field(default=MINILM_MODEL_NAME, description="The embedding model.")
    # The encoder sorts the texts of each call by length and runs the model on model_batch_size of them at a
    # time: one call for a whole ingest group (qa.ingest.EMBED_GROUP and the rest of its last article) tokenizes
    # it once and pads least (bench/README.md).
    embed_batch_size: int = Field(default=1024, gt=0, le=4096, description="Texts per call to the encoder.")
    model_batch_size: int = Field(default=16, gt=0, le=512, description="Texts per model run.")

    _encoder: MiniLMEncoder = PrivateAttr()

    def __init__(self, *, encoder: MiniLMEncoder | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._encoder = encoder if encoder is not None else shared_encoder()

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    @property
    def encoder(self) -> MiniLMEncoder:
        """The encoder behind this embedding."""
        return self._encoder

    def _sort_key(self, texts: list[str]) -> list[int]:
        # Exact token lengths: tokenizing twice costs ~1% of running the model.
        return self._encoder.token_lengths(texts)

    def _embed(self, texts: list[str]) -> list[Embedding]:
        vectors: list[Embedding] = self._encoder.encode(texts, batch_size=self.model_batch_size).tolist()
        return vectors


class OpenAICompatibleEmbedding(_LengthSortedBatches):
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` endpoint.

    OpenAI itself, or a local server (Ollama, vLLM, llama.cpp server, ...)
    through ``base_url``. The ``openai`` package is imported, and the client
    created, on the first request. Failures become :class:`BackendError`
    naming the endpoint and what to do.
    """

    model_name: str = Field(default="text-embedding-3-small", description="The embedding model.")
    embed_batch_size: int = Field(default=100, gt=0, le=2048, description="Texts per request.")
    base_url: str | None = Field(default=None, description="API base URL; None means api.openai.com.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds per request.")
    max_retries: int = Field(
        default=2,
        ge=0,
        description="Retries of failed requests (by the openai client).",
    )

    # Private, so the key never shows up in repr(), model_dump() or persisted settings.
    _api_key: str = PrivateAttr()
    _client: openai.OpenAI | None = PrivateAttr(default=None)
    _client_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self,
        *,
        model: str = "text-embedding-3-small",
        api_key: str | None = None,
        base_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("model_name", model)
        kwargs["base_url"] = base_url
        super().__init__(**kwargs)
        self._api_key = api_key or "not-needed"

    @classmethod
    def class_name(cls) -> str:
        return "OpenAICompatibleEmbedding"

    @property
    def endpoint(self) -> str:
        """Where requests go, for messages."""
        return self.base_url or "api.openai.com"

    def _get_client(self) -> openai.OpenAI:
        client = self._client
        if client is not None:
            return client
        with self._client_lock:
            if self._client is None:
                try:
                    import openai
                except ImportError:
                    raise BackendError(
                        self.endpoint,
                        "the openai package is not installed",
                        "pip install openai",
                    ) from None
                self._client = openai.OpenAI(
                    api_key=self._api_key,
                    base_url=self.base_url,
                    timeout=self.timeout,
                    max_retries=self.max_retries,
                )
            return self._client

    def _wrap(self, exc: Exception) -> BackendError:
        from qa.llm import openai_error

        return openai_error(exc, self.endpoint, self.model_name, "QA_EMBED_MODEL", "embedding", self.timeout)

    def _embed(self, texts: list[str]) -> list[Embedding]:
        if not texts:
            return []
        client = self._get_client()
        import openai

        # The OpenAI API rejects empty strings.
        inputs = [text if text.strip() else " " for text in texts]
        try:
            response = client.embeddings.create(model=self.model_name, input=inputs)
        except openai.OpenAIError as exc:
            raise self._wrap(exc) from exc
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != len(inputs):
            raise BackendError(
                self.endpoint,
                f"asked for {len(inputs)} embeddings, got {len(data)}",
                "check that the server implements the OpenAI embeddings API",
            )
        return [list(item.embedding) for item in data]


def make_embedding(settings: Settings) -> BaseEmbedding:
    """The embedding model ``settings`` asks for (``QA_EMBED_BACKEND``)."""
    if settings.embed_backend == "minilm":
        return MiniLMEmbedding()
    if settings.embed_backend == "openai":
        return OpenAICompatibleEmbedding(
            model=settings.embed_model,
            api_key=settings.openai_api_key or "not-needed",
            base_url=settings.openai_base_url,
            timeout=settings.timeout,
            max_retries=0,  # as for the chat model: one bounded try, a clear error (qa.llm.OpenAIChat)
        )
    raise ConfigError(
        "QA_EMBED_BACKEND",
        f"{settings.embed_backend!r} is not one of minilm, openai",
        "set it to 'minilm'",
    )


def embedding_signature(embedding: BaseEmbedding) -> str:
    """A short id of the model behind ``embedding``, e.g. ``minilm:all-MiniLM-L6-v2-int8``.

    Stored with a collection: a store built with one model is never queried
    with vectors from another.
    """
    if isinstance(embedding, MiniLMEmbedding):
        return MINILM_SIGNATURE if embedding.model_name == MINILM_MODEL_NAME else f"minilm:{embedding.model_name}"
    if isinstance(embedding, OpenAICompatibleEmbedding):
        return f"openai:{embedding.model_name}"
    return f"{embedding.class_name()}:{embedding.model_name}"
