"""Tests for qa.scoring: deterministic scorers of answers against hand-written facts."""

from __future__ import annotations

import math
from typing import Any

import pytest

from qa.scoring import CATEGORIES, Fact, FactScore, mentions, missed_thresholds, score_answer, summarise
from qa.types import Answer, Citation

FIRE = (
    "Fire at Verano plant. The fire at the Verano plant killed 12 workers, the fire service said. Crews left at dawn."
)
HOSP = "Hospital officials said 15 workers died in the Verano plant fire. Eight others were treated for burns."
FLOOD = "Nearly 300 residents were evacuated from Brackwater on Sunday. The River Marle fell by Tuesday."
TEXTS = {"fire": FIRE, "hosp": HOSP, "flood": FLOOD}


def cite(marker: int, article_id: str, sentence: str) -> Citation:
    """A citation whose quote is a real slice of the article."""
    text = TEXTS[article_id]
    start = text.index(sentence)
    return Citation(marker=marker, article_id=article_id, quote=sentence, start=start, end=start + len(sentence))


FIRE_12 = "The fire at the Verano plant killed 12 workers, the fire service said."
HOSP_15 = "Hospital officials said 15 workers died in the Verano plant fire."
FLOOD_300 = "Nearly 300 residents were evacuated from Brackwater on Sunday."


def answer(text: str, citations: list[Citation], refused: bool = False, conflict: bool = False) -> Answer:
    return Answer(question="q", text=text, refused=refused, conflict=conflict, citations=citations)


def fact(**fields: Any) -> Fact:
    data: dict[str, Any] = {"id": "f1", "category": "single", "question": "How many?"}
    data.update(fields)
    return Fact.from_json(data, "facts.jsonl:7")


REFUSAL = answer("The articles do not contain the answer to this question.", [], refused=True)


# --- Fact.from_json -------------------------------------------------------------------


def test_from_json_reads_every_field() -> None:
    f = Fact.from_json(
        {
            "id": "fire-toll",
            "category": "conflict",
            "question": "How many workers died in the Verano fire?",
            "figures": {"12": "fire", "15": ["hosp", "hosp2"]},
            "conflict": True,
            "cite": ["fire", "hosp"],
            "history": [{"question": "What happened at Verano?", "answer": "A fire [1]."}, {"question": "Where?"}],
            "forbid": ["Corvale"],
            "version": 2,
            "notes": "two outlets disagree",
        },
        "facts.jsonl:1",
    )
    assert f.figures == {"12": ("fire",), "15": ("hosp", "hosp2")}
    assert f.conflict and not f.refuse
    assert f.cite == ("fire", "hosp")
    assert f.history == (("What happened at Verano?", "A fire [1]."), ("Where?", ""))
    assert f.forbid == ("Corvale",)
    assert f.version == 2


def test_from_json_rejects_unknown_fields_naming_the_line_and_field() -> None:
    with pytest.raises(ValueError, match=r"facts\.jsonl:7.*answer_text"):
        fact(accept=["12"], answer_text="12")


@pytest.mark.parametrize("missing", ["id", "category", "question"])
def test_from_json_rejects_a_missing_required_field(missing: str) -> None:
    data = {"id": "f1", "category": "single", "question": "How many?", "accept": ["12"]}
    del data[missing]
    with pytest.raises(ValueError, match=rf"facts\.jsonl:3.*'{missing}'"):
        Fact.from_json(data, "facts.jsonl:3")


def test_from_json_rejects_a_blank_question() -> None:
    with pytest.raises(ValueError, match="question"):
        fact(question="   ", accept=["12"])


def test_from_json_rejects_an_unknown_category_listing_the_known_ones() -> None:
    with pytest.raises(ValueError, match="trivia") as info:
        fact(category="trivia", accept=["12"])
    assert all(c in str(info.value) for c in CATEGORIES)


def test_from_json_rejects_an_answerable_fact_without_accept_or_figures() -> None:
    with pytest.raises(ValueError, match="accept"):
        fact()


