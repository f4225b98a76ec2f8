"""Benchmark corpora: N chunks of news-like articles, none a duplicate of another.

Every corpus holds the real articles (the two bundled samples and the test
corpus of other news), so the benchmark questions have real answers, plus
generated articles up to the chunk target. A generated article is built from
the sentences of the real ones, shuffled into new paragraphs, with its own
names (made-up place and person names replace the capitalised words, the same
way throughout one article), its own figures and its own date, so the corpus
grows in vocabulary the way news does and no two articles hash alike.

The corpus is written once per (size, seed) under the work folder and reused.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from qa.assistant import samples_dir
from qa.chunking import article_sentences, chunk_article
from qa.loaders import load_paths

ROOT = Path(__file__).resolve().parent.parent
REAL_DIRS = (samples_dir(), ROOT / "tests" / "data" / "other_news", ROOT / "eval" / "articles")
MAX_BYTES = 20 * 1024 * 1024

_SYLLABLES = (  # noqa: SIM905 - word lists read best as text
    "ka ra mi to lu se na vo be di ze ha qu ti mar sol ven dor al bek far gun hi ja "
    "kel lor min nur os pa rin sha tam ul vas wen yar zor ash bri cal dun el fen gal "
    "hor ith jun kor lan mes nor pel ros sam tor ur vin wal xan yen zul"
).split()
_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)*")
_NUMBER = re.compile(r"\d+")
_KEEP = frozenset(
    "The A An In On At But And Or It He She They We This That These Those His Her Its Their After Before "  # noqa: SIM905
    "When While Since As By For From With Without Of To Nearly About Some Many Most Several Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July August September "
    "October November December".split()
)


@dataclass(frozen=True)
class Corpus:
    """A corpus folder and what it holds."""

    folder: Path
    articles: int
    chunks: int


def _pseudo_word(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return word.capitalize()


def _sentence_pool() -> list[str]:
    pool: list[str] = []
    for item in load_paths(REAL_DIRS, max_bytes=MAX_BYTES):
        if item.article is None:
            continue
        pool.extend(s.text.replace("\n", " ") for s in article_sentences(item.article) if len(s.text.split()) >= 6)
    if not pool:
        raise SystemExit(f"no sentences found in {', '.join(map(str, REAL_DIRS))}")
    return pool


def _vary(sentence: str, names: dict[str, str], rng: random.Random) -> str:
    def name(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in _KEEP:
            return word
        if word not in names:
            names[word] = _pseudo_word(rng)
        return names[word]

    def number(m: re.Match[str]) -> str:
        digits = len(m.group(0))
        return str(rng.randint(10 ** (digits - 1) if digits > 1 else 1, 10**digits - 1))

    return _NUMBER.sub(number, _CAPITALISED.sub(name, sentence))


def generated_article(pool: list[str], rng: random.Random) -> str:
    """One news-like article: title, date line, 6-24 paragraphs of 1-3 sentences."""
    names: dict[str, str] = {}
    paragraphs = [
        " ".join(_vary(rng.choice(pool), names, rng) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(6, 24))
    ]
    words = paragraphs[0].split()[: rng.randint(6, 10)]
    title = " ".join(words).rstrip(".,;:")
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2026)
    date = f"{day:02d}.{month:02d}.{year} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return f"{title}\n\nPublished {date}\n\n" + "\n\n".join(paragraphs) + "\n"


def _chunks_in(path: Path) -> int:
    return sum(len(chunk_article(item.article)) for item in load_paths([path], max_bytes=MAX_BYTES) if item.article)


def build_corpus(target_chunks: int, work: Path, seed: int = 7) -> Corpus:
    """The corpus of about ``target_chunks`` chunks (written on first use, then reused)."""
    folder = work / f"corpus-{target_chunks}-seed{seed}"
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text())
        return Corpus(folder / "articles", int(data["articles"]), int(data["chunks"]))
    shutil.rmtree(folder, ignore_errors=True)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    chunks = 0
    count = 0
    for real_dir in REAL_DIRS:
        for path in sorted(real_dir.iterdir()):
            shutil.copy(path, articles / path.name)
            chunks += _chunks_in(articles / path.name)
            count += 1
    rng = random.Random(seed)
    pool = _sentence_pool()
    while chunks < target_chunks:
        path = articles / f"gen_{count:06d}.txt"
        path.write_text(generated_article(pool, rng), encoding="utf-8")
        chunks += _chunks_in(path)
        count += 1
    manifest.write_text(json.dumps({"articles": count, "chunks": chunks, "seed": seed}))
    return Corpus(articles, count, chunks)
