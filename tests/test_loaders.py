"""Files to articles: reading, decoding, formats, ids and hashes."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from qa.loaders import Loaded, content_hash, load_paths
from qa.types import Article

SAMPLES = Path(__file__).resolve().parent.parent / "qa" / "samples" / "articles"
LIMIT = 1_000_000


def _load(*paths: str | Path, max_bytes: int = LIMIT) -> list[Loaded]:
    return list(load_paths(paths, max_bytes=max_bytes))


def _one(path: Path, max_bytes: int = LIMIT) -> Article:
    items = _load(path, max_bytes=max_bytes)
    assert len(items) == 1 and items[0].error is None, items
    assert items[0].article is not None
    return items[0].article


def _error(path: str | Path, max_bytes: int = LIMIT) -> str:
    items = _load(path, max_bytes=max_bytes)
    assert len(items) == 1 and items[0].article is None, items
    return str(items[0].error)


# --------------------------------------------------------------------------- samples


def test_samples_load_with_metadata_and_unchanged_text() -> None:
    items = _load(SAMPLES)
    articles = {item.article.article_id: item.article for item in items if item.article}
    assert set(articles) == {"000_db5433082a11908e", "003_4097ccc5a1db7ed0"}
    first = articles["000_db5433082a11908e"]
    assert first.text == (SAMPLES / "000_db5433082a11908e.txt").read_text(encoding="utf-8")
    assert first.title == "Scores of Syrian regime troops killed in Daesh, HTS attacks"
    assert first.published == "2019-04-20T16:37"
    assert first.path == str(SAMPLES / "000_db5433082a11908e.txt")
    second = articles["003_4097ccc5a1db7ed0"]
    assert second.title == "Separate militant attacks kill nearly 50 Syrian soldiers"
    assert second.source == "The Washington Post"
    for article in articles.values():
        for start, end in article.boilerplate:
            line = article.text[start:end]
            assert line in article.text.splitlines()


# --------------------------------------------------------------------------- reading


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\n\nBody.\n")
    article = _one(path)
    assert article.text == "Headline\n\nBody.\n"
    assert article.boilerplate == ((0, 8),)


def test_latin1_file_decodes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(b"Le caf\xe9 ferme\n\nIl a ferm\xe9 hier.\n")
    with caplog.at_level(logging.INFO, logger="qa.loaders"):
        article = _one(path)
    assert "café" in article.text and "fermé hier" in article.text
    assert "decoded it as" in caplog.text


def test_text_keeps_crlf_and_whitespace(tmp_path: Path) -> None:
    raw = "  Headline  \r\n\r\nBody\tline.  \r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert _one(path).text == raw


def test_binary_rejected(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary file" in _error(path)


def test_control_bytes_without_nul_rejected(tmp_path: Path) -> None:
    path = tmp_path / "noise.md"
    path.write_bytes(bytes(range(1, 9)) * 20)
    assert "binary file" in _error(path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty file" in _error(path)


def test_too_large_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    message = _error(path, max_bytes=100)
    assert "500 bytes" in message and "100 bytes" in message and "QA_MAX_FILE_MB" in message
    assert "\n" not in message
    assert _one(path, max_bytes=500).text == "word " * 100


def test_unsupported_extension_named_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_text("text", encoding="utf-8")
    message = _error(path)
    assert "unsupported file type '.xlsx'" in message and ".txt" in message and ".pdf" in message


def test_old_word_files_are_told_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "memo.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    assert _error(path) == f"{path}: unsupported file type '.doc' - save it as .docx (or .txt) first"


def test_missing_path_rejected_and_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Body text only, one long line that is not a title.", encoding="utf-8")
    items = _load(tmp_path / "missing.txt", good)
    assert [item.path for item in items] == [str(tmp_path / "missing.txt"), str(good)]
    assert items[0].error is not None and "no such file" in str(items[0].error)
    assert items[1].article is not None


def test_uppercase_extension_supported(tmp_path: Path) -> None:
    path = tmp_path / "LOUD.TXT"
    path.write_text("Some body text.", encoding="utf-8")
    assert _one(path).article_id == "LOUD"


def test_directory_walk_sorted_reports_every_file_and_skips_hidden(tmp_path: Path) -> None:
    names = ("b.txt", "a/z.md", "a/c.html", ".hidden/x.txt", ".dot.txt", "notes.pdf", "c.json", "table.xlsx")
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".json"):
            path.write_text(json.dumps({"text": "Json body."}), encoding="utf-8")
        elif name.endswith(".html"):
            path.write_text("<p>Html body.</p>", encoding="utf-8")
        else:
            path.write_text("Plain body.", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    items = _load(tmp_path)
    assert [item.path for item in items] == [
        str(tmp_path / "a" / "c.html"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "c.json"),
        str(tmp_path / "dangling.txt"),
        str(tmp_path / "notes.pdf"),
        str(tmp_path / "table.xlsx"),
    ]
    assert [item.article is not None for item in items] == [True] * 4 + [False] * 3
    assert "not a regular file" in str(items[4].error)
    assert "not a readable PDF" in str(items[5].error)
    assert "unsupported file type '.xlsx'" in str(items[6].error)


def test_loaded_needs_exactly_one_outcome() -> None:
    with pytest.raises(ValueError):
        Loaded("x")


# --------------------------------------------------------------------------- HTML

HTML = """<!doctype html>
<html><head>
<title>Rebels take airport | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2019-04-20T16:37:00Z">
<link rel="canonical" href="https://planet.example/rebels">
<script>var ad = "<p>script text</p>";</script>
<style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World nav</a></nav>
<header>Site header text</header>
<p>Outside the article.</p>
<article>
  <h1>Rebels take airport</h1>
  <p>Rebels   took the
     airport &amp; the base on <b>Sunday</b>.</p>
  <aside>Related sidebar</aside>
  <p>Officials said &ldquo;it fell&rdquo;.<br>Nobody was hurt.</p>
  <form><button>Subscribe button</button></form>
