"""Counterfactual robustness, RGB-style: two outlets report one fact, one of them changed.

From a SQuAD-format file, answerable questions whose first gold answer is a typed value found
verbatim in its paragraph (a figure, a year or date, a capitalised name) become items of two
articles, the paragraph as outlet A's article and a copy as outlet B's (published later):

- a *conflict* item: B's copy replaces the answer with another value of its type (a figure
  scaled, a year shifted by a few years, a name swapped for another paragraph's answer to the
  same kind of question) and changes nothing else. A good answer gives both values and says
  the articles disagree;
- a *control* item (a false conflict waiting to happen): B's copy states the same value in
  other words where it can ("500" -> "five hundred", "$1m" -> "1 million dollars"; years and
  names stay), with its sentences reordered and function words edited. The articles agree, so
  flagging a conflict is wrong.

Building the items is pure and deterministic given the seed. :func:`run_counterfactual`
ingests every item's two articles into one store, asks each question of the whole store and
scores the answers (:func:`metrics`); ``qa eval --counterfactual`` is its door.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from qa.name_spans import find_names
from qa.numbers import Quantity, find_quantities, same_value
from qa.question import parse_question
from qa.scoring import gate_note, mentions, missed_thresholds
from qa.sentences import split_sentences
from qa.squad import Progress, SquadError, SquadQuestion, SquadSet, ask_timed, load_squad, sample, write_articles
from qa.text import fold
from qa.types import Answer

VERSION = 1  # bump when what an item is, or what a metric counts, changes

ValueKind = Literal["number", "year", "date", "name"]
OUTLETS = (("Outlet A", "2024-03-04"), ("Outlet B", "2024-03-06"))  # (source, published) of A and B

# A figure's digits: "1,500", "2.5", "1981" (never the comma that follows "September 4,").
_FIGURE = re.compile(r"(?<![\d.,])\d(?:[\d,]*\d)?(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d{2})(?!\d)")
_DAY = re.compile(r"(?<![\d,])\d{1,2}(?![\d,])")
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MONTH_DAY_YEAR = re.compile(_MONTH + r" (\d{1,2}), (\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) " + _MONTH + r",? (\d{4})")
_MONEY = re.compile(r"(?:US|A|C)?([$£€])\s?(\d[\d,]*(?:\.\d+)?)\s*(million|billion|thousand|bn|m|k)?", re.IGNORECASE)
_CURRENCY_WORDS = {"$": "dollars", "£": "pounds", "€": "euros"}
_SCALE_WORDS = {"m": "million", "bn": "billion", "k": "thousand"}
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# General function-word edits for a control's copy: wording changes, facts do not.
_EDITS = (
    ("in order to", "to"),
    ("as well as", "and"),
    ("approximately", "about"),
    ("Although", "Though"),
    ("although", "though"),
    ("However,", "But"),
    ("In addition,", "Also,"),
    ("whilst", "while"),
    ("amongst", "among"),
    ("upon", "on"),
    ("due to", "because of"),
    ("did not", "didn't"),
    ("does not", "doesn't"),
    ("was not", "wasn't"),
    ("is not", "isn't"),
    ("It is", "It's"),
)
_FACTORS = (2.0, 3.0, 4.0, 0.5, 2.5)


@dataclass(frozen=True)
class Item:
    """One question and the two outlets' articles it is asked over."""

    question: SquadQuestion
    kind: ValueKind
    control: bool  # True: B states the same value (no conflict); False: B states ``other``
    value: str  # the gold answer, as outlet A's article states it
    other: str  # what outlet B's article states in its place: another value, or the same one reworded
    original: dict[str, str]  # outlet A's article record (id, title, source, published, text)
    copy: dict[str, str]  # outlet B's


# ---- what an answer is ----------------------------------------------------------------


