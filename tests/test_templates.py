"""Prompt files are checked when loaded: a broken one fails at start, naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.errors import ConfigError
from qa.templates import load_templates, prompts_dir


def copy_prompts(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), target)
    return target


def test_the_shipped_prompts_load_and_render() -> None:
    templates = load_templates()
    rendered = templates.render_answer(sources='<source id="1">x</source>', question="Who?")
    assert '<source id="1">x</source>' in rendered and "Who?" in rendered
    assert "{" not in templates.render_rewrite(history="Q: a", question="b")


def test_a_missing_placeholder_names_the_file(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    (folder / "answer.md").write_text("Sources:\n{sources}\n")
    with pytest.raises(ConfigError, match=r"answer\.md: missing \{question\}"):
        load_templates(folder)


def test_an_unknown_placeholder_is_rejected(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    (folder / "rewrite.md").write_text("{history} {question} {language}")
    with pytest.raises(ConfigError, match=r"unknown \{language\}"):
        load_templates(folder)


def test_a_missing_file_says_how_to_restore_it(tmp_path: Path) -> None:
    folder = copy_prompts(tmp_path)
    (folder / "system.md").unlink()
    with pytest.raises(ConfigError, match="restore it"):
        load_templates(folder)


def test_the_assistant_checks_prompts_at_start_in_llm_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qa.templates
    from qa.assistant import Assistant
    from qa.config import Settings

    folder = copy_prompts(tmp_path)
    (folder / "answer.md").write_text("{sources}")
    monkeypatch.setattr(qa.templates, "prompts_dir", lambda: folder)
    settings = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, home=tmp_path / "home")
    with pytest.raises(ConfigError, match=r"answer\.md"):
        Assistant(settings=settings)
