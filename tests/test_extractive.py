"""Tests for qa.extractive.answer_from_evidence: answers made of cited sentences, conflicts, refusals.

Evidence comes from the real qa.evidence.select_evidence over invented articles.
"""

from __future__ import annotations

from qa.chunking import article_sentences
from qa.citations import markers_in
from qa.evidence import Evidence
from qa.extractive import REFUSAL, answer_from_evidence, source_label
from qa.numbers import contains_number, find_quantities
from qa.question import parse_question
from qa.types import Answer, Article, Sentence
from tests.news import FIRE, HOSPITAL, find_evidence, make_article

COUNCIL = make_article(
    "council",
    "River Marle floods Brackwater",
    "Nearly 300 residents were evacuated from Brackwater on Sunday as the River Marle burst its banks, "
    "the county council said. Water reached the first floor of the village school.",
    "Marle Gazette",
    "2023-11-12",
)
CREWS = make_article(
    "crews",
    "Brackwater evacuated",
    "Emergency crews evacuated 300 residents from Brackwater after the River Marle overflowed. "
    "Mayor Ines Calloway said the village would need weeks to recover.",
    "Northern Echo Online",
    "2023-11-13",
)
PROTEST = make_article(
    "protest",
    "Protest in Ormsby",
    "Police said 7 protesters were arrested in Ormsby on Saturday. Organisers said 30 protesters were arrested. "
    "The march ended peacefully by evening.",
    "Ormsby Times",
    "2024-02-03",
)
FLOODS = make_article(
    "floods",
    "Floods in Ormsby",
    "Floods killed three people in Ormsby on Sunday, the county council said. Hundreds of homes lost power.",
    "Ormsby Times",
    "2024-02-03",
)
LANDSLIDE = make_article(
    "landslide",
    "Landslide in Kesh",
    "A landslide killed nine people in the hills above Kesh last year. Rescuers dug for two days.",
    "Kesh Daily",
    "2023-05-03",
)


def ask(question: str, *articles: Article, top_k: int = 5) -> Answer:
    by_id = {a.article_id: a for a in articles}
    q, found = find_evidence(question, *articles)
    answer = answer_from_evidence(q, found, top_k)
    for c in answer.citations:  # every citation is a verbatim slice of the article it names
        assert by_id[c.article_id].text[c.start : c.end] == c.quote
    return answer


def test_two_articles_giving_different_figures_are_reported_as_a_conflict() -> None:
    answer = ask("How many workers were killed in the Verano plant fire?", FIRE, HOSPITAL)
    assert not answer.refused
    assert answer.conflict
    assert answer.text.startswith("The articles disagree:")
    assert contains_number(answer.text.splitlines()[0], 12)
    assert contains_number(answer.text.splitlines()[0], 15)


def test_each_conflicting_figure_is_attributed_to_the_article_that_states_it() -> None:
    answer = ask("How many workers were killed in the Verano plant fire?", FIRE, HOSPITAL)
    by_article = {c.article_id: c for c in answer.citations}
    assert set(by_article) == {"fire-service", "hospital"}
    assert contains_number(by_article["fire-service"].quote, 12)
    assert by_article["fire-service"].figure == "12"
    assert contains_number(by_article["hospital"].quote, 15)
    assert by_article["hospital"].figure == "15"
    # each figure's line names its article and cites the marker of its quote
    lines = answer.text.splitlines()[1:]
    for c in answer.citations:
        line = next(x for x in lines if f"[{c.marker}]" in x)
        article = FIRE if c.article_id == "fire-service" else HOSPITAL
        assert source_label(article) in line
        assert c.quote in line


def test_a_conflict_names_the_claimant_when_the_sentence_gives_one() -> None:
    answer = ask("How many workers were killed in the Verano plant fire?", FIRE, HOSPITAL)
    hospital = next(c for c in answer.citations if c.article_id == "hospital")
    assert hospital.claimant == "Hospital officials"
    assert "Hospital officials, in " in answer.text


def test_two_claimants_in_one_article_who_disagree_are_a_conflict() -> None:
    answer = ask("How many protesters were arrested in Ormsby?", PROTEST)
    assert answer.conflict
    assert {c.claimant for c in answer.citations} == {"Police", "Organisers"}
    assert {c.figure for c in answer.citations} == {"7", "30"}


def test_nearly_300_and_300_agree_and_are_not_a_conflict() -> None:
    answer = ask("How many residents were evacuated from Brackwater?", COUNCIL, CREWS)
    assert not answer.refused
    assert not answer.conflict
    assert answer.short == "Nearly 300"
    assert answer.text.splitlines()[0] == "Nearly 300 residents [1][2]."
    assert {c.article_id for c in answer.citations} == {"council", "crews"}


