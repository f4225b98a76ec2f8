"""Files on disk (and, through :mod:`qa.web`, URLs) to :class:`~qa.types.Article` records.

One :class:`Loaded` per article or problem. A bad file never stops a batch:
every problem becomes an item carrying an :class:`~qa.errors.IngestError`
that says what is wrong and what to do. Every file in a folder gets an item,
an unsupported one too; only hidden names (``.git``, ``.DS_Store``) are passed over.
HTML goes through the same extraction as a fetched page (:mod:`qa.pages`);
PDF and Word files through :mod:`qa.documents`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.documents import DOCX_EXTENSIONS, PDF_EXTENSIONS, DocumentText, read_docx, read_pdf
from qa.errors import IngestError
from qa.metadata import extract_metadata, normalize_date
from qa.pages import Page, extract_page
from qa.types import Article

if TYPE_CHECKING:
    from qa.web import Fetcher

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
DOCUMENT_EXTENSIONS = PDF_EXTENSIONS | DOCX_EXTENSIONS  # binary formats, read by their own libraries
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | DOCUMENT_EXTENSIONS | {".json", ".jsonl"}

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
    author: str | None = None,
) -> str:
    """sha256 over the text and the metadata, so a changed title counts as a change."""
    fields = [text, title, source, published, url]
    if author is not None:  # only then: articles stored before bylines were kept keep their hash
        fields.append(author)
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_article(
    *,
    article_id: str,
    text: str,
    path: str,
    title: str | None,
    source: str | None,
    published: str | None,
    url: str | None,
    boilerplate: tuple[tuple[int, int], ...],
    author: str | None = None,
) -> Article:
    """An :class:`Article` with its content hash."""
    return Article(
        article_id=article_id,
        text=text,
        content_hash=content_hash(text, title, source, published, url, author),
        title=title,
        source=source,
        published=published,
        url=url,
        path=path,
        author=author,
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
    return make_article(
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


def page_article(page: Page, *, article_id: str, path: str, url: str | None = None) -> Article:
    """An article from an extracted page: its markup's metadata first, what its text states second.

    ``url`` is where the page was fetched from, the fallback when it states no canonical URL.
    """
    found = extract_metadata(page.text, title=page.title)
    published = (normalize_date(page.published) or page.published) if page.published else found.published
    return make_article(
        article_id=article_id,
        text=page.text,
        path=path,
        title=page.title or found.title,
        source=page.source or found.source or page.host,
        published=published,
        url=page.url or url or found.url,
        author=page.author,
        boilerplate=found.boilerplate,
    )


def _load_html(path: Path, shown: str, raw: str) -> Article:
    page = extract_page(raw)
    if page is None:
        raise IngestError(
            shown,
            "no article text found in the HTML",
            "check that the page holds the article itself",
        )
    return page_article(page, article_id=slugify(path.stem), path=shown)


# --------------------------------------------------------------------------- PDF and Word


def document_article(document: DocumentText, *, article_id: str, path: str, url: str | None = None) -> Article:
    """An article from a PDF's or Word file's text; ``url`` is where it was fetched from, if it was."""
    # A file's Title property is often a template's or a file name ("Microsoft Word - draft"): a hint only
    # when the text opens with it.
    hint = document.title if document.title and document.title in document.text[:2000] else None
    meta = extract_metadata(document.text, title=hint)
    return make_article(
        article_id=article_id,
        text=document.text,
        path=path,
        title=meta.title,
        source=meta.source,
        published=meta.published,
        url=url or meta.url,
        author=document.author,
        boilerplate=meta.boilerplate,
    )


def _load_document(path: Path, shown: str, data: bytes) -> Article:
    document = read_pdf(data, shown) if path.suffix.lower() in PDF_EXTENSIONS else read_docx(data, shown)
    return document_article(document, article_id=slugify(path.stem), path=shown)


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
    return make_article(
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
    data = _read_bytes(path, shown, max_bytes)
    if suffix in DOCUMENT_EXTENSIONS:
        yield Loaded(shown, article=_load_document(path, shown, data))
        return
    raw = _decode(data, shown)
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


# Formats people try, with the way to a supported one.
_CONVERT = {
    ".doc": "save it as .docx (or .txt) first",
    ".rtf": "save it as .docx (or .txt) first",
    ".odt": "save it as .docx (or .txt) first",
}


def _unsupported(shown: str, suffix: str) -> IngestError:
    kind = f"'{suffix}'" if suffix else "a file without an extension"
    return IngestError(
        shown,
        f"unsupported file type {kind}",
        _CONVERT.get(suffix) or f"use one of {', '.join(sorted(SUPPORTED_EXTENSIONS))}",
    )


def _not_regular(shown: str) -> IngestError:
    return IngestError(shown, "not a regular file (a broken link, a device or a pipe?)", "point at a file or a folder")


def _walk(folder: Path, max_bytes: int, seen: set[Path]) -> Iterator[Loaded]:
    """Every file under ``folder`` in sorted order, an unsupported one as an error item; hidden names skipped."""
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
            # .git, .DS_Store, editor swap files: never articles, and not worth a line each.
            log.info("skipping hidden %s", entry)
        elif entry.is_dir():
            yield from _walk(entry, max_bytes, seen)
        elif not entry.is_file():
            yield Loaded(str(entry), error=_not_regular(str(entry)))
        elif entry.suffix.lower() not in SUPPORTED_EXTENSIONS:
            yield Loaded(str(entry), error=_unsupported(str(entry), entry.suffix.lower()))
        else:
            yield from _safe_load_file(entry, str(entry), max_bytes)


def load_paths(paths: Iterable[str | Path], *, max_bytes: int, fetch_timeout: float | None = None) -> Iterator[Loaded]:
    """Articles from files, folders and http(s) URLs, one :class:`Loaded` per article or problem.

    Folders are walked recursively in sorted order, skipping hidden entries;
    a file of an unsupported type gives an error item. A JSON list or JSONL
    file gives one item per record, with path ``PATH#N``. A URL is an article
    page or an RSS/Atom feed (see :mod:`qa.web`; each fetch gives up after
    ``fetch_timeout`` seconds). Nothing is raised for a bad file or URL: its
    item carries the error instead.
    """
    fetcher: Fetcher | None = None
    try:
        for given in paths:
            if isinstance(given, str) and is_url(given):
                if fetcher is None:
                    from qa.web import Fetcher

                    fetcher = Fetcher(max_bytes=max_bytes, timeout=fetch_timeout)
                yield from fetcher.load(given)
            else:
                yield from _load_path(given, max_bytes)
    finally:
        if fetcher is not None:
            fetcher.close()


def is_url(value: str) -> bool:
    """True for an http(s) URL (what :func:`load_paths` fetches instead of reading a file)."""
    return re.match(r"https?://", value.strip(), re.IGNORECASE) is not None


def _load_path(given: str | Path, max_bytes: int) -> Iterator[Loaded]:
    shown = str(given)
    path = Path(given)
    if path.is_dir():
        yield from _walk(path, max_bytes, set())
    elif not path.exists():
        yield Loaded(shown, error=IngestError(shown, "no such file or folder", "check the path"))
    elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        yield Loaded(shown, error=_unsupported(shown, path.suffix.lower()))
    elif not path.is_file():
        yield Loaded(shown, error=_not_regular(shown))
    else:
        yield from _safe_load_file(path, shown, max_bytes)
