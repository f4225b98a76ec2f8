"""The web UI: a Gradio chat whose every citation can be checked at a glance.

:func:`build_app` returns a ``gradio.Blocks`` (mount it anywhere); :func:`serve`
launches it for ``qa serve``. This is the only module that imports gradio, and
only inside those two functions, so importing it is cheap.

Everything that came from an article (quotes, titles, outlets, paragraphs) is
data: it is HTML-escaped, markdown and template characters included, and
marker-like "[1]" strings in it are neutralised so they cannot pass for ours.
The render helpers are pure functions of the core's values, tested on their own.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from qa.errors import QAError
from qa.hygiene import neutralise_markers
from qa.progress import IngestProgress, describe
from qa.types import Answer, Article, ArticleInfo, Citation, IngestReport

if TYPE_CHECKING:
    import gradio as gr

    from qa.assistant import Assistant
    from qa.config import Settings

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".json", ".jsonl")  # what qa.loaders reads
CONTEXT_CHARS = 600  # at most this much of the paragraph is shown on each side of a quote
STREAM_WORDS = 4  # words per streamed chunk of an answer
STREAM_DELAY = 0.02  # seconds between streamed chunks

# Characters that mean something to HTML, Markdown, KaTeX or the HTML component's templates,
# written as entities so that article text is only ever text. One pass over the text: an entity
# written here is never escaped again (escaping "'" to "&#x27;" and then its "#" showed "&#x27;").
_ENTITIES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
    | {c: f"&#{ord(c)};" for c in "`*_[]{}$~\\|#!()+-=:"}
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_WORDS = re.compile(r"\S+\s*|\s+")


# ---------------------------------------------------------------------------------------- rendering


def esc(text: str | None) -> str:
    """``text`` as inert HTML: escaped for HTML, Markdown and templates alike."""
    return (text or "").translate(_ENTITIES)


def _data(text: str | None) -> str:
    """Article data (title, outlet, claimant, figure) as inert HTML, its marker-like "[1]" neutralised."""
    return esc(neutralise_markers(text or ""))


def _esc_words(text: str) -> list[str]:
    """``text`` split into escaped pieces (a word and its trailing space); newlines become <br>."""
    pieces = []
    for m in _WORDS.finditer(text):
        word = m.group(0)
        stripped = word.rstrip()
        space = word[len(stripped) :]
        br = "<br>" * space.count("\n") or (" " if space else "")
        pieces.append(esc(stripped) + br)
    return pieces


def _protected_spans(text: str, citations: Sequence[Citation]) -> list[tuple[int, int]]:
    """Where ``text`` repeats article data (quotes, titles, outlets, claimants, figures)."""
    spans: list[tuple[int, int]] = []
    for c in citations:
        for value in (c.quote, c.title, c.source, c.claimant, c.figure, c.published):
            if not value or len(value) < 3:
                continue
            at = text.find(value)
            while at != -1:
                spans.append((at, at + len(value)))
                at = text.find(value, at + len(value))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _cite_link(marker: int, citation: Citation | None, shown: int) -> str:
    label = f"&#91;{marker}&#93;"
    if citation is None:
        return label
    title = _data(citation.title or citation.article_id)
    if marker > shown:
        hint = f"{title} (hidden: raise &#39;Sources shown&#39; to see it)"
        return f'<span class="qa-cite qa-cite-hidden" title="{hint}">{label}</span>'
    return f'<a class="qa-cite" href="#src-{marker}" title="{title}">{label}</a>'


def answer_pieces(answer: Answer, shown: int | None = None) -> list[str]:
    """The answer text as self-contained HTML pieces (words and marker links), for streaming.

    Markers ``[n]`` written by the core become links to the source card ``#src-n``;
    marker-like strings inside article data are neutralised and stay text.
    """
    from qa.citations import MARKER_RE  # here, not at the top: it brings the whole evidence path into the import

    text = answer.text
    by_marker = {c.marker: c for c in answer.citations}
    limit = len(answer.citations) if shown is None else shown
    pieces: list[str] = []
    at = 0
    for start, end in [*_protected_spans(text, answer.citations), (len(text), len(text))]:
        plain = text[at:start]
        pos = 0
        for m in MARKER_RE.finditer(plain):
            marker = int(m.group(1))
            if marker not in by_marker:
                continue
            pieces += _esc_words(plain[pos : m.start()])
            pieces.append(_cite_link(marker, by_marker[marker], limit))
            pos = m.end()
        pieces += _esc_words(plain[pos:])
        pieces += _esc_words(neutralise_markers(text[start:end]))
        at = end
    return pieces


def render_answer(answer: Answer, shown: int | None = None) -> str:
    """The chat message for an answer: escaped text with linked markers."""
    cls = "qa-answer qa-refused" if answer.refused else "qa-answer"
    body = "".join(answer_pieces(answer, shown))
    if answer.standalone:
        body = f'<div class="qa-understood">Understood as: {esc(answer.standalone)}</div>' + body
    if answer.refused and answer.notes:  # what was not found ("not in the articles: “Australia”")
        body += "".join(f'<div class="qa-note">{esc(note[:1].upper() + note[1:])}.</div>' for note in answer.notes)
    return f'<div class="{cls}">{body}</div>'


def render_user(question: str) -> str:
    """The chat message for a question, shown exactly as typed."""
    return '<div class="qa-question">' + "".join(_esc_words(question)) + "</div>"


def render_error(message: str) -> str:
    """A one-line error in the chat (never a traceback)."""
    line = " ".join(message.split())
    return f'<div class="qa-error" role="alert">&#9888; {esc(line)}</div>'


def paragraph_around(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after): the paragraph of ``text`` holding ``text[start:end]``.

    Paragraphs are separated by blank lines; at most ``context`` characters are
    kept on each side, cut at a word boundary and marked with an ellipsis.
    """
    p_start = 0
    for m in _BLANK_LINE.finditer(text, 0, start):
        p_start = m.end()
    found = _BLANK_LINE.search(text, end)
    p_end = found.start() if found else len(text)
    before, after = text[p_start:start], text[end:p_end]
    if len(before) > context:
        cut = before[-context:]
        before = "… " + cut[cut.find(" ") + 1 :] if " " in cut else "… " + cut
    if len(after) > context:
        cut = after[:context]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"
    return before.lstrip(), text[start:end], after.rstrip()


