"""The web UI's pure parts: rendering of answers and sources, tables, settings and launch options."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from qa import app
from qa.cli import _parser
from qa.config import Settings
from qa.errors import ConfigError
from qa.extractive import REFUSAL
from qa.types import Answer, Article, ArticleInfo, Citation, IngestReport, IngestResult

EVIL = (
    'Officials said <script>window.__xss=1</script> the repairs cost <img src=x onerror="window.__xss=2"> $42 million.'
)
TEXT = (
    "Harbor bridge repairs approved\n\n"
    "The council met on Monday. It voted late at night.\n\n"
    f"{EVIL} The vote was close [1].\n\n"
    "Work starts in May."
)


def _article(text: str = TEXT, **meta: str) -> Article:
    return Article(article_id="harbor", text=text, content_hash="h", **meta)  # type: ignore[arg-type]


def _citation(article: Article, quote: str, marker: int = 1, **extra: str) -> Citation:
    start = article.text.index(quote)
    return Citation(
        marker=marker,
        article_id=article.article_id,
        quote=quote,
        start=start,
        end=start + len(quote),
        title=article.title,
        source=article.source,
        published=article.published,
        **extra,  # type: ignore[arg-type]
    )


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _no_active_content(html: str) -> None:
    for tag, attrs in _Tags(html).tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").lower().startswith("javascript"), attrs


def _visible_text(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html.replace("<br>", "\n")))


# ---- escaping --------------------------------------------------------------------------------------


def test_esc_shows_quotes_apostrophes_and_ampersands_as_written() -> None:
    text = "O'Brien's \"sourdough\" & 12 <pies> #1 &amp; &#39; 5 > 3"
    out = app.esc(text)
    assert _visible_text(out) == text  # decoded once by the browser: exactly the text, no entity left over
    assert not re.search(r"[<>\"']", out)


def test_esc_leaves_no_markup_or_markdown() -> None:
    out = app.esc("<b>*bold* [x](javascript:alert(1)) `code` $$x$$ {{v}} ${v}</b>")
    assert not re.search(r"[<>*`\[\]{}$()]", out)
    assert _visible_text(out) == "<b>*bold* [x](javascript:alert(1)) `code` $$x$$ {{v}} ${v}</b>"


def test_card_escapes_script_and_onerror_and_marks_the_exact_quote() -> None:
    article = _article(title="Bridge <i>news</i>", source="The <b>Post</b>", published="2024-05-01T10:00")
    citation = _citation(article, EVIL)
    html = app.render_card(citation, article)
    _no_active_content(html)
    assert 'id="src-1"' in html
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert len(marked) == 1
    assert _visible_text(marked[0]) == EVIL
    text = _visible_text(html)
    assert "<script>window.__xss=1</script>" in text
    assert "Bridge <i>news</i>" in text and "The <b>Post</b>" in text and "2024-05-01 10:00" in text
    # the rest of the paragraph surrounds the mark; the article's own "[1]" is not a marker
    assert "The vote was close ⟦1⟧." in text
    assert "[1]" not in text
    assert "The council met" not in text  # another paragraph


def test_card_without_the_article_shows_the_quote_alone() -> None:
    article = _article()
    html = app.render_card(_citation(article, EVIL), None)
    assert _visible_text(re.findall(r"<mark>(.*?)</mark>", html)[0]) == EVIL
    _no_active_content(html)


def test_card_links_only_http_urls() -> None:
    article = _article()
    bad = Citation(1, "harbor", EVIL, 0, 1, url="javascript:alert(1)")
    good = Citation(2, "harbor", EVIL, 0, 1, url="https://example.com/a?b=1&c=2")
    assert "href" not in app.render_card(bad, article)
    links = [attrs for tag, attrs in _Tags(app.render_card(good, article)).tags if tag == "a"]
    assert [a["href"] for a in links] == ["https://example.com/a?b=1&c=2"]
    assert links[0]["rel"] == "noopener noreferrer nofollow"


def test_paragraph_around_cuts_long_context_at_words() -> None:
    text = "A " * 500 + "The quote. " + "b " * 500 + "\n\nNext paragraph."
    start = text.index("The quote.")
    before, quote, after = app.paragraph_around(text, start, start + len("The quote."), context=50)
    assert quote == "The quote."
    assert before.startswith("… ") and len(before) <= 53
    assert after.endswith(" …") and "Next" not in after


# ---- the answer in the chat ------------------------------------------------------------------------


def _answer(article: Article) -> Answer:
    quote = EVIL
    citation = _citation(article, quote, figure="$42 million", claimant="Officials")
    text = f"$42 million [1].\n• “{quote} The vote was close [1].” [1]"
    return Answer(question="How much?", text=text, refused=False, conflict=False, citations=[citation], short="$42m")


def test_answer_links_markers_and_escapes_quotes() -> None:
    article = _article(title="Bridge")
    # the quote itself carries a marker-like "[2]": it must stay text
    answer = _answer(article)
    answer = Answer(**{**answer.__dict__, "text": answer.text.replace("close [1]", "close [2]")})
    html = app.render_answer(answer)
    _no_active_content(html)
    links = re.findall(r'<a class="qa-cite" href="#src-(\d+)"', html)
    assert links == ["1", "1"]
    text = _visible_text(html)
    assert "<script>window.__xss=1</script>" in text
    assert text.count("[1]") == 2


def test_markers_inside_quotes_are_neutralised() -> None:
    article = _article()
    quote = "The vote was close [1]."
    citation = _citation(article, quote)
    answer = Answer("q", f"• “{quote}” [1]", refused=False, conflict=False, citations=[citation])
    html = app.render_answer(answer)
    assert len(re.findall(r"<a class=\"qa-cite\"", html)) == 1
    assert "close ⟦1⟧." in _visible_text(html)


def test_streamed_pieces_join_to_the_answer() -> None:
    answer = _answer(_article())
    pieces = app.answer_pieces(answer)
    assert len(pieces) > 5
    assert app.render_answer(answer) == '<div class="qa-answer">' + "".join(pieces) + "</div>"
    for i in range(1, len(pieces)):  # every prefix is whole HTML: no half tag or entity
        prefix = "".join(pieces[:i])
        assert prefix.count("<a ") == prefix.count("</a>")
        assert not re.search(r"&[#\w]*$", prefix)


def test_hidden_markers_are_not_links() -> None:
    article = _article()
    c1 = _citation(article, "The council met on Monday.", 1)
    c2 = _citation(article, "Work starts in May.", 2)
    answer = Answer("q", "Monday [1][2].", refused=False, conflict=False, citations=[c1, c2])
    html = app.render_answer(answer, shown=1)
    assert 'href="#src-1"' in html and 'href="#src-2"' not in html and "qa-cite-hidden" in html
    panel = app.render_sources(answer, {"harbor": article}, shown=1)
    assert 'id="src-1"' in panel and 'id="src-2"' not in panel and "1 of 2" in panel


def test_follow_up_is_shown_as_understood() -> None:
    answer = Answer("And the cost?", "x", refused=True, conflict=False, standalone="What did <it> cost?")
    assert "Understood as: What did &lt;it&gt; cost?" in app.render_answer(answer)


def test_user_question_and_errors_are_one_escaped_line() -> None:
    assert "<img" not in app.render_user("<img src=x onerror=alert(1)>")
    err = app.render_error("no articles in /tmp/x - add some\nwith 'qa ingest'")
    assert "\n" not in err and "Traceback" not in err and "no articles in /tmp/x" in _visible_text(err)


# ---- the sources panel -----------------------------------------------------------------------------


def test_sources_panel_has_a_card_per_citation() -> None:
    article = _article(title="Bridge", source="Gazette", published="2024-05-01")
    answer = _answer(article)
    html = app.render_sources(answer, {"harbor": article})
    _no_active_content(html)
    assert html.count('class="qa-card"') == 1
    assert "Gazette · 2024-05-01" in _visible_text(html) and "<mark>" in html
    assert "disagree" not in html


def test_conflict_notice_lists_figure_claimant_and_article() -> None:
    a = Article("a", "Police said 12 people died.", "h1", title="Paper A", source="Outlet A")
    b = Article("b", "Medics said 20 people died.", "h2", title="Paper <B>", source="Outlet B")
    c1 = _citation(a, a.text, 1, figure="12", claimant="Police")
    c2 = _citation(b, b.text, 2, figure="20", claimant="Medics")
    answer = Answer("How many died?", "The articles disagree: 12 or 20.", False, True, [c1, c2], short="12 or 20")
    html = app.render_sources(answer, {"a": a, "b": b})
    _no_active_content(html)
    notice = re.search(r'<div class="qa-notice qa-conflict".*?</ul></div>', html)
    assert notice
    text = _visible_text(notice.group(0))
    assert "The articles disagree" in text
    assert "12 — Police, in Paper A (Outlet A)" in text
    assert "20 — Medics, in Paper <B> (Outlet B)" in text
    assert html.count('class="qa-card"') == 2


def test_refusal_is_a_calm_notice() -> None:
    answer = Answer("What is the capital of France?", REFUSAL, refused=True, conflict=False)
    html = app.render_sources(answer, {})
    assert "Not in the articles" in html and "qa-error" not in html and "qa-card" not in html
    assert "qa-refused" in app.render_answer(answer)


def test_empty_panel_before_any_answer() -> None:
    assert app.render_sources(None, {}) == app.EMPTY_SOURCES


def test_history_turn_uses_the_short_answer_or_first_line() -> None:
    short = Answer("q", "500 soldiers [1].\n• quote", False, False, short="500")
    assert app.history_turn("How many?", short) == ("How many?", "500")
    assert app.history_turn("Who?", Answer("q", REFUSAL, True, False)) == ("Who?", REFUSAL)


# ---- tables ----------------------------------------------------------------------------------------


def test_report_rows_hide_temporary_folders() -> None:
    tmp = "/tmp/gradio/abc123/notes.pdf"
    report = IngestReport(
        [
            IngestResult("/tmp/gradio/x1/a.txt", "added", "a", chunks=3),
            IngestResult(tmp, "rejected", reason=f"{tmp}: unsupported file type '.pdf' - use one of .txt"),
            IngestResult("/tmp/gradio/x2/b.jsonl#2", "unchanged", "b", chunks=1),
        ]
    )
    rows = app.report_rows(report)
    assert rows[0] == ["a.txt", "added", "3 chunks, id a"]
    assert rows[1] == ["notes.pdf", "rejected", "notes.pdf: unsupported file type '.pdf' - use one of .txt"]
    assert rows[2][0] == "b.jsonl#2"


def _info(i: int, title: str | None, **meta: str) -> ArticleInfo:
    fields = {"source": None, "published": None, "url": None, "path": f"/data/{i:04d}.txt", **meta}
    return ArticleInfo(f"a{i:04d}", title, chunks=2, content_hash=f"h{i}", **fields)  # type: ignore[arg-type]


def test_find_articles_searches_title_outlet_id_and_file() -> None:
    articles = [_info(i, f"Story {i}", source="Gazette", added=f"2026-01-01T00:{i % 60:02d}") for i in range(45)]
    articles.append(_info(45, "O'Brien's bakery wins", source="The Post", path="/up/obrien.txt"))
    assert [a.article_id for a in app.find_articles(articles, "o'brien's", "Newest added", 0).articles] == ["a0045"]
    assert app.find_articles(articles, "BAKERY post", "Newest added", 0).matches == 1  # every word, any field
    assert app.find_articles(articles, "obrien.txt", "Newest added", 0).matches == 1  # the file name
    assert app.find_articles(articles, "a0007", "Newest added", 0).articles[0].title == "Story 7"
    assert app.find_articles(articles, "nothing like it", "Newest added", 0).matches == 0
    everything = app.find_articles(articles, "  ", "Newest added", 0)
    assert (everything.matches, everything.total, everything.pages, len(everything.articles)) == (46, 46, 3, 20)


def test_find_articles_sorts_newest_first_and_pages() -> None:
    articles = [
        _info(1, "Old", published="2019-01-01", added="2026-03-01T10:00:00+00:00"),
        _info(2, "New", published="2024-05-01", added="2026-03-01T09:00:00+00:00"),
        _info(3, "Undated", added="2026-03-02T08:00:00+00:00"),
        _info(4, "Before the field", published="2020-01-01"),
    ]
    ids = [a.article_id for a in app.find_articles(articles, "", "Newest added", 0).articles]
    assert ids == ["a0003", "a0001", "a0002", "a0004"]  # just uploaded first; never-dated last
    same_batch = [_info(i, f"T{i}", added="2026-03-01T10:00:00+00:00") for i in range(3)]
    ids = [a.article_id for a in app.find_articles(same_batch, "", "Newest added", 0).articles]
    assert ids == ["a0002", "a0001", "a0000"]  # a batch's last file first
    ids = [a.article_id for a in app.find_articles(articles, "", "Newest published", 0).articles]
    assert ids == ["a0002", "a0004", "a0001", "a0003"]
    ids = [a.article_id for a in app.find_articles(articles, "", "Title A-Z", 0).articles]
    assert ids == ["a0004", "a0002", "a0001", "a0003"]
    many = [_info(i, f"T{i}") for i in range(41)]
    last = app.find_articles(many, "", "Title A-Z", 99)  # past the end: the last page
    assert (last.page, last.pages, len(last.articles), last.first) == (2, 3, 1, 41)
    assert app.find_articles(many, "", "Title A-Z", -3).page == 0


def test_article_view_text_is_escaped_and_counted() -> None:
    evil = _info(1, "O'Brien's \"sourdough\" <script>x()</script> & 12", source="Bake & <b>Co</b>")
    view = app.find_articles([evil, _info(2, None)], "", "Title A-Z", 0)
    table = app.render_article_table(view)
    _no_active_content(table)
    assert "O'Brien's \"sourdough\" <script>x()</script> & 12" in _visible_text(table)
    assert "Bake & <b>Co</b>" in _visible_text(table) and "0002.txt" in _visible_text(table)  # no outlet: the file
    assert _visible_text(app.render_count(view, "")) == "2 articles stored · showing 1–2"
    found = app.find_articles([evil, _info(2, None)], "sourdough", "Title A-Z", 0)
    assert (
        _visible_text(app.render_count(found, "sourdough")) == "2 articles stored · 1 match “sourdough” · showing 1–1"
    )
    assert app.article_label(evil).endswith("— Bake & <b>Co</b> · a0001")
    assert app.article_label(_info(3, "Plain")) == "Plain · a0003"


def test_card_of_a_file_without_outlet_or_date_names_the_file() -> None:
    article = Article("notes", "The bridge opens in May.", "h", path="/tmp/gradio/x/bridge_notes.txt")
    citation = Citation(1, "notes", "The bridge opens in May.", 0, 24, path=article.path)
    meta = re.search(r'<div class="qa-meta">(.*?)</div>', app.render_card(citation, article))
    assert meta and _visible_text(meta.group(1)) == "bridge_notes.txt"
    dated = Citation(1, "notes", "The bridge opens in May.", 0, 24, published="2024-05-01", path=article.path)
    meta = re.search(r'<div class="qa-meta">(.*?)</div>', app.render_card(dated, article))
    assert meta and _visible_text(meta.group(1)) == "2024-05-01"


# ---- settings, launch options, the serve command ----------------------------------------------------


def test_serve_settings_defaults_and_env(tmp_path: object) -> None:
    s = Settings.from_env({"QA_HOME": "/tmp/h"})
    assert (s.host, s.port, s.auth, s.max_upload_mb) == ("127.0.0.1", 7860, None, s.max_file_mb)
    s = Settings.from_env({"GRADIO_SERVER_PORT": "7000", "QA_MAX_FILE_MB": "3"})
    assert s.port == 7000 and s.max_upload_mb == 3
    s = Settings.from_env({"GRADIO_SERVER_PORT": "7000", "QA_PORT": "8000", "QA_HOST": "0.0.0.0"})
    assert (s.host, s.port) == ("0.0.0.0", 8000)
    s = Settings.from_env({"QA_AUTH": "alice:pa:ss", "QA_MAX_UPLOAD_MB": "7"})
    assert s.auth == ("alice", "pa:ss") and s.max_upload_mb == 7
    assert "pa:ss" not in repr(s)
    for bad in ({"QA_AUTH": "alice"}, {"QA_AUTH": ":x"}, {"QA_PORT": "70000"}, {"QA_PORT": "http"}):
        with pytest.raises(ConfigError):
            Settings.from_env(bad)


def test_launch_options() -> None:
    s = Settings.from_env({"QA_AUTH": "alice:secret", "QA_MAX_UPLOAD_MB": "2", "QA_PORT": "7999"})
    opts = app.launch_options(s)
    assert opts["server_name"] == "127.0.0.1" and opts["server_port"] == 7999 and opts["share"] is False
    assert opts["auth"] == ("alice", "secret") and opts["max_file_size"] == 2 * 1024 * 1024
    opts = app.launch_options(Settings.from_env({}), host="0.0.0.0", port=8001)
    assert (opts["server_name"], opts["server_port"], opts["auth"]) == ("0.0.0.0", 8001, None)


def test_serve_command_is_parsed() -> None:
    args = _parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8123", "--samples"])
    assert (args.command, args.host, args.port, args.samples) == ("serve", "0.0.0.0", 8123, True)
    args = _parser().parse_args(["serve"])
    assert (args.host, args.port, args.samples) == (None, None, False)


def test_gradio_is_imported_only_by_the_ui() -> None:
    code = "import sys, qa.cli, qa.app, qa.assistant; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_qa_serve_serves_until_ctrl_c(tmp_path: object) -> None:
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "serve", "--samples", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
        # a test run started in the background ignores SIGINT, and a child would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, f"qa serve exited early: {''.join(lines)}"
            lines.append(line)
            if "serving on" in line:
                break
        assert f"newsqa is serving on http://127.0.0.1:{port}" in "".join(lines)
        assert "samples: 2 added" in "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=30) as response:
            assert response.status == 200
        time.sleep(0.5)
        assert proc.poll() is None  # still serving
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_refusal_shows_what_was_not_found() -> None:
    answer = Answer("Who won?", REFUSAL, refused=True, conflict=False, notes=["not in the articles: “World Cup”"])
    shown = html.unescape(app.render_answer(answer))
    assert '<div class="qa-note">Not in the articles: “World Cup”.</div>' in shown
