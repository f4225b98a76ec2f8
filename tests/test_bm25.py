"""Tests for qa.bm25: the BM25 index over chunk texts and its on-disk cache."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from qa.bm25 import BM25Index
from qa.chunking import chunk_article, embedded_text
from qa.text import stem
from qa.types import Article

PAGES = [
    (
        ["dam:0", "dam:1"],
        [
            "The dam at Lake Ardwin cracked after three days of heavy rain.",
            "Engineers inspected the spillway on Monday and found no leaks.",
        ],
    ),
    (["budget:0"], ["The county council approved a new budget for schools and libraries."]),
    (["fire:0"], ["The fire at the Verano plant killed 12 workers, the fire service said."]),
]


@pytest.fixture
def index() -> BM25Index:
    return BM25Index.build(PAGES, "gen-1")


def test_build_indexes_every_page(index: BM25Index) -> None:
    assert len(index) == 4
    assert index.chunk_ids == ["dam:0", "dam:1", "budget:0", "fire:0"]
    assert index.generation == "gen-1"


def test_search_ranks_the_matching_chunk_first(index: BM25Index) -> None:
    results = index.search("Why did the Ardwin dam crack?", 5)
    assert results[0][0] == "dam:0"
    assert all(score > 0 for _, score in results)


def test_search_returns_only_chunks_with_a_positive_score(index: BM25Index) -> None:
    ids = [cid for cid, _ in index.search("Verano fire workers", 10)]
    assert ids == ["fire:0"]


def test_search_scores_are_in_descending_order(index: BM25Index) -> None:
    results = index.search("council budget dam spillway", 10)
    scores = [s for _, s in results]
    assert scores == sorted(scores, reverse=True)
    assert {cid for cid, _ in results} == {"budget:0", "dam:0", "dam:1"}


def test_search_respects_k(index: BM25Index) -> None:
    assert len(index.search("council budget dam spillway", 1)) == 1


def test_search_matches_inflected_forms(index: BM25Index) -> None:
    assert index.search("inspecting spillways", 3)[0][0] == "dam:1"


@pytest.mark.parametrize("query", ["zebra giraffe", "", "what was it?"])
def test_search_with_no_known_term_gives_nothing(index: BM25Index, query: str) -> None:
    assert index.search(query, 5) == []


def test_known_is_about_stemmed_terms(index: BM25Index) -> None:
    assert index.known(stem("spillway"))
    assert index.known("ardwin")
    assert not index.known("zebra")
    assert not index.known("the")  # stopwords are never indexed


def test_idf_follows_document_frequency(index: BM25Index) -> None:
    n = 4
    # "fire" is in one chunk; unseen terms get the highest idf
    assert index.idf(stem("fire")) == pytest.approx(math.log(1 + (n - 1 + 0.5) / (1 + 0.5)))
    assert index.idf("zebra") == pytest.approx(math.log(1 + (n + 0.5) / 0.5))
    assert index.idf("zebra") > index.idf(stem("fire"))


def test_rarer_terms_have_higher_idf() -> None:
    index = BM25Index.build([(["a", "b", "c"], ["flood in Brackwater", "flood in Ormsby", "fire in Ormsby"])], "g")
    assert index.idf("brackwater") > index.idf("flood")


def test_an_empty_index_searches_to_nothing() -> None:
    index = BM25Index.build([], "gen-0")
    assert len(index) == 0
    assert index.search("dam", 3) == []
    assert not index.known("dam")


def test_a_chunk_with_only_stopwords_does_not_break_the_index() -> None:
    index = BM25Index.build([(["empty", "dam"], ["what was it?", "The dam cracked."])], "g")
    assert [cid for cid, _ in index.search("dam", 5)] == ["dam"]


def test_save_and_load_round_trip(index: BM25Index, tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    index.save(directory)
    loaded = BM25Index.load(directory, "gen-1")
    assert loaded is not None
    assert loaded.chunk_ids == index.chunk_ids
    assert loaded.search("Ardwin dam crack", 5) == index.search("Ardwin dam crack", 5)
    assert loaded.idf("fire") == pytest.approx(index.idf("fire"))


def test_save_replaces_an_older_cache(index: BM25Index, tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    BM25Index.build([(["old"], ["an old flood report"])], "gen-0").save(directory)
    index.save(directory)
    assert BM25Index.load(directory, "gen-0") is None
    loaded = BM25Index.load(directory, "gen-1")
    assert loaded is not None and loaded.chunk_ids == index.chunk_ids


def test_save_and_load_an_empty_index(tmp_path: Path) -> None:
    BM25Index.build([], "gen-0").save(tmp_path / "empty")
    loaded = BM25Index.load(tmp_path / "empty", "gen-0")
    assert loaded is not None
    assert len(loaded) == 0
    assert loaded.search("dam", 3) == []


def test_load_returns_none_for_another_generation(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path / "bm25")
    assert BM25Index.load(tmp_path / "bm25", "gen-2") is None


def test_load_returns_none_when_nothing_was_saved(tmp_path: Path) -> None:
    assert BM25Index.load(tmp_path / "missing", "gen-1") is None


@pytest.mark.parametrize("lost", ["generation", "ids.json", "vocab.index.json"])
def test_load_returns_none_for_a_partial_cache(index: BM25Index, tmp_path: Path, lost: str) -> None:
    directory = tmp_path / "bm25"
    index.save(directory)
    (directory / lost).unlink()
    assert BM25Index.load(directory, "gen-1") is None


def test_load_returns_none_for_a_corrupt_id_list(index: BM25Index, tmp_path: Path) -> None:
    directory = tmp_path / "bm25"
    index.save(directory)
    (directory / "ids.json").write_text('["dam:0", ')
    assert BM25Index.load(directory, "gen-1") is None


def test_index_built_from_article_chunks_finds_the_article() -> None:
    articles = [
        Article(
            "flood", "Nearly 300 residents were evacuated from Brackwater. The River Marle fell.", "x", title="Flood"
        ),
        Article("fire", "The fire at the Verano plant killed 12 workers. Two engines were sent.", "x", title="Fire"),
    ]
    pages = [
        ([c.chunk_id for c in chunk_article(a)], [embedded_text(a, c) for c in chunk_article(a)]) for a in articles
    ]
    index = BM25Index.build(pages, "g")
    assert index.search("How many residents left Brackwater?", 3)[0][0] == "flood:0"
    assert index.search("engines sent to the Verano fire", 3)[0][0] == "fire:0"
