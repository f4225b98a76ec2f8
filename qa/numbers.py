"""Find and compare the quantities stated in news text.

Figures are what most questions about news ask for ("how many workers were
laid off?"), and they come written many ways: "370,000", "1.5 million",
"nearly two dozen", "twenty-one", "27 percent", "$5", "hundreds of".  This
module finds them with exact offsets and a numeric value so answers can be
matched to the sentences that state them.

Documented choices:

* Fractions are kept: "two thirds" / "two-thirds" is a ``count`` with value
  2/3 (0.667 compares equal, see :func:`same_value`).  "a third" and
  "a quarter" are fractions only when followed by "of"; otherwise "third"
  is an ordinal.
* Vague plurals get conventional values and their phrase as the qualifier:
  "dozens of" 24, "scores of" 40, "hundreds of" 200, "thousands of" 2000,
  "millions of" 2 million, "tens of thousands of" 20,000.  They are
  :attr:`Quantity.vague` and :func:`contains_number` ignores them, because
  "dozens" does not state the number 24.
* A plain four-digit number from 1900 to 2100 with no qualifier is a
  ``year``; with a qualifier ("nearly 2000") it is a ``count``.  "1990s" is
  a ``year`` with value 1990.
* ``date`` values are ``YYYYMMDD`` (``YYYY`` is 0 when the text gives no
  year, so "April 20" is 420); slashed dates are read month first (US
  style) unless the first part is above 12; dotted dates are day first.
* ``time`` values are hours on a 24-hour clock: "16:37" is 16.6167,
  "5 p.m." is 17.
* Money and percent values are the plain amount: "$1.5 million" is
  1,500,000 and "27%" is 27.  ``number_start`` points at the currency sign
  for money, so ``text[number_start:end]`` is the figure without qualifier.
* "1.200" is read as a decimal (1.2), never as a European thousands
  separator; only commas group thousands.
* Numbers glued to letters are identifiers and skipped: "MP3",
  "db5433082a11908e", "A-380", "COVID-19".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

QuantityKind = Literal["count", "year", "date", "time", "percent", "money", "ordinal"]

# Whitespace between the words of one figure: may wrap onto the next line,
# never across a blank line.
_WS = r"(?:[^\S\r\n]+|[^\S\r\n]*(?:\r\n|\n|\r)[^\S\r\n]*)"

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def is_number_word(word: str) -> bool:
    """Whether ``word`` is a cardinal number word ("six", "Twenty"): in a name ("Formula One") it tells
    the name from another ("Formula Two")."""
    return word.lower() in _UNITS or word.lower() in _TENS


_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 1_000_000,
}
_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
# Conventional values for vague plurals ("dozens" = two dozen).
_VAGUE_BASE = {
    "tens": 20.0,
    "dozens": 24.0,
    "scores": 40.0,
    "hundreds": 200.0,
    "thousands": 2e3,
    "millions": 2e6,
    "billions": 2e9,
}
_VAGUE_SCALE = {"hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9}

# Qualifiers, longest first so "more than" wins over a bare "than" etc.
_QUALIFIERS = sorted(
    """
    an estimated|estimated|at least|at most|more than|less than|fewer than|
    greater than|up to|as many as|as few as|as much as|nearly|almost|about|
    around|roughly|approximately|approx.|some|over|under|close to|upwards of|
    in excess of|just over|just under|well over|no fewer than|no less than|
    no more than|exactly
    """.replace("\n", "").split("|"),
    key=len,
    reverse=True,
)
_QUALIFIER_RE = re.compile(
    r"(?<![\w-])(?P<q>" + "|".join(re.escape(q.strip()).replace(r"\ ", _WS) for q in _QUALIFIERS) + r")" + _WS + r"$",
    re.IGNORECASE,
)

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_RE = re.compile(
    r"(?<!\d)(?P<num>"
    + _DIGITS
    + r")(?:(?P<suffix>bn|m|k|tn)\b|"
    + _WS
    + r"(?P<scale>hundred|thousand|million|billion|trillion|dozen)\b)?",
    re.IGNORECASE,
)
_ORDINAL_RE = re.compile(r"(?<!\d)(?P<num>\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DECADE_RE = re.compile(r"(?P<num>1[89]\d0|20\d0)'?s\b")
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::\d{2})?(?:[^\S\r\n]?(?P<ap>[ap])\.?m\b\.?)?"
    r"|(?:\.(?P<m2>\d{2}))?[^\S\r\n]?(?P<ap2>[ap])\.?m\b\.?)",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_ISO_DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
MONTHS = {  # month names and abbreviations -> month number
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_MONTH_DAY_RE = re.compile(
    r"\b" + _MONTH + r"\b\.?" + _WS + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\w)(?![.,]\d)"
    r"(?:,?" + _WS + r"(?P<year>\d{4})(?![\w]|[.,]\d))?",
    re.IGNORECASE,
)
_DAY_MONTH_RE = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?" + _WS + r"(?:of" + _WS + r")?" + _MONTH + r"\b"
    r"(?:,?" + _WS + r"(?P<year>\d{4})(?![\w]|[.,]\d))?",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?:US|A|C|NZ|HK|S)?\$|[€£¥₹₽]|(?:USD|EUR|GBP)[^\S\r\n]|"
    r"\b(?:dollars|pounds|euros|yen|yuan)[^\S\r\n])[^\S\r\n]?$"  # "pounds 75m", as some wires write it
)
# a unit of measure written onto its number: "2kW", "80km", "5kg", "64GB"
_UNIT_SUFFIX = re.compile(r"(?:k|M|G|T)(?:W|Wh|B)\b|(?:k|M|G)?Hz\b|(?:km|cm|mm|kg|mg|mph|kph|ft|lbs?|oz|ha)\b")
_CURRENCY_AFTER = re.compile(
    _WS + r"(?:US" + _WS + r")?(?:dollars?|euros?|pounds?( sterling)?|yen|yuan|"
    r"rupees?|roubles?|rubles?|liras?|dinars?|riyals?|dirhams?|francs?|"
    r"shekels?|pence|cents?|USD|EUR|GBP)\b"
)
_PERCENT_AFTER = re.compile(
    r"[^\S\r\n]?%|" + _WS + r"(?:percent|per" + _WS + r"cent|percentage" + _WS + r"points?)\b", re.IGNORECASE
)
_VAGUE_RE = re.compile(
    r"\b(?:(?P<outer>tens|dozens|hundreds)"
    + _WS
    + r"of"
    + _WS
    + r"(?P<inner>thousands|millions|billions)|(?P<single>dozens|hundreds|thousands|millions|billions))\b"
    r"(?:" + _WS + r"(?P<of>of)\b)?|\b(?P<scores>scores)" + _WS + r"of\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]+(?!\w)")
_WORD_GAP_RE = re.compile(r"-|" + _WS)
# Prefixes that keep a following number a number: "mid-2011", "pre-1990".
_NUMBER_PREFIXES = frozenset({"mid", "pre", "post", "late", "early", "top", "under", "over"})


@dataclass(frozen=True)
class Quantity:
    """A figure stated in a text: ``text == source[start:end]``.

    ``start``/``end`` cover the qualifier too ("nearly 500");
    ``number_start`` is where the figure itself starts ("500").
    """

    value: float
    start: int
    end: int
    text: str
    number_start: int
    qualifier: str | None
    kind: QuantityKind

    @property
    def vague(self) -> bool:
        """True for conventional values of vague plurals ("dozens of")."""
        return self.qualifier is not None and self.qualifier.split()[0] in _VAGUE_BASE

    @property
    def approximate(self) -> bool:
        """True when the text does not claim the exact value."""
        return self.qualifier is not None and self.qualifier not in ("exactly", "only")


@dataclass
class _Candidate:
    start: int
    end: int
    value: float
    kind: QuantityKind
    qualifier: str | None = None  # set for vague plurals only
    plain_int: bool = False  # digits only, could be a year


def find_quantities(text: str) -> list[Quantity]:
    """Return the quantities stated in ``text``, in text order, non-overlapping.

    See the module docstring for kinds, values and the documented choices.
    """
    candidates: list[_Candidate] = []
    candidates += _dates(text)
    candidates += _times(text)
    candidates += _ordinals(text)
    candidates += _decades(text)
    candidates += _digit_numbers(text)
    candidates += _word_numbers(text)
    candidates += _vague(text)

    # Earliest start wins, then the longest match: "20.04.2019" beats "20.04",
    # "two thirds" beats "two".
    candidates.sort(key=lambda c: (c.start, -(c.end - c.start)))
    chosen: list[_Candidate] = []
    for cand in candidates:
        if chosen and cand.start < chosen[-1].end:
            continue
        chosen.append(cand)

    quantities: list[Quantity] = []
    previous_end = 0
    for cand in chosen:
        start = cand.start
        qualifier = cand.qualifier
        kind = cand.kind
        if qualifier is None:
            lo = max(previous_end, cand.start - 40)
            q = _QUALIFIER_RE.search(text[lo : cand.start])
            if q is not None:
                start = lo + q.start()
                qualifier = " ".join(q.group("q").lower().split())
        if kind == "count" and cand.plain_int and 1900 <= cand.value <= 2100 and qualifier is None:
            kind = "year"
        quantities.append(
            Quantity(
                value=cand.value,
                start=start,
                end=cand.end,
                text=text[start : cand.end],
                number_start=cand.start,
                qualifier=qualifier,
                kind=kind,
            )
        )
        previous_end = cand.end
    return quantities


def parse_number(s: str) -> float | None:
    """The value of the first figure in ``s`` ("nearly 500" -> 500.0), or None."""
    quantities = find_quantities(s)
    return quantities[0].value if quantities else None


def same_value(a: Quantity | float, b: Quantity | float) -> bool:
    """Whether two figures have the same value, ignoring qualifiers.

    Whole numbers must match exactly (27 is not 270, 370,000 is not
    370,300); a fractional value matches to three decimals so "0.667"
    agrees with "two thirds".
    """
    x = a.value if isinstance(a, Quantity) else float(a)
    y = b.value if isinstance(b, Quantity) else float(b)
    if isinstance(a, Quantity) and isinstance(b, Quantity) and (day := _same_day(a, b)) is not None:
        return day
    if x.is_integer() and y.is_integer():
        return x == y
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=5e-4)


def _same_day(a: Quantity, b: Quantity) -> bool | None:
    """A date said with less agrees with the full date that holds it: "June 1" (no year) is the day of
    "June 1, 2008", and the year "2008" is its year. None when ``a`` and ``b`` are not two dates, or a date and a
    year."""
    if a.kind == b.kind == "date" and min(a.value, b.value) < 10_000:
        return a.value % 10_000 == b.value % 10_000
    if {a.kind, b.kind} == {"date", "year"}:
        date, year = (a, b) if a.kind == "date" else (b, a)
        return date.value >= 10_000 and date.value // 10_000 == year.value
    return None


def contains_number(text: str, value: Quantity | float) -> bool:
    """Whether ``text`` states ``value`` ("270" does not state 27; "June 1, 2008" states the date "June 1"
    and, given as a year, 2008).

    Vague plurals ("dozens of") do not count as stating their conventional
    value.
    """
    if any(not q.vague and same_value(q, value) for q in find_quantities(text)):
        return True
    # "World War II" states the 2 of "World War 2" (two letters at least: "I" is a word)
    x = value.value if isinstance(value, Quantity) else value
    return x == int(x) and any(_roman(m.group()) == x for m in _ROMAN.finditer(text))


_ROMAN = re.compile(r"\b[IVXL]{2,6}\b")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral in capitals ("XIV" -> 14), or None when it is not a well-formed one."""
    digits = [_ROMAN_DIGITS[c] for c in numeral]
    total = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
    return total if _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


