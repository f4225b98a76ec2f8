"""Article text is data: spot instructions aimed at a model and neutralise fake markers.

An article may say "Ignore all previous instructions" or carry "[1]" where
our answers put citation markers. Such sentences are never evidence, and
marker-like strings inside quotes are rendered so they cannot pass for ours.
"""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+)*"
    r"(?:previous\s+|prior\s+|above\s+|earlier\s+|system\s+)*(?:instructions?|rules|prompts?|guidelines|directions)"
    r"|^\W*(?:assistant|system|user|ai|chatbot|model|llm|gpt)\s*[:>\]]"
    r"|\byou\s+(?:must|should|are\s+required\s+to|will)\s+(?:now\s+)?(?:cite|answer|say|reply|respond|state|report"
    r"|output|print|ignore|mention)"
    r"|\b(?:answer|reply|respond)\s+(?:to\s+)?(?:every|all|each|any)\s+(?:question|query|prompt)"
    r"|\bas\s+an?\s+(?:ai|language\s+model|assistant)\b"
    r"|\b(?:new|updated)\s+system\s+prompt\b"
    r"|\bsystem\s+prompt\b",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[(\s*(?:source\s*)?\d{1,3}\s*)\]", re.IGNORECASE)


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def is_instruction(sentence: str) -> bool:
    """True when a sentence addresses a model instead of reporting news.

    Words inside quotation marks are someone quoted by the article ("You should
    report any cracks," the mayor said), not an instruction to us.
    """
    return _INSTRUCTION.search(_QUOTED.sub(" ", sentence)) is not None


def neutralise_markers(text: str) -> str:
    """Show an article's own "[1]" as "⟦1⟧" so it cannot pass for a citation marker."""
    return _MARKER.sub(lambda m: f"⟦{m.group(1)}⟧", text)
