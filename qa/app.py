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
import html
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from qa.errors import QAError
from qa.hygiene import neutralise_markers
from qa.types import Answer, Article, ArticleInfo, Citation, IngestReport

if TYPE_CHECKING:
    import gradio as gr

    from qa.assistant import Assistant
    from qa.config import Settings

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
CONTEXT_CHARS = 600  # at most this much of the paragraph is shown on each side of a quote
STREAM_WORDS = 4  # words per streamed chunk of an answer
STREAM_DELAY = 0.02  # seconds between streamed chunks

# Characters that mean something to Markdown, KaTeX or the HTML component's templates,
# written as entities so that article text is only ever text.
_ENTITIES = {c: f"&#{ord(c)};" for c in "`*_[]{}$~\\|#!()+-=:"}
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_WORDS = re.compile(r"\S+\s*|\s+")


# ---------------------------------------------------------------------------------------- rendering


def esc(text: str | None) -> str:
    """``text`` as inert HTML: escaped for HTML, Markdown and templates alike."""
    escaped = html.escape(text or "", quote=True)
    return "".join(_ENTITIES.get(c, c) for c in escaped)


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
    text = answer.text
    by_marker = {c.marker: c for c in answer.citations}
    limit = len(answer.citations) if shown is None else shown
    pieces: list[str] = []
    at = 0
    for start, end in [*_protected_spans(text, answer.citations), (len(text), len(text))]:
        plain = text[at:start]
        pos = 0
        for m in _MARKER.finditer(plain):
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
    meta_html = " &middot; ".join(m for m in meta if m) or "outlet and date unknown"
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


def article_rows(articles: Sequence[ArticleInfo]) -> list[list[Any]]:
    """Rows of the article table: id, title, outlet, date, chunks."""
    return [
        [a.article_id, a.title or "(untitled)", a.source or "", _date(a.published) or "", a.chunks] for a in articles
    ]


# ---------------------------------------------------------------------------------------- the app

CSS = """
.qa-head h1 { font-size: 1.5rem; margin: 0 0 .15rem 0; }
.qa-head p { margin: 0; color: var(--body-text-color-subdued); }
.qa-answer, .qa-question { line-height: 1.55; }
.qa-understood { font-size: .85em; color: var(--body-text-color-subdued); margin-bottom: .35rem; }
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

    def list_rows() -> tuple[Any, Any]:
        try:
            infos = assistant.list_articles()
        except QAError as exc:
            gr.Warning(str(exc))
            infos = []
        return article_rows(infos), gr.update(choices=[a.article_id for a in infos], value=None)

    def upload(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        if not paths:
            return gr.update(), "", None, *list_rows()

        def step(done: int, total: int) -> None:
            progress((done, total), desc="Embedding articles", unit="articles")

        try:
            report = assistant.ingest(list(paths), progress=step)
        except QAError as exc:
            return [], render_error(str(exc)), None, *list_rows()
        return report_rows(report), esc(report.summary()), None, *list_rows()

    def remove(article_id: str | None) -> tuple[Any, ...]:
        if not article_id:
            return render_error("choose an article to remove first"), *list_rows()
        try:
            assistant.remove(article_id)
        except QAError as exc:
            return render_error(str(exc)), *list_rows()
        return f"Removed {esc(article_id)}.", *list_rows()

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
                summary = gr.HTML("", js_on_load=None, elem_id="qa-upload-summary")
                report = gr.Dataframe(
                    headers=["File", "Status", "Details"],
                    label="Last upload",
                    interactive=False,
                    wrap=True,
                    elem_id="qa-report",
                    column_widths=["30%", "12%", "58%"],
                )
                articles = gr.Dataframe(
                    headers=["ID", "Title", "Outlet", "Date", "Chunks"],
                    label="Stored articles",
                    interactive=False,
                    wrap=True,
                    elem_id="qa-articles",
                    column_widths=["22%", "40%", "16%", "14%", "8%"],
                )
                with gr.Row(equal_height=False):
                    chosen = gr.Dropdown([], label="Article to remove", elem_id="qa-remove-id", scale=4)
                    remove_btn = gr.Button("Remove article", variant="stop", scale=1, elem_id="qa-remove")
                removed = gr.HTML("", js_on_load=None, elem_id="qa-remove-status")

        outputs = [question, chat, turns, last, sources]
        question.submit(respond, [question, chat, turns, shown, mode], outputs)
        ask.click(respond, [question, chat, turns, shown, mode], outputs)
        clear.click(new_conversation, None, [chat, turns, last, sources, question])
        shown.release(reshow, [last, shown], sources)
        files.upload(upload, files, [report, summary, files, articles, chosen])
        remove_btn.click(remove, chosen, [removed, articles, chosen])
        demo.load(list_rows, None, [articles, chosen])
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
