"""HTML pages to article text and metadata, with trafilatura.

trafilatura finds the main text of a page (leaving out navigation, cookie
banners, related links, comments and footers) and reads the page's own
markup for its metadata: JSON-LD, Open Graph and other meta tags, the
canonical link. What it extracts *is* the stored text, so citation offsets
index exactly what was kept. It is imported on first use: ``qa ask`` never
pays for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

# Loggers of the extraction stack: they report a page they give up on as an
# error; we report it ourselves, once, as the ingest result.
_QUIET = ("trafilatura", "htmldate", "courlan", "justext")
# Never the article, whatever else the page holds: navigation, and the site's own header (one without
# the headline) and footer. Removed before extraction, so a page with nothing else has no article text
# (trafilatura's fallbacks would otherwise keep the menu).
_SITE_CHROME = [
    "//nav",
    "//header[not(ancestor::article)][not(.//h1)]",
    "//footer[not(ancestor::article)]",
]


@dataclass(frozen=True)
class Page:
    """What was extracted from one HTML page: its paragraphs joined by blank lines."""

    text: str
    title: str | None = None
    source: str | None = None  # the outlet (site name)
    author: str | None = None
    published: str | None = None  # ISO 8601 date
    url: str | None = None  # the canonical URL the page states, else the URL it was fetched from
    host: str | None = None  # the site's host name, when the page names no outlet of its own


@contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Silence the loggers ``names`` (a library's own warnings about input we report ourselves)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    netloc = urlsplit(url).netloc.lower()
    return netloc.removeprefix("www.") or None


def extract_page(html: str | bytes, url: str | None = None) -> Page | None:
    """The main text and metadata of ``html``; None when no article text is found.

    ``url`` is where the page came from (it resolves relative links and is the
    URL when the page states no canonical one). Comments are left out.
    """
    import trafilatura

    with quiet(*_QUIET):
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            prune_xpath=_SITE_CHROME,
        )
    if document is None or isinstance(document, dict):
        return None
    lines = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    # One extracted block per line: a blank line between them makes each its own paragraph.
    text = "\n\n".join(line for line in lines if line)
    if not text:
        return None
    source = _clean(document.sitename)
    host = None
    if source and source.lower().removeprefix("www.") == _host(document.url or url):
        # trafilatura falls back to the URL's host name: a weaker outlet than one the text names.
        source, host = None, source
    return Page(
        text=text,
        title=_clean(document.title),
        source=source,
        host=host,
        author=_clean(document.author),
        published=_clean(document.date),
        url=_clean(document.url),
    )
