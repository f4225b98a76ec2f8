"""Article pages and feeds fetched from a real HTTP server on 127.0.0.1 (tests/site.py).

The loaders' side (what is fetched, extracted, and how each failure reads) runs without the
embedder; the end-to-end test ingests into a real store and answers with the real answer path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.loaders import Loaded, load_paths
from qa.web import Fetched, feed_links, url_id
from tests.site import COMMENT, COOKIE_BANNER, FOOTER, RELATED, Route, Site, ferry_page, news_site

LIMIT = 1_000_000


@pytest.fixture
def site() -> Iterator[Site]:
    site = news_site()
    site.start()
    yield site
    site.stop()


def _load(*urls: str, max_bytes: int = LIMIT, timeout: float | None = None) -> list[Loaded]:
    return list(load_paths(urls, max_bytes=max_bytes, fetch_timeout=timeout))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- pages


def test_cluttered_page_keeps_the_article_and_reads_its_markup(site: Site) -> None:
    url = site.url("/news/ferry-resumes")
    [item] = _load(url)
    article = item.article
    assert article is not None, item.error
    assert item.path == url and article.path == url
    assert article.title == "Ferry service resumes after storm damage repaired"
    assert article.source == "Harbour Courier"  # JSON-LD publisher
    assert article.published == "2024-03-14"  # JSON-LD datePublished
    assert article.author == "Mara Lindqvist"
    assert article.url == url  # the canonical link
    assert "the first crossing carried 312 passengers" in " ".join(article.text.split())
    for debris in ("cookie", "Accept all", "Related stories", *RELATED, COMMENT, FOOTER, "Weather", "dataLayer"):
        assert debris not in article.text, debris
    # Paragraphs apart, the headline kept in the text but marked as debris (never cited).
    assert article.text.count("\n\n") >= 3
    assert [article.text[s:e] for s, e in article.boilerplate] == [article.title]


def test_page_reached_by_another_address_is_the_same_article(site: Site) -> None:
    site.routes["/amp/ferry?utm_source=feed"] = Route(ferry_page(site.base).encode())
    [direct] = _load(site.url("/news/ferry-resumes"))
    [tracked] = _load(site.url("/amp/ferry?utm_source=feed"))
    assert direct.article is not None and tracked.article is not None
    assert tracked.article.article_id == direct.article.article_id
    assert tracked.article.url == site.url("/news/ferry-resumes")
    assert tracked.article.content_hash == direct.article.content_hash


def test_url_id_is_stable_and_readable() -> None:
    one = url_id("https://www.example.org/news/ferry-resumes#comments")
    assert one == url_id("http://example.org/news/ferry-resumes/")
    assert one.startswith("example.org-news-ferry-resumes-")
    assert url_id("https://example.org/news?id=1") != url_id("https://example.org/news?id=2")


def test_a_changed_page_gets_a_new_hash_under_the_same_id(site: Site) -> None:
    [before] = _load(site.url("/news/ferry-resumes"))
    site.routes["/news/ferry-resumes"] = Route(ferry_page(site.base, passengers=320).encode())
    [after] = _load(site.url("/news/ferry-resumes"))
    assert before.article is not None and after.article is not None
    assert after.article.article_id == before.article.article_id
    assert after.article.content_hash != before.article.content_hash


# --------------------------------------------------------------------------- feeds


def test_rss_feed_gives_each_item_page(site: Site) -> None:
    items = _load(site.url("/feed.xml"))
    assert [item.path for item in items] == [site.url("/local/library-reopens"), site.url("/local/bridge-cracks")]
    library, bridge = (item.article for item in items)
    assert library is not None and bridge is not None
    assert library.title == "Town library reopens after flood"
    assert library.source == "Eastbrook Herald"
    assert library.published == "2024-05-04"
    assert "4,800 books were lost" in library.text and "Front page" not in library.text
    assert "three pillars" in bridge.text


def _fetched(body: str, url: str = "https://example.org/feed") -> Fetched:
    return Fetched(url, "application/atom+xml", "utf-8", body.encode())


def test_atom_feed_links_are_the_entries_alternate_links() -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<link rel="self" href="https://example.org/feed"/>
<entry><title>A</title><link rel="alternate" href="/a"/><link rel="enclosure" href="/a.mp3"/></entry>
<entry><title>B</title><link href="https://other.example/b#top"/></entry>
<entry><title>C</title><link rel="alternate" href="mailto:x@example.org"/></entry>
<entry><title>A again</title><link href="/a"/></entry>
</feed>"""
    assert feed_links(_fetched(atom)) == ["https://example.org/a", "https://other.example/b"]


