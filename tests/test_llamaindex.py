"""qa.llamaindex through llama-index's own interfaces: query(), retrieve(), RetrieverQueryEngine.

Real Chroma, the real embedder, the sample articles; and a `qa ask` in a fresh
process that must not import llama-index at all.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from llama_index.core.base.response.schema import Response
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText
from llama_index.core.schema import NodeWithScore, TextNode

from qa.assistant import Assistant
from qa.llamaindex import NewsQAQueryEngine, NewsQARetriever
from qa.numbers import contains_number
from tests.conftest import BESIEGED, SAMPLES, WAPO

BESIEGED_Q = "How many soldiers were besieged near al-Sukhna?"
CONFLICT_Q = "How many soldiers were killed in the Hayat Tahrir al-Sham attack near Aleppo?"
OFF_TOPIC_Q = "What is the capital of Australia?"


def assert_verbatim(assistant: Assistant, nodes: list[NodeWithScore]) -> None:
    for n in nodes:
        node = n.node
        assert isinstance(node, TextNode)
        meta = node.metadata
        article = assistant.article(meta["article_id"])
        assert node.start_char_idx == meta["start"] and node.end_char_idx == meta["end"]
        assert article.text[meta["start"] : meta["end"]] == node.text
        assert node.get_content() == node.text  # what a synthesizer reads is the quote itself


@pytest.mark.parametrize("backend", ["embedded"])
def test_query_engine_returns_the_answer_with_the_cited_sentences_as_source_nodes(
    samples_assistant: Assistant,
) -> None:
    engine = NewsQAQueryEngine.from_assistant(samples_assistant)

    response = engine.query(BESIEGED_Q)

    assert isinstance(response, Response)
    answer = samples_assistant.ask(BESIEGED_Q)
    assert response.response == answer.text and contains_number(str(response), "500")
    assert len(response.source_nodes) == len(answer.citations) == 2
    assert {n.node.metadata["article_id"] for n in response.source_nodes} == {BESIEGED, WAPO}
    assert [n.node.metadata["marker"] for n in response.source_nodes] == [1, 2]
    assert_verbatim(samples_assistant, response.source_nodes)
    assert response.metadata == {
        "refused": False,
        "conflict": False,
        "short": answer.short,
        "mode": "extractive",
        "notes": [],
    }


@pytest.mark.parametrize("backend", ["embedded"])
def test_query_engine_reports_a_conflict_and_a_refusal(samples_assistant: Assistant) -> None:
    engine = NewsQAQueryEngine.from_assistant(samples_assistant)

    disagreement = engine.query(CONFLICT_Q)
    refused = asyncio.run(engine.aquery(OFF_TOPIC_Q))

    assert isinstance(disagreement, Response) and disagreement.metadata
    assert disagreement.metadata["conflict"] is True
    quotes = " ".join(n.node.get_content() for n in disagreement.source_nodes)
    for figure in ("13", "21", "27"):
        assert contains_number(quotes, figure)
    assert_verbatim(samples_assistant, disagreement.source_nodes)
    assert isinstance(refused, Response) and refused.metadata
    assert refused.metadata["refused"] is True and refused.source_nodes == []


@pytest.mark.parametrize("backend", ["embedded"])
def test_retriever_composes_with_llama_index_retriever_query_engine(samples_assistant: Assistant) -> None:
    retriever = NewsQARetriever(samples_assistant)
    # llama-index's own engine and synthesizer; NoText never calls its LLM and passes the retrieved nodes
    # through (the explicit MockLLM keeps llama-index from resolving its global default, OpenAI)
    engine = RetrieverQueryEngine(retriever=retriever, response_synthesizer=NoText(llm=MockLLM()))

    nodes = retriever.retrieve(BESIEGED_Q)
    response = engine.query(BESIEGED_Q)

    assert [n.node.text for n in nodes] == [c.quote for c in samples_assistant.ask(BESIEGED_Q).citations]
    assert_verbatim(samples_assistant, nodes)
    assert [n.node.node_id for n in response.source_nodes] == [n.node.node_id for n in nodes]
    assert retriever.retrieve(OFF_TOPIC_Q) == []


@pytest.mark.parametrize("backend", ["embedded"])
def test_chunk_retriever_nodes_carry_the_same_offsets_metadata(samples_assistant: Assistant) -> None:
    nodes = samples_assistant.retriever.retrieve(BESIEGED_Q)

    assert nodes
    assert_verbatim(samples_assistant, nodes)


def test_qa_ask_from_the_command_line_imports_no_llama_index(make_assistant: object) -> None:
    assistant: Assistant = make_assistant("embedded")  # type: ignore[operator]
    assistant.ingest([SAMPLES])
    env = {**os.environ, "QA_HOME": str(assistant.settings.home), "QA_COLLECTION": assistant.settings.collection}

    # -X importtime lists every module the process imports, on stderr, one per line
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "qa.cli", "ask", BESIEGED_Q],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert contains_number(done.stdout, "500")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "qa.assistant" in imported and "chromadb" in imported  # the listing is real
    assert not {m for m in imported if m.split(".")[0] in ("llama_index", "gradio")}
