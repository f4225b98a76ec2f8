"""The web UI end to end: a real Gradio server, a real store and embedder, real headless Chromium.

Set QA_SCREENSHOT=1 to (re)write docs/screenshot.png from the first answer.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from qa.app import build_app, launch_options
from qa.assistant import Assistant
from qa.config import Settings
from tests.conftest import SAMPLES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
TIMEOUT = 60_000  # ms: the first question loads the embedder and the BM25 index

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Debian's chromium is not installed at {CHROMIUM} (apt install chromium)"
)

Factory = Callable[..., Assistant]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(assistant: Assistant, **launch: Any) -> Iterator[str]:
    """The app over ``assistant``, served on a free loopback port until the block ends."""
    demo = build_app(assistant)
    port = _free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, **launch)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(TIMEOUT)
    yield p
    context.close()


def _ask(page: Page, question: str) -> None:
    """Type ``question``, submit it, and wait until its answer has finished streaming."""
    before = page.locator("#qa-chat .bot-row").count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        """([before]) => {
            const bots = document.querySelectorAll('#qa-chat .bot-row');
            if (bots.length <= before) return false;
            const last = bots[bots.length - 1];
            return !!last.querySelector('.qa-answer:not(.qa-streaming), .qa-error');
        }""",
        arg=[before],
        timeout=TIMEOUT,
    )


def _last_answer(page: Page) -> str:
    return page.locator("#qa-chat .bot-row").last.inner_text()


def test_ask_follow_up_and_upload(make_assistant: Factory, page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    assistant = make_assistant()
    assert assistant.ingest([SAMPLES]).count("added") == 2
    with running(assistant) as url:
        page.goto(url)
        _ask(page, "How many soldiers were besieged near al-Sukhna?")
        answer = _last_answer(page)
        assert "500" in answer
        links = page.locator('#qa-chat a.qa-cite[href="#src-1"]')
        assert links.count() >= 1
        mark = page.locator("#qa-sources #src-1 mark")
        expect(mark).to_contain_text("liberate 500 soldiers besieged east of al-Sukhna")
        expect(page.locator("#qa-sources #src-1")).to_contain_text("Scores of Syrian regime troops killed")
        if os.environ.get("QA_SCREENSHOT") == "1":
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        # a marker jumps to its card instead of leaving the page
        page.locator("#qa-chat a.qa-cite[href='#src-2']").first.click()
        expect(page.locator("#src-2")).to_be_in_viewport()
        assert page.url.rstrip("/") == url.rstrip("/")

        _ask(page, "Which militia broke the siege?")
        assert "Liwa al-Quds" in _last_answer(page)
        expect(page.locator("#qa-sources mark").first).to_contain_text("Liwa al-Quds")

        # upload a new article through the Articles tab
        page.get_by_role("tab", name="Articles").click()
        expect(page.locator("#qa-articles")).to_contain_text("000_db5433082a11908e")
        new = tmp_path / "harbour_ferry.txt"
        new.write_text(
            "New ferry line opens in the harbour\n\n"
            "The city opened a new ferry line across the harbour on Monday.\n\n"
            "The ferry carries up to 300 passengers and crosses in twelve minutes, the operator said.\n",
            encoding="utf-8",
        )
        bad = tmp_path / "notes.xyz"
        bad.write_bytes(b"%XYZ-1.4")
        page.locator("#qa-upload input[type=file]").set_input_files([str(new), str(bad)])
        report = page.locator("#qa-report")
        expect(report).to_contain_text("harbour_ferry.txt")
        expect(report).to_contain_text("added")
        expect(report).to_contain_text("unsupported file type")
        expect(page.locator("#qa-articles")).to_contain_text("New ferry line opens in the harbour")
        assert "harbour_ferry" in [a.article_id for a in assistant.list_articles()]

        # and it answers from it, in a new conversation
        page.get_by_role("tab", name="Ask").click()
        page.get_by_role("button", name="New conversation").click()
        expect(page.locator("#qa-chat .bot-row")).to_have_count(0)
        expect(page.locator("#qa-sources .qa-card")).to_have_count(0)
        _ask(page, "How many passengers can the ferry carry?")
        assert "300" in _last_answer(page)

        # remove it again: chosen by its title, after a confirmation that names it
        page.get_by_role("tab", name="Articles").click()
        page.locator("#qa-remove-id input").click()
        page.get_by_role("option", name="New ferry line opens in the harbour · harbour_ferry").click()
        page.locator("#qa-remove").click()
        expect(page.locator("#qa-confirm")).to_contain_text(
            "Remove “New ferry line opens in the harbour” (harbour_ferry"
        )
        assert "harbour_ferry" in [a.article_id for a in assistant.list_articles()]  # not before it is confirmed
        page.locator("#qa-confirm-yes").click()
        expect(page.locator("#qa-remove-status")).to_contain_text(
            "Removed “New ferry line opens in the harbour” (harbour_ferry)."
        )
        expect(page.locator("#qa-articles")).not_to_contain_text("harbour_ferry")
        expect(page.locator("#qa-confirm")).to_be_hidden()
        assert "harbour_ferry" not in [a.article_id for a in assistant.list_articles()]
        # the message goes with the next action
        page.locator("#qa-search textarea, #qa-search input").first.fill("Washington")
        page.locator("#qa-search textarea, #qa-search input").first.press("Enter")
        expect(page.locator("#qa-count")).to_contain_text("1 match “Washington”")
        expect(page.locator("#qa-remove-status")).to_have_text("")


def test_article_text_never_runs(make_assistant: Factory, page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    evil = tmp_path / "harbor_bridge.txt"
    evil.write_text(
        "Harbor bridge repairs approved\n\n"
        "The city council approved the harbor bridge repairs on Monday after a long debate.\n\n"
        "Officials said the repairs <script>window.__xss=1</script> will cost 42 million dollars "
        '<img src=x onerror="window.__xss=2"> in total, according to the plan.\n\n'
        "Work on the harbor bridge is expected to start in May and end next year.\n",
        encoding="utf-8",
    )
    assistant = make_assistant()
    assert assistant.ingest([SAMPLES, evil]).ok
    with running(assistant) as url:
        page.goto(url)
        _ask(page, "How much will the harbor bridge repairs cost?")
        sources = page.locator("#qa-sources")
        expect(sources.locator("mark").first).to_contain_text("<script>window.__xss=1</script>")
        expect(sources).to_contain_text('<img src=x onerror="window.__xss=2">')
        assert "<script>window.__xss=1</script>" in _last_answer(page)
        assert page.evaluate("window.__xss") is None
        assert page.locator("#qa-sources img, #qa-chat img[src='x']").count() == 0


def test_errors_and_refusals_are_one_line(make_assistant: Factory, page: Page) -> None:
    from playwright.sync_api import expect

    assistant = make_assistant()
    with running(assistant) as url:
        page.goto(url)
        _ask(page, "How many soldiers were besieged?")
        error = page.locator("#qa-chat .qa-error").last
        expect(error).to_contain_text("no articles in")
        assert "Traceback" not in page.locator("#qa-chat").inner_text()
        assert len(error.inner_text().strip().splitlines()) == 1

        assistant.ingest([SAMPLES])
        _ask(page, "What is the capital of France?")
        expect(page.locator("#qa-sources .qa-refusal")).to_contain_text("Not in the articles")
        assert page.locator("#qa-sources .qa-card").count() == 0


def test_auth_is_required_when_qa_auth_is_set(
    make_assistant: Factory, monkeypatch: pytest.MonkeyPatch, page: Page
) -> None:
    import httpx

    monkeypatch.setenv("QA_AUTH", "alice:s3cret-pass")
    options = launch_options(Settings.from_env())
    assert options["auth"] == ("alice", "s3cret-pass")
    assistant = make_assistant()
    with running(assistant, auth=options["auth"]) as url:
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as anon:
            assert anon.get("config").status_code == 401
            assert anon.get("gradio_api/info").status_code == 401
            wrong = anon.post("login", data={"username": "alice", "password": "nope"})
            assert wrong.status_code >= 400
            assert anon.get("config").status_code == 401
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as user:
            ok = user.post("login", data={"username": "alice", "password": "s3cret-pass"})
            assert ok.status_code == 200, ok.text
            assert user.get("config").status_code == 200
        # the browser sees a login form, not the app
        page.goto(url)
        expect_login = page.locator("input[type=password]")
        expect_login.wait_for()
        assert page.locator("#qa-chat").count() == 0


ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
BAKERY_TITLE = "O'Brien's bakery wins the \"sourdough\" prize"
BAKERY_QUOTE = (
    "O'Brien's bakery won the \"sourdough\" prize for its rye & spelt loaf, beating 12 rivals <in> the final round, "
    "the guild said."
)


def _no_entity_text(page: Page) -> None:
    shown = page.locator("body").inner_text()
    assert not ENTITY.search(shown), ENTITY.search(shown)


def test_text_is_shown_exactly_as_written(make_assistant: Factory, page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    bakery = tmp_path / "bakery_prize.txt"
    bakery.write_text(
        f"{BAKERY_TITLE}\n\n"
        "The Harbour Bakers' Guild met in Dublin on Monday to judge the annual bread contest.\n\n"
        f"{BAKERY_QUOTE}\n\n"
        "The judges said the bakery's loaves sold out by noon.\n",
        encoding="utf-8",
    )
    assistant = make_assistant()
    assert assistant.ingest([bakery]).count("added") == 1
    question = "How many rivals did O'Brien's bakery beat for the \"sourdough\" prize?"
    with running(assistant) as url:
        page.goto(url)
        _ask(page, question)
        assert page.locator("#qa-chat .user-row").last.inner_text().strip() == question
        card = page.locator("#qa-sources #src-1")
        assert card.locator("mark").inner_text() == BAKERY_QUOTE  # what a user sees is the article's text
        assert card.locator(".qa-title").inner_text() == BAKERY_TITLE
        assert card.locator(".qa-meta").inner_text() == "bakery_prize.txt"  # no outlet, no date: the file
        assert BAKERY_QUOTE in _last_answer(page)
        _no_entity_text(page)

        page.get_by_role("tab", name="Articles").click()
        expect(page.locator("#qa-articles .qa-col-title")).to_have_text([BAKERY_TITLE])
        expect(page.locator("#qa-remove-id input")).to_have_value(f"{BAKERY_TITLE} · bakery_prize")
        page.locator("#qa-urls textarea, #qa-urls input").first.fill("ftp://example.org/o'brien")
        page.locator("#qa-fetch").click()
        expect(page.locator("#qa-upload-summary")).to_have_text(
            "⚠ ftp://example.org/o'brien is not a web address - start it with http:// or https://"
        )
        _no_entity_text(page)


def _thousand(folder: Path, n: int = 1000) -> Path:
    """``n`` short articles (one chunk each) in one JSONL file, plus one to look for."""
    places = ["Brackmoor", "Fenwick", "Dalby", "Orrin", "Kessel", "Marlow", "Tarn", "Vellis", "Ashby", "Corran"]
    things = ["bridge", "library", "tram line", "harbour wall", "school roof", "bus depot", "clinic", "park"]
    folder.mkdir()
    lines = []
    for i in range(n):
        place, thing = places[i % len(places)], things[(i // len(places)) % len(things)]
        lines.append(
            {
                "id": f"gen_{i:04d}",
                "title": f"{place} council approves the {thing} plan, vote {i}",
                "source": ["The Courier", "Daily Ledger", "Evening Star"][i % 3],
                "published": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "text": f"The {place} council approved the {thing} plan on a vote of {i} to {i + 3}. "
                f"Work on the {thing} is expected to take {2 + i % 9} months, officials said.",
            }
        )
    lines.append(
        {
            "id": "lighthouse",
            "title": "Lighthouse keepers' strike ends in Brackwater",
            "source": "The Courier",
            "published": "2019-04-20",
            "text": "The strike of the Brackwater lighthouse keepers ended on Friday after 9 days, the union said.",
        }
    )
    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_articles_view_with_a_thousand_articles(make_assistant: Factory, page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    assistant = make_assistant()
    report = assistant.ingest([_thousand(tmp_path / "many")])
    assert report.count("added") == 1001, report.summary()
    with running(assistant) as url:
        page.goto(url)
        page.get_by_role("tab", name="Articles").click()
        count, table = page.locator("#qa-count"), page.locator("#qa-articles")
        expect(count).to_have_text("1,001 articles stored · showing 1–20")
        expect(table.locator("tbody tr")).to_have_count(20)
        expect(page.locator("#qa-page")).to_have_text("Page 1 of 51")
        page.locator("#qa-next").click()
        expect(page.locator("#qa-page")).to_have_text("Page 2 of 51")
        expect(count).to_have_text("1,001 articles stored · showing 21–40")

        sort = page.locator("#qa-sort input")
        sort.click()
        page.get_by_role("option", name="Newest published").click()
        expect(table.locator("tbody tr").first.locator("td").nth(2)).to_have_text("2024-12-28")
        if os.environ.get("QA_SCREENSHOT") == "1":
            page.screenshot(path=str(SCREENSHOT.with_name("articles.png")), full_page=True)

        # one word of the title finds it; removing it asks first, naming it
        search = page.locator("#qa-search textarea, #qa-search input").first
        search.fill("lighthouse")
        search.press("Enter")
        expect(count).to_have_text("1,001 articles stored · 1 match “lighthouse” · showing 1–1")
        expect(table.locator(".qa-col-title")).to_have_text(["Lighthouse keepers' strike ends in Brackwater"])
        chosen = page.locator("#qa-remove-id input")
        expect(chosen).to_have_value(
            "Lighthouse keepers' strike ends in Brackwater — The Courier, 2019-04-20 · lighthouse"
        )
        page.locator("#qa-remove").click()
        expect(page.locator("#qa-confirm-text")).to_contain_text(
            "Remove “Lighthouse keepers' strike ends in Brackwater” (lighthouse, 1 chunk)?"
        )
        if os.environ.get("QA_SCREENSHOT") == "1":
            page.screenshot(path=str(SCREENSHOT.with_name("articles-remove.png")), full_page=True)
        page.locator("#qa-confirm-yes").click()
        expect(page.locator("#qa-remove-status")).to_have_text(
            "Removed “Lighthouse keepers' strike ends in Brackwater” (lighthouse)."
        )
        expect(count).to_have_text("1,000 articles stored · 0 match “lighthouse”")
        assert "lighthouse" not in {a.article_id for a in assistant.list_articles()}
        _no_entity_text(page)
