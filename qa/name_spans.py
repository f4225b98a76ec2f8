"""Finding names in text: runs of capitalised words ("Banco do Brasil", "Institute for Fiscal Studies").

Both the question parser and name matching need them; kept apart from both so neither imports the other.
"""

from __future__ import annotations

import re

from qa.text import STOPWORDS, fold

#: A word as names are read: letters and digits joined by apostrophes, hyphens, dots ("al-Sham's", "U.S.").
WORD_UNIT_RE = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*\.?")

# Words that begin a question and are capitalised only for that reason.
_LEADING = {
    "how", "what", "who", "whom", "whose", "when", "where", "which", "why", "did", "does", "do", "is", "are",
    "was", "were", "has", "have", "had", "can", "could", "would", "will", "should", "according", "in", "on",
    "at", "name", "list", "besides", "apart", "aside", "also", "after", "before", "during", "since", "following",
    "despite", "excluding", "including", "roughly", "approximately", "about", "nearly", "overall", "from", "for",
    "with", "by", "as", "per", "and", "but", "so", "then", "over", "near", "among", "between", "tell", "give",
    "say", "please", "the", "a", "an", "of", "to", "exactly", "altogether", "in total", "along", "one", "like",
    "unlike", "under", "upon", "within", "without", "against", "through", "throughout", "toward", "towards",
    "beyond", "because", "if", "while", "although", "though", "once", "unless", "until", "whereas",
}  # fmt: skip

_ENTITY_JOINERS = {"al", "el", "of", "de", "bin", "ibn", "abu", "for", "the", "van", "von", "le", "la", "du"}
_MONTHS_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip


def find_names(text: str, skip_first: bool = True) -> list[tuple[int, int]]:
    """Spans of capitalised names (runs of capitalised words, with joiners like 'al-', 'of')."""
    spans: list[tuple[int, int]] = []
    tokens = [(m.start(), m.end(), m.group()) for m in WORD_UNIT_RE.finditer(text)]
    i = 0
    while i < len(tokens):
        s, e, w = tokens[i]
        folded = fold(w).removesuffix("'s").rstrip(".")
        if (
            not is_capitalised(w)
            or folded in _MONTHS_DAYS
            or (skip_first and (folded in STOPWORDS or folded in _LEADING) and _starts_sentence(text, s))
        ):
            i += 1
            continue
        j = i + 1
        end = e
        while j < len(tokens):
            s2, e2, w2 = tokens[j]
            if text[end:s2].strip() not in ("", "-"):
                break
            if is_capitalised(w2) and fold(w2).rstrip(".") not in _MONTHS_DAYS:
                end = e2
                j += 1
            elif fold(w2) in _ENTITY_JOINERS and j + 1 < len(tokens) and is_capitalised(tokens[j + 1][2]):
                end = e2  # "Institute for Fiscal Studies": the joiner belongs to the name
                j += 1
            else:
                break
        name_end = end - 1 if text[end - 1] == "." and not re.search(r"\b[A-Z]\.$", text[s:end]) else end
        spans.append((s, name_end))
        i = j
    return spans


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence: nothing before it, or a full stop, quote or colon."""
    k = at - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k < 0 or text[k] in '.!?"“:'


def is_capitalised(word: str) -> bool:
    """Whether a word counts as capitalised in a name: 'al-Nasr' and 'IFS' do, 'the' does not."""
    if word[:1].isdigit():
        return False
    if word[:1].isupper():
        return True
    if "-" not in word and "'" not in word:
        return False
    return any(part[:1].isupper() for part in re.split(r"[-']", word))