def test_from_json_allows_a_refusal_fact_without_accept() -> None:
    assert fact(category="unanswerable", refuse=True).refuse


def test_from_json_does_not_split_a_string_accept_into_letters() -> None:
    try:
        f = fact(accept="Brackwater")
    except ValueError:
        return  # rejecting it is fine too
    assert f.accept == ("Brackwater",)


@pytest.mark.parametrize("extra", [{"version": "two"}, {"history": [{"answer": "Brackwater [1]."}]}])
def test_from_json_errors_always_name_the_line(extra: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"facts\.jsonl:7"):
        fact(accept=["12"], **extra)


# --- mentions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five hundred homes were lost", "500"),
        ("12 workers", "twelve"),
        ("1,200 homes", "1200"),
        ("Nearly 300 residents", "300"),
        ("the BRACKWATER council", "Brackwater"),
        ("in São Tomé", "Sao Tome"),
        ("On Children's Day, June 1, 2008, parents mourned", "June 1"),
        ("on 1 June 2008", "June 1"),
        ("videos went on sale on October 12, 2005", "2005"),
    ],
)
def test_mentions_matches_numbers_as_numbers_and_names_folded(text: str, expected: str) -> None:
    assert mentions(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("270 homes", "27"),
        ("27 homes", "270"),
        ("Room 27B", "27"),
        ("the Brackwaters", "Brackwater"),
        ("June 4, 2008", "June 1"),
        ("June 1, 2009", "June 1, 2008"),
        ("October 12, 2003", "2005"),
    ],
)
def test_mentions_does_not_match_a_different_number_or_a_longer_word(text: str, expected: str) -> None:
    assert not mentions(text, expected)


# --- score_answer -----------------------------------------------------------------------


def test_refusal_of_an_unanswerable_fact_passes() -> None:
    s = score_answer(fact(category="unanswerable", refuse=True), REFUSAL, TEXTS)
    assert s.correct and s.refused
    assert s.conflict_ok is None
    assert s.why == ""


def test_answering_an_unanswerable_fact_fails() -> None:
    s = score_answer(fact(category="unanswerable", refuse=True), answer("12 [1].", [cite(1, "fire", FIRE_12)]), TEXTS)
    assert not s.correct
    assert "instead of refusing" in s.why


def test_a_refusal_that_still_cites_fails() -> None:
    bad = answer("The articles do not contain the answer.", [cite(1, "fire", FIRE_12)], refused=True)
    assert not score_answer(fact(category="unanswerable", refuse=True), bad, TEXTS).correct


def test_refusing_an_answerable_fact_fails() -> None:
    s = score_answer(fact(accept=["12"], cite=["fire"]), REFUSAL, TEXTS)
    assert not s.correct and s.refused
    assert "refused an answerable question" in s.why


def test_a_correct_single_answer_with_a_verbatim_relevant_citation() -> None:
    s = score_answer(
        fact(accept=["12", "twelve"], cite=["fire"]), answer("12 workers [1].", [cite(1, "fire", FIRE_12)]), TEXTS
    )
    assert s.correct
    assert s.conflict_ok is True
    assert (s.citations, s.verbatim_citations, s.relevant_citations) == (1, 1, 1)
    assert s.cited_expected == 1.0
    assert s.why == ""


def test_a_wrong_figure_is_not_correct() -> None:
    s = score_answer(fact(accept=["12"]), answer("120 workers [1].", [cite(1, "fire", FIRE_12)]), TEXTS)
    assert not s.correct
    assert "none of" in s.why


def test_a_conflict_with_each_figure_cited_from_its_article_passes() -> None:
    f = fact(category="conflict", conflict=True, figures={"12": "fire", "15": "hosp"}, cite=["fire", "hosp"])
    a = answer(
        "The articles disagree: 12 or 15 workers.",
        [cite(1, "fire", FIRE_12), cite(2, "hosp", HOSP_15)],
        conflict=True,
    )
    s = score_answer(f, a, TEXTS)
    assert s.correct and s.conflict_ok is True
    assert s.relevant_citations == 2


