"""What ingest reads once and the store keeps: the same sentences and acronyms as reading afresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.chunking import article_sentences
from qa.evidence import select_evidence
from qa.hygiene import is_instruction
from qa.loaders import load_paths
from qa.names import name_acronyms
from qa.question import find_names, parse_question
from qa.reading import current, from_json, read, reader, to_json, with_reading
from qa.sentences import split_sentences
from qa.types import Article, Reading
from tests.conftest import SAMPLES
from tests.news import bm25_of
from tests.test_hostile import INJECTION

OTHER_NEWS = Path(__file__).parent / "data" / "other_news"


def _articles() -> list[Article]:
    return [item.article for item in load_paths([SAMPLES, OTHER_NEWS], max_bytes=10**8) if item.article]


def _acronyms_of(sentence: str) -> frozenset[str]:
    return frozenset(a for s, e in find_names(sentence, skip_first=False) for a in name_acronyms(sentence[s:e]))


def test_a_reading_holds_the_split_and_each_sentences_own_acronyms() -> None:
    seen = 0
    for article in _articles():
        reading = read(article)
        sentences = split_sentences(article.text, skip=article.boilerplate)
        assert reading.sentences == tuple((s.start, s.end, s.paragraph) for s in sentences)
        # read in one pass over the article, each sentence gets exactly the acronyms it has on its own
        assert list(reading.acronyms) == [_acronyms_of(s.text) for s in sentences]
        seen += sum(1 for a in reading.acronyms if a)
    assert seen >= 5  # the articles do name organisations with acronyms ("HTS", "SDF")


def test_sentences_come_from_the_reading_when_it_is_current() -> None:
    article = _articles()[0]
    kept = with_reading(article)
    assert current(kept.reading) and not current(article.reading)
    assert article_sentences(kept) == article_sentences(article)
    # a reading by other code is not used: the article is split again
    stale = dataclasses.replace(kept, reading=dataclasses.replace(kept.reading, reader="other code"))  # type: ignore[arg-type]
    assert not current(stale.reading)
    wrong = dataclasses.replace(stale, reading=Reading("other code", ((0, 3, 0),), (frozenset(),)))
    assert article_sentences(wrong) == article_sentences(article)


def test_a_reading_survives_the_store_format_and_a_bad_one_is_refused() -> None:
    article = _articles()[0]
    reading = read(article)
    assert from_json(reader(), to_json(reading), len(article.text)) == reading
    assert from_json(reader(), to_json(reading), 10) is None  # spans beyond the text: not this text's reading
    assert from_json(reader(), "{not json", len(article.text)) is None
    assert from_json(reader(), '{"sentences": [[0, 5]]}', len(article.text)) is None
    for bad in (
        '{"sentences": [["0", 5, 0]], "acronyms": [], "instructions": []}',
        '{"sentences": [[0.0, 5, 0]], "acronyms": [], "instructions": []}',
        '{"sentences": [[0, 5, 0]], "acronyms": [[0, [7]]], "instructions": []}',
        '{"sentences": [[0, 5, 0]], "acronyms": [[3, ["HTS"]]], "instructions": []}',
        '{"sentences": [[0, 5, 0]], "acronyms": [], "instructions": ["0"]}',
        '{"sentences": [[0, 5, 0]], "acronyms": []}',
    ):
        assert from_json(reader(), bad, len(article.text)) is None, bad
    assert from_json(reader(), '{"sentences": [[0, 5, 0]], "acronyms": [], "instructions": [1]}', 99) is None
    kept = '{"sentences": [[0, 5, 0]], "acronyms": [[0, ["HTS"]]], "instructions": [0]}'
    assert from_json(reader(), kept, len(article.text)) == Reading(
        reader(), ((0, 5, 0),), (frozenset({"HTS"}),), frozenset({0})
    )


def test_a_reading_marks_the_sentences_that_address_a_model(tmp_path: Path) -> None:
    (tmp_path / "convoy.txt").write_text(INJECTION, encoding="utf-8")
    article = next(item.article for item in load_paths([tmp_path], max_bytes=10**6) if item.article)
    reading = read(article)
    sentences = split_sentences(article.text, skip=article.boilerplate)
    flagged = {i for i, s in enumerate(sentences) if is_instruction(s.text)}
    assert len(flagged) >= 3  # the injected lines, not the news
    assert reading.instructions == flagged
    assert from_json(reader(), to_json(reading), len(article.text)) == reading


@pytest.mark.parametrize(
    "question",
    [
        "How many soldiers were killed in the HTS attack near Aleppo?",
        "Which group dominates the Syrian Democratic Forces?",
        "How many people died in the earthquake?",
    ],
)
def test_evidence_is_the_same_with_and_without_a_kept_reading(question: str) -> None:
    plain = {a.article_id: a for a in _articles()}
    kept = {i: with_reading(a) for i, a in plain.items()}
    priors = {(a.article_id, s.start): 1.0 for a in plain.values() for s in article_sentences(a)}
    q = parse_question(question)
    index = bm25_of(plain)
    fresh = select_evidence(q, plain, priors, index)
    from_reading = select_evidence(q, kept, priors, index)
    assert fresh, question  # the question is answerable: the comparison is about real evidence
    assert [(e.article.article_id, e.sentence, e.phrase, e.score) for e in from_reading] == [
        (e.article.article_id, e.sentence, e.phrase, e.score) for e in fresh
    ]


def test_the_store_keeps_the_reading_and_a_reingest_renews_an_old_one(make_assistant: object, backend: str) -> None:
    assistant: Assistant = make_assistant(backend)  # type: ignore[operator]
    assert assistant.ingest([SAMPLES]).count("added") == 2
    store = assistant.store
    ids = [a.article_id for a in assistant.list_articles()]
    for article in store.articles_by_id(ids).values():
        assert current(article.reading)
        assert article_sentences(article) == split_sentences(article.text, skip=article.boilerplate)

    # a store written by other code (or before readings were kept): answers still work, read afresh
    records = store.article_records(ids)
    store.articles.update(ids=ids, metadatas=[{**records[i], "reader": "older code"} for i in ids])
    assert all(a.reading is None for a in store.articles_by_id(ids).values())
    generation = store.generation()
    answer = assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert "500" in answer.text

    # ingesting the same files again keeps a current reading, without writing any chunk again
    report = assistant.ingest([SAMPLES])
    assert report.count("unchanged") == 2
    assert store.generation() == generation
    assert all(current(a.reading) for a in store.articles_by_id(ids).values())
    assert "500" in assistant.ask("How many soldiers were besieged near al-Sukhna?").text
