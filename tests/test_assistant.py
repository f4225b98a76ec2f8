"""End to end through Assistant: real Chroma (embedded and server), the real embedder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.chunking import article_sentences
from qa.errors import EmptyIndexError, NotFoundError, QuestionError
from qa.extractive import REFUSAL
from qa.numbers import contains_number
from tests.conftest import BESIEGED, SAMPLES, WAPO


def assert_verbatim(assistant: Assistant, answer: object) -> None:
    for c in answer.citations:  # type: ignore[attr-defined]
        article = assistant.article(c.article_id)
        assert article.text[c.start : c.end] == c.quote
        assert c.quote.strip() == c.quote and c.quote


def test_besieged_answers_500_citing_both_articles(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert not answer.refused and not answer.conflict
    assert re.search(r"\b500\b", answer.text)
    assert {c.article_id for c in answer.citations} == {BESIEGED, WAPO}
    assert all(contains_number(c.quote, 500) for c in answer.citations)
    assert_verbatim(samples_assistant, answer)


def test_hts_attack_reports_each_figure_with_its_source(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("How many soldiers were killed in the Hayat Tahrir al-Sham attack near Aleppo?")
    assert answer.conflict and not answer.refused
    by_figure = {c.figure: c for c in answer.citations}
    assert by_figure["13"].article_id == BESIEGED
    assert by_figure["21"].article_id == WAPO
    assert by_figure["27"].article_id == WAPO
    # who claims which: the Observatory says 21, Baladi news (quoting HTS) says 27
    assert "Observatory" in (by_figure["21"].claimant or "")
    assert "Baladi" in (by_figure["27"].claimant or "")
    assert "disagree" in answer.text
    for line in answer.text.splitlines()[1:]:
        marker = int(re.findall(r"\[(\d+)\]", line)[-1])
        cited = answer.citations[marker - 1]
        assert cited.figure and line.lstrip("• ").startswith(cited.figure)
    assert "The Washington Post" in answer.text
    assert_verbatim(samples_assistant, answer)


def test_unrelated_question_is_refused_without_citations(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("What is the capital of Australia?")
    assert answer.refused
    assert answer.text == REFUSAL
    assert answer.citations == []
    assert not answer.conflict


def test_agreeing_articles_are_not_a_conflict(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("How many soldiers were killed in the Daesh ambush in Homs?")
    assert not answer.refused
    assert not answer.conflict
    assert answer.short and contains_number(answer.short, 27)


@pytest.mark.parametrize("backend", ["embedded"])
def test_reingest_is_idempotent(samples_assistant: Assistant) -> None:
    before = samples_assistant.store.count_chunks()
    report = samples_assistant.ingest([SAMPLES])
    assert [r.status for r in report.results] == ["unchanged", "unchanged"]
    assert samples_assistant.store.count_chunks() == before


def _chunk_ids(assistant: Assistant, article_id: str) -> set[str]:
    return {cid for cid, aid in assistant.store.chunk_article_ids().items() if aid == article_id}


def test_edited_article_replaces_all_its_chunks(samples_assistant: Assistant, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    edited = corpus / f"{WAPO}.txt"
    text = edited.read_text(encoding="utf-8")
    # cut the article to its first half and change a figure
    half = text[: len(text) // 2].replace("nearly 500 soldiers", "nearly 600 soldiers")
    edited.write_text(half, encoding="utf-8")
    before_other = _chunk_ids(samples_assistant, BESIEGED)
    # answered once before the edit: what that answer read must not outlive the edit
    assert not samples_assistant.ask("How many soldiers were besieged near al-Sukhna?").conflict

    report = samples_assistant.ingest([corpus])

    assert {r.article_id: r.status for r in report.results} == {BESIEGED: "unchanged", WAPO: "updated"}
    stored = samples_assistant.article(WAPO)
    assert stored.text == half
    ids = _chunk_ids(samples_assistant, WAPO)
    updated = next(r for r in report.results if r.article_id == WAPO)
    assert len(ids) == updated.chunks
    chunks = samples_assistant.store.chunks_by_id(sorted(ids))
    for chunk in chunks.values():  # no stale chunk: each one is text of the new version
        assert half[chunk.start : chunk.end] == chunk.text
    assert _chunk_ids(samples_assistant, BESIEGED) == before_other
    # its sentence vectors are those of the new version's sentences, no more
    kept = samples_assistant.store.sentence_vectors([WAPO])[WAPO]
    assert set(kept) == {s.start for s in article_sentences(stored)}
    # BM25 follows: the removed second half is no longer found
    hits = samples_assistant._bm25_index().search("Baladi Akrab", 5)
    assert all(not cid.startswith(WAPO) for cid, _ in hits)
    answer = samples_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert answer.conflict  # 500 in one article, 600 in the edited one
    assert_verbatim(samples_assistant, answer)


@pytest.mark.parametrize("backend", ["embedded"])
def test_remove_deletes_article_everywhere(samples_assistant: Assistant) -> None:
    assert {
        c.article_id for c in samples_assistant.ask("How many soldiers were besieged near al-Sukhna?").citations
    } == {
        BESIEGED,
        WAPO,
    }
    samples_assistant.remove(WAPO)
    assert [a.article_id for a in samples_assistant.list_articles()] == [BESIEGED]
    assert _chunk_ids(samples_assistant, WAPO) == set()
    assert all(not cid.startswith(WAPO) for cid in samples_assistant._bm25_index().chunk_ids)
    assert samples_assistant.store.sentence_vectors([WAPO, BESIEGED]).keys() == {BESIEGED}
    answer = samples_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    assert {c.article_id for c in answer.citations} == {BESIEGED}
    with pytest.raises(NotFoundError):
        samples_assistant.remove(WAPO)


@pytest.mark.parametrize("backend", ["embedded"])
def test_duplicate_text_under_another_name_is_skipped(samples_assistant: Assistant, tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-wapo.txt"
    copy.write_bytes((SAMPLES / f"{WAPO}.txt").read_bytes())
    report = samples_assistant.ingest([copy])
    assert report.results[0].status == "duplicate" and report.ok  # nothing failed: the text is stored
    assert WAPO in (report.results[0].reason or "")
    assert len(samples_assistant.list_articles()) == 2


def test_bad_file_is_reported_and_batch_goes_on(make_assistant: object, tmp_path: Path) -> None:
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    shutil.copy(SAMPLES / f"{WAPO}.txt", corpus)
    report = assistant.ingest([corpus])
    statuses = {Path(r.path).name: r.status for r in report.results}
    assert statuses == {"binary.txt": "rejected", "empty.txt": "rejected", f"{WAPO}.txt": "added"}
    assert all(r.reason and "\n" not in r.reason for r in report.results if r.status == "rejected")
    assert [a.article_id for a in assistant.list_articles()] == [WAPO]


def test_questions_are_validated(make_assistant: object) -> None:
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    with pytest.raises(QuestionError, match="empty"):
        assistant.ask("   ")
    with pytest.raises(QuestionError, match="limit"):
        assistant.ask("why " * 2000)
    with pytest.raises(EmptyIndexError, match="qa ingest"):
        assistant.ask("How many soldiers were besieged?")


def test_metadata_reaches_citations(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("How many soldiers were besieged near al-Sukhna?")
    by_id = {c.article_id: c for c in answer.citations}
    assert by_id[BESIEGED].published == "2019-04-20T16:37"
    assert by_id[BESIEGED].title == "Scores of Syrian regime troops killed in Daesh, HTS attacks"
    assert by_id[WAPO].source == "The Washington Post"
    assert by_id[WAPO].path and by_id[WAPO].path.endswith(f"{WAPO}.txt")


@pytest.mark.parametrize("backend", ["embedded"])
def test_check_finds_an_interrupted_ingest_and_a_rerun_repairs_it(samples_assistant: Assistant) -> None:
    assert samples_assistant.check().healthy
    store = samples_assistant.store
    # what a crash between "pending" and "complete" leaves: a pending record and half of the chunks
    record = store.article_records([WAPO])[WAPO]
    store.articles.upsert(ids=[WAPO], embeddings=[[1.0]], metadatas=[{**record, "status": "pending"}])
    half = sorted(cid for cid, aid in store.chunk_article_ids().items() if aid == WAPO)[::2]
    store.chunks.delete(ids=half)
    health = samples_assistant.check()
    assert not health.healthy
    assert any(WAPO in p and "did not finish" in p for p in health.problems)
    report = samples_assistant.ingest([SAMPLES])
    assert {r.article_id: r.status for r in report.results}[WAPO] == "updated"
    assert samples_assistant.check().healthy


def test_a_refusal_says_what_the_articles_do_not_mention(samples_assistant: Assistant) -> None:
    answer = samples_assistant.ask("Which country won the 2018 football World Cup?")
    assert answer.refused and answer.text == REFUSAL
    assert answer.notes == ["not in the articles: “World Cup”, 2018"]
    answer = samples_assistant.ask("Who is the commander of Liwa al-Quds?")  # the name is there, the role is not
    assert answer.refused and answer.notes == ["not in the articles: “commander”"]