def test_a_conflict_not_reported_fails_the_conflict_check() -> None:
    f = fact(category="conflict", conflict=True, figures={"12": "fire", "15": "hosp"})
    a = answer("12 or 15 workers.", [cite(1, "fire", FIRE_12), cite(2, "hosp", HOSP_15)], conflict=False)
    s = score_answer(f, a, TEXTS)
    assert s.correct  # both figures are there
    assert s.conflict_ok is False
    assert "conflict not reported" in s.why


def test_a_figure_not_cited_from_its_article_fails_attribution() -> None:
    f = fact(category="conflict", conflict=True, figures={"12": "fire", "15": "hosp"})
    a = answer("The articles disagree: 12 or 15 workers.", [cite(1, "fire", FIRE_12)], conflict=True)
    s = score_answer(f, a, TEXTS)
    assert s.conflict_ok is False
    assert "not attributed" in s.why


def test_a_missing_figure_is_not_correct() -> None:
    f = fact(category="conflict", conflict=True, figures={"12": "fire", "15": "hosp"})
    s = score_answer(f, answer("12 workers [1].", [cite(1, "fire", FIRE_12)], conflict=True), TEXTS)
    assert not s.correct
    assert "missing figure(s) 15" in s.why


def test_reporting_a_conflict_that_is_not_there_fails_the_conflict_check() -> None:
    a = answer("The articles disagree: nearly 300 or 300 residents.", [cite(1, "flood", FLOOD_300)], conflict=True)
    s = score_answer(fact(accept=["300"], cite=["flood"]), a, TEXTS)
    assert s.conflict_ok is False
    assert "reported a conflict that is not there" in s.why


def test_a_forbidden_string_makes_a_correct_answer_wrong() -> None:
    a = answer("12 workers died in CORVALE [1].", [cite(1, "fire", FIRE_12)])
    s = score_answer(fact(accept=["12"], forbid=["Corvale"]), a, TEXTS)
    assert not s.correct
    assert s.forbidden_found == ("Corvale",)
    assert "forbidden" in s.why


def test_a_citation_with_wrong_offsets_is_not_verbatim() -> None:
    good = cite(1, "fire", FIRE_12)
    shifted = Citation(marker=2, article_id="fire", quote=FIRE_12, start=good.start + 1, end=good.end + 1)
    s = score_answer(fact(accept=["12"]), answer("12 [1][2].", [good, shifted]), TEXTS)
    assert (s.citations, s.verbatim_citations) == (2, 1)
    assert "1 citation(s) not verbatim" in s.why


def test_a_citation_of_an_unknown_article_or_a_blank_quote_is_not_verbatim() -> None:
    unknown = Citation(marker=1, article_id="nope", quote=FIRE_12, start=0, end=len(FIRE_12))
    blank = Citation(marker=2, article_id="fire", quote=" ", start=FIRE.index(" "), end=FIRE.index(" ") + 1)
    s = score_answer(fact(accept=["12"]), answer("12 [1][2].", [unknown, blank]), TEXTS)
    assert s.verbatim_citations == 0
    assert s.relevant_citations == 0


def test_a_verbatim_citation_of_an_unrelated_article_is_not_relevant() -> None:
    a = answer("12 [1][2].", [cite(1, "fire", FIRE_12), cite(2, "flood", FLOOD_300)])
    s = score_answer(fact(accept=["12"], cite=["fire"]), a, TEXTS)
    assert (s.verbatim_citations, s.relevant_citations) == (2, 1)


def test_a_citation_stating_the_accepted_answer_is_relevant_without_cite() -> None:
    s = score_answer(fact(accept=["300"]), answer("Nearly 300 [1].", [cite(1, "flood", FLOOD_300)]), TEXTS)
    assert s.relevant_citations == 1
    assert s.cited_expected is None


def test_cited_expected_is_the_share_of_expected_articles_cited() -> None:
    f = fact(category="both", accept=["Verano"], cite=["fire", "hosp"])
    s = score_answer(f, answer("Verano [1].", [cite(1, "fire", FIRE_12)]), TEXTS)
    assert s.cited_expected == 0.5
    assert "did not cite ['hosp']" in s.why