def test_rss_items_without_link_use_their_permalink_guid() -> None:
    rss = """<rss version="2.0"><channel><title>T</title>
<item><title>A</title><guid>https://example.org/a</guid></item>
<item><title>B</title><guid isPermaLink="false">https://example.org/b</guid></item>
</channel></rss>"""
    assert feed_links(_fetched(rss)) == ["https://example.org/a"]


def test_xml_that_is_no_feed_is_not_read_as_one() -> None:
    assert feed_links(_fetched("<?xml version='1.0'?><sitemap><url>x</url></sitemap>")) is None
    assert feed_links(_fetched("<rss><channel><item>")) is None  # malformed


def test_feed_entities_are_not_expanded() -> None:
    bomb = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "https://example.org/aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><item><link>&b;</link></item></channel></rss>"""
    links = feed_links(_fetched(bomb))
    assert not links or all("aaaaaaaaaa" not in link for link in links)


def test_feed_without_items_is_reported(site: Site) -> None:
    site.routes["/empty.xml"] = Route(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Empty</title></channel></rss>",
        "application/rss+xml",
    )
    [item] = _load(site.url("/empty.xml"))
    assert str(item.error) == (
        f"{site.url('/empty.xml')}: the feed lists no items with a link - check that it is the feed you meant"
    )


# --------------------------------------------------------------------------- failures


def test_each_fetch_failure_is_one_line_and_the_batch_goes_on(site: Site) -> None:
    port = _closed_port()
    big = b"<html><body>" + b"<p>filler words here.</p>" * 2000 + b"</body></html>"
    site.routes["/big"] = Route(big)
    site.routes["/big-unannounced"] = Route(big, send_length=False)
    site.routes["/gone"] = Route(b"gone", status=410)
    site.routes["/broken"] = Route(b"oops", status=500)
    urls = [
        f"http://127.0.0.1:{port}/news",
        site.url("/missing"),
        site.url("/gone"),
        site.url("/broken"),
        site.url("/logo.png"),
        site.url("/big"),
        site.url("/big-unannounced"),
        site.url("/slow"),
        site.url("/news/ferry-resumes"),
    ]
    items = _load(*urls, max_bytes=20_000, timeout=1.0)
    assert [item.path for item in items] == urls
    errors = [str(item.error) for item in items[:-1]]
    assert errors == [
        f"{urls[0]}: cannot reach 127.0.0.1:{port} (connection refused) - check the address and that the site is up",
        f"{urls[1]}: the server answered HTTP 404 Not Found - check the URL",
        f"{urls[2]}: the server answered HTTP 410 Gone - check the URL",
        f"{urls[3]}: the server answered HTTP 500 Internal Server Error - the site is busy or failing: try again later",
        f"{urls[4]}: not an HTML page or a feed (the server sent image/png)"
        " - give the URL of an article page or an RSS/Atom feed",
        f"{urls[5]}: the page is {len(big):,} bytes, over the limit of 20,000 bytes"
        " - raise QA_MAX_FILE_MB if it really is one article",
        f"{urls[6]}: the page is over the limit of 20,000 bytes - raise QA_MAX_FILE_MB if it really is one article",
        f"{urls[7]}: no answer from {site.base[7:]} within 1 s (timeout) - try again later, or raise QA_TIMEOUT",
    ]
    assert all("\n" not in e for e in errors)
    assert items[-1].article is not None


def test_a_failing_item_does_not_stop_its_feed(site: Site) -> None:
    site.routes["/feed.xml"] = Route(
        f"""<rss version="2.0"><channel><title>T</title>
<item><link>{site.base}/nowhere</link></item><item><link>{site.base}/logo.png</link></item>
<item><link>{site.base}/local/bridge-cracks</link></item></channel></rss>""".encode(),
        "text/xml",
    )
    items = _load(site.url("/feed.xml"))
    assert [item.article is not None for item in items] == [False, False, True]
    assert "HTTP 404" in str(items[0].error)
    assert str(items[1].error).endswith("(the server sent image/png) - give the URL of an article page")


