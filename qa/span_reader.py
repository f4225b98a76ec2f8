"""A learned span reader: which words of an evidence sentence answer the question.

The model is all-MiniLM-L6-v2 (the bundled embedder's network) fine-tuned as an
extractive reader (``scripts/train_reader.py``) on SQuAD 2.0's train sample and
shipped as int8 ONNX (``qa/models/reader.onnx``, about 23 MB). It reads
``[CLS] question [SEP] sentence [SEP]`` and scores each token as the answer's
start and end, and [CLS] as "this sentence does not answer": the answer is the
best start/end pair at most :data:`MAX_SPAN_TOKENS` apart, its probability (the
softmax of the start scores times that of the end scores, [CLS] included) says
how sure the reader is, and its margin over [CLS] whether the sentence answers
at all. No vocabulary of any topic: what it knows of language it learned from
text.

Measured by ``scripts/train_reader.py --measure`` on SQuAD 2.0's dev half (never
trained on), the answer's sentence given: span token F1 0.692, exact match 0.550.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from qa.answer_phrase import candidates, is_typed
from qa.encoder import LoadedModel, pair_feeds, tokenizer_file
from qa.errors import BackendError
from qa.evidence import Evidence
from qa.question import Question

if TYPE_CHECKING:
    from tokenizers import Encoding, Tokenizer

MODEL = Path(__file__).parent / "models" / "reader.onnx"
MAX_SPAN_TOKENS = 15
MAX_TOKENS = 160  # question and sentence together; a longer sentence is cut
READ_SENTENCES = 1  # the best evidence sentence is read (each more costs about 7 ms on 2 cores)
MIN_PROBABILITY = 0.02  # a less sure span is not shown (see with_spans)
_ENDPOINT = "span reader"
_FIX = "reinstall newsqa (pip install --force-reinstall newsqa, or pip install -e . in a checkout)"


@dataclass(frozen=True)
class ReadSpan:
    """The reader's answer in one sentence: character offsets in it, how sure it is (0 to 1), and its
    score over "no answer here" (positive: the sentence answers)."""

    start: int
    end: int
    text: str
    probability: float
    margin: float


@dataclass(frozen=True)
class SpanScores:
    """The reader's start and end scores over one sentence's tokens, and its "no answer" score."""

    sentence: str
    spans: list[tuple[int, int]]  # character offsets of each sentence token
    start: npt.NDArray[np.float32]  # log-probability of each sentence token as the start
    end: npt.NDArray[np.float32]
    null: float  # log-probability of [CLS] as start plus as end

    def best(self) -> ReadSpan | None:
        """The start/end pair with the highest joint probability, at most :data:`MAX_SPAN_TOKENS` apart."""
        if not len(self.start):
            return None
        joint = self.start[:, None] + self.end[None, :]
        allowed = np.triu(np.ones_like(joint, dtype=bool)) & ~np.triu(
            np.ones_like(joint, dtype=bool), k=MAX_SPAN_TOKENS
        )
        joint = np.where(allowed, joint, -np.inf)
        i, j = np.unravel_index(int(joint.argmax()), joint.shape)
        a, b = self.spans[int(i)][0], self.spans[int(j)][1]
        score = float(joint[i, j])
        return ReadSpan(a, b, self.sentence[a:b], float(np.exp(score)), score - self.null)


def _log_softmax(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    shifted = x - x.max()
    out: npt.NDArray[np.float32] = (shifted - np.log(np.exp(shifted).sum())).astype(np.float32)
    return out


def reader_tokenizer() -> Tokenizer:
    """The shipped MiniLM tokenizer as the reader reads (and was trained): pairs cut to
    :data:`MAX_TOKENS` on the sentence's side, no padding (batches pad to their longest)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.no_padding()  # the file pads to a fixed 128
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
    return tokenizer


def sentence_tokens(encoding: Encoding) -> list[int]:
    """Positions of a (question, sentence) pair's sentence tokens that cover characters."""
    offsets = encoding.offsets
    return [i for i, s in enumerate(encoding.sequence_ids) if s == 1 and offsets[i][1] > offsets[i][0]]


