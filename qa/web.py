"""Article pages and RSS/Atom feeds fetched over http(s), with httpx.

A URL is fetched once, with a timeout and a size limit, and then read by what
the server says it is: an HTML page goes through :mod:`qa.pages` (trafilatura),
a feed gives the links of its items, each fetched as a page, a PDF or .docx
goes through :mod:`qa.documents`. An article's id comes from its canonical
URL, so the same page ingested again is "unchanged" (or "updated" when it
changed), wherever it was reached from.

Every failure is one :class:`~qa.errors.IngestError` naming the URL: the host
cannot be reached, no answer in time, an HTTP error status, not a page or a
feed, too large. The rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import httpx

from qa.documents import read_docx, read_pdf
from qa.errors import IngestError
from qa.loaders import Loaded, document_article, page_article, slugify
from qa.pages import extract_page
from qa.types import Article

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0  # seconds: each fetch gives up after this long (QA_TIMEOUT)
USER_AGENT = "newsqa/0.1 (article reader; +pip install newsqa)"

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_DOCX_TYPES = frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})  # RSS 0.9x/2.0, Atom, RSS 1.0 (rdf:RDF)
_ID_SLUG = 80


@dataclass(frozen=True)
class Fetched:
    """One successful response: the final URL (after redirects), its media type and body."""

    url: str
    media_type: str  # e.g. "text/html", lower case, without parameters; "" when the server sent none
    charset: str | None
    body: bytes


def url_id(url: str) -> str:
    """An article id for ``url``: readable (host and path) and stable (a digest of them).

    The scheme, a leading ``www.`` and the fragment do not count: http and
    https addresses of one page are one article.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    key = host + (parts.path.rstrip("/") or "/") + (f"?{parts.query}" if parts.query else "")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{slugify(key)[:_ID_SLUG].rstrip('-.')}-{digest}"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{count:,} bytes"


def _transport_problem(exc: httpx.TransportError, url: str, timeout: float) -> IngestError:
    """The one line for a request that got no (complete) answer."""
    host = _host(url)
    if isinstance(exc, httpx.TimeoutException):
        return IngestError(
            url,
            f"no answer from {host} within {timeout:g} s (timeout)",
            "try again later, or raise QA_TIMEOUT",
        )
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
            why = "host not found"
        elif "refused" in text:
            why = "connection refused"
        elif "certificate" in text or "ssl" in text:
            why = "its TLS certificate is not trusted"
        else:
            why = str(exc) or type(exc).__name__
        return IngestError(url, f"cannot reach {host} ({why})", "check the address and that the site is up")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return IngestError(url, "redirected to an address that is not http(s)", "give the article's http(s) URL")
    return IngestError(
        url,
        f"the connection to {host} failed ({type(exc).__name__}: {exc})",
        "try again later",
    )


