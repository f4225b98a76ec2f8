"""Word-level text handling shared by BM25, question analysis and evidence scoring.

One tokenizer for all of them, so that a term counted by BM25 is the same term
the evidence scorer looks for.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)

_STOPWORDS_TEXT = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according reported many much did does
whose near total overall altogether exactly
meanwhile however although though moreover furthermore nevertheless nonetheless instead indeed thus hence
therefore besides likewise otherwise
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Bumped whenever ``terms`` would tokenize a text differently: indexes built with another version are rebuilt.
TERMS_VERSION = "2"  # 2: WordNet's irregular forms


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, str]:
    """WordNet's irregular noun and verb forms ("fought" -> "fight", "men" -> "man")."""
    with resources.files("qa").joinpath("models/word-forms.json.gz").open("rb") as raw, gzip.open(raw, "rt") as fh:
        forms: dict[str, str] = json.load(fh)
    return forms


def base_form(word: str) -> str:
    """The base of an irregular form ("took" -> "take"), else ``word``; lower-case in and out."""
    return _irregular_forms().get(word, word)


# Typographic punctuation that is never part of a word ("’" joins words as "'" does): with it made ASCII,
# most news text takes the fast paths below. Words and their folded forms come out the same.
_PLAIN_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": " ", "“": " ", "”": " ", "–": " ", "—": " ", "…": " ", "\xa0": " ", "«": " ", "»": " "}
)


def plain_punctuation(text: str) -> str:
    """``text`` with typographic quotes, dashes and spaces written in ASCII (for tokenizing only)."""
    return text if text.isascii() else text.translate(_PLAIN_PUNCTUATION)


def fold(text: str) -> str:
    """Lower-case and strip accents and apostrophe variants, for matching only."""
    if text.isascii():  # most news text: nothing to strip (the slow path costs ~10x)
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").lower()


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, hyphenated words kept whole)."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer: 'workers' -> 'worker', 'celebrated' -> 'celebrat'."""
    w = fold(word)
    if w.endswith("'s"):
        w = w[:-2]
    w = base_form(w)
    if len(w) <= 3 or not w.isalpha():
        return w
    if len(w) == 4 and w.endswith("ied"):
        return w[:-1]  # "died", "tied", "lied" -> "die", "tie", "lie"
    for suffix in ("ies", "ing", "edly", "ed", "ly", "es", "s"):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            break
        if suffix == "ies":
            w = w[:-3] + "y"
            break
        w = w[: -len(suffix)]
        # "stopped" -> "stop", but "killed" keeps its double l
        if suffix in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
        break
    # "liberate" and "liberated", "rule" and "ruled" (and "forces"/"force") must meet in one stem
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``: the tokens BM25 indexes and scorers compare."""
    plain = plain_punctuation(text)
    # ASCII text folds in one call; other text word by word
    folded = WORD_RE.findall(plain.lower()) if plain.isascii() else [fold(w) for w in words(text)]
    out: list[str] = []
    for f in folded:
        if f in STOPWORDS:
            continue
        out.append(stem(f))
        if "-" in f:  # "al-Nasr" is also found by "Nasr"
            out.extend(stem(part) for part in f.split("-") if len(part) > 2 and part not in STOPWORDS)
    return out
