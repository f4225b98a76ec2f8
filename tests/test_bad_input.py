"""Bad input end to end: through the ``qa`` command (a real process) and ``Assistant.ingest``.

Every bad file gets one line saying which file, what is wrong and what to do; the rest of
the batch is ingested; what was stored before is unchanged. (The loaders' own unit tests
are in tests/test_loaders.py; these run the whole path into a real store.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import QuestionError
from tests.conftest import BESIEGED, SAMPLES, WAPO

GOOD = "The Ostrava bridge reopened on Monday. It carries 9,000 cars a day, the city said."
GOOD_2 = "The Kesk dam was finished in May. It holds 12 million cubic metres of water, engineers said."


def qa(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "QA_HOME": str(home), **env}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QA_CHROMA_URL", "QA_COLLECTION"):
        full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=full, timeout=300
    )


def bad_batch(folder: Path) -> dict[str, str]:
    """A folder of bad (and a few good) files; returns file name -> what its rejection must say."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with (folder / "huge.txt").open("wb") as f:  # 50 MB, sparse: written in no time, never read
        f.truncate(50 * 1024 * 1024)
    (folder / "broken.json").write_text('{"title": "Half", "text": "cut off', encoding="utf-8")
    (folder / "records.jsonl").write_text(
        json.dumps({"id": "bridge", "title": "Bridge", "text": GOOD})
        + "\n{oops\n"
        + json.dumps({"id": "dam", "title": "Dam", "text": GOOD_2})
        + "\n",
        encoding="utf-8",
    )
    (folder / "copy_of_wapo.txt").write_bytes((SAMPLES / f"{WAPO}.txt").read_bytes())
    (folder / "latin1.txt").write_bytes(
        "Café owners in Lyon protest\n\nThe café owners of Lyon marched on Monday. "
        "About 300 people joined the march, the organisers said.\n".encode("latin-1")
    )
    (folder / "bom.txt").write_bytes(
        b"\xef\xbb\xbf"
        + "Café reopens in Graz\n\nThe café in Graz reopened on Friday. It serves 40 guests a day.\n".encode()
    )
    return {
        "empty.txt": r"empty file - add the article text or remove the file",
        "binary.txt": r"binary file, not text - convert it to \.txt, \.md, \.html or \.json first",
        "huge.txt": r"file is 50\.0 MB \(52,428,800 bytes\), over the limit of 20\.0 MB \(20,971,520 bytes\) - "
        r"raise QA_MAX_FILE_MB or split the file",
        "broken.json": r"malformed JSON \(Unterminated string starting at line 1 column 27\) - fix the JSON syntax",
        "records.jsonl:2": r"malformed JSON \(Expecting property name enclosed in double quotes at column 2\) - "
        r"fix or remove that line",
    }


def test_cli_batch_of_bad_files(isolated_env: Path, tmp_path: Path) -> None:
    home = isolated_env
    assert qa("ingest", "--samples", home=home).returncode == 0
    before = json.loads(qa("list", "--json", home=home).stdout)

    folder = tmp_path / "batch"
    expected = bad_batch(folder)
    proc = qa("ingest", str(folder), home=home)

    assert proc.returncode == 1  # something was rejected
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(expected), proc.stderr  # one line per bad file (or line), nothing else
    for name, message in expected.items():
        pattern = rf"rejected   {re.escape(str(folder / name))}: {message}"
        assert any(re.fullmatch(pattern, line) for line in lines), (name, proc.stderr)
    added = {line.split()[1] for line in proc.stdout.splitlines() if line.startswith("added")}
    assert added == {"bridge", "dam", "latin1", "bom"}
    # a text already stored is a duplicate, told on stdout: nothing failed there
    duplicate = (
        f"duplicate  {folder / 'copy_of_wapo.txt'}: same text as article '{WAPO}', already stored - nothing to do "
        f"(remove '{WAPO}' first if this file should replace it)"
    )
    assert duplicate in proc.stdout.splitlines()
    assert proc.stdout.strip().splitlines()[-1] == "4 added, 0 updated, 0 unchanged, 1 duplicate, 5 rejected"

    after = json.loads(qa("list", "--json", home=home).stdout)
    assert [a for a in after if a["article_id"] in (BESIEGED, WAPO)] == before  # untouched
    assert sorted(a["article_id"] for a in after) == sorted([BESIEGED, WAPO, "bridge", "dam", "latin1", "bom"])
    check = qa("check", home=home)
    assert check.returncode == 0 and check.stdout.startswith("healthy: 6 articles"), check.stdout

    # the limit is a setting: raised, the size error goes away (the sparse file is then binary zeros)
    raised = qa("ingest", str(folder / "huge.txt"), home=home, QA_MAX_FILE_MB="60")
    assert raised.returncode == 1 and "binary file" in raised.stderr and "MB" not in raised.stderr


