"""Metadata read from an article's own text, and the page debris to keep out of evidence.

Scraped articles arrive as plain text with the page furniture still in them:
the headline, a "Published ..." line, share buttons, a "Source: ..." footer.
:func:`extract_metadata` turns that furniture into fields and reports where it
sits (character spans into the unchanged text), so later stages can skip it
without moving any offset that a citation relies on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.numbers import MONTHS
from qa.types import Span

# Lines longer than this are paragraphs, never page furniture.
_MAX_DEBRIS_LINE = 160
_MAX_TITLE_CHARS = 200
# The headline sits near the top; a matching line further down is body text.
_HEADER_LINES = 6


@dataclass(frozen=True)
class Metadata:
    """What the text says about itself, plus the spans that are not evidence."""

    title: str | None = None
    source: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    url: str | None = None
    boilerplate: tuple[Span, ...] = ()


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    raw: str  # text[start:end], without the line break

    @property
    def stripped(self) -> str:
        return self.raw.strip()


# --------------------------------------------------------------------------- dates

_WEEKDAY = r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_RES = (
    # ISO first: its year-first shape is never ambiguous.
    ("ymd", re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")),
    # Dotted (and dashed) numeric dates are day-first, as in Europe.
    (
        "dmy",
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>\d{4})(?!\d)"),
    ),
    (
        "slash",
        re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)"),
    ),
    (
        "mdy",
        re.compile(rf"(?<![A-Za-z])(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})(?!\d)"),
    ),
    (
        "dmy_name",
        re.compile(
            rf"(?<![\d.])(?P<d>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}})(?!\d)"
        ),
    ),
)
_TIME_RE = re.compile(
    r"(?:T|\s*,?\s*(?:at\s+|[-|\u2013\u2014\u00b7]\s*)?)"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?"
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|UTC|GMT)(?![A-Za-z]))?"
)
# A named zone ("EDT", "(CET)") may trail a date line; it is dropped, not converted.
_TRAILING_ZONE_RE = re.compile(r"\s*(?:\(?[A-Z]{2,5}\)?)?\s*")
_WEEKDAY_RE = re.compile(_WEEKDAY)


def _month(name: str) -> int | None:
    return MONTHS.get(name.lower())


def _valid_day(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 2999):
        return False
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return day <= days[month - 1]


def _ymd(kind: str, match: re.Match[str]) -> tuple[int, int, int] | None:
    year = int(match["y"])
    if kind in ("ymd", "dmy"):
        month, day = int(match["m"]), int(match["d"])
    elif kind == "slash":
        a, b = int(match["a"]), int(match["b"])
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            month, day = a, b
        else:
            # 04/05/2019 is April in the US and May in Europe: refuse to guess.
            return None
    else:
        found = _month(match["mon"])
        if found is None:
            return None
        month, day = found, int(match["d"])
    return (year, month, day) if _valid_day(year, month, day) else None


def _time(match: re.Match[str]) -> str | None:
    hour, minute = int(match["h"]), int(match["mi"])
    ampm = (match["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    out = f"T{hour:02d}:{minute:02d}"
    if match["s"]:
        out += f":{match['s']}"
    tz = match["tz"]
    if tz in ("Z", "UTC", "GMT"):
        out += "Z"
    elif tz:
        digits = tz[1:].replace(":", "")
        out += f"{tz[0]}{digits[:2]}:{digits[2:]}"
    return out


def _find_date(text: str, start: int = 0) -> tuple[str, int, int] | None:
    """The earliest date in ``text[start:]`` as (iso, match start, match end)."""
    best: tuple[str, int, int] | None = None
    for kind, regex in _DATE_RES:
        for match in regex.finditer(text, start):
            if best is not None and match.start() >= best[1]:
                break
            ymd = _ymd(kind, match)
            if ymd is None:
                continue
            iso, end = f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}", match.end()
            timed = _TIME_RE.match(text, end)
            clock = _time(timed) if timed else None
            if timed and clock:
                iso, end = iso + clock, timed.end()
            best = (iso, match.start(), end)
            break
    return best


def parse_date(text: str) -> str | None:
    """The first date (with its time, when given) in ``text`` as ISO 8601, else None.

    Understands ``20.04.2019 16:37``, ``2019-04-20T16:37:00Z``, ``April 20, 2019``,
    ``20 April 2019 4:37 pm``. Dotted numeric dates are day-first; a slashed date
    whose day and month could swap gives None rather than a guess.
    """
    found = _find_date(text)
    return found[0] if found else None


def normalize_date(value: str) -> str | None:
    """``value`` as ISO 8601 when the whole of it is one date, else None."""
    text = value.strip()
    weekday = _WEEKDAY_RE.match(text)
    begin = weekday.end() if weekday else 0
    found = _find_date(text, begin)
    if found is None or found[1] != begin:
        return None
    tail = _TRAILING_ZONE_RE.fullmatch(text, found[2])
    return found[0] if tail else None


# --------------------------------------------------------------------------- lines

_LINE_RE = re.compile(r"[^\r\n]*")


def _lines(text: str) -> list[_Line]:
    """Every line with its offsets; \\r\\n, \\r and \\n all end a line."""
    lines: list[_Line] = []
    pos = 0
    while pos <= len(text):
        match = _LINE_RE.match(text, pos)
        assert match is not None  # the pattern matches the empty string
        lines.append(_Line(match.start(), match.end(), match.group()))
        pos = match.end()
        if text.startswith("\r\n", pos):
            pos += 2
        elif pos < len(text):
            pos += 1
        else:
            break
    return lines


def _norm(text: str) -> str:
    """A comparison key: case, quotes, dashes, markup and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201a\u201b`]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    text = re.sub(r"^[#\s*_]+|[#\s*_.:]+$", "", text)
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------- debris

_PLATFORMS = (
    r"(?:Facebook|Twitter|X(?![a-z])|WhatsApp|Whatsapp|LinkedIn|Linkedin|Reddit|Pinterest|"
    r"Telegram|Messenger|Tumblr|Flipboard|Email|E-mail|Instagram|YouTube|Threads|Bluesky|VK)"
)
# Phrases that are page chrome wherever they start a line.
_CHROME_RE = re.compile(
    rf"(?:Share\s+(?:on|via|to)\s+{_PLATFORMS}|Share\s+this(?:\s+(?:article|story|page|post))?"
    rf"|Follow\s+us\s+on\s+{_PLATFORMS}(?:\s*(?:,|and|&)\s*{_PLATFORMS})*|Follow\s+us"
    r"|Email\s+this(?:\s+(?:article|story|page))?|Read\s+more|Continue\s+reading|Read\s+next"
    r"|Related(?:\s+(?:articles?|stories|content|news|coverage|topics))?|More\s+on\s+this\s+story"
    r"|Sign\s+up\s+for\s+our\s+newsletter|Subscribe(?:\s+now|\s+to\s+our\s+newsletter)?"
    r"|Advertisement|Sponsored(?:\s+content)?|Skip\s+to\s+(?:main\s+)?content"
    r"|Tweet|Print(?:\s+this(?:\s+(?:article|page))?)?|Email|Share|Comments?|Copy\s+link"
    r"|Click\s+here\s+to\s+\w+|Image\s+(?:caption|copyright)|Photo\s+credit"
    rf"|{_PLATFORMS})"
    r"\s*[:»›>|·•,\-\u2013\u2014]*\s*",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(r"^(?:\u00a9|\(c\)|Copyright\b).{0,120}$|^All rights reserved\.?$", re.IGNORECASE)
_DATE_KEY_RE = re.compile(
    r"^(?:Published|Updated|Last\s+updated|Posted|First\s+published|Originally\s+published"
    r"|Modified|Last\s+modified|Date)\b(?:\s+on)?\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_RELATIVE_TIME_RE = re.compile(r"\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago", re.IGNORECASE)
_PUBLISHED_KEYS = (
    "published",
    "posted",
    "first published",
    "originally published",
    "date",
)
_BYLINE_CONNECTORS = frozenset(
    [
        "and",
        "&",
        "of",
        "the",
        "de",
        "da",
        "del",
        "der",
        "van",
        "von",
        "al",
        "bin",
        "ibn",
        "la",
        "le",
        "y",
        "in",
        "staff",
        "writer",
        "reporter",
        "correspondent",
    ]
)
_URL_RE = re.compile(r"https?://[^\s<>\"']+")
_URL_LINE_RE = re.compile(
    r"^(?:(?:URL|Link|Source|Canonical|Original(?:ly\s+published\s+at)?)\s*:\s*)?(?P<url>https?://\S+)$",
    re.IGNORECASE,
)
# "Source: TITLE – OUTLET": the outlet follows the last spaced dash or bar.
_SOURCE_RE = re.compile(r"^Source\s*:\s*(?P<body>.+)$", re.IGNORECASE)
_SOURCE_SPLIT_RE = re.compile(r"\s+[\u2013\u2014|-]\s+|\s*[\u2013\u2014|]\s*")
_SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+[A-Z\"'\u201c\u2018]")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.*?)(?:\s+#+)?\s*$")
_FRONT_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "publisher": "source",
    "outlet": "source",
    "date": "published",
    "published": "published",
    "published_at": "published",
    "url": "url",
    "link": "url",
    "canonical": "url",
}


def _is_chrome(line: str) -> bool:
    """Share buttons, "Read more", "Advertisement" and the like, with at most a short tail."""
    pos, seen = 0, False
    while pos < len(line):
        match = _CHROME_RE.match(line, pos)
        if match is None or match.end() == pos:
            break
        # A bare word ("Print", "Share") only counts as chrome when it stands alone
        # or next to other chrome: "Print media has declined" is a sentence.
        word_only = " " not in match.group().strip()
        following = line[match.end() :]
        separated = match.group().rstrip()[-1:] in ":»›>|"
        if word_only and following and not separated and not _CHROME_RE.match(following):
            break
        pos, seen = match.end(), True
    if not seen:
        return False
    tail = line[pos:].strip()
    # What is left is a link label or a site name, never a full sentence.
    return not tail or (len(tail) <= 100 and not tail.endswith((".", "?", "!")) and _short_label(tail))


def _short_label(text: str) -> bool:
    return len(text.split()) <= 14 and not _SENTENCE_BREAK_RE.search(text)


def _is_byline(line: str) -> bool:
    match = re.match(r"^(?:By|BY|by)\s+(?P<names>.+)$", line)
    if match is None or len(line) > 120:
        return False
    names = match["names"].strip()
    if names.endswith((".", "?", "!")) and not re.search(r"\b(?:Jr|Sr|[A-Z])\.$", names):
        return False
    words = [w for w in re.split(r"[\s,|/]+", names) if w]
    if not words or len(words) > 12:
        return False
    return all(w[0].isupper() or w.lower() in _BYLINE_CONNECTORS or w in "-\u2013\u2014" for w in words)


def _is_date_line(line: str) -> bool:
    return normalize_date(line) is not None


def _date_key(line: str) -> tuple[str, str | None] | None:
    """("published"|"updated", iso or None) for a "Published ..." style line."""
    if len(line) > 120:
        return None
    match = _DATE_KEY_RE.match(line)
    if match is None:
        return None
    rest = match["rest"]
    dated = _find_date(rest)
    iso = dated[0] if dated else None
    if dated is not None:
        # The date must be what the line is about: "Posted 20 parcels ... on 20.04.2019." is a sentence.
        if dated[1] > 15 or len(rest) - dated[2] > 40:
            return None
    elif not _RELATIVE_TIME_RE.match(rest):
        return None
    keyword = re.sub(r"\s+", " ", line[: match.start("rest")]).strip(" :").lower()
    keyword = re.sub(r"\s+on$", "", keyword)
    return ("published" if keyword in _PUBLISHED_KEYS else "updated", iso)


def _url_of(line: str) -> str | None:
    match = _URL_LINE_RE.match(line)
    return match["url"].rstrip(".,;)>") if match else None


def _source_footer(line: str) -> tuple[str | None, str | None] | None:
    """(title, outlet) from a "Source: TITLE – OUTLET" line; either may be None."""
    if len(line) > 300:
        return None
    match = _SOURCE_RE.match(line)
    if match is None:
        return None
    body = match["body"].strip()
    if _URL_RE.fullmatch(body):
        return None  # a "Source: https://..." line is a URL line
    parts = list(_SOURCE_SPLIT_RE.finditer(body))
    if parts:
        last = parts[-1]
        title, outlet = body[: last.start()].strip(), body[last.end() :].strip()
        if title and outlet and len(outlet) <= 80:
            return title, outlet
    if len(body) <= 80 and not body.endswith("."):
        return None, body  # "Source: Reuters"
    return None


def _is_debris_segment(text: str) -> bool:
    return bool(
        _is_chrome(text) or _is_byline(text) or _is_date_line(text) or _date_key(text) or _COPYRIGHT_RE.match(text)
    )


def _is_debris(line: str) -> bool:
    """True for a whole line of page furniture (not the headline: that is decided later)."""
    if not line:
        return False
    if _source_footer(line):
        return True  # checked first: a footer may carry a long title
    if len(line) > _MAX_DEBRIS_LINE:
        return False
    if _is_debris_segment(line) or _url_of(line):
        return True
    # "By Jane Doe | Published April 20, 2019 · 3 min read"
    segments = [s.strip() for s in re.split(r"\s+[|\u00b7\u2022]\s+", line)]
    return len(segments) > 1 and all(
        _is_debris_segment(s) or re.fullmatch(r"\d+\s+min(?:ute)?s?\s+read", s) for s in segments
    )


# --------------------------------------------------------------------------- title


def _heading_text(line: str) -> str:
    match = _HEADING_RE.match(line)
    return (match["title"] if match else line).strip()


def _title_like(line: str) -> bool:
    text = _heading_text(line)
    if not text or len(text) > _MAX_TITLE_CHARS or not any(c.isalpha() for c in text):
        return False
    if _SENTENCE_BREAK_RE.search(text):
        return False  # two sentences make a paragraph, not a headline
    return not (text.endswith(".") and len(text.split()) > 12)


def _is_masthead(line: str) -> bool:
    """A short label above the headline: a site name, a section, a kicker."""
    return len(line) <= 80 and not line.endswith((".", "?", "!", ",", ";")) and _short_label(line)


def _find_headline(content: list[_Line], title: str) -> int | None:
    """Index in ``content`` of the line that repeats ``title`` in the header, if any."""
    key = _norm(title)
    for index, line in enumerate(content[:_HEADER_LINES]):
        if _norm(line.stripped) == key:
            return index
        if not _is_masthead(line.stripped):
            return None
    return None


# --------------------------------------------------------------------------- front matter


def _front_matter(lines: list[_Line]) -> tuple[int, dict[str, str]]:
    """(number of lines, fields) of a leading ``---`` YAML-style block; (0, {}) if none."""
    if not lines or lines[0].stripped != "---":
        return 0, {}
    fields: dict[str, str] = {}
    for index, line in enumerate(lines[1:50], start=1):
        if line.stripped in ("---", "..."):
            return index + 1, fields
        match = re.match(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$", line.stripped)
        if match is None:
            continue
        key = _FRONT_KEYS.get(match["key"].lower())
        value = match["value"].strip().strip("\"'")
        if key and value and key not in fields:
            fields[key] = value
    return 0, {}


# --------------------------------------------------------------------------- main


@dataclass
class _Found:
    title: str | None = None
    source: str | None = None
    published: str | None = None
    updated: str | None = None
    bare_date: str | None = None  # a line that is only a date
    url: str | None = None


def _scan_debris(lines: list[_Line], found: _Found) -> tuple[set[int], str | None]:
    """Indexes of debris lines, filling ``found``; also a footer title if one exists."""
    debris: set[int] = set()
    footer_title: str | None = None
    for index, line in enumerate(lines):
        text = line.stripped
        if not _is_debris(text):
            continue
        debris.add(index)
        footer = _source_footer(text)
        if footer is not None:
            # The footer is the most explicit statement of title and outlet: last one wins.
            footer_title = footer[0] or footer_title
            found.source = footer[1] or found.source
        if found.url is None:
            found.url = _url_of(text)
        dated = _date_key(text)
        if dated is not None and dated[1]:
            if dated[0] == "published":
                found.published = found.published or dated[1]
            else:
                found.updated = found.updated or dated[1]
        elif found.bare_date is None and _is_date_line(text):
            found.bare_date = normalize_date(text)
    return debris, footer_title


def extract_metadata(text: str, *, title: str | None = None) -> Metadata:
    """Title, outlet, date and URL stated in ``text``, and the spans of page debris.

    ``title`` is a headline already known from elsewhere (HTML meta, a JSON
    field): the line repeating it is then marked as debris instead of guessing
    the headline from the first line. Every span covers one whole line of
    ``text`` without its line break; body paragraphs are never included.
    """
    lines = _lines(text)
    found = _Found()
    front_count, front = _front_matter(lines)
    found.title, found.source, found.url = (
        front.get("title"),
        front.get("source"),
        front.get("url"),
    )
    if front.get("published"):
        found.published = normalize_date(front["published"]) or front["published"]
    debris, footer_title = _scan_debris(lines[front_count:], found)
    debris = {i + front_count for i in debris} | set(range(front_count))

    content = [i for i, line in enumerate(lines) if line.stripped and i not in debris]
    known = title or found.title or footer_title
    if known:
        headline = _find_headline([lines[i] for i in content], known)
        if headline is not None:
            debris.update(content[: headline + 1])
    elif len(content) > 1 and _title_like(lines[content[0]].stripped):
        # A lone line is the whole article, so it cannot be a headline above one.
        known = _heading_text(lines[content[0]].stripped)
        debris.add(content[0])

    spans = tuple((lines[i].start, lines[i].end) for i in sorted(debris) if lines[i].stripped)
    return Metadata(
        title=(title or found.title or footer_title or known) or None,
        source=found.source,
        published=found.published or found.bare_date or found.updated,
        url=found.url,
        boilerplate=spans,
    )
