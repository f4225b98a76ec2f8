"""The fast paths of answering: what they skip must never change what is answered.

Real Chroma, the real embedder; the sample articles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.assistant import Assistant
from qa.numbers import contains_number
from tests.conftest import BESIEGED, SAMPLES, WAPO

QUESTION = "How many soldiers were besieged near al-Sukhna?"


@pytest.mark.parametrize("backend", ["embedded"])
def test_an_answer_follows_an_edit_of_an_article_it_has_read(samples_assistant: Assistant, tmp_path: Path) -> None:
    first = samples_assistant.ask(QUESTION)
    assert not first.conflict and contains_number(first.text, "500")
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    edited = corpus / f"{WAPO}.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("nearly 500 soldiers", "nearly 600 soldiers"), encoding="utf-8"
    )
    samples_assistant.ingest([corpus])

    again = samples_assistant.ask(QUESTION)

    assert again.conflict  # the article read for the first answer is not reused: its text changed
    assert contains_number(again.text, "600") and contains_number(again.text, "500")
    for c in again.citations:
        assert samples_assistant.article(c.article_id).text[c.start : c.end] == c.quote


@pytest.mark.parametrize("backend", ["embedded"])
def test_the_llama_index_retriever_returns_what_questions_rank(samples_assistant: Assistant) -> None:
    ranked = samples_assistant.ranker.rank(QUESTION)
    nodes = samples_assistant.retriever.retrieve(QUESTION)
    assert [n.node.node_id for n in nodes] == [r.chunk_id for r in ranked]
    stored = samples_assistant.store.chunks_by_id([r.chunk_id for r in ranked])
    for node in nodes:
        assert node.node.get_content() == stored[node.node.node_id].text
        assert node.node.metadata["article_id"] in (BESIEGED, WAPO)


def test_the_bundled_encoder_embeds_questions_as_the_llama_index_embedding_does(embedding: object) -> None:
    from qa.encoder import shared_encoder

    direct = shared_encoder().encode([QUESTION])[0]
    through_llama_index = np.asarray(embedding.get_query_embedding(QUESTION))  # type: ignore[attr-defined]
    assert np.allclose(direct, through_llama_index, atol=1e-6)


def test_a_question_from_a_new_process_does_not_import_llama_index(make_assistant: object) -> None:
    assistant: Assistant = make_assistant("embedded")  # type: ignore[operator]
    assistant.ingest([SAMPLES])
    script = (
        "import sys\n"
        "from qa.assistant import Assistant\n"
        f"answer = Assistant().ask({QUESTION!r})\n"
        "print(answer.short)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('llama_index', 'gradio'))}))\n"
    )
    env = {
        **os.environ,
        "QA_HOME": str(assistant.settings.home),
        "QA_COLLECTION": assistant.settings.collection,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    short, imported = done.stdout.strip().splitlines()[-2:]
    assert contains_number(short, "500")
    assert imported == "[]"  # start-up does not pay for llama-index (~1.5 s) or gradio


@pytest.mark.parametrize("backend", ["embedded"])
def test_stored_texts_are_found_by_hash_in_one_lookup(samples_assistant: Assistant) -> None:
    infos = {a.article_id: a.content_hash for a in samples_assistant.list_articles()}
    found = samples_assistant.store.find_by_hashes([infos[BESIEGED], infos[WAPO], "not-a-hash", infos[WAPO]])
    assert found == {infos[BESIEGED]: [BESIEGED], infos[WAPO]: [WAPO]}
    assert samples_assistant.store.find_by_hashes([]) == {}


def test_a_follow_up_about_another_thing_is_answered_about_that_thing(samples_assistant: Assistant) -> None:
    # "What about the death toll?" after the militia question once read as "... besieged in the death toll"
    # and answered with the militia again
    history = [
        ("How many soldiers were besieged near al-Sukhna?", "500 soldiers [1]."),
        ("And which militia freed them?", "Liwa al-Quds [1]."),
    ]
    answer = samples_assistant.ask("What about the death toll?", history=history)
    assert answer.standalone is not None and "toll" in answer.standalone
    assert not answer.refused and "Liwa" not in (answer.short or answer.text.splitlines()[0])
    assert answer.citations and all("kill" in c.quote for c in answer.citations), answer.text
