"""Articles to chunks: windows of whole sentences with exact character offsets.

A chunk is what retrieval ranks; a sentence is what an answer cites. Chunks
hold a few neighbouring sentences (so "the company" in one sentence is found
with the sentence before it that names the company) and overlap by one
sentence, so every sentence is seen with the one before it.
"""

from __future__ import annotations

from qa.reading import sentences_of
from qa.sentences import split_sentences
from qa.types import Article, Chunk, Sentence

MAX_WORDS = 90  # MiniLM reads 256 tokens; 90 words plus the title stays well inside


def article_sentences(article: Article) -> list[Sentence]:
    """The citable sentences of ``article`` (page debris and headline left out)."""
    kept = sentences_of(article)  # split at ingest: reading them back is much quicker than splitting again
    return kept if kept is not None else split_sentences(article.text, skip=article.boilerplate)


def _debris_between(article: Article, end: int, start: int) -> bool:
    return any(s < start and e > end for s, e in article.boilerplate)


def chunk_article(article: Article, max_words: int = MAX_WORDS) -> list[Chunk]:
    """Split ``article`` into overlapping windows of whole sentences."""
    sentences = article_sentences(article)
    windows: list[list[Sentence]] = []
    current: list[Sentence] = []
    count = 0
    for sentence in sentences:
        n = len(sentence.text.split())
        breaks = current and (count + n > max_words or _debris_between(article, current[-1].end, sentence.start))
        if breaks:
            windows.append(current)
            last = current[-1]
            # carry the last sentence over unless it is long or debris separates them
            carried = len(last.text.split())
            carry = (
                carried <= max_words // 2
                and carried + n <= max_words
                and not _debris_between(article, last.end, sentence.start)
            )
            current = [last] if carry else []
            count = len(last.text.split()) if carry else 0
        current.append(sentence)
        count += n
    if current and (not windows or current[-1] != windows[-1][-1]):
        windows.append(current)
    return [_make_chunk(article, i, window) for i, window in enumerate(windows)]


def _make_chunk(article: Article, index: int, window: list[Sentence]) -> Chunk:
    start, end = window[0].start, window[-1].end
    return Chunk(
        chunk_id=f"{article.article_id}:{index}",
        article_id=article.article_id,
        index=index,
        start=start,
        end=end,
        text=article.text[start:end],
        sentences=tuple((s.start, s.end) for s in window),
    )


def embedded_text(article: Article, chunk: Chunk) -> str:
    """What the embedder and BM25 read for a chunk: the title gives it context."""
    return f"{article.title}\n{chunk.text}" if article.title else chunk.text