def value_kind(question: str, answer: str) -> ValueKind | None:
    """The typed value ``answer`` is ("number", "year", "date", "name"), or None for free text."""
    answer = answer.strip()
    if not answer or len(answer.split()) > 6:
        return None
    found = [q for q in find_quantities(answer) if not q.vague]
    if found:
        q = found[0]
        rest = (answer[: q.start] + answer[q.end :]).split()
        if len(found) > 1 or len(rest) > 3 or not _FIGURE.search(answer, q.number_start, q.end):
            return None
        if any(w[:1].isupper() for w in rest):
            return None  # "Kodak 35 mm", "Op. 58": a name with a number in it, not a figure
        if q.kind in ("year", "date"):
            return q.kind
        if q.kind not in ("count", "money", "percent"):
            return None  # times and ordinals
        # "1066" is a year when a date is asked for, though not a modern one
        if _YEAR.fullmatch(answer[q.number_start : q.end]) and parse_question(question).kind == "date":
            return "year"
        return "number"
    if re.search(r"\d", answer):
        return None
    whole = find_names(answer, skip_first=False) == [(0, len(answer))]
    return "name" if whole and len(answer) > 2 else None


def name_kind(question: str) -> tuple[str, str | None] | None:
    """What sort of name a question asks for: ("person", None) for "who", ("place", "city")..."""
    parsed = parse_question(question)
    return (parsed.kind, parsed.asked_noun) if parsed.kind in ("person", "place") else None


NamePool = Mapping[tuple[str, str | None], Sequence[tuple[str, str]]]


def name_pool(squad: SquadSet) -> dict[tuple[str, str | None], list[tuple[str, str]]]:
    """Every gold answer that is a name, with its article's title, by the kind of name asked for."""
    titles = {a["id"]: a["title"] for a in squad.articles}
    pool: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    for q in squad.questions:
        if q.answerable and value_kind(q.question, q.answers[0]) == "name" and (kind := name_kind(q.question)):
            names = pool.setdefault(kind, [])
            if (entry := (q.answers[0].strip(), titles[q.article_id])) not in names:
                names.append(entry)
    return pool


def other_names(question: str, value: str, article: Mapping[str, str], pool: NamePool) -> list[str]:
    """Names that could stand for ``value``: answers to the same kind of question, the likeliest first tier.

    "Who" says little ("Atticus", "The Atlantic", "Pepsi"): a name from the same Wikipedia
    article, and one of as many words, is likelier of the same sort (a character for a character).
    None is in the article's text or shares a word with ``value``.
    """
    asked = name_kind(question)
    taken = set(fold(value).split())
    fits = [
        (title != article["title"], len(name.split()) != len(value.split()), name)
        for name, title in (pool.get(asked, ()) if asked else ())
        if not taken & set(fold(name).split()) and not _found(article["text"], name)
    ]
    best = min((f[:2] for f in fits), default=None)
    return list(dict.fromkeys(name for *tier, name in fits if tuple(tier) == best))


# ---- changing and restating a value ---------------------------------------------------


def replace_value(text: str, old: str, new: str) -> str:
    """``text`` with every standalone occurrence of ``old`` written ``new`` (not "19950" for "1995")."""
    pattern = r"(?<![\w$£€])" + re.escape(old) + r"(?![\w%]|[.,]\d)"
    return re.sub(pattern, lambda _: new, text)


def _found(text: str, value: str) -> bool:
    return replace_value(text, value, "\x00") != text


def _quantity(value: str) -> Quantity:
    return next(q for q in find_quantities(value) if not q.vague)


def _format_like(template: str, value: float) -> str:
    decimals = len(template.partition(".")[2])
    return f"{value:,.{decimals}f}" if "," in template else f"{value:.{decimals}f}"


def _other_figure(figure: str, rng: random.Random, percent: bool = False) -> str | None:
    """A clearly different number written like ``figure`` (commas, decimals), never a year's shape.

    A ``percent`` stays at most 100.
    """
    x = float(figure.replace(",", ""))
    if x.is_integer() and x < 10:
        return str(int(x) + rng.randint(3, 9))
    for factor in rng.sample(_FACTORS, len(_FACTORS)):
        new = _format_like(figure, x * factor)
        value = float(new.replace(",", ""))
        year_like = _YEAR.fullmatch(new) is not None and 1900 <= value <= 2100
        if 0 < value != x and not year_like and not (percent and value > 100):
            return new
    return None