# --- candidates ------------------------------------------------------------


def _standalone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not part of a word, code or bigger number."""
    return _free_before(text, start) and _free_after(text, end)


def _free_before(text: str, start: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    before2 = text[start - 2] if start > 1 else ""
    if before.isalnum() or before in ("_", ":"):
        return False
    if before in ".," and before2.isdigit():  # "1.2.3", "1,2345"
        return False
    if before == "-" and before2.isalpha():
        # "A-380", "COVID-19" are names; "mid-2011" is still a year.
        k = start - 1
        while k > 0 and k > start - 8 and text[k - 1].isalpha():
            k -= 1
        if text[k : start - 1].lower() not in _NUMBER_PREFIXES or (k > 0 and text[k - 1].isalpha()):
            return False
    return True


def _free_after(text: str, end: int) -> bool:
    after = text[end : end + 2]
    if after[:1].isalnum() or after[:1] in ("_", ":"):
        return False
    return not (after[:1] in ".," and after[1:2].isdigit())


def _dates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _NUMERIC_DATE_RE.finditer(text):
        if not _standalone(text, m.start(), m.end()):
            continue
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if m.group("sep") == "/" and a <= 12:
            month, day = a, b
        else:
            day, month = a, b
        if _valid_date(month, day):
            found.append(_Candidate(m.start(), m.end(), year * 10000.0 + month * 100 + day, "date"))
    for m in _ISO_DATE_RE.finditer(text):
        if not _standalone(text, m.start(), m.end()) or text[m.start() - 1 : m.start()] == "-":
            continue
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if _valid_date(month, day):
            found.append(_Candidate(m.start(), m.end(), year * 10000.0 + month * 100 + day, "date"))
    for regex in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        for m in regex.finditer(text):
            month_name = m.group("month")
            # "may 5" is a verb; news capitalises month names.
            if not month_name[0].isupper():
                continue
            if not (_free_before(text, m.start()) and _free_after(text, m.end())):
                continue
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else 0
            month = MONTHS[month_name.lower()]
            if _valid_date(month, day):
                found.append(_Candidate(m.start(), m.end(), year * 10000.0 + month * 100 + day, "date"))
    return found


def _valid_date(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _times(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _TIME_RE.finditer(text):
        # "p.m." ends in letters or a dot, so only the clock digits are checked
        # against what precedes, and the character after the whole match.
        if not (_free_before(text, m.start()) and _free_after(text, m.end())):
            continue
        hour = int(m.group("h"))
        minute_text = m.group("m") or m.group("m2")
        minute = int(minute_text) if minute_text else 0
        ampm = (m.group("ap") or m.group("ap2") or "").lower()
        if minute > 59:
            continue
        if ampm:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm == "p" else 0)
        elif hour > 24:
            continue
        found.append(_Candidate(m.start(), m.end(), hour + minute / 60, "time"))
    return found


def _ordinals(text: str) -> list[_Candidate]:
    return [
        _Candidate(m.start(), m.end(), float(m.group("num")), "ordinal")
        for m in _ORDINAL_RE.finditer(text)
        if _standalone(text, m.start(), m.end())
    ]


def _decades(text: str) -> list[_Candidate]:
    return [
        _Candidate(m.start(), m.end(), float(m.group("num")), "year")
        for m in _DECADE_RE.finditer(text)
        if _standalone(text, m.start(), m.end())
    ]


def _digit_numbers(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _NUMBER_RE.finditer(text):
        num = m.group("num")
        unit = _UNIT_SUFFIX.match(text, m.end("num"))
        if unit is not None and _standalone(text, m.start(), unit.end()):
            value = float(num.replace(",", ""))
            found.append(_Candidate(m.start(), unit.end(), value, "count"))  # "2kW": the figure with its unit
            continue
        if not _standalone(text, m.start(), m.start() + len(num)) and m.group("suffix") is None:
            continue
        if m.group("suffix") is not None and not _standalone(text, m.start(), m.end()):
            continue
        value = float(num.replace(",", ""))
        start, end = m.start(), m.end()
        kind: QuantityKind = "count"
        currency = _CURRENCY_BEFORE.search(text[max(0, start - 9) : start])
        suffix = (m.group("suffix") or "").lower()
        if suffix:
            # "$3m", "£2bn", "1.2bn euros": letter scales only where a currency makes them money.
            if currency is None and _CURRENCY_AFTER.match(text, end) is None:
                continue
            value *= {"k": 1e3, "m": 1e6, "bn": 1e9, "tn": 1e12}[suffix]
        scale = (m.group("scale") or "").lower()
        if scale:
            value *= {"hundred": 1e2, "dozen": 12.0}.get(scale, _SCALES.get(scale, 1.0))
        if currency is not None:
            start -= len(currency.group())
            kind = "money"
        cand = _Candidate(start, end, value, kind)
        cand.plain_int = num.isdigit() and len(num) == 4 and not scale and kind == "count"
        found.append(_with_unit(text, cand))
    return found


def _with_unit(text: str, cand: _Candidate) -> _Candidate:
    """Extend a count over a following "%", "percent" or currency word."""
    if cand.kind != "count":
        return cand
    pct = _PERCENT_AFTER.match(text, cand.end)
    if pct is not None:
        cand.end, cand.kind, cand.plain_int = pct.end(), "percent", False
        return cand
    money = _CURRENCY_AFTER.match(text, cand.end)
    if money is not None:
        cand.end, cand.kind, cand.plain_int = money.end(), "money", False
    return cand


def _vague(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _VAGUE_RE.finditer(text):
        if m.group("scores"):
            value = _VAGUE_BASE["scores"]
        elif m.group("outer"):
            value = _VAGUE_BASE[m.group("outer").lower()] * _VAGUE_SCALE[m.group("inner").lower()]
        else:
            value = _VAGUE_BASE[m.group("single").lower()]
        phrase = " ".join(m.group().lower().split())
        found.append(_Candidate(m.start(), m.end(), value, "count", qualifier=phrase))
    return found


def _word_numbers(text: str) -> list[_Candidate]:
    tokens = [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    # joined[i]: token i and i+1 may belong to one figure ("twenty-one").
    joined = [
        _WORD_GAP_RE.fullmatch(text, tokens[i][2], tokens[i + 1][1]) is not None for i in range(len(tokens) - 1)
    ] + [False]
    found: list[_Candidate] = []
    i = 0
    while i < len(tokens):
        parsed = _parse_words(tokens, joined, i)
        if parsed is None:
            i += 1
            continue
        value, j, kind = parsed
        if _in_a_name(text, tokens[i][1], tokens[j - 1][2]):
            i = j
            continue
        cand = _with_unit(text, _Candidate(tokens[i][1], tokens[j - 1][2], value, kind))
        found.append(cand)
        i = j
    return found


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(]\s*)$")
_CAPITALISED = re.compile(r"[A-Z][a-z]")
_WORD_AFTER = re.compile(r"[ -]+([\w'-]+)")
_WORD_BEFORE = re.compile(r"([\w'-]+)[ -]+$")


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether the number words at ``start:end`` are part of a name: capitalised inside a sentence, beside
    another capitalised word ("One World Trade Center", "Formula One", "the Three Gorges Dam"). At a
    sentence's start a capital says nothing ("Two Dutch cyclists finished")."""
    if not _CAPITALISED.match(text, start) or _SENTENCE_START.search(text[max(0, start - 3) : start]):
        return False
    after = _WORD_AFTER.match(text, end)
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return any(m is not None and _CAPITALISED.match(m.group(1)) for m in (after, before))


