"""Reading an article once: its sentences' names, terms and acronyms, found when first needed and kept.

Every question reads the sentences of the articles it retrieved; the reading
is kept (by the article's content hash) so the next question about the same
article reads nothing twice, and the acronyms found at ingest are used as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from qa.chunking import article_sentences
from qa.hygiene import is_instruction
from qa.lru import Lru
from qa.names import SentenceIndex, TextNames, alias_forms, text_tokens
from qa.reading import SEPARATOR, current, sentence_acronyms
from qa.text import terms
from qa.types import Article, Sentence

TOPIC_MENTIONS = 3


class _SentenceAcronyms:
    """The acronyms of the names in each sentence: kept from ingest, or found in one pass over the article.

    Kept apart from :class:`ArticleRead` so the TextNames that ask for them hold no
    reference back to the article's reading (no reference cycles: an article
    dropped from the cache is freed at once, not by a full garbage collection).
    """

    def __init__(self, texts: list[str], kept: Sequence[frozenset[str]] | None = None) -> None:
        self._texts = texts
        self._per: Sequence[frozenset[str]] | None = kept

    @functools.cached_property
    def joined(self) -> str:
        """The article's sentences as one text (see :func:`qa.reading.sentence_acronyms`)."""
        return SEPARATOR.join(self._texts)

    @property
    def known(self) -> bool:
        """Whether the acronyms are known already (kept from ingest, or found for another name)."""
        return self._per is not None

    def per_sentence(self) -> Sequence[frozenset[str]]:
        if self._per is None:
            self._per = sentence_acronyms(self._texts)
        return self._per

    def whole(self) -> frozenset[str]:
        return frozenset().union(*self.per_sentence())

    def of(self, i: int) -> frozenset[str] | None:
        """Sentence ``i``'s acronyms if the article's names were found already (else None: find its own)."""
        return self._per[i] if self._per is not None else None


class ArticleRead:
    """An article's sentences, each read (names, terms, instruction or not) only when first needed.

    A question looks at the sentences of the retrieved chunks and their
    neighbours, not at every sentence of every retrieved article; what is
    read is kept, so the next question about the same article reads nothing twice.
    """

    def __init__(
        self,
        sentences: list[Sentence],
        acronyms: Sequence[frozenset[str]] | None = None,
        instructions: frozenset[int] | None = None,
    ) -> None:
        """``acronyms``: of each sentence, and ``instructions``, the sentences that address a model,
        when known already (kept from ingest)."""
        self.sentences = sentences
        self._parts: dict[int, tuple[TextNames, frozenset[str]]] = {}
        self._tokens: dict[int, frozenset[str]] = {}  # each sentence's tokens
        self._instruction: dict[int, bool] = {}
        if instructions is not None:
            self._instruction = {i: i in instructions for i in range(len(sentences))}
        self._mentions: dict[tuple[str, ...], int] = {}  # keyed by the name's forms: its aliases differ by question
        self._all: TextNames | None = None
        self._acronyms = _SentenceAcronyms([s.text for s in sentences], acronyms)
        self._index: SentenceIndex | None = None

    def _tokens_of(self, i: int) -> frozenset[str]:
        """Sentence ``i``'s tokens (see :class:`TextNames`)."""
        got = self._tokens.get(i)
        if got is None:
            got = self._tokens[i] = text_tokens(self.sentences[i].text)
        return got

    def _all_tokens(self) -> list[frozenset[str]]:
        return [self._tokens_of(i) for i in range(len(self.sentences))]

    def _whole(self) -> TextNames:
        """The whole article as one text (its names are found only if an acronym needs them).

        Its tokens are those of its sentences (no word runs across the separator that joins them), which
        the sentences' index and their look-ups share: each sentence is tokenized once.
        """
        if self._all is None:
            acronyms = self._acronyms
            self._all = TextNames(
                acronyms.joined,
                acronyms=acronyms.whole() if acronyms.known else acronyms.whole,
                tokens=frozenset().union(*self._all_tokens()),
            )
        return self._all

    def part(self, i: int) -> tuple[TextNames, frozenset[str]]:
        got = self._parts.get(i)
        if got is None:
            text = self.sentences[i].text
            # once the whole article's names are found (or if they were kept), a sentence's acronyms are read off them
            known = self._acronyms.of(i)
            got = self._parts[i] = (
                TextNames(
                    text,
                    acronyms=known if known is not None else functools.partial(self._acronyms.of, i),
                    tokens=self._tokens_of(i),
                ),
                frozenset(terms(text)),
            )
        return got

    def instruction(self, i: int) -> bool:
        got = self._instruction.get(i)
        if got is None:
            got = self._instruction[i] = is_instruction(self.sentences[i].text)
        return got

    def mentions(self, name: str) -> int:
        """How many sentences mention ``name`` (stops counting at TOPIC_MENTIONS)."""
        key = alias_forms(name)
        got = self._mentions.get(key)
        if got is None:
            got = 0
            # a name no sentence can mention is not in the article's text at all: one look at the whole text
            # spares reading every sentence (the usual case: most retrieved articles are about other things),
            # and tells which of the name's spellings ("Facebook", "Meta", "Meta Platforms"...) are worth trying
            whole = self._whole()
            forms = whole.forms_in(name)
            if whole.match(name, forms) > 0:
                if self._index is None:
                    self._index = SentenceIndex([s.text for s in self.sentences], self._all_tokens())
                # only the sentences that can mention it are matched (most of an article cannot)
                for i in sorted(self._index.could_mention(name, forms, self._acronyms.per_sentence)):
                    if self.part(i)[0].match(name, forms) > 0:
                        got += 1
                        if got >= TOPIC_MENTIONS:
                            break
            self._mentions[key] = got
        return got


_READ_CACHE: Lru[tuple[str, str], ArticleRead] = Lru(512)  # articles; a few MB


def read_article(article: Article) -> ArticleRead:
    """The article's sentences, read lazily and kept for the next question (keyed by its content hash)."""
    key = (article.article_id, article.content_hash or str(hash(article.text)))
    got = _READ_CACHE.get(key)
    if got is None:
        kept = article.reading if current(article.reading) else None
        got = (
            ArticleRead(article_sentences(article), kept.acronyms, kept.instructions)
            if kept is not None
            else ArticleRead(article_sentences(article))
        )
        _READ_CACHE.put(key, got)
    return got