def _date(published: str | None) -> str | None:
    return published.replace("T", " ") if published else None


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _text(value: str) -> str:
    """Article text for the sources panel: escaped, line breaks kept, markers neutralised."""
    return esc(neutralise_markers(value)).replace("\n", "<br>")


def render_card(citation: Citation, article: Article | None) -> str:
    """One source card (``id="src-n"``): marker, title, outlet, date, the quote marked in its paragraph."""
    c = citation
    if article is not None and article.text[c.start : c.end] == c.quote:
        before, quote, after = paragraph_around(article.text, c.start, c.end)
    else:  # the article was removed or changed since the answer: show the quote alone
        before, quote, after = "", c.quote, ""
    meta = [f'<span class="qa-outlet">{_data(c.source)}</span>' if c.source else "", esc(_date(c.published))]
    url = _safe_url(c.url)
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">original</a>')
    if not c.source and not c.published:  # a plain text file: its name says more than "unknown"
        meta.insert(0, f'<span class="qa-file">{esc(file_name(c.path) or c.article_id)}</span>')
    meta_html = " &middot; ".join(m for m in meta if m)
    said = ""
    if c.figure:
        who = f" &mdash; {_data(c.claimant)}" if c.claimant else ""
        said = f'<div class="qa-says">says <b>{_data(c.figure)}</b>{who}</div>'
    return (
        f'<article class="qa-card" id="src-{c.marker}">'
        f'<header><span class="qa-marker">{c.marker}</span>'
        f'<div><div class="qa-title">{_data(c.title or c.article_id)}</div>'
        f'<div class="qa-meta">{meta_html}</div></div></header>'
        f"{said}"
        f'<blockquote class="qa-context">{_text(before)}<mark>{_text(quote)}</mark>{_text(after)}</blockquote>'
        f'<footer class="qa-loc">{esc(c.article_id)} &middot; characters {c.start}&ndash;{c.end}</footer>'
        "</article>"
    )


def render_conflict(answer: Answer) -> str:
    """The "articles disagree" notice: each figure, who gives it and where."""
    items = []
    for c in answer.citations:
        figure = _data(c.figure) if c.figure else "(no figure)"
        who = f" &mdash; {_data(c.claimant)}" if c.claimant else ""
        where = _data(c.title or c.article_id) + (f" ({_data(c.source)})" if c.source else "")
        items.append(f'<li><a href="#src-{c.marker}">&#91;{c.marker}&#93;</a> <b>{figure}</b>{who}, in {where}</li>')
    return (
        '<div class="qa-notice qa-conflict" role="status"><div class="qa-notice-title">The articles disagree</div>'
        "<p>They give different answers; each is quoted below so you can weigh them.</p>"
        f"<ul>{''.join(items)}</ul></div>"
    )


EMPTY_SOURCES = (
    '<div class="qa-sources"><div class="qa-empty"><div class="qa-empty-title">Sources</div>'
    "<p>Ask a question: every sentence the answer relies on appears here, highlighted in its paragraph, "
    "with the article&#39;s title, outlet and date.</p></div></div>"
)