def _parse_words(
    tokens: list[tuple[str, int, int]], joined: list[bool], i: int
) -> tuple[float, int, QuantityKind] | None:
    """Parse number words starting at token ``i``: (value, end token, kind)."""
    first = tokens[i][0]
    n = len(tokens)

    def word(k: int) -> str:
        return tokens[k][0] if k < n and joined[k - 1] else ""

    if first == "one" and (i > 0 and joined[i - 1] and tokens[i - 1][0] in ("no", "any", "every")):
        return None
    if first == "one" and word(i + 1) == "another":
        return None
    if first == "half" and word(i + 1) == "a":
        mult = word(i + 2)
        if mult == "dozen":
            return 6.0, i + 3, "count"
        if mult == "hundred" or mult in _SCALES:
            return 0.5 * (100.0 if mult == "hundred" else _SCALES[mult]), i + 3, "count"
        return None
    if first == "a":
        nxt = word(i + 1)
        if nxt in ("third", "quarter", "fifth", "tenth") and word(i + 2) == "of":
            return 1 / _DENOMINATORS[nxt], i + 2, "count"
        if nxt not in ("dozen", "hundred") and nxt not in _SCALES:
            return None
    if first in _ORDINALS:
        return float(_ORDINALS[first]), i + 1, "ordinal"

    total = 0.0
    current = 0.0
    last = ""  # kind of the previous word
    last_scale = math.inf
    end: int | None = None
    k = i
    while k < n:
        w = tokens[k][0] if k == i else word(k)
        if not w:
            break
        if k == i and w == "a":
            current, last = 1.0, "a"
        elif w in _UNITS:
            if last in ("", "hundred", "scale", "and") or (last == "tens" and 1 <= _UNITS[w] <= 9):
                current += _UNITS[w]
                last, end = "unit", k + 1
            else:
                break
        elif w in _TENS:
            if last in ("", "hundred", "scale", "and"):
                current += _TENS[w]
                last, end = "tens", k + 1
            else:
                break
        elif w == "hundred":
            if last in ("unit", "tens", "a") and 0 < current < 100:
                current *= 100
                last, end = "hundred", k + 1
            else:
                break
        elif w in _SCALES:
            scale = _SCALES[w]
            if last in ("unit", "tens", "hundred", "a") and current > 0 and scale < last_scale:
                total += current * scale
                current, last_scale = 0.0, scale
                last, end = "scale", k + 1
            else:
                break
        elif w == "and":
            if last in ("hundred", "scale") and (word(k + 1) in _UNITS or word(k + 1) in _TENS):
                last = "and"
            else:
                break
        elif w == "dozen":
            if last in ("unit", "tens", "a") and total == 0 and current < 100:
                return current * 12, k + 1, "count"
            break
        elif w in _DENOMINATORS:
            if last == "unit" and total == 0 and 1 <= current <= 10:
                return current / _DENOMINATORS[w], k + 1, "count"
            if last == "tens" and w in _ORDINALS:  # "twenty-third"
                return current + _ORDINALS[w], k + 1, "ordinal"
            break
        elif w in _ORDINALS and last == "tens" and _ORDINALS[w] < 10:
            return current + _ORDINALS[w], k + 1, "ordinal"
        else:
            break
        k += 1
    if end is None:
        return None
    return total + current, end, "count"
