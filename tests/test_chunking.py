"""Tests for qa.chunking: windows of whole sentences with exact offsets."""

from __future__ import annotations

from itertools import pairwise

import pytest

from qa.chunking import MAX_WORDS, article_sentences, chunk_article, embedded_text
from qa.types import Article, Chunk

TITLE = "Court halts Ardwin quarry expansion"
PUBLISHED = "Published 12 May 2024 | Share this article"
SHARE = "Share on Facebook"

PARAGRAPHS = [
    "The High Court in Ardwin ruled on Monday that the quarry expansion was unlawful. "
    "Judge Miriam Okafor said the county council had ignored the warnings of its own engineers. "
    "The council said it would study the ruling before deciding whether to appeal. "
    "Residents of Brackwater, the nearest village, cheered outside the courthouse.",
    "The quarry, run by Calder Industries, employs 85 people and ships stone to three counties. "
    "Calder Industries said the ruling put dozens of jobs at risk in a region with few employers. "
    "A company spokeswoman, Dana Whitlow, said the firm had followed every rule it was given. "
    "She added that the company would meet union leaders on Thursday to discuss the future.",
    "Campaigners had argued that blasting at the site cracked walls in Brackwater homes. "
    "An engineering survey found damage in 40 houses, most of them within a mile of the pit. "
    "The judge ordered the council to reconsider the application within six months. "
    "Until then no new blasting may take place, the court said in its written decision.",
    "Local businesses were divided over the ruling on Monday evening. "
    "A café owner said lorries from the quarry had kept customers away for years. "
    "A haulage firm said it would lose its biggest contract if the quarry closed. "
    "The county council meets again on 3 June to discuss its next steps.",
]


def _article(paragraphs: list[str] = PARAGRAPHS) -> Article:
    body_a = "\n\n".join(paragraphs[:2])
    body_b = "\n\n".join(paragraphs[2:])
    text = f"{TITLE}\n\n{PUBLISHED}\n\n{body_a}\n\n{SHARE}\n\n{body_b}\n"
    spans = []
    for debris in (TITLE, PUBLISHED, SHARE):
        start = text.index(debris)
        spans.append((start, start + len(debris)))
    return Article(
        article_id="ardwin",
        text=text,
        content_hash="x",
        title=TITLE,
        source="Ardwin Gazette",
        published="2024-05-12",
        boilerplate=tuple(spans),
    )


@pytest.fixture
def article() -> Article:
    return _article()


@pytest.fixture
def chunks(article: Article) -> list[Chunk]:
    return chunk_article(article, max_words=60)


def test_every_chunk_text_is_the_article_text_at_its_offsets(article: Article, chunks: list[Chunk]) -> None:
    assert chunks
    for c in chunks:
        assert c.text == article.text[c.start : c.end]
        assert c.article_id == article.article_id


def test_chunks_consist_of_whole_sentences(article: Article, chunks: list[Chunk]) -> None:
    sentences = {(s.start, s.end) for s in article_sentences(article)}
    for c in chunks:
        assert set(c.sentences) <= sentences
        assert c.start == c.sentences[0][0]
        assert c.end == c.sentences[-1][1]
        # the sentences inside are consecutive sentences of the article, none skipped
        ordered = sorted(sentences)
        i = ordered.index(c.sentences[0])
        assert list(c.sentences) == ordered[i : i + len(c.sentences)]


def test_every_sentence_is_in_some_chunk(article: Article, chunks: list[Chunk]) -> None:
    covered = {span for c in chunks for span in c.sentences}
    assert covered == {(s.start, s.end) for s in article_sentences(article)}


def test_consecutive_chunks_overlap_by_at_most_one_sentence(chunks: list[Chunk]) -> None:
    for a, b in pairwise(chunks):
        shared = set(a.sentences) & set(b.sentences)
        assert len(shared) <= 1
        if shared:
            assert a.sentences[-1] == b.sentences[0]


def test_neighbouring_chunks_share_a_sentence_when_nothing_separates_them(chunks: list[Chunk]) -> None:
    assert any(set(a.sentences) & set(b.sentences) for a, b in pairwise(chunks))


def test_boilerplate_is_never_inside_a_chunk(article: Article, chunks: list[Chunk]) -> None:
    for c in chunks:
        for s, e in article.boilerplate:
            assert e <= c.start or s >= c.end, (c.chunk_id, article.text[s:e])
    assert all(TITLE not in c.text and SHARE not in c.text and "Published" not in c.text for c in chunks)


def test_chunks_do_not_overlap_across_page_debris(article: Article, chunks: list[Chunk]) -> None:
    share_start = article.text.index(SHARE)
    before = [c for c in chunks if c.end <= share_start]
    after = [c for c in chunks if c.start > share_start]
    assert before and after
    assert not set(before[-1].sentences) & set(after[0].sentences)


def test_chunk_ids_are_stable_and_ordered(article: Article, chunks: list[Chunk]) -> None:
    assert [c.chunk_id for c in chunks] == [f"ardwin:{i}" for i in range(len(chunks))]
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    assert chunk_article(_article(), max_words=60) == chunks


def test_a_long_article_gives_several_chunks_within_max_words(article: Article) -> None:
    chunks = chunk_article(article)
    assert len(chunks) > 1
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)


def test_a_short_article_is_one_chunk() -> None:
    text = "Nearly 300 residents were evacuated from Brackwater. The River Marle fell by Tuesday."
    chunks = chunk_article(Article("flood", text, "x"))
    assert len(chunks) == 1
    assert chunks[0].text == text


def test_an_article_without_sentences_has_no_chunks() -> None:
    assert chunk_article(Article("empty", "   \n\n  ", "x")) == []


def test_a_sentence_longer_than_max_words_is_kept_whole() -> None:
    long = "The council " + " ".join(f"listed item{i}" for i in range(60)) + " in its report."
    text = long + " The meeting ended at noon."
    chunks = chunk_article(Article("long", text, "x"), max_words=40)
    assert any(c.text == long for c in chunks)
    assert all(c.text == text[c.start : c.end] for c in chunks)


def _sentence(n: int, first: str) -> str:
    return " ".join([first] + [f"word{i}" for i in range(n - 2)] + ["end."])


def test_no_chunk_exceeds_max_words_when_every_sentence_fits() -> None:
    text = " ".join([_sentence(40, "Alpha"), _sentence(40, "Bravo"), _sentence(60, "Charlie"), _sentence(30, "Delta")])
    article = Article("sizes", text, "x")
    assert all(len(s.text.split()) <= MAX_WORDS for s in article_sentences(article))
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunk_article(article))


def test_embedded_text_puts_the_title_before_the_chunk(article: Article, chunks: list[Chunk]) -> None:
    assert embedded_text(article, chunks[0]) == f"{TITLE}\n{chunks[0].text}"


def test_embedded_text_without_a_title_is_the_chunk_text() -> None:
    article = Article("untitled", "Two engines were sent. Crews left at dawn.", "x")
    chunk = chunk_article(article)[0]
    assert embedded_text(article, chunk) == chunk.text