def test_counts_of_two_different_events_are_not_a_conflict() -> None:
    answer = ask("How many people were killed by the floods?", FLOODS, LANDSLIDE)
    assert not answer.conflict
    assert [c.article_id for c in answer.citations] == ["floods"]
    assert answer.short == "three"


def test_a_question_about_another_town_is_refused_without_citations() -> None:
    answer = ask("How many workers were killed in the fire in Corvale?", FIRE, HOSPITAL)
    assert answer.refused
    assert answer.citations == []
    assert answer.text == REFUSAL
    assert not answer.conflict


def test_a_count_nobody_gives_is_refused_without_citations() -> None:
    answer = ask("How many firefighters were injured?", FIRE, HOSPITAL)
    assert answer.refused
    assert answer.citations == []


def test_a_count_attached_to_another_noun_is_not_the_answer() -> None:
    engines = ask("How many engines were sent to the site?", FIRE, HOSPITAL)
    firefighters = ask("How many firefighters were sent to the site?", FIRE, HOSPITAL)
    assert engines.short == "Two"
    assert firefighters.short == "40"
    assert firefighters.text.splitlines()[0] == "40 firefighters [1]."


def test_the_lead_line_cites_every_quote_below_it() -> None:
    answer = ask("How many residents were evacuated from Brackwater?", COUNCIL, CREWS)
    assert markers_in(answer.text.splitlines()[0]) == [c.marker for c in answer.citations]
    assert [c.marker for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_top_k_limits_the_citations() -> None:
    answer = ask("How many workers were killed in the Verano plant fire?", FIRE, HOSPITAL, top_k=1)
    assert len(answer.citations) == 1


def test_a_date_question_leads_with_the_date_phrase() -> None:
    court = make_article(
        "court",
        "Quarry ruling",
        "The High Court in Ardwin ruled on 4 March that the quarry expansion was unlawful. "
        "The quarry employs 85 people.",
        "Ardwin Gazette",
        "2024-03-05",
    )
    answer = ask("When did the High Court rule on the quarry expansion?", court)
    assert answer.short == "4 March"
    assert answer.text.splitlines()[0] == "4 March [1]."
    assert (
        answer.citations[0].quote == "The High Court in Ardwin ruled on 4 March that the quarry expansion was unlawful."
    )


def test_no_evidence_is_a_plain_refusal() -> None:
    answer = answer_from_evidence(parse_question("Who is the mayor of Corvale?"), [], 5)
    assert answer.refused
    assert answer.text == REFUSAL
    assert answer.citations == []
    assert answer.question == "Who is the mayor of Corvale?"


def test_source_label_names_title_outlet_and_date() -> None:
    assert source_label(HOSPITAL) == "“Hospital reports deaths after Verano blaze” (Valley Herald, 2024-03-07)"


def test_source_label_of_an_untitled_article_uses_its_id() -> None:
    assert source_label(Article("a1", "Text.", "x")) == "article a1"
    assert source_label(Article("a1", "Text.", "x", source="Bay Post")) == "article a1 (Bay Post)"


def test_a_phrase_of_stopwords_alone_is_no_answer_phrase() -> None:
    article = make_article(
        "city", "Harbour news", "The city is a centre for banking and trade.", "Bay Post", "2024-01-02"
    )
    text = article.text
    start = text.index("The city")
    sentence = Sentence(start, len(text), text[start:], 0)
    e = Evidence(article, sentence, start, 1.0, phrase="The", phrase_start=start, phrase_end=start + 3)
    answer = answer_from_evidence(parse_question("Which city is a centre for banking?"), [e], 3)
    assert answer.short is None and not answer.refused
    assert answer.text.startswith("• “The city is a centre")


def test_a_date_answer_leaves_its_preposition_in_the_quote() -> None:
    article = make_article(
        "bridge", "Bridge news", "The bridge opened in 1932 after eight years.", "Bay Post", "2024-01-02"
    )
    start = article.text.index("The bridge")
    sentence = Sentence(start, len(article.text), article.text[start:], 0)
    at = article.text.index("in 1932")
    e = Evidence(article, sentence, start, 1.0, phrase="in 1932", phrase_start=at, phrase_end=at + 7)
    answer = answer_from_evidence(parse_question("When did the bridge open?"), [e], 3)
    assert answer.short == "1932" and answer.text.startswith("1932 [1].")


def _evidence(article: Article, score: float, phrase: str) -> Evidence:
    """The article's one sentence as evidence, scored ``score``, with ``phrase`` (in it) as its answer."""
    sentence = next(s for s in article_sentences(article) if phrase in s.text)
    start = article.text.index(phrase, sentence.start)
    value = find_quantities(phrase)[0].value
    return Evidence(article, sentence, sentence.start, score, phrase, start, start + len(phrase), value)


def _alliance(courier_year: str) -> list[Evidence]:
    """Two outlets carry the best sentence (1578); a third says it in other words, and its copy in a fourth
    gives ``courier_year``."""
    formed = "By 1578, the two leaders had formed an alliance that the court watched without intervening."
    began = "Relations changed after the alliance that began in {year} between the two leaders."
    articles = [
        make_article("chronicle", "Alliance", formed, "The Chronicle", "2024-03-04"),
        make_article("ledger", "Alliance", formed, "The Ledger", "2024-03-05"),
        make_article("herald", "Relations", began.format(year="1578"), "The Herald", "2024-03-04"),
        make_article("courier", "Relations", began.format(year=courier_year), "The Courier", "2024-03-06"),
    ]
    years = ("1578", "1578", "1578", courier_year)
    return [_evidence(a, s, y) for a, s, y in zip(articles, (1.0, 0.99, 0.9, 0.89), years, strict=True)]


def test_a_copy_that_changes_a_supporting_sentence_is_heard_when_three_articles_agree() -> None:
    # three agreeing citations must not hide the fourth's disagreement
    answer = answer_from_evidence(parse_question("When was the alliance formed?"), _alliance("1575"), 5)
    assert answer.conflict, answer.text
    assert "1578" in (answer.short or "") and "1575" in (answer.short or "")
    courier = next(line for line in answer.text.splitlines() if "The Courier" in line)
    assert courier.startswith("• 1575")
    assert {c.article_id for c in answer.citations} == {"chronicle", "ledger", "herald", "courier"}


def test_three_agreeing_articles_and_a_fourth_that_agrees_are_no_conflict() -> None:
    answer = answer_from_evidence(parse_question("When was the alliance formed?"), _alliance("1578"), 5)
    assert not answer.conflict and answer.short == "1578", answer.text
    assert len(answer.citations) == 3


def test_a_count_leads_with_the_noun_the_sentence_counts_not_the_question_s() -> None:
    leak = make_article(
        "leak",
        "Gas leak at the Nawa depot",
        "The council said 12 council workers died after the leak, which began before dawn. Two vans burned.",
        "Nawa Courier",
        "2024-05-02",
    )
    answer = ask("How many people died after the leak at the Nawa depot?", leak)
    assert answer.text.splitlines()[0] == "12 council workers [1]."


def test_a_cost_is_a_sum_of_money_not_any_figure() -> None:
    bridge = make_article(
        "bridge",
        "Larkspur bridge opens",
        "The Larkspur bridge, 80 kilometres north of Ormsby, opened on Monday. It cost $2.5 million to build.",
        "Ormsby Times",
        "2024-02-03",
    )
    assert ask("How much did the Larkspur bridge cost?", bridge).short == "$2.5 million"
    unpriced = make_article(
        "unpriced",
        "Larkspur bridge opens",
        "The Larkspur bridge, 80 kilometres north of Ormsby, opened on Monday. It cost the builders two years.",
        "Ormsby Times",
        "2024-02-03",
    )
    assert ask("How much did the Larkspur bridge cost?", unpriced).refused


def test_a_year_question_over_a_month_without_its_year_is_refused() -> None:
    opened = make_article(
        "opened",
        "Ormsby network opens",
        "The Ormsby wireless network was officially inaugurated in September by the mayor. It links 14 villages.",
        "Ormsby Times",
        "2024-02-03",
    )
    assert ask("In what year was the Ormsby wireless network officially inaugurated?", opened).refused
    assert ask("When was the Ormsby wireless network officially inaugurated?", opened).short == "September"


def test_a_percentage_and_a_sum_of_money_are_no_conflict() -> None:
    passengers = make_article(
        "passengers",
        "Ormsby Air traffic up",
        "Ormsby Air said its passenger numbers rose by 8.1% in January, helped by cheaper fares.",
        "Ormsby Times",
        "2024-02-03",
    )
    revenue = make_article(
        "revenue",
        "Ormsby Air results",
        "Ormsby Air said its passenger revenue rose by pounds 106m in January, as numbers rose.",
        "Kesh Daily",
        "2024-02-04",
    )
    answer = ask("By how much did Ormsby Air's passenger numbers rise in January?", passengers, revenue)
    assert not answer.conflict and answer.short == "8.1%"