class Fetcher:
    """Fetches URLs into articles with one HTTP client (connections are reused within a batch)."""

    def __init__(self, *, max_bytes: int, timeout: float | None = None) -> None:
        self.max_bytes = max_bytes
        self.timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            max_redirects=10,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml, application/xml;q=0.9"},
        )

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- fetching ------------------------------------------------------------

    def fetch(self, url: str) -> Fetched:
        """The response to GET ``url``; raises :class:`IngestError` when there is none to use.

        The whole fetch (connect, headers, body) gives up after ``timeout`` seconds.
        """
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise self._status_error(url, response)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(url, int(declared))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise self._too_large(url, None)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the whole response took too long")
                content_type = response.headers.get("content-type", "")
                media_type = content_type.split(";")[0].strip().lower()
                return Fetched(str(response.url), media_type, response.charset_encoding, bytes(body))
        except httpx.TransportError as exc:
            raise _transport_problem(exc, url, self.timeout) from None
        except httpx.TooManyRedirects:
            raise IngestError(url, "too many redirects", "open it in a browser and use where it ends") from None
        except httpx.InvalidURL as exc:
            raise IngestError(url, f"not a valid URL ({exc})", "check the address") from None
        except httpx.DecodingError:
            raise IngestError(url, "the server sent a damaged (undecodable) response", "try again later") from None

    def _status_error(self, url: str, response: httpx.Response) -> IngestError:
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if response.status_code in (401, 403):
            fix = "the site refuses access to this page: save the page in a browser and ingest the file"
        elif response.status_code in (404, 410):
            fix = "check the URL"
        elif response.status_code == 429 or response.status_code >= 500:
            fix = "the site is busy or failing: try again later"
        else:
            fix = "check the URL"
        return IngestError(url, f"the server answered {status}", fix)

    def _too_large(self, url: str, size: int | None) -> IngestError:
        limit = _size(self.max_bytes)
        what = f"the page is {_size(size)}, over" if size else "the page is over"
        return IngestError(
            url,
            f"{what} the limit of {limit}",
            "raise QA_MAX_FILE_MB if it really is one article",
        )

    # ---- reading ---------------------------------------------------------------

    def load(self, url: str) -> Iterator[Loaded]:
        """The article at ``url``, or the articles of the feed at ``url``; failures as error items."""
        url = url.strip()
        try:
            fetched = self.fetch(url)
            links = feed_links(fetched) if _may_be_feed(fetched) else None
            if links is None:
                yield Loaded(url, article=self._article(url, fetched))
                return
        except IngestError as error:
            yield Loaded(url, error=error)
            return
        if not links:
            empty = IngestError(url, "the feed lists no items with a link", "check that it is the feed you meant")
            yield Loaded(url, error=empty)
            return
        log.info("%s: a feed of %d items", url, len(links))
        for link in links:
            try:
                fetched = self.fetch(link)
                yield Loaded(link, article=self._article(link, fetched, in_feed=True))
            except IngestError as error:
                yield Loaded(link, error=error)

    def _article(self, url: str, fetched: Fetched, *, in_feed: bool = False) -> Article:
        kind = fetched.media_type
        if kind in _PDF_TYPES or kind in _DOCX_TYPES:
            reader = read_pdf if kind in _PDF_TYPES else read_docx
            document = reader(fetched.body, url)
            return document_article(document, article_id=url_id(fetched.url), path=url, url=fetched.url)
        if not _is_html(fetched):
            what = f"the server sent {kind}" if kind else "the server did not say what it sent"
            fix = "give the URL of an article page" + ("" if in_feed else " or an RSS/Atom feed")
            raise IngestError(url, f"not an HTML page or a feed ({what})", fix)
        html: str | bytes = fetched.body
        if fetched.charset:
            try:
                html = fetched.body.decode(fetched.charset, errors="replace")
            except LookupError:  # an unknown charset name: let the extractor detect the encoding
                html = fetched.body
        page = extract_page(html, url=fetched.url)
        if page is None:
            raise IngestError(
                url,
                "no article text found on the page",
                "check that the URL is an article, not a front page, a login or a cookie wall",
            )
        canonical = urljoin(fetched.url, page.url) if page.url else fetched.url
        if urlsplit(canonical).scheme not in ("http", "https"):
            canonical = fetched.url
        page = replace(page, url=canonical)
        return page_article(page, article_id=url_id(canonical), path=url)


def _is_html(fetched: Fetched) -> bool:
    if fetched.media_type in _HTML_TYPES:
        return True
    if fetched.media_type in ("", "text/plain", "application/octet-stream"):
        head = fetched.body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
    return False


def _may_be_feed(fetched: Fetched) -> bool:
    if fetched.media_type in _FEED_TYPES:
        return True
    if fetched.media_type in ("", "text/plain", "application/octet-stream"):
        head = fetched.body[:512].lstrip()
        return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:RDF"))
    return False


def feed_links(fetched: Fetched) -> list[str] | None:
    """The item links of an RSS (0.9x, 1.0, 2.0) or Atom feed, in feed order; None when it is no feed.

    Relative links resolve against the feed's URL; only http(s) links are kept, each once.
    """
    from lxml import etree

    # No entities resolved, nothing fetched: a feed is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(fetched.body, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None or etree.QName(root).localname.lower() not in _FEED_ROOTS:
        return None
    links: list[str] = []
    for element in root.iter("{*}item", "{*}entry"):
        link = _item_link(element)
        if link:
            absolute = urljoin(fetched.url, link.strip())
            if urlsplit(absolute).scheme in ("http", "https"):
                links.append(absolute.split("#")[0])
    return list(dict.fromkeys(links))


def _item_link(element: object) -> str | None:
    """An RSS item's <link> (or permalink <guid>, or rdf:about), an Atom entry's alternate link."""
    from lxml import etree

    assert isinstance(element, etree._Element)
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        name = etree.QName(child).localname
        if name == "link":
            href = child.get("href")
            if href is not None:  # Atom: the alternate (or unqualified) link is the page
                if child.get("rel", "alternate") == "alternate":
                    return str(href)
            elif child.text and child.text.strip():
                return str(child.text)
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == "guid":
            permalink = str(child.get("isPermaLink", "true")).lower() != "false"
            if permalink and child.text and child.text.strip().startswith(("http://", "https://")):
                return str(child.text)
    about = element.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return str(about) if about else None