def _shifted_year(year: str, rng: random.Random, decade: bool) -> str:
    shift = rng.randint(1, 2) * 10 if decade else rng.randint(2, 6)
    y = int(year)
    return str(y - shift if y + shift > 2030 or rng.random() < 0.5 else y + shift)


def altered_value(kind: ValueKind, value: str, rng: random.Random, names: Sequence[str] = ()) -> str | None:
    """Another value of the same type written the same way; None when there is none to give.

    A figure is scaled (or, below ten, moved up a few), a year shifted by a few years (a decade
    by one or two decades), a date's year shifted (its day, when it has no year); a name is one
    of ``names`` (answers to the same kind of question elsewhere).
    """
    if kind == "name":
        return rng.choice(names) if names else None
    if kind == "number":
        q = _quantity(value)
        m = _FIGURE.search(value, q.number_start, q.end)
        new = _other_figure(m.group(), rng, q.kind == "percent") if m else None
    elif (m := _YEAR.search(value)) is not None:  # a year, or a date with its year
        new = _shifted_year(m.group(), rng, decade=value[m.end() : m.end() + 1] == "s")
    elif kind == "date" and (m := _DAY.search(value)) is not None:
        day, shift = int(m.group()), rng.randint(3, 9)
        new = str(day + shift if day + shift <= 28 else day - shift)
    else:
        return None
    return value[: m.start()] + new + value[m.end() :] if m and new else None


