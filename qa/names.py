"""Matching names across spellings: 'BIS' = 'Bank for International Settlements' = 'Bank for International Setlements'.

News transliterates names inconsistently and introduces acronyms once; a
question may use either form. Matching is token-wise, tolerant of one typo in
long tokens, and knows acronyms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, lru_cache
from types import MappingProxyType

from qa.name_spans import WORD_UNIT_RE, find_names, is_capitalised
from qa.numbers import is_number_word
from qa.text import fold, plain_punctuation
from qa.wordnet import is_adjective, is_common_noun

_JOINERS = {"al", "el", "of", "de", "bin", "ibn", "the", "for", "and", "van", "von", "le", "la", "du", "der"}
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_UPPER_RE = re.compile(r"\b[A-Z][A-Z.]{1,7}\b")


@lru_cache(maxsize=32768)
def name_tokens(name: str) -> tuple[str, ...]:
    """Folded tokens, no joiners: 'Bank for International Settlements' -> (bank, international, settlements)."""
    return tuple(t for t in (fold(x) for x in _TOKEN_RE.findall(name)) if t not in _JOINERS)


def acronym(name: str) -> str:
    """Initials of a multi-word name: 'Bank for International Settlements' -> 'BIS'."""
    toks = name_tokens(name)
    return "".join(t[0] for t in toks).upper() if len(toks) >= 2 else ""


def is_acronym(name: str) -> bool:
    """'BIS', 'NASA', 'U.N.' are acronyms; 'Lisbon' is not."""
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _close(a: str, b: str) -> bool:
    """Equal, or one edit (or one swap of neighbours) apart when both are long enough for a typo to be a typo."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if a.startswith(b) or b.startswith(a):
        return False  # "Kenya" / "Kenyan": a different word, not a typo
    # single insertion/deletion/substitution
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) != len(b):
        return a[i:] == b[i + 1 :]
    # one letter for another, or two neighbours swapped ("Geegen" / "Gegeen")
    return a[i + 1 :] == b[i + 1 :] or (a[i : i + 2] == b[i + 1 : i - 1 : -1] and a[i + 2 :] == b[i + 2 :])


# Other names of the question's actors, learned from the articles in hand (qa.aliases) for the question
# being answered: set by ``known_aliases`` around one answer, so concurrent questions never mix them.
_KNOWN_ALIASES: ContextVar[Mapping[str, tuple[str, ...]]] = ContextVar("known_aliases", default=MappingProxyType({}))


@contextmanager
def known_aliases(aliases: Mapping[str, tuple[str, ...]]) -> Iterator[None]:
    """Within the block, ``alias_forms`` knows these other names (keys folded: "facebook" -> ("Meta", ...))."""
    token = _KNOWN_ALIASES.set(aliases)
    try:
        yield
    finally:
        _KNOWN_ALIASES.reset(token)


def alias_forms(name: str) -> tuple[str, ...]:
    """``name`` and the other names of the same actor that the articles in hand showed (see ``known_aliases``)."""
    return (name, *_KNOWN_ALIASES.get().get(fold(name), ()))


# Words many names share ("Fire Service", "Football Club", "North"): ordinary English nouns and
# adjectives, as WordNet has them. A name is told apart by its other words.
@lru_cache(maxsize=65536)
def _distinctive(token: str) -> bool:
    if is_number_word(token):
        return True  # "Formula One" is not "Formula Two"
    if len(token) < 3 or token.endswith(("ian", "ese", "ish")):
        return False
    return not (is_common_noun(token) or is_adjective(token))


_EDIT_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_SHORT_TEXT = 64  # tokens: up to this many, a typo is looked for word by word rather than by typo_variants


@lru_cache(maxsize=1024)
def typo_variants(token: str) -> frozenset[str]:
    """Every other token over a-z and 0-9 that :func:`_close` takes for ``token``.

    Made once per token and matched against a long text's tokens with one set
    operation, instead of comparing the token with every word of the text.
    Tokens with other characters (see :func:`_exotic`) are compared one by one.
    """
    n = len(token)
    if n < 5:
        return frozenset()
    # The first letter is never the typo. A changed or added letter that differs from the one in its place
    # makes a word that is no prefix of the token nor the token of it ("Kenya"/"Kenyan" are different words);
    # a doubled letter is made where its run ends, and a run that ends the word only makes such a prefix;
    # two neighbours swapped ("Gegeen" / "Geegen") are one slip of the keyboard too.
    changed = {token[:i] + c + token[i + 1 :] for i in range(1, n) for c in _EDIT_ALPHABET if c != token[i]}
    added = {token[:i] + c + token[i:] for i in range(1, n) for c in _EDIT_ALPHABET if c != token[i]}
    dropped = {x for i in range(1, n) if len(x := token[:i] + token[i + 1 :]) >= 5 and not token.startswith(x)}
    swapped = {
        token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(1, n - 1) if token[i] != token[i + 1]
    }
    return frozenset(changed | added | dropped | swapped)


