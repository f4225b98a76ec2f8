"""Sentence vectors made at ingest: answering reads them instead of embedding the candidate sentences.

Real Chroma and the real embedder; the vectors are float16 in the store, so each is checked against the
sentence embedded now.
"""

from __future__ import annotations

import numpy as np
import pytest

from qa.assistant import Assistant
from qa.chunking import article_sentences
from qa.store import _vectors_from_text, _vectors_text
from tests.conftest import BESIEGED, SAMPLES, WAPO

QUESTION = "Which militia broke the siege near al-Sukhna?"


def _sentences(assistant: Assistant) -> set[str]:
    return {s.text for a in (BESIEGED, WAPO) for s in article_sentences(assistant.article(a))}


def _embedded_while_answering(assistant: Assistant, question: str) -> tuple[list[str], str]:
    """The texts the answer path embedded for ``question`` (the question itself aside), and the answer."""
    seen: list[str] = []
    embed = assistant._embed_texts

    def recording(texts: list[str]) -> object:
        seen.extend(texts)
        return embed(texts)

    assistant._embed_texts = recording  # type: ignore[method-assign]
    try:
        answer = assistant.ask(question)
    finally:
        del assistant._embed_texts
    return seen, answer.text


@pytest.mark.parametrize("backend", ["embedded", "server"])
def test_ingest_keeps_the_vector_of_every_sentence(samples_assistant: Assistant) -> None:
    kept = samples_assistant.store.sentence_vectors([BESIEGED, WAPO])
    for article_id in (BESIEGED, WAPO):
        sentences = article_sentences(samples_assistant.article(article_id))
        assert set(kept[article_id]) == {s.start for s in sentences}
        fresh = samples_assistant._embed_texts([s.text for s in sentences])
        cosines = [float(np.dot(kept[article_id][s.start], f)) for s, f in zip(sentences, fresh, strict=True)]
        assert min(cosines) > 0.999  # float16 in the store: the same vector to about 1e-4


@pytest.mark.parametrize("backend", ["embedded"])
def test_answering_embeds_no_sentence_kept_at_ingest(samples_assistant: Assistant) -> None:
    sentences = _sentences(samples_assistant)
    embedded, answer = _embedded_while_answering(samples_assistant, QUESTION)
    assert "Liwa al-Quds" in answer
    assert not sentences & set(embedded)  # only the best sentences read with the one before them

    # a store made before sentence vectors were kept: the same answer, its candidates embedded when asked
    samples_assistant.store.sentences.delete(ids=[BESIEGED, WAPO])
    samples_assistant._vectors = type(samples_assistant._vectors)()  # forget what the last question read
    embedded, before = _embedded_while_answering(samples_assistant, QUESTION)
    assert before == answer
    assert sentences & set(embedded)


@pytest.mark.parametrize("backend", ["embedded"])
def test_ingesting_unchanged_articles_again_keeps_the_vectors_they_lacked(samples_assistant: Assistant) -> None:
    kept = samples_assistant.store.sentence_vectors([BESIEGED])[BESIEGED]
    samples_assistant.store.sentences.delete(ids=[BESIEGED])  # as in a store made before they were kept
    report = samples_assistant.ingest([SAMPLES])
    assert {r.status for r in report.results} == {"unchanged"}
    again = samples_assistant.store.sentence_vectors([BESIEGED, WAPO])
    assert again.keys() == {BESIEGED, WAPO}
    assert again[BESIEGED].keys() == kept.keys()
    assert min(float(np.dot(again[BESIEGED][s], kept[s])) for s in kept) > 0.999


def test_vectors_that_do_not_fit_their_offsets_are_not_used() -> None:
    vectors = {0: np.ones(4, dtype=np.float32) / 2, 17: np.full(4, -0.5, dtype=np.float32)}
    text = _vectors_text(vectors)
    back = _vectors_from_text(text, {"starts": "[0, 17]", "dim": 4})
    assert back is not None and back.keys() == {0, 17}
    assert np.allclose(back[17], vectors[17])
    assert _vectors_from_text(text, {"starts": "[0, 17, 40]", "dim": 4}) is None  # a sentence short
    assert _vectors_from_text("not base64!", {"starts": "[0]", "dim": 4}) is None
