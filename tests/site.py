"""A real HTTP server on 127.0.0.1 serving news pages and feeds, for the tests of URL ingest.

``python -m tests.site`` serves the same site until Ctrl-C (the README's examples were run against it).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers at one path."""

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    hang: bool = False  # accept the request, then never answer (until the server stops)
    headers: Mapping[str, str] = field(default_factory=dict)


class Site:
    """Routes by path, served by a ThreadingHTTPServer on an ephemeral loopback port."""

    def __init__(self, routes: dict[str, Route], port: int = 0) -> None:
        self.routes = routes
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.requests: list[str] = []

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base + path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                route = site.routes.get(self.path)
                if route is None:
                    route = Route(b"<html><body><h1>Not found</h1></body></html>", status=404)
                if route.hang:
                    site.stopping.wait(60)  # bounded: never outlives a stuck test run
                    return
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def start(self) -> None:
        """Serve in a daemon thread."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Release hung requests, stop serving, close the socket."""
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Site]:
    """A started :class:`Site`, stopped on exit."""
    site = Site(routes)
    site.start()
    try:
        yield site
    finally:
        site.stop()


# --------------------------------------------------------------------------- the news site

COOKIE_BANNER = (
    "We use cookies to improve your experience. By continuing to browse you accept our cookie policy "
    "and the sharing of your data with 143 advertising partners."
)
RELATED = ("Storm closes schools across the coast", "Bridge tolls to rise in April")
COMMENT = "Finally! I have waited for this ferry for weeks, the bus detour took four hours."
FOOTER = "© 2024 Harbour Courier. All rights reserved."


def ferry_page(base: str, *, passengers: int = 312) -> str:
    """A cluttered article page: cookie banner, navigation, related stories, comments, footer, JSON-LD."""
    related = "".join(f'<li><a href="/news/{i}">{title}</a></li>' for i, title in enumerate(RELATED))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry service resumes after storm damage repaired | Harbour Courier</title>
<link rel="canonical" href="{base}/news/ferry-resumes">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Ferry service resumes after storm damage repaired",
  "datePublished": "2024-03-14T08:30:00Z",
  "author": {{"@type": "Person", "name": "Mara Lindqvist"}},
  "publisher": {{"@type": "Organization", "name": "Harbour Courier"}}}}
</script>
<script>window.dataLayer = []; function track() {{ dataLayer.push("pageview"); }}</script>
</head><body>
<div id="cookie-consent" class="cookie-banner"><p>{COOKIE_BANNER}</p>
<button>Accept all</button> <button>Manage settings</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>Ferry service resumes after storm damage repaired</h1>
<p>The ferry between Northport and the island of Vell resumed on Thursday after engineers finished
repairing the pier that a storm wrecked in February.</p>
<p>The harbour authority said the repairs cost 2.4 million euros and took 23 days, and that the first
crossing carried {passengers} passengers.</p>
<p>Captain Ilse Brandt, who commands the vessel, said the crew had waited three weeks for the pier to
reopen and that timetables would return to normal on Monday.</p>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments" class="comments"><h3>3 comments</h3>
<div class="comment"><p>{COMMENT}</p></div></section>
</main>
<footer><p>{FOOTER}</p><p><a href="/privacy">Privacy</a> <a href="/contact">Contact us</a></p></footer>
</body></html>"""


def library_page() -> str:
    """An article reached through the feed."""
    return """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Town library reopens after flood</title>
<meta property="og:site_name" content="Eastbrook Herald">
<meta property="article:published_time" content="2024-05-04T09:00:00+02:00">
</head><body><nav><a href="/">Front page</a> <a href="/local">Local news</a></nav>
<article><h1>Town library reopens after flood</h1>
<p>The Eastbrook town library reopened on Saturday, five months after a flood damaged its ground floor.</p>
<p>Librarians said 4,800 books were lost in the flood and that about half have been replaced by donations.</p>
</article><footer>Eastbrook Herald, 12 Mill Lane</footer></body></html>"""


def bridge_page() -> str:
    """A second article reached through the feed."""
    return """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Inspectors find cracks in Kessler bridge</title>
<meta property="og:site_name" content="Eastbrook Herald">
<meta property="article:published_time" content="2024-05-08T15:30:00+02:00">
</head><body><nav><a href="/">Front page</a></nav>
<article><h1>Inspectors find cracks in Kessler bridge</h1>
<p>Inspectors found cracks in three pillars of the Kessler bridge during a routine check on Wednesday,
the regional roads agency said.</p>
<p>The bridge will be closed to lorries heavier than 12 tonnes until the repairs are done.</p>
</article></body></html>"""


def rss_feed(base: str) -> str:
    """An RSS 2.0 feed of the two Eastbrook articles (one link relative, one absolute)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Eastbrook Herald</title><link>{base}/</link><description>Local news</description>
<item><title>Town library reopens after flood</title><link>{base}/local/library-reopens</link>
<pubDate>Sat, 04 May 2024 09:00:00 +0200</pubDate></item>
<item><title>Inspectors find cracks in Kessler bridge</title><link>/local/bridge-cracks</link>
<pubDate>Wed, 08 May 2024 15:30:00 +0200</pubDate></item>
</channel></rss>"""


def news_routes(base: str) -> dict[str, Route]:
    """The site: a cluttered article, a feed of two more, and the ways a fetch fails."""
    return {
        "/news/ferry-resumes": Route(ferry_page(base).encode("utf-8")),
        "/local/library-reopens": Route(library_page().encode("utf-8")),
        "/local/bridge-cracks": Route(bridge_page().encode("utf-8")),
        "/feed.xml": Route(rss_feed(base).encode("utf-8"), "application/rss+xml; charset=utf-8"),
        "/logo.png": Route(b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"),
        "/slow": Route(hang=True),
        "/archive.html": Route(b"<html><body>" + b"<p>Archive of every story.</p>" * 50_000 + b"</body></html>"),
    }


def news_site(port: int = 0) -> Site:
    """The news site on ``port`` (0: a free one), not started yet."""
    site = Site({}, port)
    site.routes.update(news_routes(site.base))
    return site


if __name__ == "__main__":  # pragma: no cover - for trying `qa ingest URL` by hand
    import sys

    site = news_site(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(f"serving {', '.join(site.url(p) for p in site.routes)}", flush=True)
    try:
        site.server.serve_forever()
    except KeyboardInterrupt:
        site.stop()