def _exotic(tokens: Iterable[str]) -> list[str]:
    """The tokens :func:`typo_variants` cannot produce (letters outside a-z, 0-9)."""
    return [t for t in tokens if not t.isascii()]


def text_tokens(text: str) -> frozenset[str]:
    """The folded tokens of a text, as names are matched against them."""
    plain = plain_punctuation(text)
    if plain.isascii():  # the same tokens, folded in one call instead of one call per token
        return frozenset(_TOKEN_RE.findall(plain.lower()))
    return frozenset(fold(t) for t in set(_TOKEN_RE.findall(text)))  # each distinct word folded once


def upper_words(text: str) -> frozenset[str]:
    """Words written in capitals ("NASA", "U.N." as "UN"): where acronyms are found."""
    return frozenset(w.replace(".", "") for w in _UPPER_RE.findall(text))


class SentenceIndex:
    """Which sentences of an article hold which tokens and capitalised words.

    Counting the sentences that mention a name means matching it against
    every sentence; this finds the few that can mention it at all (a superset
    of those that do, see :meth:`could_mention`), so only those are matched.
    """

    def __init__(self, texts: Sequence[str], tokens: Sequence[frozenset[str]] | None = None) -> None:
        """``tokens``: each text's :func:`text_tokens`, when they are known already."""
        self._texts = texts
        self._tokens = [text_tokens(text) for text in texts] if tokens is None else tokens
        self._all: frozenset[str] = frozenset().union(*self._tokens)
        self._exotic: list[str] | None = None

    def _exotic_tokens(self) -> list[str]:
        if self._exotic is None:
            self._exotic = _exotic(self._all)
        return self._exotic

    def _with_token(self, token: str) -> set[int]:
        """Sentences holding ``token`` or a one-letter variant of it (as TextNames counts it present)."""
        wanted = {token} if token in self._all else set()
        if len(token) >= 5:
            wanted |= typo_variants(token) & self._all
            wanted.update(t for t in self._exotic_tokens() if _close(token, t))
        return {i for i, tokens in enumerate(self._tokens) if not tokens.isdisjoint(wanted)} if wanted else set()

    @cached_property
    def _upper(self) -> list[frozenset[str]]:  # only names in capitals need them
        return [upper_words(text) for text in self._texts]

    def _with_upper(self, word: str) -> set[int]:
        return {i for i, upper in enumerate(self._upper) if word in upper}

    def could_mention(
        self, name: str, forms: tuple[str, ...], acronyms: Callable[[], Sequence[frozenset[str]]]
    ) -> set[int]:
        """Every sentence where ``TextNames(sentence).match(name, forms) > 0`` may hold (and some others).

        A spelling in capitals is in the sentence's capitalised words or its names' acronyms (``acronyms()``
        gives them per sentence, asked for only then); a spelled-out
        one needs its first distinctive word (or, with none, any of its words), or its acronym in capitals;
        a match by head word ("the Institute") needs that word.
        """
        found: set[int] = set()
        for form in forms:
            if is_acronym(form):
                plain = form.replace(".", "")
                found |= self._with_upper(plain)
                found.update(i for i, names in enumerate(acronyms()) if plain in names)
                continue
            toks = name_tokens(form)
            distinctive = [t for t in toks if _distinctive(t)]
            for t in distinctive[:1] or toks:
                found |= self._with_token(t)
            short = acronym(form)
            if len(short) >= 2:
                found |= self._with_upper(short)
        toks = name_tokens(name)
        if len(toks) >= 2:
            heads = [t for t in toks[1:] if len(t) >= 5 and not t.endswith(("ian", "ese", "ish"))]
            if heads:
                found.update(i for i, tokens in enumerate(self._tokens) if heads[0] in tokens)
        return found


def name_acronyms(name: str) -> set[str]:
    """The acronyms a name found in a text stands for: its own, and that of the name after "of"/"for"."""
    found: set[str] = set()
    # "Friends of Riverton Public Library": the name after "of" has its own acronym
    for part in (name, *re.split(r"\s+(?:of|for)\s+", name)[1:]):
        if a := acronym(part):
            found.add(a)
    return found


