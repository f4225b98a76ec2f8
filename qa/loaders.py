"""Files on disk to :class:`~qa.types.Article` records, one :class:`Loaded` per article or problem.

A bad file never stops a batch: every problem becomes an item carrying an
:class:`~qa.errors.IngestError` that says what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from qa.errors import IngestError
from qa.metadata import extract_metadata, normalize_date
from qa.types import Article

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | {".json", ".jsonl"}

_TEXT_FIELDS = ("text", "content", "body", "article", "maintext")
_TITLE_FIELDS = ("title", "headline")
_SOURCE_FIELDS = ("source", "outlet", "publisher", "site_name", "source_name")
_PUBLISHED_FIELDS = (
    "published",
    "published_at",
    "publishedAt",
    "date",
    "date_publish",
    "pubDate",
)
_URL_FIELDS = ("url", "link")
_ID_FIELDS = ("id", "article_id", "guid")

_MAX_ID = 100
# Control bytes other than tab, newlines, form feed and escape never occur in text.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_MAX_CONTROL_RATIO = 0.05


@dataclass(frozen=True)
class Loaded:
    """One article read from ``path``, or the reason it could not be: exactly one is set."""

    path: str
    article: Article | None = None
    error: IngestError | None = None

    def __post_init__(self) -> None:
        if (self.article is None) == (self.error is None):
            raise ValueError("Loaded needs exactly one of article and error")


# --------------------------------------------------------------------------- ids and hashes


def slugify(value: str) -> str:
    """``value`` as an article id: only ``[A-Za-z0-9._-]``, at most 100 characters."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-.")[:_MAX_ID].rstrip("-.")
    if slug:
        return slug
    # Nothing usable survived (e.g. an all-Arabic id): a digest keeps ids distinct.
    return "id-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def content_hash(
    text: str,
    title: str | None,
    source: str | None,
    published: str | None,
    url: str | None,
) -> str:
    """sha256 over the text and the metadata, so a changed title counts as a change."""
    payload = json.dumps([text, title, source, published, url], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _article(
    *,
    article_id: str,
    text: str,
    path: str,
    title: str | None,
    source: str | None,
    published: str | None,
    url: str | None,
    boilerplate: tuple[tuple[int, int], ...],
) -> Article:
    return Article(
        article_id=article_id,
        text=text,
        content_hash=content_hash(text, title, source, published, url),
        title=title,
        source=source,
        published=published,
        url=url,
        path=path,
        boilerplate=boilerplate,
    )


# --------------------------------------------------------------------------- reading bytes


def _read_bytes(path: Path, shown: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing before reading anything larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            with path.open("rb") as handle:
                # One byte more than stat() said: the file may have grown since. (Not read(max_bytes + 1):
                # that allocates the whole limit up front for every file, however small.)
                data = handle.read(size + 1)
                if len(data) > size:
                    data += handle.read(max_bytes + 1 - len(data))
            size = max(size, len(data))
    except OSError as exc:
        raise IngestError(
            shown,
            f"cannot read the file ({exc.strerror or exc})",
            "check that it exists and is readable",
        ) from None
    if size > max_bytes:
        raise IngestError(
            shown,
            f"file is {_size(size)}, over the limit of {_size(max_bytes)}",
            "raise QA_MAX_FILE_MB or split the file",
        )
    return data


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB ({count:,} bytes)"
    return f"{count:,} bytes"


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:65536]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * _MAX_CONTROL_RATIO


def _decode(data: bytes, shown: str) -> str:
    """Bytes to text: UTF-8 (without its BOM), else cp1252, else latin-1.

    Raises :class:`IngestError` for binary or empty content.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            # A UTF-16 BOM explains the NUL bytes; the BOM itself is not text.
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(shown, "binary file (broken UTF-16)", "save it as UTF-8 text") from None
        return _non_empty(text.removeprefix("\ufeff"), shown)
    if _looks_binary(data):
        raise IngestError(
            shown,
            "binary file, not text",
            "convert it to .txt, .md, .html or .json first",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data, shown)
    return _non_empty(text.removeprefix("\ufeff"), shown)


def _decode_legacy(data: bytes, shown: str) -> str:
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        log.info("%s is not UTF-8; decoded it as %s", shown, encoding)
        return text
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _non_empty(text: str, shown: str) -> str:
    if not text.strip():
        raise IngestError(shown, "empty file", "add the article text or remove the file")
    return text


# --------------------------------------------------------------------------- plain text


def _load_text(path: Path, shown: str, text: str) -> Article:
    meta = extract_metadata(text)
    return _article(
        article_id=slugify(path.stem),
        text=text,
        path=shown,
        title=meta.title,
        source=meta.source,
        published=meta.published,
        url=meta.url,
        boilerplate=meta.boilerplate,
    )


# --------------------------------------------------------------------------- HTML

_DROPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "svg",
        "iframe",
        "button",
        "head",
        "select",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "br",
        "article",
        "section",
        "blockquote",
        "tr",
        "main",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "figure",
        "figcaption",
        "pre",
        "hr",
        "address",
        "caption",
        "details",
        "summary",
    ]
)
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


class _HTMLText(HTMLParser):
    """Visible paragraphs and page metadata of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, bool]] = []  # (text, inside <article>)
        self.meta: dict[str, str] = {}
        self._parts: list[str] = []
        self._skip = 0
        self._article = 0
        self._svg = 0
        self._title: list[str] | None = None

    # The first value seen for a key wins: pages repeat tags in templates further down.
    def _keep(self, key: str, value: str | None) -> None:
        value = re.sub(r"\s+", " ", value or "").strip()
        if value and key not in self.meta:
            self.meta[key] = value

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._parts)).strip()
        self._parts = []
        if text:
            self.paragraphs.append((text, self._article > 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value for name, value in attrs}
        self._collect_meta(tag, values)
        if tag == "svg":
            self._svg += 1
        if tag == "title" and not self._svg:
            self._title = []
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "article":
            self._article += 1
        if tag in _DROPPED_TAGS and tag not in _VOID_TAGS:
            self._skip += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <svg/> or <div/>: nothing opens, so nothing must be closed.
        self._collect_meta(tag, {name.lower(): value for name, value in attrs})
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self._keep("title", "".join(self._title))
            self._title = None
        if tag == "svg" and self._svg:
            self._svg -= 1
        if tag in _DROPPED_TAGS and self._skip:
            self._skip -= 1
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "article" and self._article:
            self._article -= 1

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        elif not self._skip:
            self._parts.append(data)

    def _collect_meta(self, tag: str, attrs: Mapping[str, str | None]) -> None:
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            self._keep(key, attrs.get("content"))
        elif tag == "link" and "canonical" in (attrs.get("rel") or "").lower().split():
            self._keep("canonical", attrs.get("href"))
        elif tag == "time" and attrs.get("datetime"):
            self._keep("time" if not self._article else "article-time", attrs.get("datetime"))

    def close(self) -> None:
        super().close()
        self._flush()

    def text(self) -> str:
        """The paragraphs of the <article> when there is one, else of the whole body."""
        inside = [text for text, in_article in self.paragraphs if in_article]
        chosen = inside or [text for text, _ in self.paragraphs]
        return "\n\n".join(chosen)


def _first(meta: Mapping[str, str], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


def _strip_site(title: str, site: str | None) -> str:
    """ "Headline | Outlet" -> "Headline" when the outlet is known."""
    if site:
        match = re.match(
            rf"^(?P<head>.+?)\s*[|\u2013\u2014:-]\s*{re.escape(site)}\s*$",
            title,
            re.IGNORECASE,
        )
        if match:
            return match["head"]
    return title


def _load_html(path: Path, shown: str, raw: str) -> Article:
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    text = parser.text()
    if not text.strip():
        raise IngestError(
            shown,
            "no visible text in the HTML",
            "check that the page holds the article itself",
        )
    meta = parser.meta
    source = _first(meta, "og:site_name", "application-name")
    # Pages often append the outlet to the headline ("Headline | Outlet").
    raw_title = _first(meta, "og:title", "twitter:title", "title")
    title = _strip_site(raw_title, source) if raw_title else None
    published = _first(
        meta,
        "article:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "article-time",
        "time",
    )
    url = _first(meta, "canonical", "og:url")
    found = extract_metadata(text, title=title)
    published = (normalize_date(published) or published) if published else found.published
    return _article(
        article_id=slugify(path.stem),
        text=text,
        path=shown,
        title=title or found.title,
        source=source or found.source,
        published=published,
        url=url or found.url,
        boilerplate=found.boilerplate,
    )


# --------------------------------------------------------------------------- JSON


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    """The first non-empty field of ``names`` as a string (a dict gives its "name")."""
    for name in names:
        value = record.get(name)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (str, int, float)):
            text = str(value).strip()
            if text:
                return text
    return None


def _record_article(record: object, path: Path, shown: str, item: str, number: int | None) -> Article:
    """One JSON object to an article; ``number`` is its 1-based position, None for a lone object.

    ``shown`` is the file as the user named it, ``item`` the record's own label.
    """
    if not isinstance(record, dict):
        raise IngestError(
            item,
            f"record is a JSON {type(record).__name__}, not an object",
            "make each article an object with a 'text' field",
        )
    text = next(
        (record[name] for name in _TEXT_FIELDS if name in record and record[name] is not None),
        None,
    )
    label = _field(record, _ID_FIELDS) or _field(record, _TITLE_FIELDS)
    named = f" ({label[:60]!r})" if label else ""
    if not isinstance(text, str):
        problem = "has no text field" if text is None else f"has a non-string {_which_text(record)!r} field"
        raise IngestError(
            item,
            f"record{named} {problem}",
            f"give it one of: {', '.join(_TEXT_FIELDS)}",
        )
    if not text.strip():
        raise IngestError(
            item,
            f"record{named} has empty text",
            "fill in the article text or drop the record",
        )
    meta = extract_metadata(text, title=_field(record, _TITLE_FIELDS))
    title = _field(record, _TITLE_FIELDS) or meta.title
    source = _field(record, _SOURCE_FIELDS) or meta.source
    raw_date = _field(record, _PUBLISHED_FIELDS)
    published = (normalize_date(raw_date) or raw_date) if raw_date else meta.published
    url = _field(record, _URL_FIELDS) or meta.url
    return _article(
        article_id=_record_id(record, path, number, _field(record, _URL_FIELDS)),
        text=text,
        path=shown,
        title=title,
        source=source,
        published=published,
        url=url,
        boilerplate=meta.boilerplate,
    )


def _which_text(record: Mapping[str, Any]) -> str:
    return next(name for name in _TEXT_FIELDS if record.get(name) is not None)


def _record_id(record: Mapping[str, Any], path: Path, number: int | None, url: str | None) -> str:
    given = _field(record, _ID_FIELDS)
    if given:
        return slugify(given)
    if url:
        return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    stem = slugify(path.stem)
    return stem if number is None else f"{stem[: _MAX_ID - 12]}-{number}"


def _json_problem(exc: json.JSONDecodeError) -> str:
    """The decoder's message without a dangling "at" ("Invalid control character at")."""
    return exc.msg.removesuffix(" at")


def _load_json(path: Path, shown: str, raw: str) -> Iterator[Loaded]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IngestError(
            shown,
            f"malformed JSON ({_json_problem(exc)} at line {exc.lineno} column {exc.colno})",
            "fix the JSON syntax",
        ) from None
    if (
        isinstance(data, dict)
        and not any(name in data for name in _TEXT_FIELDS)
        and isinstance(data.get("articles"), list)
    ):
        data = data["articles"]
    if isinstance(data, dict):
        yield _record_item(data, path, shown, shown, None)
        return
    if not isinstance(data, list):
        raise IngestError(
            shown,
            f"top-level JSON is a {type(data).__name__}",
            'use an object, a list of objects or {"articles": [...]}',
        )
    if not data:
        raise IngestError(
            shown,
            "no articles in the JSON list",
            "add article objects or remove the file",
        )
    for number, record in enumerate(data, start=1):
        item_path = f"{shown}#{number}"
        yield _record_item(record, path, shown, item_path, number)


def _load_jsonl(path: Path, shown: str, raw: str) -> Iterator[Loaded]:
    # Only \n ends a record: other line breaks may sit inside JSON strings as text.
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        item_path = f"{shown}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            error = IngestError(
                f"{shown}:{number}",
                f"malformed JSON ({_json_problem(exc)} at column {exc.colno})",
                "fix or remove that line",
            )
            yield Loaded(item_path, error=error)
            continue
        yield _record_item(record, path, shown, item_path, number)


