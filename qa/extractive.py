"""The default answerer: answers with the evidence sentences themselves, each cited.

It writes no claim of its own. The lead line is the answer phrase copied from
the best sentence ("500 workers"); when the cited articles give different
figures for the asked count, the lead says so and every figure is listed with
who gives it (claimant, article, outlet, date). No eligible evidence means a
plain refusal.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa.answer_phrase import GENERIC_COUNTED, NEAR_NOUN, Phrase, candidates
from qa.citations import make_citation
from qa.evidence import Evidence
from qa.numbers import find_quantities, same_value
from qa.question import Question, accepts
from qa.retelling import changed_value
from qa.text import STOPWORDS, fold, stem, terms, words
from qa.types import Answer, Article, Citation

REFUSAL = "The articles do not contain the answer to this question."
CONFLICT_RATIO = 0.7  # evidence within this share of the best score can disagree with it
AGREE_RATIO = 0.5  # evidence within this share that says the same is cited beside the best
SUPPORT_RATIO = 0.75  # other sentences within this share of the best are shown beside it
RESTATE_OVERLAP = 0.4  # word overlap at which another article's sentence restates the best one
SAME_TELLING_OVERLAP = 0.6  # word overlap, answers aside, at which two articles tell the same thing
SAME_EVENT_OVERLAP = 0.2  # word overlap above which two figures from two articles describe one event
SAME_EVENT_RATIO = 0.85  # or, for a question that names its event, a score this close to the best


def refusal(question: str, mode: str = "extractive") -> Answer:
    """The fixed answer for a question the articles do not answer."""
    return Answer(question=question, text=REFUSAL, refused=True, conflict=False, citations=[], mode=mode)


def display_date(published: str | None) -> str | None:
    """The date part of an ISO timestamp, which is what a reader needs to place a report."""
    return published[:10] if published else None


def source_label(article: Article) -> str:
    """'“Title” (The Washington Post, 2019-04-20)': how an answer names an article."""
    title = f"“{article.title}”" if article.title else f"article {article.article_id}"
    details = ", ".join(x for x in (article.source, display_date(article.published)) if x)
    return f"{title} ({details})" if details else title


def answer_from_evidence(question: Question, evidence: list[Evidence], top_k: int, general: bool = False) -> Answer:
    """Compose the answer (or the refusal) from evidence sorted best first.

    ``general`` evidence (``qa.sentence_rank``) is answered with its phrase, or its sentence quoted.
    """
    if not evidence:
        return refusal(question.text)
    # a phrase of stopwords alone ("The", "It") says nothing: its sentence, quoted, is the answer
    evidence = [
        e if e.phrase is None or {fold(w) for w in words(e.phrase)} - STOPWORDS else _no_phrase(e) for e in evidence
    ]
    if question.kind == "date":
        evidence = [_without_preposition(e) for e in evidence]  # "2015", not "in 2015"
    if question.kind == "count" and not general:
        return _count_answer(question, evidence, top_k)
    return _phrase_answer(question, evidence, top_k)


_CLAUSE_END = re.compile(r"[,.;:!?()\[\]]")


def _counted_words(question: Question, best: Evidence) -> str | None:
    """The words after the figure of ``best`` up to the noun that counts what was asked, verbatim (" night-shift
    nurses" after "12"); None when no such noun follows within four words of the same clause."""
    if not question.focus or best.phrase_end is None:
        return None
    after = best.article.text[best.phrase_end : best.phrase_end + 40]
    cut = _CLAUSE_END.search(after)
    after = after[: cut.start()] if cut else after
    found = list(re.finditer(r"[\w'-]+", after))
    for i, m in enumerate(found[:4]):
        if accepts(question.focus, stem(m.group())):
            end = m.end()
            for more in found[i + 1 :]:  # "council workers": the compound's head ends it
                if not accepts(question.focus, stem(more.group())):
                    break
                end = more.end()
            return after[:end]
    return None


_DATE_PREPOSITION = re.compile(r"(?:in|on|at|since|during|from|by)\s+(?=\S)", re.IGNORECASE)


def _without_preposition(e: Evidence) -> Evidence:
    m = _DATE_PREPOSITION.match(e.phrase or "")
    if m is None or e.phrase is None or e.phrase_start is None:
        return e
    return replace(e, phrase=e.phrase[m.end() :], phrase_start=e.phrase_start + m.end())


def _no_phrase(e: Evidence) -> Evidence:
    return replace(e, phrase=None, phrase_start=None, phrase_end=None, value=None)


def _one_per_article_value(evidence: list[Evidence], floor: float) -> list[Evidence]:
    """Best sentence per (article, figure) among evidence scoring at least ``floor``."""
    kept: list[Evidence] = []
    for e in evidence:
        if e.score < floor:
            continue
        dup = any(
            k.article.article_id == e.article.article_id
            and (k.value is None or e.value is None or same_value(k.value, e.value))
            for k in kept
        )
        if not dup:
            kept.append(e)
    return kept


def _comparable(question: Question, best: Evidence, other: Evidence) -> bool:
    """Whether ``other`` may stand beside ``best`` in one answer.

    The same figure agrees, from any article. A different figure is a
    disagreement only when it is about the same event: in one article that
    means two claimants who disagree ("the union said 21", "the Riverton Herald
    said 27"); across articles, sentences that share what they describe beyond
    the question's own words. Otherwise it is some other count (a total, a
    separate incident) and is left out rather than shown as a conflict.
    """
    if best.value is not None and other.value is not None and same_value(best.value, other.value):
        return True
    if _measure(best) != _measure(other):
        return False  # "8.1%" and "pounds 106m" measure two things: neither contradicts the other
    if _another_asked_claimant(question, best, other):
        return True
    if other.article.article_id == best.article.article_id:
        return bool(best.claimant and other.claimant and not _same_claimant(best.claimant, other.claimant))
    if _overlap(question, best, other) >= SAME_EVENT_OVERLAP:
        return True
    # a question that names its event (places, groups) pins both sentences to it, when each names
    # the asked place itself ("Nearly 50 ... in different parts of Spain" is not about Seville)
    return bool(question.entities) and other.score >= best.score * SAME_EVENT_RATIO


def _measure(e: Evidence) -> str | None:
    """What kind of figure the phrase of ``e`` is: a count, money, a percentage (None: no figure)."""
    found = find_quantities(e.phrase or "")
    return found[0].kind if found else None


def _another_asked_claimant(question: Question, best: Evidence, other: Evidence) -> bool:
    """ "According to the union and according to Acme": ``other`` gives the second account asked for."""
    if not (question.claimants and best.claimant and other.claimant):
        return False
    asked = [c for c in question.claimants if _same_claimant(c, best.claimant)]
    rest = [c for c in question.claimants if c not in asked]
    return bool(asked) and any(_same_claimant(c, other.claimant) for c in rest)


def _same_claimant(a: str, b: str) -> bool:
    """ "the Institute" and "Institute director Ana Ruiz" speak for one organisation."""
    from qa.names import TextNames

    a, b = a.split(" (quoting")[0], b.split(" (quoting")[0]
    return TextNames(a).match(b) > 0 or TextNames(b).match(a) > 0 or _shared_name_word(a, b)


def _shared_name_word(a: str, b: str) -> bool:
    from qa.names import name_tokens

    long_a = {t for t in name_tokens(a) if len(t) >= 5}
    return bool(long_a & {t for t in name_tokens(b) if len(t) >= 5})


def _overlap(question: Question, a: Evidence, b: Evidence) -> float:
    """Share of the words two sentences have in common, leaving out the question's words."""
    asked = set(question.terms)
    ta = {t for t in terms(a.sentence.text) if t not in asked and not t[:1].isdigit()}
    tb = {t for t in terms(b.sentence.text) if t not in asked and not t[:1].isdigit()}
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _groups(evidence: list[Evidence]) -> list[list[Evidence]]:
    """Evidence grouped by figure, groups in order of their best member."""
    groups: list[list[Evidence]] = []
    for e in evidence:
        for g in groups:
            if e.value is not None and g[0].value is not None and same_value(g[0].value, e.value):
                g.append(e)
                break
        else:
            groups.append([e])
    return groups


def _count_answer(question: Question, evidence: list[Evidence], top_k: int) -> Answer:
    best = evidence[0]
    kept = _one_per_article_value(evidence, best.score * AGREE_RATIO)
    accepted = [best]
    for e in kept[1:]:
        agrees = any(a.value is not None and e.value is not None and same_value(a.value, e.value) for a in accepted)
        if agrees and e.article.article_id in {a.article.article_id for a in accepted}:
            continue  # one sentence per article and figure is enough
        close = e.score >= best.score * CONFLICT_RATIO or _another_asked_claimant(question, best, e)
        # a different figure must be about the asked event: its names in the sentence or just before,
        # not only in the headline ("nearly two dozen" by the union is about Ohio, not Riverton)
        grounded = e.grounded or _another_asked_claimant(question, best, e)
        if agrees or (close and grounded and any(_comparable(question, a, e) for a in accepted)):
            accepted.append(e)
    kept = accepted[:top_k]
    groups = _groups(kept)
    if len(groups) == 1:
        # one figure agreed on, but another article's copy of the sentence changes one of its values
        retold = next(
            (r for e in evidence[1:] if e.score >= best.score * CONFLICT_RATIO and (r := _retold(question, best, e))),
            None,
        )
        if retold is not None:
            return _phrase_conflict(question, list(retold), [])
    # "500 workers", but "millions" alone where the article says "watched by millions."
    named = _counted_words(question, best)
    noun = f" {question.focus_word}" if question.focus_word and named is not None else ""
    marker = {id(e): n for n, e in enumerate(kept, start=1)}
    citations = [make_citation(marker[id(e)], e) for e in kept]
    if len(groups) == 1:
        # agreement: "500" and "nearly 500" are one figure
        markers = "".join(f"[{marker[id(e)]}]" for e in kept)
        # the sentence's own words for what is counted ("12 nurses", not "12 people"), as it writes them
        lines = [f"{best.phrase}{named or ''} {markers}."]
        lines += [f"• “{e.quote}” [{marker[id(e)]}]" for e in kept]
        return Answer(
            question=question.text,
            text="\n".join(lines),
            refused=False,
            conflict=False,
            citations=citations,
            short=best.phrase,
        )
    rows = [(e.phrase or "", f"{e.claimant}, in " if e.claimant else "", e, marker[id(e)]) for g in groups for e in g]
    return _disagreement(question, [g[0].phrase or "" for g in groups], noun, rows, citations)


def _disagreement(
    question: Question,
    values: list[str],
    noun: str,
    rows: list[tuple[str, str, Evidence, int]],
    citations: list[Citation],
) -> Answer:
    """ "The articles disagree: 21 or 27 workers." and, per row, its value, who says it, the article, the quote."""
    listed = ", ".join(values[:-1]) + f" or {values[-1]}"
    lines = [f"The articles disagree: {listed}{noun}."]
    for value, who, e, n in rows:
        lines.append(f"• {value} — {who}{source_label(e.article)}: “{e.quote}” [{n}]")
    return Answer(
        question=question.text,
        text="\n".join(lines),
        refused=False,
        conflict=True,
        citations=citations,
        short=listed,
    )


def _phrase_answer(question: Question, evidence: list[Evidence], top_k: int) -> Answer:
    best = evidence[0]
    lead = best  # the best sentence, with the phrase the articles disagree on when they do
    kept: list[Evidence] = [best]
    disagree: list[Evidence] = []
    for e in evidence[1:]:
        if len(kept) + len(disagree) >= top_k or e.score < best.score * AGREE_RATIO:
            break
        if any(k.article.article_id == e.article.article_id for k in kept + disagree):
            continue
        # another article's sentence helps when it says the same thing: the same answer phrase,
        # or (for a free-form question) a nearly as good match; three say it enough, but an article
        # that tells one of them with another value is still heard
        full = len(kept) + len(disagree) >= min(top_k, 3)
        same = _says(e, best.phrase) if best.phrase is not None else _restates(best, e)
        contested = _contested(question, best, e)
        if contested is not None and (lead is best or lead.phrase == contested[0].phrase):
            lead = contested[0]
            disagree.append(contested[1])
        elif same:
            if not full:
                kept.append(e)
        elif _disagrees(question, best, e):
            disagree.append(e)
        elif (told := _told_otherwise(question, best, kept[1:], e)) is not None:
            disagree.append(told)
    if disagree:
        return _phrase_conflict(question, [lead, *disagree], kept[1:])
    citations: list[Citation] = [make_citation(n, e) for n, e in enumerate(kept, start=1)]
    lines = []
    if best.phrase:
        lines.append(f"{best.phrase} " + "".join(f"[{n}]" for n in range(1, len(kept) + 1)) + ".")
    lines += [f"• “{e.quote}” [{n}]" for n, e in enumerate(kept, start=1)]
    return Answer(
        question=question.text,
        text="\n".join(lines),
        refused=False,
        conflict=False,
        citations=citations,
        short=best.phrase,
    )


def _told_otherwise(question: Question, best: Evidence, support: list[Evidence], other: Evidence) -> Evidence | None:
    """``other`` with its phrase when it is another article's copy of a supporting sentence (not the best one)
    with the answer's value changed: "By 1578, ... alliance" is the best, "the alliance initiated in 1578"
    supports it, and a copy of that one says 1575."""
    if best.phrase is None:
        return None
    for s in support:
        contested = _contested(question, s, other)
        if contested is not None and _same_phrase(contested[0].phrase or "", best.phrase):
            return contested[1]
    return None


def _disagrees(question: Question, best: Evidence, other: Evidence) -> bool:
    """Whether another article tells the same thing with another answer: the same sentence, another value.

    Both sentences must give a phrase of the asked type, say nearly the same
    words apart from it (the same event, not another one) and score close; the
    same value in other words ("500" / "five hundred", "$1m" / "1 million
    dollars", "3 March 1998" / "March 3, 1998") is agreement.
    """
    if best.phrase is None or other.phrase is None or other.score < best.score * CONFLICT_RATIO:
        return False
    if _says(other, best.phrase) or _says(best, other.phrase) or _same_quantity(best.phrase, other.phrase):
        return False
    a = set(terms(best.sentence.text)) - set(terms(best.phrase))
    b = set(terms(other.sentence.text)) - set(terms(other.phrase))
    return bool(a and b) and len(a & b) / len(a | b) >= SAME_TELLING_OVERLAP


def _contested(question: Question, best: Evidence, other: Evidence) -> tuple[Evidence, Evidence] | None:
    """Two articles telling the same thing where one phrase of the asked type differs: those two phrases.

    A copy of a report with one figure, year or name changed ("opened in 1932" /
    "opened in 1935") disagrees on that value, whichever phrase was first chosen
    as the answer. Values written two ways ("500" / "five hundred") agree.
    """
    if other.score < best.score * CONFLICT_RATIO:
        return None
    ours = candidates(question, best.sentence.text)
    theirs = candidates(question, other.sentence.text)
    if not ours or not theirs:
        return _retold(question, best, other)
    only_ours = [p for p in ours if not any(_same_phrase(p.text, q.text) for q in theirs)]
    only_theirs = [q for q in theirs if not any(_same_phrase(q.text, p.text) for p in ours)]
    if len(only_ours) != 1 or len(only_theirs) != 1:
        return _retold(question, best, other)
    if not _of_asked_kind(question, only_ours[0].text, best.sentence.text[only_ours[0].end :]):
        return None  # "10 rail lines" / "20 rail lines" where the stations were asked for
    a = set(terms(best.sentence.text)) - set(terms(only_ours[0].text))
    b = set(terms(other.sentence.text)) - set(terms(only_theirs[0].text))
    if not (a and b) or len(a & b) / len(a | b) < SAME_TELLING_OVERLAP:
        return None
    return _with_phrase(best, only_ours[0]), _with_phrase(other, only_theirs[0])


def _retold(question: Question, best: Evidence, other: Evidence) -> tuple[Evidence, Evidence] | None:
    """Another article's copy of the best sentence with one value changed (qa.retelling), when that value is
    of the kind asked for: the two values, whatever the answer phrase was chosen to be."""
    if best.article.article_id == other.article.article_id:
        return None
    changed = changed_value(best.sentence.text, other.sentence.text)
    if changed is None:
        return None
    ours = best.sentence.text[changed.a_start : changed.a_end]
    if not _of_asked_kind(question, ours, best.sentence.text[changed.a_end :]):
        return None  # "20 rail lines" changed where the stations were asked for
    theirs = other.sentence.text[changed.b_start : changed.b_end]
    return (
        _with_phrase(best, Phrase(changed.a_start, changed.a_end, ours, _value(ours))),
        _with_phrase(other, Phrase(changed.b_start, changed.b_end, theirs, _value(theirs))),
    )


def _of_asked_kind(question: Question, value: str, after: str) -> bool:
    """Whether ``value`` (followed by ``after`` in its sentence) can answer: a figure of what a count counts,
    a date for "when", a name (no figure) for "who" and "where"."""
    found = find_quantities(value)
    if question.kind == "count":
        counted = [f for f in question.focus if f not in GENERIC_COUNTED]
        # the words after the figure in its clause: none when the noun is left unsaid ("as high as 28,000.")
        clause = re.split(r"[,.;:()]", value[found[0].end :] + after if found else after, maxsplit=1)[0]
        following = [stem(fold(w)) for w in re.findall(r"[\w'-]+", clause)[:NEAR_NOUN]]
        return bool(found) and (not counted or not following or any(accepts(question.focus, w) for w in following))
    if question.kind == "date":
        return any(q.kind in ("date", "year") for q in found) or bool(re.search(r"\b1[0-9]{3}\b|\b20[0-9]{2}\b", value))
    if question.kind in ("person", "place"):
        return not any(ch.isdigit() for ch in value)
    return True


def _value(text: str) -> float | None:
    found = find_quantities(text)
    return found[0].value if len(found) == 1 else None


def _same_phrase(a: str, b: str) -> bool:
    return fold(a) == fold(b) or _same_quantity(a, b)


def _with_phrase(e: Evidence, p: Phrase) -> Evidence:
    start = e.sentence.start + p.start
    return replace(e, phrase=p.text, phrase_start=start, phrase_end=start + len(p.text), value=p.value)


def _same_quantity(a: str, b: str) -> bool:
    """ "500" and "five hundred", "27%" and "27 percent": one quantity written two ways."""
    qa_, qb = find_quantities(a), find_quantities(b)
    return len(qa_) == len(qb) == 1 and qa_[0].kind == qb[0].kind and same_value(qa_[0].value, qb[0].value)


def _phrase_conflict(question: Question, tellings: list[Evidence], support: list[Evidence]) -> Answer:
    """Articles that tell the same thing with different answers: each answer, with who gives it."""
    ordered = [tellings[0], *support, *tellings[1:]]
    marker = {id(e): n for n, e in enumerate(ordered, start=1)}
    rows = [((e.phrase if e in tellings else tellings[0].phrase) or "", "", e, marker[id(e)]) for e in ordered]
    citations = [make_citation(marker[id(e)], e) for e in ordered]
    return _disagreement(question, [e.phrase or "" for e in tellings], "", rows, citations)


def _restates(best: Evidence, other: Evidence) -> bool:
    """Whether another article's sentence says what the best one says (most of its words)."""
    a, b = set(terms(best.sentence.text)), set(terms(other.sentence.text))
    return bool(a and b) and len(a & b) / len(a | b) >= RESTATE_OVERLAP and other.score >= best.score * SUPPORT_RATIO


def _says(e: Evidence, phrase: str) -> bool:
    """Whether the quote of ``e`` contains ``phrase`` (see ``quote_says``)."""
    return quote_says(e.quote, phrase)


def quote_says(quote: str, phrase: str) -> bool:
    """Whether ``quote`` contains ``phrase`` (names folded, numbers as numbers)."""
    from qa.names import TextNames

    return TextNames(quote).has(phrase) or fold(phrase) in fold(quote)