def _spelled(n: int) -> str:
    """0 < n < 1000 in words: 'three hundred and forty-five'."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    small = _ONES[rest] if rest < 20 else _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if not hundreds:
        return small
    return f"{_ONES[hundreds]} hundred" + (f" and {small}" if rest else "")


def _figure_in_words(figure: str) -> str:
    """The figure part of a number written another way; itself when no other way is known."""
    money = _MONEY.fullmatch(figure)
    if money:
        currency, amount, scale = money.groups()
        scale_word = _SCALE_WORDS.get((scale or "").lower(), scale or "")
        return " ".join(x for x in (amount, scale_word, _CURRENCY_WORDS[currency]) if x)
    if figure.endswith("%"):
        return figure[:-1].rstrip() + " percent"
    percent = re.fullmatch(r"(.+?)\s+per\s?cent", figure)
    if percent:
        return percent.group(1) + "%"
    if not re.fullmatch(r"\d[\d,]*", figure):
        return figure
    n = int(figure.replace(",", ""))
    if 0 < n < 1000:
        return _spelled(n)
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000} million"
    if n % 1000 == 0:
        return f"{n // 1000} thousand"
    return figure.replace(",", "") if "," in figure else f"{n:,}"


def restated_value(kind: ValueKind, value: str) -> str:
    """The same value in other words ("500" -> "five hundred", "September 4, 1981" -> "4 September 1981").

    Years and names stay as they are; so does anything whose restatement would not read back
    as the same value.
    """
    if kind == "date":
        new = _MONTH_DAY_YEAR.sub(r"\2 \1 \3", value)
        if new == value:
            new = _DAY_MONTH_YEAR.sub(r"\2 \1, \3", value)
    elif kind == "number":
        q = _quantity(value)
        new = value[: q.number_start] + _figure_in_words(value[q.number_start : q.end]) + value[q.end :]
    else:
        return value
    before, after = _quantity(value), [q for q in find_quantities(new) if not q.vague]
    same = len(after) == 1 and same_value(before, after[0]) and before.kind == after[0].kind
    return new if same else value


def reworded(text: str) -> str:
    """``text`` with function words edited and its sentences reordered (the first stays first)."""
    for old, new in _EDITS:
        text = re.sub(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])", new, text)
    sentences = [s.text for s in split_sentences(text)]
    if len(sentences) == 2:
        sentences.reverse()
    elif len(sentences) > 2:
        sentences = [sentences[0], *sentences[2:], sentences[1]]
    return " ".join(sentences)


# ---- items ---------------------------------------------------------------------------


def _record(article: Mapping[str, str], outlet: int, text: str) -> dict[str, str]:
    source, published = OUTLETS[outlet]
    return {
        "id": f"{article['id']}-{'AB'[outlet]}",
        "title": article["title"],
        "source": source,
        "published": published,
        "text": text,
    }


def make_items(q: SquadQuestion, article: Mapping[str, str], pool: NamePool, seed: int) -> tuple[Item, Item] | None:
    """The conflict item and the control item of one question, or None when it cannot make both."""
    if not q.answerable:
        return None
    value, text = q.answers[0].strip(), article["text"]
    kind = value_kind(q.question, value)
    if kind is None or not _found(text, value):
        return None
    rng = random.Random(f"{seed}:{q.qid}")  # a string seed: the same items under any PYTHONHASHSEED
    names = other_names(q.question, value, article, pool) if kind == "name" else []
    other = altered_value(kind, value, rng, names)
    if other is None or other == value or mentions(text, other):
        return None  # A must not state the other value somewhere else
    same = restated_value(kind, value)
    control_text = reworded(replace_value(text, value, same))
    if control_text == text:
        return None  # one unchanged sentence would be stored once, as a duplicate
    original = _record(article, 0, text)
    conflict = Item(q, kind, False, value, other, original, _record(article, 1, replace_value(text, value, other)))
    control = Item(q, kind, True, value, same, original, _record(article, 1, control_text))
    return conflict, control


def build_items(squad: SquadSet, n: int, controls: int, seed: int = 0) -> list[Item]:
    """``n`` conflict items then ``controls`` control items, each on its own paragraph.

    One question per paragraph (so no paragraph's copy disagrees with another item's), drawn
    with the seed; the paragraphs are a fixed sample (:func:`qa.squad.sample`). With fewer
    usable paragraphs than asked, conflicts are made first.
    """
    articles = {a["id"]: a for a in squad.articles}
    pool = name_pool(squad)
    by_paragraph: dict[str, list[tuple[Item, Item]]] = {}
    for q in squad.questions:
        made = make_items(q, articles[q.article_id], pool, seed)
        if made:
            by_paragraph.setdefault(q.article_id, []).append(made)
    picked = [random.Random(f"{seed}:{pid}").choice(made) for pid, made in by_paragraph.items()]
    chosen = sample([conflict.question for conflict, _ in picked], n + controls, seed)
    pairs = {conflict.question.qid: (conflict, control) for conflict, control in picked}
    return [pairs[q.qid][0 if i < n else 1] for i, q in enumerate(chosen)]


def article_records(items: Sequence[Item]) -> list[dict[str, str]]:
    """Both articles of every item, A then B, as JSONL records ``qa ingest`` reads."""
    return [record for item in items for record in (item.original, item.copy)]


# ---- scoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """One item's answer and what it shows."""

    item: Item
    answer: Answer
    value_shown: bool  # the true (outlet A's) value is in the answer
    other_shown: bool  # outlet B's value is in the answer (for a control: the same value reworded)
    seconds: float


def score(item: Item, answer: Answer, seconds: float) -> ItemResult:
    """Which of the two outlets' values ``answer`` states (numbers compared as numbers, names folded)."""
    shown = not answer.refused
    return ItemResult(
        item, answer, shown and mentions(answer.text, item.value), shown and mentions(answer.text, item.other), seconds
    )


def _share(results: Sequence[ItemResult], ok: Callable[[ItemResult], bool]) -> float:
    return sum(1 for r in results if ok(r)) / len(results) if results else 0.0


def metrics(results: Sequence[ItemResult]) -> dict[str, float]:
    """The counterfactual metrics of ``results`` (conflict and control items together)."""
    conflicts = [r for r in results if not r.item.control]
    controls = [r for r in results if r.item.control]
    return {
        "both_and_conflict": _share(conflicts, lambda r: r.value_shown and r.other_shown and r.answer.conflict),
        "true_value_shown": _share(conflicts, lambda r: r.value_shown),
        "altered_value_shown": _share(conflicts, lambda r: r.other_shown),
        "conflict_flagged": _share(conflicts, lambda r: r.answer.conflict),
        "false_conflict_rate": _share(controls, lambda r: r.answer.conflict),
        "control_value_shown": _share(controls, lambda r: r.value_shown),
    }