def render_sources(answer: Answer | None, articles: Mapping[str, Article], shown: int | None = None) -> str:
    """The sources panel for ``answer``: notices, then one card per shown citation."""
    if answer is None:
        return EMPTY_SOURCES
    if answer.refused:
        return (
            '<div class="qa-sources"><div class="qa-notice qa-refusal" role="status">'
            '<div class="qa-notice-title">Not in the articles</div>'
            "<p>None of the stored articles answers this question, so nothing is cited. "
            "Try other words, or add articles in the Articles tab.</p></div></div>"
        )
    limit = len(answer.citations) if shown is None else max(shown, 0)
    parts = ['<div class="qa-sources">']
    if answer.conflict:
        parts.append(render_conflict(answer))
    cited = answer.citations[:limit]
    count = f"{len(cited)} of {len(answer.citations)}" if len(cited) < len(answer.citations) else f"{len(cited)}"
    parts.append(f'<div class="qa-sources-head">Sources <span>{count}</span></div>')
    parts += [render_card(c, articles.get(c.article_id)) for c in cited]
    parts.append("</div>")
    return "".join(parts)


def history_turn(question: str, answer: Answer) -> tuple[str, str]:
    """The (question, answer) pair a follow-up is resolved against."""
    first = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
    return question, answer.short or first


def _shown_name(path: str) -> str:
    """An uploaded file's own name (uploads sit in a temporary folder); keeps a '#N' record suffix."""
    head, sep, record = path.partition("#")
    return Path(head).name + (sep + record if sep else "")


def report_rows(report: IngestReport) -> list[list[str]]:
    """Rows of the upload table: file, status, reason (temporary folders left out)."""
    rows = []
    for r in report.results:
        name = _shown_name(r.path)
        reason = r.reason or ""
        head = r.path.partition("#")[0]
        if head:
            reason = reason.replace(head, Path(head).name)
        if not reason and r.status != "rejected":
            reason = f"{r.chunks} chunks, id {r.article_id}"
        rows.append([name, r.status, reason])
    return rows


# ---------------------------------------------------------------------------------------- articles view

PAGE_SIZE = 20  # articles per page of the Articles view
SORTS = ("Newest added", "Newest published", "Title A-Z")


@dataclass(frozen=True)
class ArticlePage:
    """One page of the stored articles that match a search."""

    articles: list[ArticleInfo]  # this page's
    matches: int  # articles that match the search
    total: int  # articles stored
    page: int  # 0-based, within range
    pages: int  # at least 1

    @property
    def first(self) -> int:
        """1-based position of this page's first article among the matches (0 when none)."""
        return self.page * PAGE_SIZE + 1 if self.articles else 0


def file_name(path: str | None) -> str | None:
    """The file an article came from, without its folder (a record keeps its '#N')."""
    return _shown_name(path) if path else None


def _haystack(a: ArticleInfo) -> str:
    return " ".join(x for x in (a.title, a.source, a.article_id, file_name(a.path)) if x).casefold()


