"""qa.embedding with the real bundled MiniLM model (no fakes, nothing downloaded)."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.embedding import (
    MINILM_DIMENSION,
    MiniLMEmbedding,
    MiniLMEncoder,
    OpenAICompatibleEmbedding,
    embedding_signature,
    make_embedding,
)
from qa.errors import BackendError

SAMPLES = Path(__file__).resolve().parents[1] / "qa" / "samples" / "articles"

SHORT = "Daesh lost its last territories in Syria in March."
MIXED = [
    SHORT,
    "Hi",
    "",
    "Liwa al-Quds, a pro-regime militia, said its fighters deployed to the desert area to liberate "
    "500 soldiers besieged east of al-Sukhna town located northeast of the ancient city of Palmyra. "
    "In a Facebook post, the militia said it successfully broke the siege and liberated the surviving "
    "soldiers, before pulling the bodies of those killed and damaged vehicles to safety.",
    "The cease-fire was negotiated by Russia and Turkey.",
    "Activists said the attacks killed nearly 50 regime soldiers and militia fighters over two days, "
    "in Homs province and in the northwest.",
    "Palmyra",
]


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder()


@pytest.fixture(scope="module")
def embedding(encoder: MiniLMEncoder) -> MiniLMEmbedding:
    return MiniLMEmbedding(encoder=encoder)


def test_construction_is_lazy() -> None:
    encoder = MiniLMEncoder()
    assert not encoder.loaded
    MiniLMEmbedding(encoder=encoder)
    assert not encoder.loaded
    encoder.encode(["x"])
    assert encoder.loaded


def test_module_does_not_import_onnxruntime_at_import() -> None:
    import subprocess

    code = "import sys, qa.embedding; print('onnxruntime' in sys.modules, 'tokenizers' in sys.modules)"
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_vectors_have_dim_384_and_unit_norm(encoder: MiniLMEncoder) -> None:
    vectors = encoder.encode(MIXED)
    assert vectors.shape == (len(MIXED), MINILM_DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_order_matches_one_by_one(encoder: MiniLMEncoder) -> None:
    texts = MIXED * 5  # more than one batch at batch_size=4, lengths interleaved
    batched = encoder.encode(texts, batch_size=4)
    singles = np.vstack([encoder.encode([text]) for text in texts])
    cosines = (batched * singles).sum(axis=1)
    assert cosines.min() > 0.999


def test_empty_input(encoder: MiniLMEncoder) -> None:
    assert encoder.encode([]).shape == (0, MINILM_DIMENSION)
    assert encoder.count_tokens([]) == 0


def test_one_string_is_rejected(encoder: MiniLMEncoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("not a list")


def test_count_tokens(encoder: MiniLMEncoder) -> None:
    # [CLS] hi [SEP]
    assert encoder.count_tokens(["Hi"]) == 3
    assert encoder.count_tokens(["Hi", "Hi"]) == 6
    assert encoder.count_tokens([""]) == 2


def test_long_text_is_truncated(encoder: MiniLMEncoder) -> None:
    long = " ".join(["soldiers besieged in the desert near Palmyra"] * 200)
    assert encoder.count_tokens([long]) == 256
    vectors = encoder.encode([long, SHORT])
    assert vectors.shape == (2, MINILM_DIMENSION)
    assert np.isfinite(vectors).all()
    # Everything past token 256 is ignored.
    longer = long + " and a completely different ending about cooking pasta" * 50
    assert float(encoder.encode([longer])[0] @ vectors[0]) > 0.9999


def test_semantic_sanity(encoder: MiniLMEncoder) -> None:
    query, near, far = encoder.encode(
        [
            "How many soldiers were besieged?",
            "500 soldiers were besieged east of al-Sukhna",
            "The cease-fire was negotiated by Russia and Turkey",
        ]
    )
    assert float(query @ near) > float(query @ far) + 0.1


def test_thread_safe_lazy_load() -> None:
    encoder = MiniLMEncoder()
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(encoder.encode([SHORT]))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 4
    for result in results[1:]:
        np.testing.assert_allclose(result, results[0], atol=1e-6)


def test_llama_index_interface_matches_encoder(embedding: MiniLMEmbedding, encoder: MiniLMEncoder) -> None:
    assert embedding.model_name == "all-MiniLM-L6-v2-int8"
    assert (embedding.embed_batch_size, embedding.model_batch_size) == (1024, 16)
    expected = encoder.encode(MIXED)
    np.testing.assert_allclose(embedding.get_query_embedding(MIXED[0]), expected[0], atol=1e-5)
    np.testing.assert_allclose(embedding.get_text_embedding(MIXED[3]), expected[3], atol=1e-5)
    np.testing.assert_allclose(np.array(embedding.get_text_embedding_batch(MIXED)), expected, atol=1e-5)


def test_llama_index_batch_keeps_order_across_chunks(encoder: MiniLMEncoder) -> None:
    # embed_batch_size=3 makes the base class cut the (length-sorted) input in chunks.
    small = MiniLMEmbedding(encoder=encoder, embed_batch_size=3)
    texts = MIXED * 3
    got = np.array(small.get_text_embedding_batch(texts))
    expected = encoder.encode(texts)
    assert ((got * expected).sum(axis=1)).min() > 0.999


def test_llama_index_async(embedding: MiniLMEmbedding, encoder: MiniLMEncoder) -> None:
    expected = encoder.encode(MIXED)

    async def run() -> tuple[list[float], list[float], list[list[float]]]:
        return (
            await embedding.aget_query_embedding(MIXED[0]),
            await embedding.aget_text_embedding(MIXED[3]),
            await embedding.aget_text_embedding_batch(MIXED),
        )

    query, text, batch = asyncio.run(run())
    np.testing.assert_allclose(query, expected[0], atol=1e-5)
    np.testing.assert_allclose(text, expected[3], atol=1e-5)
    np.testing.assert_allclose(np.array(batch), expected, atol=1e-5)


def test_sample_articles_embed(encoder: MiniLMEncoder) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt")))
    sentences = [s.strip() for s in text.split(". ") if s.strip()][:6]
    assert sentences
    vectors = encoder.encode(sentences)
    assert vectors.shape == (len(sentences), MINILM_DIMENSION)
    assert encoder.count_tokens(sentences) > len(sentences) * 2


def test_make_embedding_minilm(tmp_path: Path) -> None:
    embedding = make_embedding(Settings(home=tmp_path))
    assert isinstance(embedding, MiniLMEmbedding)
    assert embedding_signature(embedding) == "minilm:all-MiniLM-L6-v2-int8"


def test_make_embedding_openai(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        embed_backend="openai",
        embed_model="nomic-embed-text",
        openai_base_url="http://127.0.0.1:11434/v1",
    )
    embedding = make_embedding(settings)
    assert isinstance(embedding, OpenAICompatibleEmbedding)
    assert embedding.model_name == "nomic-embed-text"
    assert embedding.base_url == "http://127.0.0.1:11434/v1"
    assert embedding_signature(embedding) == "openai:nomic-embed-text"
    assert embedding_signature(embedding) != embedding_signature(MiniLMEmbedding())


def test_openai_api_key_is_not_exposed() -> None:
    embedding = OpenAICompatibleEmbedding(model="m", api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(embedding)
    assert "sk-very-secret" not in str(embedding.model_dump())
    assert "sk-very-secret" not in str(embedding.to_payload())


def test_openai_closed_port_raises_backend_error() -> None:
    endpoint = "http://127.0.0.1:9/v1"
    embedding = OpenAICompatibleEmbedding(
        model="text-embedding-3-small", api_key="x", base_url=endpoint, timeout=5.0, max_retries=0
    )
    with pytest.raises(BackendError) as info:
        embedding.get_query_embedding("hello")
    assert info.value.endpoint == endpoint
    assert endpoint in str(info.value)
    assert "connect" in str(info.value)
    with pytest.raises(BackendError):
        embedding.get_text_embedding_batch(["a", "bb"])
    with pytest.raises(BackendError):
        asyncio.run(embedding.aget_query_embedding("hello"))
