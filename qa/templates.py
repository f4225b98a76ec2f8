"""Prompt templates: one file per prompt in ``prompts/``, checked for their placeholders on load.

A template that lacks a placeholder the code fills, or has one the code does
not know, fails at start with a message naming the file, never mid-answer.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ConfigError

# file -> the placeholders it must use, exactly
REQUIRED: dict[str, frozenset[str]] = {
    "system.md": frozenset(),
    "answer.md": frozenset({"sources", "question"}),
    "rewrite.md": frozenset({"history", "question"}),
}


def prompts_dir() -> Path:
    """The prompt files: ``prompts/`` of a source checkout, else the copy inside the package."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "prompts", package / "prompt_files"):
        if (candidate / "system.md").is_file():
            return candidate
    raise ConfigError("prompts", f"no prompt files next to {package}", "reinstall newsqa (pip install -e .)")


@dataclass(frozen=True)
class Templates:
    """The loaded, validated prompts."""

    system: str
    answer: str
    rewrite: str

    def render_answer(self, sources: str, question: str) -> str:
        """The user message asking for a cited answer."""
        return self.answer.format(sources=sources, question=question)

    def render_rewrite(self, history: str, question: str) -> str:
        """The user message asking to make a follow-up standalone."""
        return self.rewrite.format(history=history, question=question)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def load_templates(directory: Path | None = None) -> Templates:
    """Read and check every prompt file."""
    directory = directory or prompts_dir()
    texts: dict[str, str] = {}
    for name, required in REQUIRED.items():
        path = directory / name
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(str(path), f"cannot read the prompt ({exc.strerror})", "restore it from git") from None
        try:
            found = _placeholders(text)
        except ValueError as exc:
            raise ConfigError(str(path), f"broken placeholder ({exc})", "write {name} or {{ for a brace") from None
        if found != required:
            missing, unknown = required - found, found - required
            problem = "; ".join(
                part
                for part in (
                    f"missing {{{', '.join(sorted(missing))}}}" if missing else "",
                    f"unknown {{{', '.join(sorted(unknown))}}}" if unknown else "",
                )
                if part
            )
            raise ConfigError(str(path), problem, f"use exactly {sorted(required) or 'no placeholders'}")
        texts[name] = text
    return Templates(system=texts["system.md"], answer=texts["answer.md"], rewrite=texts["rewrite.md"])