def test_questions_at_the_command_line(isolated_env: Path) -> None:
    assert qa("ingest", "--samples", home=isolated_env).returncode == 0
    empty = qa("ask", "  ", home=isolated_env)
    assert empty.returncode == 1 and empty.stdout == ""
    assert empty.stderr == "error: the question is empty - type a question about the articles\n"
    long = qa("ask", "why " * 5000, home=isolated_env)
    assert long.returncode == 1 and long.stdout == ""
    assert long.stderr == (
        "error: the question is 19,999 characters, over the limit of 2,000 - "
        "shorten it (or raise QA_MAX_QUESTION_CHARS)\n"
    )
    allowed = qa("ask", "How many soldiers were besieged near al-Sukhna? " + "x" * 2100, home=isolated_env)
    assert allowed.returncode == 1  # still over 2,000 ...
    raised = qa(
        "ask",
        "How many soldiers were besieged near al-Sukhna? " + "x" * 2100,
        home=isolated_env,
        QA_MAX_QUESTION_CHARS="3000",
    )
    assert raised.returncode == 0, raised.stderr  # ... and answered once the limit is raised


@pytest.fixture
def stored(make_assistant: object) -> Assistant:
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    assert assistant.ingest([SAMPLES]).count("added") == 2
    return assistant


def _snapshot(assistant: Assistant) -> tuple[list[object], int]:
    return assistant.list_articles(), assistant.store.count_chunks()


