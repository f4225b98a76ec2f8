"""The BM25 index over chunk texts, derived from the Chroma collection.

Chroma is the source of truth; this index is a cache rebuilt from it whenever
the store's generation token changes, so it can never drift from the vectors
(llama-index's BM25 retriever breaks with Chroma for the opposite reason: it
keeps its own docstore). The cache is saved under ``QA_HOME`` so a new process
does not rebuild it.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qa.text import TERMS_VERSION, terms

log = logging.getLogger(__name__)


class BM25Index:
    """BM25 over chunk texts, searchable by question, with term document frequencies."""

    def __init__(self, chunk_ids: list[str], model: Any, generation: str) -> None:
        self.chunk_ids = chunk_ids
        self.generation = generation
        self._model = model
        self._vocab: dict[str, int] = dict(model.vocab_dict) if model is not None else {}
        indptr = model.scores["indptr"] if model is not None else []
        self._df = [int(indptr[i + 1] - indptr[i]) for i in range(len(indptr) - 1)] if model is not None else []

    @classmethod
    def build(cls, pages: Iterable[tuple[list[str], list[str]]], generation: str) -> BM25Index:
        """Index every (ids, texts) page."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every build at DEBUG on its own handler
        ids: list[str] = []
        tokens: list[list[str]] = []
        for page_ids, texts in pages:
            ids.extend(page_ids)
            # bm25s needs a token in every document
            tokens.extend(terms(t) or ["\x00empty"] for t in texts)
        if not ids:
            return cls([], None, generation)
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        return cls(ids, model, generation)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best ``k`` chunks with a positive score."""
        if self._model is None:
            return []
        token_ids = [self._vocab[t] for t in terms(question) if t in self._vocab]
        if not token_ids:
            return []
        import numpy as np

        scores = self._model.get_scores_from_ids(token_ids)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def known(self, term: str) -> bool:
        """Whether any chunk contains the stemmed term."""
        return term in self._vocab

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms get the highest."""
        n = len(self.chunk_ids)
        df = self._df[self._vocab[term]] if term in self._vocab else 0
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    # ---- cache on disk -----------------------------------------------------

    def save(self, directory: Path) -> None:
        """Write the index and its generation; a partial write is never read back."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps(self.chunk_ids))
        # written last: its presence marks a complete cache
        (tmp / "generation").write_text(f"{self.generation}|{TERMS_VERSION}")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    @classmethod
    def load(cls, directory: Path, generation: str) -> BM25Index | None:
        """The cached index if it was saved for ``generation``, else None."""
        try:
            if (directory / "generation").read_text() != f"{generation}|{TERMS_VERSION}":
                return None
            ids = json.loads((directory / "ids.json").read_text())
            model = None
            if ids:
                import bm25s

                model = bm25s.BM25.load(str(directory), show_progress=False)
            return cls(ids, model, generation)
        except (OSError, ValueError) as exc:
            log.info("BM25 cache in %s not usable (%s); rebuilding", directory, exc)
            return None