</article>
<footer>Footer text</footer>
</body></html>
"""


def test_html_main_text_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = _one(path)
    # One paragraph per extracted block, blank lines between: the text as stored and cited.
    assert article.text.startswith(
        "Rebels take airport\n\n"
        "Rebels took the airport & the base on Sunday.\n\n"
        "Officials said \u201cit fell\u201d.\n\n"
        "Nobody was hurt."
    )
    for hidden in ("script text", "color", "World nav", "Site header", "Related", "Subscribe", "Footer", "<"):
        assert hidden not in article.text
    assert article.title == "Rebels take airport"
    assert article.source == "Daily Planet"
    assert article.published == "2019-04-20"
    assert article.url == "https://planet.example/rebels"
    assert [article.text[s:e] for s, e in article.boilerplate] == ["Rebels take airport"]


def test_html_json_ld_gives_outlet_author_and_date(tmp_path: Path) -> None:
    path = tmp_path / "ld.html"
    path.write_text(
        """<html><head><title>Dam finished</title><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Dam finished",
 "datePublished": "2021-05-03T10:00:00Z",
 "author": {"@type": "Person", "name": "Ana Ruiz"}, "publisher": {"@type": "Organization", "name": "Valley Post"}}
</script></head><body><article><h1>Dam finished</h1>
<p>The Kesk dam was finished in May. It holds 12 million cubic metres of water, engineers said.</p>
</article></body></html>""",
        encoding="utf-8",
    )
    article = _one(path)
    assert (article.source, article.author, article.published) == ("Valley Post", "Ana Ruiz", "2021-05-03")
    assert article.content_hash == content_hash(
        article.text, article.title, article.source, article.published, article.url, "Ana Ruiz"
    )


def test_html_without_meta_falls_back_to_text(tmp_path: Path) -> None:
    path = tmp_path / "bare.htm"
    path.write_text(
        "<div><h2>Quiet headline</h2><p>Published 20.04.2019 16:37</p><p>Body words here.</p></div>",
        encoding="utf-8",
    )
    article = _one(path)
    assert article.text == "Published 20.04.2019 16:37\n\nBody words here."
    assert article.title == "Quiet headline"
    assert article.published == "2019-04-20"
    assert [article.text[s:e] for s, e in article.boilerplate] == ["Published 20.04.2019 16:37"]


def test_html_with_no_visible_text_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>T</title></head><body><script>x()</script></body></html>", encoding="utf-8")
    assert "no article text found in the HTML" in _error(path)


def test_html_of_site_chrome_alone_has_no_article(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><body><header><div>Daily Planet</div></header><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        "<footer><p>Copyright 2024 Daily Planet. All rights reserved.</p></footer></body></html>",
        encoding="utf-8",
    )
    assert "no article text found in the HTML" in _error(path)


# --------------------------------------------------------------------------- JSON


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    record = {
        "headline": "Given title",
        "body": "Given title\n\nThe body text.",
        "source": {"name": "AP"},
        "publishedAt": "April 20, 2019",
        "link": "https://x.example/a",
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    items = _load(path)
    assert [item.path for item in items] == [str(path)]
    article = items[0].article
    assert article is not None
    assert article.text == "Given title\n\nThe body text."
    assert (article.title, article.source, article.published) == ("Given title", "AP", "2019-04-20")
    assert article.url == "https://x.example/a"
    assert article.article_id == "url-" + hashlib.sha1(b"https://x.example/a").hexdigest()[:12]
    assert article.boilerplate == ((0, 11),)
    assert article.path == str(path)


def test_json_list_and_articles_forms(tmp_path: Path) -> None:
    records = [{"id": "a 1", "text": "First."}, {"content": "Second."}, {"title": "no text"}]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(records), encoding="utf-8")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": records}), encoding="utf-8")
    for path in (listed, wrapped):
        items = _load(path)
        assert [item.path for item in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
        first, second = items[0].article, items[1].article
        assert first is not None and second is not None
        assert (first.article_id, first.text) == ("a-1", "First.")
        assert (second.article_id, second.text) == (f"{path.stem}-2", "Second.")
        assert first.path == second.path == str(path)
        error = str(items[2].error)
        assert f"{path}#3" in error and "no text field" in error and "'no text'" in error


def test_json_unparseable_date_kept_as_given(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"text": "Body.", "date": "last spring"}), encoding="utf-8")
    assert _one(path).published == "last spring"


def test_malformed_json_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": "x",', encoding="utf-8")
    assert "malformed JSON" in _error(path)


def test_jsonl_malformed_line_does_not_stop_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "Line one.", "guid": "g1"}),
        "",
        "{not json",
        json.dumps({"maintext": "Line four.", "source_name": "Reuters", "date_publish": "2019-04-20 16:37:00"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _load(path)
    assert [item.path for item in items] == [f"{path}#1", f"{path}#3", f"{path}#4"]
    assert items[0].article is not None and items[0].article.article_id == "g1"
    assert str(items[1].error).startswith(f"{path}:3: malformed JSON (")
    last = items[2].article
    assert last is not None
    assert (last.article_id, last.source, last.published) == ("feed-4", "Reuters", "2019-04-20T16:37:00")


# --------------------------------------------------------------------------- ids and hashes


def test_file_id_is_slug_of_stem(tmp_path: Path) -> None:
    path = tmp_path / "My Story (final)!.txt"
    path.write_text("Body.", encoding="utf-8")
    assert _one(path).article_id == "My-Story-final"


def test_record_id_is_slugged_and_capped(tmp_path: Path) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"id": "x/" * 80, "text": "Body."}), encoding="utf-8")
    article_id = _one(path).article_id
    assert len(article_id) <= 100
    assert set(article_id) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def test_hash_follows_text_and_metadata(tmp_path: Path) -> None:
    one, two, three = tmp_path / "one.txt", tmp_path / "two.txt", tmp_path / "three.txt"
    one.write_text("Headline\n\nBody one.", encoding="utf-8")
    two.write_text("Headline\n\nBody one.", encoding="utf-8")
    three.write_text("Headline\n\nBody two.", encoding="utf-8")
    assert _one(one).content_hash == _one(two).content_hash
    assert _one(one).content_hash != _one(three).content_hash
    base = content_hash("Body.", "T", None, None, None)
    assert base != content_hash("Body.", "T2", None, None, None)
    assert base != content_hash("Body.", "T", "AP", None, None)
    assert len(base) == 64