def _record_item(record: object, path: Path, shown: str, item: str, number: int | None) -> Loaded:
    try:
        return Loaded(item, article=_record_article(record, path, shown, item, number))
    except IngestError as error:
        return Loaded(item, error=error)


# --------------------------------------------------------------------------- files and folders


def _load_file(path: Path, shown: str, max_bytes: int) -> Iterator[Loaded]:
    suffix = path.suffix.lower()
    raw = _decode(_read_bytes(path, shown, max_bytes), shown)
    if suffix in HTML_EXTENSIONS:
        yield Loaded(shown, article=_load_html(path, shown, raw))
    elif suffix == ".json":
        yield from _load_json(path, shown, raw)
    elif suffix == ".jsonl":
        yield from _load_jsonl(path, shown, raw)
    else:
        yield Loaded(shown, article=_load_text(path, shown, raw))


def _safe_load_file(path: Path, shown: str, max_bytes: int) -> Iterator[Loaded]:
    """:func:`_load_file`, with any failure turned into an error item."""
    try:
        yield from _load_file(path, shown, max_bytes)
    except IngestError as error:
        yield Loaded(shown, error=error)
    except RecursionError:
        yield Loaded(
            shown,
            error=IngestError(shown, "nested too deeply to parse", "flatten the file"),
        )
    except Exception as exc:  # one broken file must not stop the batch
        log.exception("unexpected failure reading %s", shown)
        yield Loaded(
            shown,
            error=IngestError(
                shown,
                f"could not be loaded ({type(exc).__name__}: {exc})",
                "report this as a bug",
            ),
        )


