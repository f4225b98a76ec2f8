"""Deterministic scorers for the eval suite: pure functions of a fact and an answer.

No model judges anything here and nothing is NaN: a refusal is a pass or a
fail like any other answer. Numbers are compared as numbers ("500" is "five
hundred"; "27" is not "270"); names are compared folded (case, accents).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa.numbers import Quantity, contains_number, find_quantities
from qa.text import fold
from qa.types import Answer, Citation

CATEGORIES = ("single", "both", "conflict", "unanswerable", "followup", "adversarial")


@dataclass(frozen=True)
class Fact:
    """One hand-written fact: a question and what a correct answer must contain."""

    id: str
    category: str
    question: str
    accept: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()
    refuse: bool = False
    conflict: bool = False
    # figure -> the article id(s) that state it; citing any of them attributes the figure
    figures: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    history: tuple[tuple[str, str], ...] = ()
    forbid: tuple[str, ...] = ()
    version: int = 1
    notes: str = ""
    # facts of one body of text gated on their own ("news": the BBC articles); "" is the suite's main group
    group: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], where: str) -> Fact:
        """Validate one JSON object; errors name the line and the field."""
        try:
            return cls._from_json(data, where)
        except ValueError:
            raise
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"{where}: malformed fact ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _from_json(cls, data: Mapping[str, Any], where: str) -> Fact:
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(known)}")
        for required in ("id", "category", "question"):
            if not isinstance(data.get(required), str) or not data[required].strip():
                raise ValueError(f"{where}: '{required}' must be a non-empty string")
        if data["category"] not in CATEGORIES:
            raise ValueError(f"{where}: category {data['category']!r} is not one of {', '.join(CATEGORIES)}")
        history = tuple((str(t["question"]), str(t.get("answer", ""))) for t in data.get("history", []))
        try:
            version = int(data.get("version", 1))
        except (TypeError, ValueError):
            raise ValueError(f"{where}: 'version' must be a whole number") from None
        fact = cls(
            id=data["id"],
            category=data["category"],
            question=data["question"],
            accept=_strings(data.get("accept", [])),
            cite=_strings(data.get("cite", [])),
            refuse=bool(data.get("refuse", False)),
            conflict=bool(data.get("conflict", False)),
            figures={
                str(k): (str(v),) if isinstance(v, str) else tuple(str(x) for x in v)
                for k, v in dict(data.get("figures", {})).items()
            },
            history=history,
            forbid=_strings(data.get("forbid", [])),
            version=version,
            notes=str(data.get("notes", "")),
            group=str(data.get("group", "")),
        )
        if not fact.refuse and not fact.accept and not fact.figures:
            raise ValueError(f"{where}: an answerable fact needs 'accept' or 'figures'")
        return fact


def _strings(value: Any) -> tuple[str, ...]:
    """A list of strings; a single string is one item, not a list of letters."""
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def mentions(text: str, expected: str) -> bool:
    """Whether ``text`` states ``expected``: as a number when it is one, else as folded words."""
    found = find_quantities(expected)
    # a date or year is compared as one, so "June 1" is the day of "June 1, 2008"
    dated = len(found) == 1 and found[0].kind in ("date", "year")
    value: Quantity | float | None = found[0] if dated else (found[0].value if found else None)
    if value is not None and re.search(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
        r"eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|dozen)\b",
        expected,
        re.IGNORECASE,
    ):
        return contains_number(text, value)
    pattern = r"(?<!\w)" + re.escape(fold(expected).strip()) + r"(?!\w)"
    return re.search(pattern, fold(text)) is not None


@dataclass(frozen=True)
class FactScore:
    """Every measure of one answer to one fact."""

    correct: bool
    refused: bool
    conflict_ok: bool | None  # None when the fact says nothing about conflict
    citations: int
    relevant_citations: int
    verbatim_citations: int
    cited_expected: float | None  # share of the expected articles cited; None when none expected
    forbidden_found: tuple[str, ...]
    why: str  # one line for the report when something is wrong


def score_answer(fact: Fact, answer: Answer, article_texts: Mapping[str, str]) -> FactScore:
    """Score ``answer`` against ``fact``; ``article_texts`` holds the stored text of every article."""
    problems: list[str] = []
    forbidden = tuple(f for f in fact.forbid if fold(f) in fold(answer.text))
    if forbidden:
        problems.append(f"says forbidden {', '.join(forbidden)}")
    if fact.refuse:
        correct = answer.refused and not answer.citations
        if not correct:
            problems.append("answered instead of refusing")
    elif answer.refused:
        correct = False
        problems.append("refused an answerable question")
    elif fact.figures:
        missing = [f for f in fact.figures if not mentions(answer.text, f)]
        correct = not missing
        if missing:
            problems.append(f"missing figure(s) {', '.join(missing)}")
    else:
        correct = any(mentions(answer.text, a) for a in fact.accept)
        if not correct:
            problems.append(f"none of {list(fact.accept)} in the answer")
    correct = correct and not forbidden

    conflict_ok: bool | None = None
    if fact.conflict or fact.figures or (not fact.refuse and fact.category != "unanswerable"):
        conflict_ok = answer.conflict == fact.conflict and _attributed(fact, answer.citations)
        if answer.conflict != fact.conflict:
            problems.append("conflict not reported" if fact.conflict else "reported a conflict that is not there")
        elif not _attributed(fact, answer.citations):
            problems.append("a figure is not attributed to the article that states it")

    verbatim = sum(1 for c in answer.citations if _verbatim(c, article_texts))
    relevant = sum(1 for c in answer.citations if _verbatim(c, article_texts) and _relevant(fact, c))
    if verbatim < len(answer.citations):
        problems.append(f"{len(answer.citations) - verbatim} citation(s) not verbatim")
    cited_ids = {c.article_id for c in answer.citations}
    cited_expected = len(set(fact.cite) & cited_ids) / len(fact.cite) if fact.cite else None
    if cited_expected is not None and cited_expected < 1:
        problems.append(f"did not cite {sorted(set(fact.cite) - cited_ids)}")
    return FactScore(
        correct=correct,
        refused=answer.refused,
        conflict_ok=conflict_ok,
        citations=len(answer.citations),
        relevant_citations=relevant,
        verbatim_citations=verbatim,
        cited_expected=cited_expected,
        forbidden_found=forbidden,
        why="; ".join(problems),
    )


def _verbatim(c: Citation, texts: Mapping[str, str]) -> bool:
    text = texts.get(c.article_id)
    return text is not None and text[c.start : c.end] == c.quote and bool(c.quote.strip())


def _relevant(fact: Fact, c: Citation) -> bool:
    """A citation is relevant when it cites an expected article or states an accepted answer."""
    if c.article_id in fact.cite or any(c.article_id in ids for ids in fact.figures.values()):
        return True
    return any(mentions(c.quote, a) for a in (*fact.accept, *fact.figures))


def _attributed(fact: Fact, citations: Sequence[Citation]) -> bool:
    """Each conflicting figure is cited from the article the fact says states it."""
    for figure, article_ids in fact.figures.items():
        if not any(c.article_id in article_ids and mentions(c.quote, figure) for c in citations):
            return False
    return True


def retrieval_ranks(expected: Sequence[str], ranked_ids: Sequence[str]) -> int | None:
    """1-based rank of the first expected article in ``ranked_ids`` (None: not retrieved)."""
    for rank, article_id in enumerate(ranked_ids, start=1):
        if article_id in expected:
            return rank
    return None


@dataclass(frozen=True)
class Summary:
    """Suite-level metrics; every value is a number in 0..1 (no NaN)."""

    metrics: dict[str, float]
    counts: dict[str, int]


def summarise(facts: Sequence[Fact], scores: Sequence[FactScore], ranks: Sequence[int | None], k: int = 5) -> Summary:
    """Aggregate per-fact scores into the gated metrics."""
    n = len(facts)
    answerable = [i for i, f in enumerate(facts) if not f.refuse]
    unanswerable = [i for i, f in enumerate(facts) if f.refuse]
    with_cites = [i for i, f in enumerate(facts) if f.cite]
    conflict_facts = [i for i, s in enumerate(scores) if s.conflict_ok is not None and facts[i].conflict]
    no_conflict = [i for i, s in enumerate(scores) if s.conflict_ok is not None and not facts[i].conflict]
    total_cites = sum(s.citations for s in scores)
    ranked = [i for i in with_cites if not facts[i].refuse]

    def share(idx: Sequence[int], ok: Any) -> float:
        return sum(1 for i in idx if ok(i)) / len(idx) if idx else 1.0

    metrics = {
        "answer_accuracy": share(range(n), lambda i: scores[i].correct),
        "citation_precision": (sum(s.relevant_citations for s in scores) / total_cites) if total_cites else 1.0,
        "citation_recall": (
            sum(scores[i].cited_expected or 0.0 for i in with_cites) / len(with_cites) if with_cites else 1.0
        ),
        "refusal_accuracy": share(unanswerable, lambda i: scores[i].refused and scores[i].citations == 0),
        "false_refusal_rate": share(answerable, lambda i: scores[i].refused) if answerable else 0.0,
        "conflict_recall": share(conflict_facts, lambda i: bool(scores[i].conflict_ok)),
        "conflict_precision": share(no_conflict, lambda i: bool(scores[i].conflict_ok)),
        f"hit@{k}": share(ranked, lambda i: ranks[i] is not None and ranks[i] <= k),  # type: ignore[operator]
        "mrr": (sum(1.0 / r for i in ranked if (r := ranks[i])) / len(ranked)) if ranked else 1.0,
    }
    counts = {c: sum(1 for f in facts if f.category == c) for c in CATEGORIES}
    counts["facts"] = n
    counts["citations"] = total_cites
    return Summary(metrics=metrics, counts=counts)


def gate_note(name: str, value: float, bound: float | None) -> str:
    """'  (>= 0.9: pass)' for a gated metric (``*_rate`` metrics are upper bounds); '' for an ungated one."""
    if bound is None:
        return ""
    upper = name.endswith("_rate")
    ok = value <= bound if upper else value >= bound
    return f"  ({'<=' if upper else '>='} {bound}: {'pass' if ok else 'FAIL'})"


def missed_thresholds(metrics: Mapping[str, float], thresholds: Mapping[str, float]) -> list[str]:
    """Human-readable list of thresholds the metrics miss (``*_rate`` metrics are upper bounds)."""
    missed = []
    for name, bound in thresholds.items():
        if name not in metrics:
            missed.append(f"{name}: unknown metric (known: {', '.join(sorted(metrics))})")
            continue
        value = metrics[name]
        if name.endswith("_rate"):
            if value > bound:
                missed.append(f"{name} {value:.3f} > {bound}")
        elif value < bound:
            missed.append(f"{name} {value:.3f} < {bound}")
    return missed