def find_articles(articles: Sequence[ArticleInfo], query: str, sort: str, page: int) -> ArticlePage:
    """The ``page`` of ``articles`` whose title, outlet, id or file name hold every word of ``query``."""
    words = (query or "").casefold().split()
    found = [a for a in articles if all(w in _haystack(a) for w in words)] if words else list(articles)
    if sort == "Newest published":  # undated articles last
        found.sort(key=lambda a: a.article_id)
        found.sort(key=lambda a: a.published or "", reverse=True)
    elif sort == "Title A-Z":
        found.sort(key=lambda a: ((a.title or a.article_id).casefold(), a.article_id))
    else:  # newest added first: what was just uploaded is on top (a batch's last file first)
        found.sort(key=lambda a: (a.added or "", a.article_id), reverse=True)
    pages = max((len(found) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    return ArticlePage(found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], len(found), len(articles), page, pages)


def article_label(a: ArticleInfo) -> str:
    """How an article is named where one is chosen: title, outlet, date, id."""
    details = ", ".join(x for x in (a.source, _date(a.published)) if x)
    return f"{a.title or '(untitled)'}" + (f" — {details}" if details else "") + f" · {a.article_id}"


def _added(added: str | None) -> str:
    """When an article was written, to the minute (UTC)."""
    return (added or "")[:16].replace("T", " ")


def render_count(view: ArticlePage, query: str) -> str:
    """The line above the table: how many are stored, how many match, which are shown."""
    stored = f"<b>{view.total:,}</b> article{'s' if view.total != 1 else ''} stored"
    if not view.total:
        return f'<div class="qa-count">{stored} - add some above.</div>'
    shown = f"showing {view.first:,}&ndash;{view.first + len(view.articles) - 1:,}" if view.articles else ""
    if (query or "").strip():
        found = f"{view.matches:,} match &ldquo;{esc(query.strip())}&rdquo;"
        return f'<div class="qa-count">{stored} &middot; {found}' + (f" &middot; {shown}" if shown else "") + "</div>"
    return f'<div class="qa-count">{stored} &middot; {shown}</div>'


def render_article_table(view: ArticlePage) -> str:
    """This page's articles: title, outlet, published, added, id and file, chunks; all of it escaped."""
    if not view.articles:
        empty = "No article matches." if view.total else "No articles yet."
        return f'<div class="qa-articles-empty">{empty}</div>'
    rows = []
    for a in view.articles:
        source = esc(a.source) if a.source else f'<span class="qa-dim">{esc(file_name(a.path) or "no outlet")}</span>'
        rows.append(
            f'<tr data-id="{esc(a.article_id)}"><td class="qa-col-title">{_data(a.title or "(untitled)")}</td>'
            f"<td>{source}</td><td>{esc(_date(a.published) or '')}</td><td>{esc(_added(a.added))}</td>"
            f'<td class="qa-col-id">{esc(a.article_id)}</td><td class="qa-num">{a.chunks}</td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ("Title", "Outlet", "Published", "Added", "ID", "Chunks"))
    return f'<table class="qa-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_progress(event: IngestProgress) -> str:
    """The upload's progress: the stage with counts and the time left, and a bar."""
    fraction = event.fraction
    bar = (
        f'<progress max="1000" value="{int(fraction * 1000)}"></progress>'
        if fraction is not None and event.stage not in ("opening",)
        else "<progress></progress>"
    )
    return f'<div class="qa-progress" role="status"><div>{esc(describe(event))}</div>{bar}</div>'


# ---------------------------------------------------------------------------------------- the app

CSS = """
.qa-head h1 { font-size: 1.5rem; margin: 0 0 .15rem 0; }
.qa-head p { margin: 0; color: var(--body-text-color-subdued); }
.qa-answer, .qa-question { line-height: 1.55; }
.qa-understood { font-size: .85em; color: var(--body-text-color-subdued); margin-bottom: .35rem; }
.qa-note { font-size: .85em; color: var(--body-text-color-subdued); margin-top: .35rem; }
.qa-answer a.qa-cite, .qa-answer span.qa-cite, .qa-conflict a { font-weight: 600; padding: 0 1px;
  border-radius: 3px; color: var(--color-accent) !important; text-decoration: none !important; cursor: pointer; }
.qa-answer a.qa-cite:hover { background: var(--color-accent-soft); }
.qa-answer span.qa-cite-hidden { color: var(--body-text-color-subdued) !important; cursor: help; }
.qa-error { color: var(--error-text-color, #b91c1c); }
.qa-sources { display: flex; flex-direction: column; gap: .75rem; }
.qa-sources-head { font-weight: 600; font-size: 1.05rem; }
.qa-sources-head span { font-weight: 400; color: var(--body-text-color-subdued); font-size: .9em; }
.qa-empty, .qa-notice { border: 1px dashed var(--border-color-primary); border-radius: 10px; padding: .9rem 1rem; }
.qa-empty-title, .qa-notice-title { font-weight: 600; margin-bottom: .3rem; }
.qa-empty p, .qa-notice p { margin: 0; color: var(--body-text-color-subdued); }
.qa-refusal { border-style: solid; background: var(--background-fill-secondary); }
.qa-conflict { border: 1px solid #d97706; background: rgba(217, 119, 6, .08); }
.qa-conflict .qa-notice-title { color: #b45309; }
.qa-conflict ul { margin: .5rem 0 0 1.1rem; padding: 0; }
.qa-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .8rem 1rem;
  background: var(--background-fill-primary); scroll-margin-top: 1rem; transition: box-shadow .3s; }
.qa-card.qa-flash { box-shadow: 0 0 0 3px var(--color-accent); }
.qa-card header { display: flex; gap: .65rem; align-items: flex-start; }
.qa-marker { flex: none; min-width: 1.6rem; height: 1.6rem; border-radius: 50%; background: var(--color-accent);
  color: white; font-weight: 700; font-size: .85rem; display: flex; align-items: center; justify-content: center; }
.qa-title { font-weight: 600; line-height: 1.3; }
.qa-meta { font-size: .85rem; color: var(--body-text-color-subdued); }
.qa-outlet { font-style: italic; }
.qa-says { font-size: .85rem; margin-top: .35rem; }
.qa-sources .qa-context { margin: .6rem 0 .3rem 0; padding: 0 0 0 .75rem;
  border-left: 3px solid var(--border-color-primary); font-size: .92rem; line-height: 1.5;
  color: var(--body-text-color); }
.qa-context mark { background: #fde68a; color: #1f2937; padding: 1px 2px; border-radius: 2px; }
.qa-loc { font-size: .75rem; color: var(--body-text-color-subdued); font-family: var(--font-mono); }
.qa-h3 { margin: .8rem 0 0 0; font-size: 1.1rem; }
.qa-count { color: var(--body-text-color-subdued); }
.qa-count b { color: var(--body-text-color); }
.qa-table { width: 100%; border-collapse: collapse; font-size: .9rem; }
.qa-table th { text-align: left; font-weight: 600; border-bottom: 2px solid var(--border-color-primary);
  padding: .35rem .5rem; }
.qa-table th, .qa-table td { border: none !important; }
.qa-table td { border-bottom: 1px solid var(--border-color-primary) !important; padding: .35rem .5rem;
  vertical-align: top; }
.qa-table .qa-col-title { font-weight: 500; width: 42%; }
.qa-table .qa-col-id { font-family: var(--font-mono); font-size: .8rem; word-break: break-all; }
.qa-table .qa-num { text-align: right; }
.qa-dim, .qa-articles-empty { color: var(--body-text-color-subdued); }
#qa-page { text-align: center; align-self: center; }
.qa-progress progress { width: 100%; height: .6rem; }
.qa-done { color: var(--body-text-color); }
.qa-confirm-text { padding: .6rem .8rem; }
"""

# Marker links scroll the sources panel to their card (and flash it) instead of leaving the page.
_CITE_JS = """
if (!window.__qaCiteNav) {
  window.__qaCiteNav = true;
  document.addEventListener('click', function (event) {
    const link = event.target.closest ? event.target.closest('a.qa-cite, .qa-conflict a') : null;
    if (!link) return;
    const id = (link.getAttribute('href') || '').replace(/^#/, '');
    const card = id ? document.getElementById(id) : null;
    if (!card) return;
    event.preventDefault();
    event.stopPropagation();
    card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
    card.classList.add('qa-flash');
    setTimeout(function () { card.classList.remove('qa-flash'); }, 1200);
  }, true);
}
"""

_HEADER = (
    f"<style>{CSS}</style>"
    '<div class="qa-head"><h1>newsqa</h1>'
    "<p>Answers from your news articles, quoted word for word. Click a marker such as "
    "<b>&#91;1&#93;</b> to see the sentence in its article.</p></div>"
)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat UI over ``assistant``: a chat column, a sources panel and an Articles tab."""
    import gradio as gr

    settings = assistant.settings
    top_k = max(settings.top_k, 1)
    limit_mb = settings.max_upload_mb

    def fetch_articles(answer: Answer) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for c in answer.citations:
            if c.article_id not in found:
                with contextlib.suppress(QAError):  # removed since: the card shows the quote alone
                    found[c.article_id] = assistant.article(c.article_id)
        return found

    def respond(
        message: str, chat: list[Any], turns: list[tuple[str, str]], shown: float, mode: str = "extractive"
    ) -> Iterator[tuple[Any, ...]]:
        chat = [*(chat or []), {"role": "user", "content": render_user(message or "")}]
        turns = list(turns or [])
        keep = gr.update()
        n = int(shown)
        answer: Answer | None = None
        try:
            if mode == "llm":
                # the model's words appear as they arrive; the checked answer replaces them at the end
                chat.append({"role": "assistant", "content": ""})
                written = ""
                for event in assistant.stream(message or "", history=turns, mode="llm"):
                    if event.answer is not None:
                        answer = event.answer
                        break
                    written += event.delta
                    chat[-1] = {
                        "role": "assistant",
                        "content": f'<div class="qa-answer qa-streaming">{esc(written)}</div>',
                    }
                    yield "", chat, turns, keep, keep
                chat.pop()
            else:
                answer = assistant.ask(message or "", history=turns, mode="extractive")
        except QAError as exc:
            chat.append({"role": "assistant", "content": render_error(str(exc))})
            yield "", chat, turns, keep, keep
            return
        except Exception as exc:  # a bug: keep the traceback in the log, show one line
            log.exception("answering %r failed", message)
            chat.append({"role": "assistant", "content": render_error(f"internal error: {type(exc).__name__}: {exc}")})
            yield "", chat, turns, keep, keep
            return
        if answer is None:  # the stream ended without an answer: a bug in the core
            chat.append({"role": "assistant", "content": render_error("internal error: no answer came back")})
            yield "", chat, turns, keep, keep
            return
        pieces = answer_pieces(answer, n)
        chat.append({"role": "assistant", "content": ""})
        for i in range(STREAM_WORDS, len(pieces), STREAM_WORDS):
            chat[-1] = {
                "role": "assistant",
                "content": '<div class="qa-answer qa-streaming">' + "".join(pieces[:i]) + "</div>",
            }
            yield "", chat, turns, keep, keep
            time.sleep(STREAM_DELAY)
        chat[-1] = {"role": "assistant", "content": render_answer(answer, n)}
        turns.append(history_turn(message.strip(), answer))
        yield "", chat, turns, answer, render_sources(answer, fetch_articles(answer), n)

    def reshow(answer: Answer | None, shown: float) -> str:
        if answer is None:
            return EMPTY_SOURCES
        return render_sources(answer, fetch_articles(answer), int(shown))

    def new_conversation() -> tuple[Any, ...]:
        return [], [], None, EMPTY_SOURCES, ""

    # The Articles view. The list is read once per store generation (a write or removal changes it),
    # so searching, sorting and paging thousands of articles never go back to the store.
    listed: dict[str, Any] = {"generation": None, "articles": []}
    last_upload: dict[str, Any] = {"rows": [], "summary": ""}  # shown again after a reload

    def stored_articles() -> list[ArticleInfo]:
        generation = assistant.generation()
        if listed["generation"] != generation or generation is None:
            listed["articles"] = assistant.list_articles()
            listed["generation"] = generation
        articles: list[ArticleInfo] = listed["articles"]
        return articles

    def view(query: str, sort: str, page: float, chosen: str | None = None) -> tuple[Any, ...]:
        """count, table, page label, previous, next, the article dropdown, the page number."""
        try:
            found = find_articles(stored_articles(), query, sort, int(page or 0))
        except QAError as exc:
            return render_error(str(exc)), "", "", gr.update(), gr.update(), gr.update(choices=[], value=None), 0
        choices = [(article_label(a), a.article_id) for a in found.articles]
        ids = [a.article_id for a in found.articles]
        value = chosen if chosen in ids else (ids[0] if len(ids) == 1 else None)
        return (
            render_count(found, query),
            render_article_table(found),
            f"Page {found.page + 1:,} of {found.pages:,}",
            gr.update(interactive=found.page > 0),
            gr.update(interactive=found.page + 1 < found.pages),
            gr.update(choices=choices, value=value),
            found.page,
        )

    hide = gr.update(visible=False)

    def browse(query: str, sort: str, page: float) -> tuple[Any, ...]:
        """A new search, sort or page: the view, the confirmation hidden, the status cleared."""
        return *view(query, sort, page), hide, ""

    def on_load(query: str, sort: str) -> tuple[Any, ...]:
        return *browse(query, sort, 0), last_upload["rows"], last_upload["summary"]

    def ask_removal(article_id: str | None) -> tuple[Any, ...]:
        """The confirmation naming the article, or why there is nothing to remove."""
        if not article_id:
            return hide, "", render_error("choose an article to remove first (search for it above)")
        chosen = next((a for a in stored_articles() if a.article_id == article_id), None)
        if chosen is None:
            return hide, "", render_error(f"article {article_id} is no longer stored")
        question = (
            f"Remove <b>&ldquo;{_data(chosen.title or '(untitled)')}&rdquo;</b> ({esc(chosen.article_id)}, "
            f"{chosen.chunks} chunk{'s' if chosen.chunks != 1 else ''})? It can no longer be cited; "
            "add its file again to bring it back."
        )
        return gr.update(visible=True), f'<div class="qa-confirm-text">{question}</div>', ""

    def remove(article_id: str | None, query: str, sort: str, page: float) -> tuple[Any, ...]:
        title = next((a.title for a in stored_articles() if a.article_id == article_id), None)
        try:
            if not article_id:
                raise QAError("choose an article to remove first")
            assistant.remove(article_id)
        except QAError as exc:
            return *view(query, sort, page), hide, render_error(str(exc))
        done = f"Removed &ldquo;{_data(title or '(untitled)')}&rdquo; ({esc(article_id)})."
        return *view(query, sort, page), hide, f'<div class="qa-done" role="status">{done}</div>'

    def upload(paths: list[str] | None, sort: str) -> Iterator[tuple[Any, ...]]:
        """Ingest the dropped files (the input is cleared at the end)."""
        yield from ingest_stream(list(paths or []), sort, None)

    def fetch(text: str | None, sort: str) -> Iterator[tuple[Any, ...]]:
        """Ingest the typed web addresses: article pages or RSS/Atom feeds."""
        urls = (text or "").split()
        bad = [u for u in urls if not re.match(r"https?://", u, re.IGNORECASE)]
        if bad:
            problem = render_error(f"{bad[0]} is not a web address - start it with http:// or https://")
            yield gr.update(), problem, gr.update(), gr.update(), *browse("", sort, 0)
            return
        yield from ingest_stream(urls, sort, "")

    def ingest_stream(paths: list[str], sort: str, cleared: str | None) -> Iterator[tuple[Any, ...]]:
        """Ingest ``paths``, telling the progress and each file's outcome as they come."""
        if not paths:
            yield gr.update(), gr.update(), gr.update(), gr.update(), *browse("", sort, 0)
            return
        events: queue.Queue[IngestProgress | BaseException | IngestReport] = queue.Queue()

        def work() -> None:
            try:
                events.put(assistant.ingest(list(paths), progress=events.put))
            except BaseException as exc:  # handed to the UI thread, shown as one line
                events.put(exc)

        threading.Thread(target=work, name="qa-upload", daemon=True).start()
        rows: list[list[str]] = []
        status = ""
        shown_at = 0.0
        while True:
            try:
                item = events.get(timeout=0.5)
            except queue.Empty:
                continue
            if isinstance(item, IngestReport):
                summary = f'<div class="qa-done" role="status">{esc(item.summary())}</div>'
                last_upload.update(rows=report_rows(item), summary=summary)
                yield last_upload["rows"], summary, cleared, "", *browse("", SORTS[0], 0)
                return
            if isinstance(item, BaseException):
                if not isinstance(item, QAError):
                    log.error("upload failed", exc_info=item)
                message = str(item) if isinstance(item, QAError) else f"internal error: {type(item).__name__}: {item}"
                yield rows, render_error(message), cleared, gr.update(), *browse("", sort, 0)
                return
            rows += report_rows(IngestReport(list(item.results)))
            status = render_progress(item)
            if item.results or time.monotonic() - shown_at >= 0.5 or item.stage != "reading":
                shown_at = time.monotonic()
                keep = gr.update()
                yield rows, status, keep, keep, keep, keep, keep, keep, keep, keep, keep, keep, keep

    with gr.Blocks(title="newsqa", analytics_enabled=False) as demo:
        gr.HTML(_HEADER, js_on_load=None, elem_id="qa-header")
        turns = gr.State([])
        last = gr.State(None)
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chat = gr.Chatbot(
                        label="Conversation",
                        elem_id="qa-chat",
                        height=500,
                        latex_delimiters=[],
                        feedback_options=None,
                        buttons=["copy"],
                        group_consecutive_messages=False,
                        placeholder="Ask about the stored articles, e.g. "
                        "*How many soldiers were besieged near al-Sukhna?*  \n"
                        "Follow-up questions work too.",
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            show_label=False,
                            placeholder="Ask a question about the articles…",
                            elem_id="qa-question",
                            scale=6,
                            lines=1,
                            max_lines=4,
                            autofocus=True,
                        )
                        ask = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="qa-ask")
                    with gr.Row():
                        clear = gr.Button("New conversation", size="sm", variant="secondary", scale=0)
                    with gr.Accordion("Settings", open=False):
                        shown = gr.Slider(
                            1,
                            max(top_k, 2),
                            value=top_k,
                            step=1,
                            label="Sources shown",
                            info=f"How many of an answer's citations get a card (an answer cites at most {top_k}, "
                            "QA_TOP_K).",
                        )
                        llm_ready = settings.answer_mode == "llm"
                        mode = gr.Radio(
                            ["extractive", "llm"] if llm_ready else ["extractive"],
                            value="llm" if llm_ready else "extractive",
                            label="Answer mode",
                            info="Extractive: the answer is quoted verbatim from the articles. LLM: written by "
                            f"{settings.llm_model if settings.llm_backend == 'openai' else 'the local model'}, every "
                            "sentence checked against what it cites (an answer that fails falls back to extractive)."
                            if llm_ready
                            else "Extractive: the answer is quoted verbatim from the articles. Set OPENAI_BASE_URL "
                            "(or QA_LLM_BACKEND=local) to let a language model write answers.",
                            interactive=llm_ready,
                        )
                with gr.Column(scale=2, min_width=360):
                    sources = gr.HTML(
                        EMPTY_SOURCES, elem_id="qa-sources", js_on_load=_CITE_JS, max_height=720, padding=False
                    )
            with gr.Tab("Articles", id="articles"):
                gr.Markdown(
                    f"Drop article files here (several at once): {', '.join(UPLOAD_TYPES)}, up to {limit_mb} MB "
                    "each. A file already stored under the same name is updated; unchanged files are skipped."
                )
                files = gr.File(
                    label="Add articles",
                    file_count="multiple",
                    type="filepath",
                    elem_id="qa-upload",
                    height=150,
                )
                with gr.Row(equal_height=True):
                    urls = gr.Textbox(
                        show_label=False,
                        placeholder="…or web addresses: article pages or RSS/Atom feeds, separated by spaces",
                        elem_id="qa-urls",
                        scale=5,
                        lines=1,
                        max_lines=4,
                    )
                    fetch_btn = gr.Button("Fetch", scale=1, min_width=90, elem_id="qa-fetch")
                summary = gr.HTML("", js_on_load=None, elem_id="qa-upload-summary")
                report = gr.Dataframe(
                    headers=["File", "Status", "Details"],
                    label="Last upload",
                    interactive=False,
                    wrap=True,
                    elem_id="qa-report",
                    column_widths=["30%", "12%", "58%"],
                    max_height=300,
                )
                gr.HTML('<h3 class="qa-h3">Stored articles</h3>', js_on_load=None)
                with gr.Row(equal_height=True):
                    search = gr.Textbox(
                        show_label=False,
                        placeholder="Search by title, outlet, id or file name…",
                        elem_id="qa-search",
                        scale=4,
                        lines=1,
                        max_lines=1,
                    )
                    sort = gr.Dropdown(
                        list(SORTS), value=SORTS[0], show_label=False, elem_id="qa-sort", scale=1, min_width=180
                    )
                count = gr.HTML("", js_on_load=None, elem_id="qa-count")
                table = gr.HTML("", js_on_load=None, elem_id="qa-articles")
                page = gr.State(0)
                with gr.Row(equal_height=True, elem_id="qa-pager"):
                    prev_btn = gr.Button("‹ Previous", size="sm", scale=0, min_width=110, elem_id="qa-prev")
                    page_label = gr.HTML("", js_on_load=None, elem_id="qa-page")
                    next_btn = gr.Button("Next ›", size="sm", scale=0, min_width=110, elem_id="qa-next")
                with gr.Row(equal_height=True):
                    chosen = gr.Dropdown(
                        [],
                        label="Article to remove (this page's articles; search to find one)",
                        elem_id="qa-remove-id",
                        scale=4,
                    )
                    remove_btn = gr.Button("Remove…", variant="stop", scale=1, elem_id="qa-remove")
                with gr.Column(visible=False, elem_id="qa-confirm", variant="panel") as confirm:
                    confirm_text = gr.HTML("", js_on_load=None, elem_id="qa-confirm-text")
                    with gr.Row():
                        yes = gr.Button("Yes, remove it", variant="stop", size="sm", elem_id="qa-confirm-yes")
                        no = gr.Button("Cancel", size="sm", elem_id="qa-confirm-no")
                removed = gr.HTML("", js_on_load=None, elem_id="qa-remove-status")

        outputs = [question, chat, turns, last, sources]
        question.submit(respond, [question, chat, turns, shown, mode], outputs)
        ask.click(respond, [question, chat, turns, shown, mode], outputs)
        clear.click(new_conversation, None, [chat, turns, last, sources, question])
        shown.release(reshow, [last, shown], sources)
        shown_view = [count, table, page_label, prev_btn, next_btn, chosen, page]
        browsing = [*shown_view, confirm, removed]
        quiet: dict[str, Any] = {"show_progress": "hidden"}
        search.submit(lambda q, o: browse(q, o, 0), [search, sort], browsing, **quiet)
        search.input(lambda q, o: browse(q, o, 0), [search, sort], browsing, trigger_mode="always_last", **quiet)
        sort.input(lambda q, o: browse(q, o, 0), [search, sort], browsing, **quiet)
        prev_btn.click(lambda q, o, p: browse(q, o, p - 1), [search, sort, page], browsing, **quiet)
        next_btn.click(lambda q, o, p: browse(q, o, p + 1), [search, sort, page], browsing, **quiet)
        remove_btn.click(ask_removal, chosen, [confirm, confirm_text, removed], **quiet)
        no.click(lambda: (hide, ""), None, [confirm, removed], **quiet)
        yes.click(remove, [chosen, search, sort, page], browsing, **quiet)
        files.upload(upload, [files, sort], [report, summary, files, search, *browsing], show_progress="hidden")
        fetched = [report, summary, urls, search, *browsing]
        urls.submit(fetch, [urls, sort], fetched, show_progress="hidden")
        fetch_btn.click(fetch, [urls, sort], fetched, show_progress="hidden")
        demo.load(on_load, [search, sort], [*browsing, report, summary], **quiet)
    blocks: gr.Blocks = demo
    return blocks


# ---------------------------------------------------------------------------------------- serving


def launch_options(settings: Settings, host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """Keyword arguments of ``Blocks.launch`` for ``qa serve``: loopback, no share link, auth, upload limit."""
    return {
        "server_name": host or settings.host,
        "server_port": port or settings.port,
        "share": False,
        "auth": settings.auth,
        "auth_message": "newsqa: sign in with the user and password set in QA_AUTH." if settings.auth else None,
        "max_file_size": settings.max_upload_mb * 1024 * 1024,
        "footer_links": ["api", "settings"],
        "quiet": True,
        "inbrowser": False,
    }


def serve(
    assistant: Assistant,
    host: str | None = None,
    port: int | None = None,
    *,
    out: TextIO = sys.stdout,
    block: Callable[[gr.Blocks], None] | None = None,
) -> None:
    """Launch the UI and serve until Ctrl-C (``block`` replaces the wait, for tests)."""
    options = launch_options(assistant.settings, host, port)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=4)
    display_host = options["server_name"]
    url = f"http://{'127.0.0.1' if display_host == '0.0.0.0' else display_host}:{options['server_port']}"
    try:
        demo.launch(prevent_thread_lock=True, **options)
    except OSError as exc:
        raise QAError(
            f"cannot serve on {options['server_name']}:{options['server_port']} ({exc}) - "
            "pick another port with --port or QA_PORT"
        ) from None
    print(f"newsqa is serving on {url}" + (" (sign-in required)" if options["auth"] else ""), file=out)
    print("press Ctrl-C to stop", file=out, flush=True)
    try:
        if block is not None:
            block(demo)
        else:
            demo.block_thread()
    finally:
        demo.close()