def test_a_pdf_url_is_read_through_its_text_layer(site: Site) -> None:
    from tests.test_documents import BRIDGE, scanned_pdf, text_pdf

    site.routes["/files/bridge.pdf"] = Route(text_pdf([BRIDGE]), "application/pdf")
    site.routes["/files/scan.pdf"] = Route(scanned_pdf(1), "application/pdf")
    good, scan = _load(site.url("/files/bridge.pdf"), site.url("/files/scan.pdf"))
    assert good.article is not None and "9,000 cars a day" in good.article.text
    assert good.article.url == site.url("/files/bridge.pdf")
    assert "the PDF has no text layer" in str(scan.error)


def test_page_without_article_text_is_rejected(site: Site) -> None:
    site.routes["/blank"] = Route(b"<html><head><title>T</title></head><body><script>x()</script></body></html>")
    [item] = _load(site.url("/blank"))
    assert "no article text found on the page" in str(item.error)


# --------------------------------------------------------------------------- end to end


def test_pages_and_feeds_end_to_end(make_assistant: object, site: Site, tmp_path: Path) -> None:
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    page, feed = site.url("/news/ferry-resumes"), site.url("/feed.xml")
    report = assistant.ingest([page, feed])
    assert [(r.path, r.status) for r in report.results] == [
        (page, "added"),
        (site.url("/local/library-reopens"), "added"),
        (site.url("/local/bridge-cracks"), "added"),
    ], report

    ferry_id = url_id(page)
    stored = assistant.article(ferry_id)
    assert stored.source == "Harbour Courier" and stored.published == "2024-03-14"
    assert stored.url == page and stored.author == "Mara Lindqvist"
    for debris in ("cookie", "advertising partners", "Related stories", COMMENT, FOOTER):
        assert debris not in stored.text

    answer = assistant.ask("How many passengers were on the first ferry crossing to Vell?")
    assert not answer.refused and "312" in answer.text, answer.text
    cited = answer.citations[0]
    assert cited.article_id == ferry_id and cited.url == page and cited.source == "Harbour Courier"
    assert cited.quote == assistant.article(cited.article_id).text[cited.start : cited.end]

    answer = assistant.ask("How many books did the Eastbrook library lose in the flood?")
    assert not answer.refused and "4,800" in answer.text, answer.text
    assert all(c.quote == assistant.article(c.article_id).text[c.start : c.end] for c in answer.citations)

    cookies = "With how many advertising partners is cookie data shared?"
    refused = assistant.ask(cookies)
    assert refused.refused, refused.text

    again = assistant.ingest([page, feed])
    assert [r.status for r in again.results] == ["unchanged"] * 3
    site.routes["/news/ferry-resumes"] = Route(ferry_page(site.base, passengers=320).encode())
    changed = assistant.ingest([page])
    assert [(r.article_id, r.status) for r in changed.results] == [(ferry_id, "updated")]
    assert "320 passengers" in " ".join(assistant.article(ferry_id).text.split())

    # The refusal above is the extraction's doing: with the banner's text stored, the question is answered.
    banner = tmp_path / "banner.txt"
    banner.write_text(f"Site notice\n\n{COOKIE_BANNER}\n", encoding="utf-8")
    assert assistant.ingest([banner]).count("added") == 1
    assert "143" in assistant.ask(cookies).text


def test_cli_ingests_urls_with_one_line_each(site: Site, isolated_env: Path) -> None:
    env = {**os.environ, "QA_HOME": str(isolated_env)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QA_CHROMA_URL", "QA_COLLECTION"):
        env.pop(name, None)
    urls = [site.url("/news/ferry-resumes"), site.url("/missing")]
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ingest", *urls], capture_output=True, text=True, env=env, timeout=300
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode != 0  # one URL failed
    out = done.stdout + done.stderr
    assert f"added      {url_id(urls[0])}" in out
    assert f"{urls[1]}: the server answered HTTP 404 Not Found - check the URL" in out