# --- summarise and thresholds ---------------------------------------------------------------


def _score(correct: bool, refused: bool = False, citations: int = 0, relevant: int = 0, **kw: Any) -> FactScore:
    return FactScore(
        correct=correct,
        refused=refused,
        conflict_ok=kw.get("conflict_ok"),
        citations=citations,
        relevant_citations=relevant,
        verbatim_citations=citations,
        cited_expected=kw.get("cited_expected"),
        forbidden_found=(),
        why="",
    )


def test_summarise_with_no_facts_gives_no_nan() -> None:
    summary = summarise([], [], [])
    assert all(not math.isnan(v) for v in summary.metrics.values())
    assert summary.metrics["answer_accuracy"] == 1.0
    assert summary.metrics["false_refusal_rate"] == 0.0
    assert summary.counts["facts"] == 0


def test_summarise_empty_categories_default_to_one() -> None:
    facts = [fact(accept=["12"], cite=["fire"])]
    scores = [_score(True, citations=1, relevant=1, conflict_ok=True, cited_expected=1.0)]
    m = summarise(facts, scores, [1]).metrics
    assert m["refusal_accuracy"] == 1.0  # no unanswerable facts
    assert m["conflict_recall"] == 1.0  # no conflict facts
    assert m["conflict_precision"] == 1.0


def test_summarise_computes_each_metric() -> None:
    facts = [
        fact(id="a", accept=["12"], cite=["fire"]),
        fact(id="b", category="unanswerable", refuse=True),
        fact(id="c", accept=["300"], cite=["flood"]),
        fact(id="d", category="conflict", conflict=True, figures={"12": "fire", "15": "hosp"}, cite=["fire", "hosp"]),
    ]
    scores = [
        _score(True, citations=2, relevant=1, conflict_ok=True, cited_expected=1.0),
        _score(True, refused=True),
        _score(False, refused=True, conflict_ok=False, cited_expected=0.0),
        _score(True, citations=2, relevant=2, conflict_ok=True, cited_expected=0.5),
    ]
    summary = summarise(facts, scores, [1, None, None, 4], k=3)
    m = summary.metrics
    assert m["answer_accuracy"] == 3 / 4
    assert m["citation_precision"] == 3 / 4  # 3 relevant of 4 citations
    assert m["citation_recall"] == pytest.approx((1.0 + 0.0 + 0.5) / 3)
    assert m["refusal_accuracy"] == 1.0
    assert m["false_refusal_rate"] == 1 / 3
    assert m["conflict_recall"] == 1.0
    assert m["conflict_precision"] == 1 / 2  # a: ok, c: not ok
    assert m["hit@3"] == 1 / 3  # a at rank 1; c not found; d at rank 4
    assert m["mrr"] == pytest.approx((1 + 0 + 1 / 4) / 3)
    assert summary.counts["single"] == 2
    assert summary.counts["conflict"] == 1
    assert summary.counts["facts"] == 4
    assert summary.counts["citations"] == 4


def test_missed_thresholds_treats_rate_metrics_as_upper_bounds() -> None:
    metrics = {"answer_accuracy": 0.9, "false_refusal_rate": 0.2, "mrr": 0.5}
    missed = missed_thresholds(metrics, {"answer_accuracy": 0.8, "false_refusal_rate": 0.1, "mrr": 0.6})
    assert missed == ["false_refusal_rate 0.200 > 0.1", "mrr 0.500 < 0.6"]


def test_missed_thresholds_passes_at_the_bound() -> None:
    assert (
        missed_thresholds(
            {"answer_accuracy": 0.8, "false_refusal_rate": 0.1}, {"answer_accuracy": 0.8, "false_refusal_rate": 0.1}
        )
        == []
    )


def test_missed_thresholds_reports_an_unknown_metric() -> None:
    missed = missed_thresholds({"mrr": 1.0}, {"recall": 0.5})
    assert len(missed) == 1
    assert missed[0].startswith("recall: unknown metric")
    assert "mrr" in missed[0]
