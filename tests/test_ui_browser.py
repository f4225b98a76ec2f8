"""The web UI end to end: a real Gradio server, a real store and embedder, real headless Chromium.

Set QA_SCREENSHOT=1 to (re)write docs/screenshot.png from the first answer.
"""

from __future__ import annotations

import os
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
        bad = tmp_path / "notes.pdf"
        bad.write_bytes(b"%PDF-1.4")
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

        # remove it again by id
        page.get_by_role("tab", name="Articles").click()
        page.locator("#qa-remove-id input").click()
        page.get_by_role("option", name="harbour_ferry").click()
        page.locator("#qa-remove").click()
        expect(page.locator("#qa-remove-status")).to_contain_text("Removed harbour_ferry")
        expect(page.locator("#qa-articles")).not_to_contain_text("harbour_ferry")
        assert "harbour_ferry" not in [a.article_id for a in assistant.list_articles()]


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
