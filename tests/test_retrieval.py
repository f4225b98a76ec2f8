"""Tests for qa.retrieval.reciprocal_rank_fusion: dense and BM25 rankings fused by rank."""

from __future__ import annotations

import pytest

from qa.retrieval import RRF_K, reciprocal_rank_fusion


def test_an_item_ranked_by_both_lists_beats_one_ranked_by_one() -> None:
    fused = reciprocal_rank_fusion([["fire:0", "dam:0"], ["dam:0", "flood:1"]])
    assert fused[0][0] == "dam:0"


def test_scores_are_the_sum_of_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]]))
    assert fused["a"] == pytest.approx(1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    assert fused["b"] == pytest.approx(1 / (RRF_K + 2))
    assert fused["c"] == pytest.approx(1 / (RRF_K + 3) + 1 / (RRF_K + 1))


def test_result_is_sorted_by_descending_score() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c", "d"], ["d", "c", "e"]])
    scores = [s for _, s in fused]
    assert scores == sorted(scores, reverse=True)


def test_every_item_of_every_list_appears_once() -> None:
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "c"], ["d"]])
    ids = [cid for cid, _ in fused]
    assert sorted(ids) == ["a", "b", "c", "d"]


def test_ties_are_broken_by_id_so_the_order_is_deterministic() -> None:
    assert [cid for cid, _ in reciprocal_rank_fusion([["b"], ["a"]])] == ["a", "b"]
    assert [cid for cid, _ in reciprocal_rank_fusion([["a"], ["b"]])] == ["a", "b"]


def test_a_single_list_keeps_its_order() -> None:
    assert [cid for cid, _ in reciprocal_rank_fusion([["z", "y", "x"]])] == ["z", "y", "x"]


def test_empty_rankings_give_nothing() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []


def test_a_smaller_k_weights_the_top_ranks_more() -> None:
    # "a" is first in one list only; "b" is fourth in both
    rankings = [["a", "x", "y", "b"], ["c", "x", "y", "b"]]

    def order(k: int) -> list[str]:
        return [cid for cid, _ in reciprocal_rank_fusion(rankings, k=k)]

    assert order(60).index("b") < order(60).index("a")  # 2/64 > 1/61
    assert order(1).index("a") < order(1).index("b")  # 1/2 > 2/5
