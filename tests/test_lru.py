"""The bounded map answers keep the articles they read in."""

from __future__ import annotations

from qa.lru import Lru


def test_the_entry_used_longest_ago_goes_first() -> None:
    kept: Lru[str, int] = Lru(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the most recently used
    kept.put("c", 3)
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c")) == (1, 3)


def test_putting_a_key_again_replaces_its_value_and_refreshes_it() -> None:
    kept: Lru[str, int] = Lru(2)
    kept.put("a", 1)
    kept.put("b", 2)
    kept.put("a", 10)
    kept.put("c", 3)
    assert kept.get("b") is None
    assert kept.get("a") == 10
    kept.clear()
    assert kept.get("a") is None and kept.get("c") is None