class SpanReader:
    """Reads the answer span of sentences with the shipped model (loaded on first use, once)."""

    def __init__(self, model: Path = MODEL, *, threads: int | None = None) -> None:
        self._model = model
        self._threads = threads or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._loaded: LoadedModel | None = None

    def _load(self) -> LoadedModel:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._build()
            return self._loaded

    def _build(self) -> LoadedModel:
        import onnxruntime as ort

        if not self._model.is_file():
            raise BackendError(_ENDPOINT, f"the reader model {self._model} is missing", _FIX)
        tokenizer = reader_tokenizer()
        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.log_severity_level = 3
        # its threads must not spin-wait after a read: they would take the cores from the embedder's
        # session that runs next (retrieval measured 8 -> 13 ms p50 with them spinning)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(str(self._model), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own (non-exported) error types
            raise BackendError(_ENDPOINT, f"onnxruntime cannot load {self._model}: {exc}", _FIX) from exc
        return LoadedModel(tokenizer, session)

    def read_pairs(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list[SpanScores]:
        """How the answer to each (question, sentence) pair is spread over the sentence's tokens."""
        if not pairs:
            return []
        loaded = self._load()
        encodings = loaded.tokenizer.encode_batch(list(pairs), add_special_tokens=True)
        order = sorted(range(len(pairs)), key=lambda k: len(encodings[k].ids))
        out: list[SpanScores | None] = [None] * len(pairs)
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            feeds = pair_feeds([encodings[k] for k in rows])
            with self._lock:
                starts, ends = loaded.session.run(["start_logits", "end_logits"], feeds)
            for r, k in enumerate(rows):
                e = encodings[k]
                n = len(e.ids)
                inside = sentence_tokens(e)
                start, end = _log_softmax(starts[r, :n]), _log_softmax(ends[r, :n])
                out[k] = SpanScores(
                    pairs[k][1], [e.offsets[i] for i in inside], start[inside], end[inside], float(start[0] + end[0])
                )
        return [s for s in out if s is not None]

    def read(self, question: str, sentences: Sequence[str]) -> list[SpanScores]:
        """How the answer to ``question`` is spread over each sentence's tokens."""
        return self.read_pairs([(question, s) for s in sentences])


@functools.cache
def shared_reader() -> SpanReader:
    """One reader per process (the model loads on its first read)."""
    return SpanReader()


def with_spans(question: Question, evidence: list[Evidence], reader: SpanReader) -> list[Evidence]:
    """``evidence`` with the reader's span as the phrase of each of its best :data:`READ_SENTENCES` sentences.

    A span the reader is not sure of (below :data:`MIN_PROBABILITY`) is not
    shown: the phrase chosen before stays, or for a free-form question ("what",
    "why", "which" without a type) the sentence, quoted, is the answer. A typed
    question (a name, a date, a figure) takes the reader's span only where it
    falls on a typed candidate of the sentence (``qa.answer_phrase``), so the
    phrase stays of the asked type; the candidate gives its value.
    """
    top = evidence[:READ_SENTENCES]
    if not top:
        return evidence
    readings = reader.read(question.text, [e.sentence.text for e in top])
    typed = is_typed(question)
    out = list(evidence)
    for k, reading in enumerate(readings):
        span = reading.best()
        e = out[k]
        if span is None or span.probability < MIN_PROBABILITY or (not typed and e.phrase is not None):
            continue
        value = e.value
        if typed:
            found = candidates(question, e.sentence.text) or []
            hit = [p for p in found if p.start < span.end and span.start < p.end]
            if not hit:
                continue
            value = max(hit, key=lambda p: min(p.end, span.end) - max(p.start, span.start)).value
        base = e.sentence.start
        out[k] = replace(e, phrase=span.text, phrase_start=base + span.start, phrase_end=base + span.end, value=value)
    return out