def test_huge_file_is_refused_without_reading_it(stored: Assistant, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    good = tmp_path / "bridge.txt"
    good.write_text("Ostrava bridge reopens\n\n" + GOOD + "\n", encoding="utf-8")
    before = _snapshot(stored)
    tracemalloc.start()
    try:
        report = stored.ingest([huge, good])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024, peak  # nowhere near the 50 MB of the file
    rejected, added = report.results
    assert rejected.status == "rejected" and added.status == "added"
    assert rejected.reason == (
        f"{huge}: file is 50.0 MB (52,428,800 bytes), over the limit of 20.0 MB (20,971,520 bytes) - "
        "raise QA_MAX_FILE_MB or split the file"
    )
    kept = {a.article_id for a in before[0]}  # type: ignore[attr-defined]
    assert [a for a in stored.list_articles() if a.article_id in kept] == before[0]
    assert stored.store.count_chunks() == before[1] + added.chunks


def test_encodings_keep_the_text(stored: Assistant, tmp_path: Path) -> None:
    latin = tmp_path / "lyon.txt"
    latin.write_bytes("Café owners in Lyon protest\n\nThe café owners of Lyon marched on Monday.\n".encode("latin-1"))
    bom = tmp_path / "graz.md"
    bom.write_bytes(b"\xef\xbb\xbf" + "Café reopens in Graz\n\nThe café in Graz reopened on Friday.\n".encode())
    before = _snapshot(stored)
    report = stored.ingest([latin, bom])
    assert [r.status for r in report.results] == ["added", "added"]
    lyon, graz = stored.article("lyon"), stored.article("graz")
    assert lyon.text.startswith("Café owners") and "The café owners of Lyon" in lyon.text
    assert graz.text.startswith("Café reopens") and "\ufeff" not in graz.text and "Ã" not in graz.text
    assert graz.title == "Café reopens in Graz"
    assert {a.article_id for a in before[0]} | {"lyon", "graz"} == {a.article_id for a in stored.list_articles()}
    answer = stored.ask("When did the café in Graz reopen?")
    assert not answer.refused and "Friday" in answer.text
    assert answer.citations[0].quote == "The café in Graz reopened on Friday."


def test_html_page_keeps_only_the_article(stored: Assistant, tmp_path: Path) -> None:
    page = tmp_path / "ferry.html"
    page.write_text(
        """<!doctype html><html><head><title>Ferry line opens | Harbour News</title>
<meta property="og:site_name" content="Harbour News">
<script>var tracking = "SCRIPT-TEXT-1"; document.write("SCRIPT-TEXT-2");</script>
<style>body { color: red } .STYLE-TEXT {}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">NAV-TEXT World</a></nav>
<header><div>HEADER-TEXT Subscribe now</div></header>
<aside>ASIDE-TEXT Most read</aside>
<article><h1>Ferry line opens</h1>
<p>The city opened a new ferry line across the harbour on Monday.</p>
<script>alert("SCRIPT-TEXT-3")</script>
<p>The ferry carries up to 300 passengers, the operator said.</p></article>
<footer>FOOTER-TEXT Copyright</footer><noscript>NOSCRIPT-TEXT</noscript>
<script src="x.js"></script><script>SCRIPT-TEXT-4</script></body></html>""",
        encoding="utf-8",
    )
    before = _snapshot(stored)
    assert stored.ingest([page]).count("added") == 1
    text = stored.article("ferry").text
    assert "The city opened a new ferry line" in text and "300 passengers" in text
    for junk in ("SCRIPT-TEXT", "STYLE-TEXT", "NAV-TEXT", "HEADER-TEXT", "ASIDE-TEXT", "FOOTER-TEXT", "NOSCRIPT"):
        assert junk not in text
    assert "<" not in text and "tracking" not in text
    assert stored.article("ferry").title == "Ferry line opens"
    assert stored.store.count_chunks() > before[1]
    answer = stored.ask("How many passengers does the ferry carry?")
    assert "300" in answer.text and answer.citations[0].article_id == "ferry"


NON_LATIN = {
    "greek": (
        "Σεισμός 5,8 Ρίχτερ στην Κρήτη\n\nΙσχυρός σεισμός 5,8 Ρίχτερ σημειώθηκε τη Δευτέρα νότια της Κρήτης. "
        "Σύμφωνα με το Γεωδυναμικό Ινστιτούτο, το επίκεντρο βρισκόταν 30 χιλιόμετρα από την Ιεράπετρα.\n",
        "Πόσα Ρίχτερ ήταν ο σεισμός στην Κρήτη;",
    ),
    "chinese": (
        "杭州新地铁线路开通\n\n杭州新的地铁线路于周一开通。该线路全长42公里，共设有18个车站。\n",
        "杭州新地铁线路有多少个车站？",
    ),
    "arabic": (
        "افتتاح جسر جديد في الإسكندرية\n\nافتتحت السلطات جسرا جديدا في مدينة الإسكندرية يوم الاثنين. "
        "ويبلغ طول الجسر 1200 متر، حسبما قال المحافظ.\n",
        "كم يبلغ طول الجسر في الإسكندرية؟",
    ),
}


def test_non_latin_scripts(stored: Assistant, tmp_path: Path) -> None:
    for name, (text, _) in NON_LATIN.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    report = stored.ingest([tmp_path / f"{name}.txt" for name in NON_LATIN])
    assert [r.status for r in report.results] == ["added"] * 3, report
    for name, (text, question) in NON_LATIN.items():
        assert stored.article(name).text == text
        answer = stored.ask(question)  # an answer or a refusal; never a crash, citations verbatim
        for c in answer.citations:
            assert stored.article(c.article_id).text[c.start : c.end] == c.quote
    assert stored.check().healthy


def test_bad_questions_change_nothing(stored: Assistant) -> None:
    before = _snapshot(stored)
    with pytest.raises(QuestionError, match=r"^the question is empty - type a question about the articles$"):
        stored.ask("")
    with pytest.raises(QuestionError, match=r"20,000 characters, over the limit of 2,000 .*QA_MAX_QUESTION_CHARS"):
        stored.ask("q" * 20_000)
    wider = Assistant(settings=Settings.from_env(home=stored.settings.home, max_question_chars=30_000))
    with pytest.raises(QuestionError, match="empty"):
        wider.ask("\n\t ")
    assert _snapshot(stored) == before