def _unsupported(shown: str, suffix: str) -> IngestError:
    kind = f"'{suffix}'" if suffix else "a file without an extension"
    return IngestError(
        shown,
        f"unsupported file type {kind}",
        f"use one of {', '.join(sorted(SUPPORTED_EXTENSIONS))}",
    )


def _walk(folder: Path, max_bytes: int, seen: set[Path]) -> Iterator[Loaded]:
    """Supported files under ``folder`` in sorted order, skipping hidden names."""
    try:
        real = folder.resolve()
        if real in seen:
            log.debug("skipping %s: already walked (symlink loop?)", folder)
            return
        seen.add(real)
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield Loaded(
            str(folder),
            error=IngestError(
                str(folder),
                f"cannot list the folder ({exc.strerror or exc})",
                "check its permissions",
            ),
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            log.debug("skipping hidden %s", entry)
        elif entry.is_dir():
            yield from _walk(entry, max_bytes, seen)
        elif entry.suffix.lower() not in SUPPORTED_EXTENSIONS:
            log.debug("skipping %s: unsupported extension", entry)
        elif entry.is_file():
            yield from _safe_load_file(entry, str(entry), max_bytes)
        else:
            log.debug("skipping %s: not a regular file", entry)


def load_paths(paths: Iterable[str | Path], *, max_bytes: int) -> Iterator[Loaded]:
    """Articles from files and folders, one :class:`Loaded` per article or problem.

    Folders are walked recursively in sorted order, skipping hidden entries and
    unsupported extensions; a file named explicitly must be supported. A JSON
    list or JSONL file gives one item per record, with path ``PATH#N``.
    Nothing is raised for a bad file: its item carries the error instead.
    """
    for given in paths:
        shown = str(given)
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, max_bytes, set())
        elif not path.exists():
            yield Loaded(
                shown,
                error=IngestError(shown, "no such file or folder", "check the path"),
            )
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            yield Loaded(shown, error=_unsupported(shown, path.suffix.lower()))
        elif not path.is_file():
            yield Loaded(
                shown,
                error=IngestError(shown, "not a regular file", "point at a file or a folder"),
            )
        else:
            yield from _safe_load_file(path, shown, max_bytes)