@dataclass(frozen=True)
class CounterfactualReport:
    """A counterfactual run: every item's result, the metrics (also by value kind) and the gate."""

    results: list[ItemResult]
    thresholds: dict[str, float]

    @property
    def metrics(self) -> dict[str, float]:
        """The gated metrics over every item."""
        return metrics(self.results)

    @property
    def missed(self) -> list[str]:
        """The thresholds the metrics miss."""
        return missed_thresholds(self.metrics, self.thresholds)

    @property
    def passed(self) -> bool:
        """True when every threshold is met."""
        return not self.missed

    def by_kind(self) -> dict[str, dict[str, float]]:
        """The metrics and item counts for each kind of value."""
        out: dict[str, dict[str, float]] = {}
        for kind in sorted({r.item.kind for r in self.results}):
            rs = [r for r in self.results if r.item.kind == kind]
            out[kind] = {
                "conflict_items": sum(1 for r in rs if not r.item.control),
                "control_items": sum(1 for r in rs if r.item.control),
                **metrics(rs),
            }
        return out

    def lines(self) -> list[str]:
        """The summary for the terminal: each metric with its bound, then the kinds."""
        n_control = sum(1 for r in self.results if r.item.control)
        out = [f"counterfactual: {len(self.results) - n_control} conflict items, {n_control} control items"]
        for name, value in self.metrics.items():
            out.append(f"  {name:<24} {value:.3f}{gate_note(name, value, self.thresholds.get(name))}")
        for kind, m in self.by_kind().items():
            out.append(
                f"  {kind:<6} {m['conflict_items']:>3.0f} conflicts: both+flagged {m['both_and_conflict']:.2f}, "
                f"flagged {m['conflict_flagged']:.2f}; {m['control_items']:>3.0f} controls: "
                f"flagged {m['false_conflict_rate']:.2f}"
            )
        out.append("PASSED: every threshold met" if self.passed else "FAILED: " + "; ".join(self.missed))
        return out

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data: the summary, then every item with its answer."""
        return {
            "version": VERSION,
            "metrics": self.metrics,
            "counts": {
                "conflict_items": sum(1 for r in self.results if not r.item.control),
                "control_items": sum(1 for r in self.results if r.item.control),
            },
            "by_kind": self.by_kind(),
            "thresholds": self.thresholds,
            "missed": self.missed,
            "items": [
                {
                    "id": r.item.question.qid,
                    "control": r.item.control,
                    "kind": r.item.kind,
                    "question": r.item.question.question,
                    "articles": [r.item.original["id"], r.item.copy["id"]],
                    "value": r.item.value,
                    "other": r.item.other,
                    "answer": r.answer.text,
                    "short": r.answer.short,
                    "refused": r.answer.refused,
                    "conflict": r.answer.conflict,
                    "value_shown": r.value_shown,
                    "other_shown": r.other_shown,
                    "cited": list(dict.fromkeys(c.article_id for c in r.answer.citations)),
                    "seconds": round(r.seconds, 3),
                }
                for r in self.results
            ],
        }


def run_counterfactual(
    ingest: Callable[[list[Path]], Any],
    ask: Callable[[str], Answer],
    path: Path,
    workdir: Path,
    n: int,
    thresholds: dict[str, float],
    seed: int = 0,
    progress: Progress | None = None,
) -> CounterfactualReport:
    """Build ``n`` conflict items and ``n // 2`` controls from ``path``, ingest them, ask, score and gate."""
    squad = load_squad(path)
    items = build_items(squad, n, n // 2, seed)
    if not items:
        raise SquadError(
            f"{path}: no answerable question has a figure, year, date or name as its answer, found verbatim "
            "in its paragraph - use a SQuAD file with such questions"
        )
    ingest([write_articles(article_records(items), workdir, "counterfactual-articles.jsonl")])
    answers = ask_timed(ask, [item.question.question for item in items], progress)
    results = [score(item, answer, seconds) for item, (answer, seconds) in zip(items, answers, strict=True)]
    return CounterfactualReport(results, thresholds)