class TextNames:
    """The tokens (and acronyms) of a piece of text, for repeated name look-ups."""

    def __init__(
        self,
        text: str,
        acronyms: frozenset[str] | Callable[[], frozenset[str] | None] | None = None,
        tokens: frozenset[str] | None = None,
    ) -> None:
        """``acronyms``: the text's acronyms when they are known already, or what gives them if they are
        known by the time they are needed (it returns None if not: then, as with None, they are found here).
        ``tokens``: the text's :func:`text_tokens`, when they are known already."""
        self.text = text
        self._known_acronyms = acronyms if callable(acronyms) else None
        self.tokens = text_tokens(text) if tokens is None else tokens
        self._acronyms: frozenset[str] | None = acronyms if isinstance(acronyms, frozenset) else None
        self._exotic: list[str] | None = None
        self._cap_initials: frozenset[str] | None = None

    @cached_property
    def upper_words(self) -> frozenset[str]:
        """The text's words in capitals (see :func:`upper_words`), found when a name in capitals is looked for."""
        return upper_words(self.text)

    def _token_present(self, token: str) -> bool:
        if token in self.tokens:
            return True
        if len(token) < 5:
            return False
        if len(self.tokens) <= _SHORT_TEXT:  # a sentence: comparing with each word is quicker
            first = token[0]
            return any(_close(token, t) for t in self.tokens if t[0] == first)
        if not typo_variants(token).isdisjoint(self.tokens):
            return True
        return any(_close(token, t) for t in self._exotic_tokens())

    def _exotic_tokens(self) -> list[str]:
        if self._exotic is None:
            self._exotic = _exotic(self.tokens)
        return self._exotic

    def _may_have_acronym(self, letters: str) -> bool:
        """Whether the text's capitalised words hold every letter of ``letters`` as an initial.

        The acronyms of the text's names are made of exactly such initials, so when this is False the
        names need not be looked for at all (finding them is the slow part of matching a sentence).
        """
        if self._cap_initials is None:
            initials: set[str] = set()
            for word in WORD_UNIT_RE.findall(self.text):
                if is_capitalised(word):
                    initials.update(fold(t)[:1] for t in _TOKEN_RE.findall(word))
                elif word.lower() == "abu":  # a joiner names keep ("Abu Mohammed al-Jolani")
                    initials.add("a")
            self._cap_initials = frozenset(initials)
        return all(ch in self._cap_initials for ch in letters.lower())

    def acronyms(self) -> frozenset[str]:
        """Acronyms of the capitalised multi-word names in the text."""
        if self._acronyms is None:
            known = self._known_acronyms() if self._known_acronyms is not None else None
            if known is None:
                known = frozenset(
                    a for s, e in find_names(self.text, skip_first=False) for a in name_acronyms(self.text[s:e])
                )
            self._acronyms = known
        return self._acronyms

    def match(self, name: str, forms: tuple[str, ...] | None = None) -> float:
        """1.0 when ``name`` is mentioned; 0.5 when only its head word is ("the Institute"
        for "the Riverton Institute for Public Health"); 0.0 when it is not.

        ``forms``: the only spellings of the name worth trying (see :meth:`forms_in`); all by default.
        """
        if self.has(name, forms):
            return 1.0
        toks = name_tokens(name)
        if len(toks) >= 2:
            # news shortens names on second mention: "the Institute", "Ruiz"
            heads = [t for t in toks[1:] if len(t) >= 5 and not t.endswith(("ian", "ese", "ish"))]
            if heads and heads[0] in self.tokens:
                return 0.5
        return 0.0

    def has(self, name: str, forms: tuple[str, ...] | None = None) -> bool:
        """Whether ``name`` (or another name of the same actor, its acronym, its expansion) is mentioned."""
        return any(self._has(form) for form in (alias_forms(name) if forms is None else forms))

    def forms_in(self, name: str) -> tuple[str, ...]:
        """The spellings of ``name`` this text mentions. A part of the text can mention no others, so
        reading the whole text once tells which spellings its sentences need to be tried for."""
        return tuple(form for form in alias_forms(name) if self._has(form))

    def _has(self, name: str) -> bool:
        if is_acronym(name):
            plain = name.replace(".", "")
            if plain in self.upper_words:
                return True
            if self._acronyms is not None:  # known: no need to ask whether looking for them is worth it
                return plain in self._acronyms
            return self._may_have_acronym(plain) and plain in self.acronyms()
        toks = name_tokens(name)
        if not toks:
            return False
        if not all(self._token_present(t) for t in toks if _distinctive(t)):
            # "Corvale Fire Service" is not "North Ridge Fire Service": the word that tells them apart counts
            return self._acronym_named(name)
        found = sum(1 for t in toks if self._token_present(t))
        needed = len(toks) if len(toks) <= 2 else -(-2 * len(toks) // 3)  # all of 1-2 tokens, 2/3 of longer
        if found >= needed:
            return True
        return self._acronym_named(name)

    def _acronym_named(self, name: str) -> bool:
        short = acronym(name)
        return bool(short) and len(short) >= 2 and short in self.upper_words
