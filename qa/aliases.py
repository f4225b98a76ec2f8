"""Other names of the same actor, learned from the articles themselves.

Outlets name one actor differently: one report says "the Facebook-owned Instagram app", another
"the Meta-owned Instagram app"; one says "Facebook opened its new offices", another "Meta
Platforms opened its new offices". Two articles telling one sentence in the same words
but for a name give that name's other spelling. No list of any topic's aliases is kept: what the
articles in hand show is what is known, so a question that names "Facebook" also finds the report that
says "Meta".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Container, Iterable, Mapping, Sequence

from qa.article_read import read_article
from qa.text import fold
from qa.types import Article

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
MIN_TOKENS = 8  # shorter sentences share too few words to be the same sentence
MIN_SHARED = 0.7  # of the shorter sentence's tokens, outside the names that differ
MAX_NAME_TOKENS = 5


def _name(tokens: Sequence[str]) -> str | None:
    """``tokens`` as a name ("The Royal Mail group" -> "Royal Mail group"), or None if they are not one."""
    toks = list(tokens)
    if toks and fold(toks[0]) in ("the", "a", "an"):
        toks = toks[1:]
    if not toks or len(toks) > MAX_NAME_TOKENS or not toks[0][:1].isupper():
        return None
    if any(not t[:1].isalnum() and t not in ("-", "'", "’", ".") for t in toks):
        return None
    capitalised = sum(1 for t in toks if t[:1].isupper())
    if capitalised * 2 < len(toks):
        return None
    return re.sub(r"\s*-\s*", "-", " ".join(toks)).strip()


def _pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    """The names one telling has where the other has another name, if the two tell the same thing."""
    if min(len(a), len(b)) < MIN_TOKENS:
        return []
    matcher = difflib.SequenceMatcher(a=list(a), b=list(b), autojunk=False)
    shared = sum(size for _, _, size in matcher.get_matching_blocks())
    if shared < MIN_SHARED * min(len(a), len(b)):
        return []
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        x, y = _name(a[i1:i2]), _name(b[j1:j2])
        if x and y and fold(x) != fold(y):
            out.append((x, y))
    return out


def learn_aliases(
    sentences_by_article: Mapping[str, Sequence[str]], names: Sequence[str] | None = None
) -> list[frozenset[str]]:
    """Groups of names that stand for each other in sentences different articles tell alike.

    With ``names``, only sentences that mention one of them are compared with the others' (a question's
    names are all that is looked up), and only a pair in which one side is one of them is kept.
    """
    from qa.names import TextNames

    tokenized = {
        aid: [(toks, frozenset(t.lower() for t in toks)) for toks in (_TOKEN.findall(s) for s in sents)]
        for aid, sents in sentences_by_article.items()
    }
    wanted = [n for n in names or () if n.strip()]
    keys = [frozenset(t.lower() for t in _TOKEN.findall(n) if t[:1].isalnum()) for n in wanted]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def mentions_wanted(toks: frozenset[str]) -> bool:
        return not wanted or any(k and k & toks for k in keys)

    def is_wanted(name: str) -> bool:
        return not wanted or any(TextNames(name).has(n) or TextNames(n).has(name) for n in wanted)

    found: dict[str, str] = {}  # folded -> as written
    ids = list(tokenized)
    for n, first in enumerate(ids):
        for toks_a, set_a in tokenized[first]:
            if len(toks_a) < MIN_TOKENS or not mentions_wanted(set_a):
                continue
            # with names, each sentence that mentions one is compared with every other article's sentences
            for second in ids if wanted else ids[n + 1 :]:
                if second == first:
                    continue
                for toks_b, set_b in tokenized[second]:
                    # a name of the question that this sentence says and the other does not: it may be told
                    # there by another name; where both say it, nothing is to be learned about it
                    if wanted and not any(k & set_a and not k & set_b for k in keys):
                        continue
                    if len(set_a & set_b) < MIN_SHARED * min(len(set_a), len(set_b)):
                        continue
                    for x, y in _pairs(toks_a, toks_b):
                        if is_wanted(x) or is_wanted(y):
                            found.setdefault(fold(x), x)
                            found.setdefault(fold(y), y)
                            parent[root(fold(x))] = root(fold(y))
    groups: dict[str, set[str]] = {}
    for key in found:
        groups.setdefault(root(key), set()).add(found[key])
    return [frozenset(g) for g in groups.values() if len(g) > 1]


def aliases_of(names: Iterable[str], groups: Sequence[frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """For each of ``names`` that a group holds, the group's other names (keys folded)."""
    from qa.names import TextNames

    out: dict[str, tuple[str, ...]] = {}
    for name in names:
        key = fold(name)
        for group in groups:
            # "Meta" is the company's "Meta Platforms"
            if any(fold(g) == key or TextNames(g).has(name) for g in group):
                out[key] = tuple(sorted(g for g in group if fold(g) != key))
    return out


def question_aliases(
    names: Sequence[str], articles: Iterable[Article], candidates: Container[tuple[str, int]]
) -> dict[str, tuple[str, ...]]:
    """The other names the ``candidates`` sentences ((article id, start), those retrieval found) show for
    the question's ``names`` (keys folded); none asked, none read."""
    if not names:
        return {}
    sentences = {
        a.article_id: [s.text for s in read_article(a).sentences if (a.article_id, s.start) in candidates]
        for a in articles
    }
    return aliases_of(names, learn_aliases(sentences, names))
