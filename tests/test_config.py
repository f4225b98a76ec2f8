"""Tests for qa.config.Settings.from_env: defaults, validation, and errors that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Settings, default_home
from qa.errors import ConfigError, QAError


def test_defaults_work_offline(tmp_path: Path) -> None:
    s = Settings.from_env({"QA_HOME": str(tmp_path)})
    assert s.home == tmp_path
    assert s.chroma_url is None
    assert s.collection == "newsqa"
    assert s.embed_backend == "minilm"
    assert s.openai_api_key is None
    assert (s.top_k, s.retrieve_k, s.max_file_mb, s.max_question_chars) == (5, 20, 20, 2000)


def test_home_defaults_to_the_xdg_data_dir(tmp_path: Path) -> None:
    s = Settings.from_env({"XDG_DATA_HOME": str(tmp_path)})
    assert s.home == tmp_path / "newsqa"
    assert default_home({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "newsqa"


def test_home_without_xdg_is_under_the_users_home() -> None:
    assert Settings.from_env({}).home == Path("~/.local/share/newsqa").expanduser()


def test_home_expands_the_tilde() -> None:
    assert Settings.from_env({"QA_HOME": "~/qa-data"}).home == Path("~/qa-data").expanduser()


def test_values_are_read_from_the_environment(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "QA_HOME": str(tmp_path),
            "QA_CHROMA_URL": "http://127.0.0.1:8000",
            "QA_COLLECTION": "news.v2_test-1",
            "QA_TOP_K": "3",
            "QA_RETRIEVE_K": " 40 ",
            "QA_MAX_FILE_MB": "1",
            "QA_MAX_QUESTION_CHARS": "10",
        }
    )
    assert s.chroma_url == "http://127.0.0.1:8000"
    assert s.collection == "news.v2_test-1"
    assert (s.top_k, s.retrieve_k, s.max_file_mb, s.max_question_chars) == (3, 40, 1, 10)
    assert s.max_file_bytes == 1024 * 1024


def test_empty_values_fall_back_to_defaults(tmp_path: Path) -> None:
    s = Settings.from_env({"QA_HOME": str(tmp_path), "QA_TOP_K": "  ", "QA_CHROMA_URL": "", "QA_COLLECTION": ""})
    assert s.top_k == 5
    assert s.chroma_url is None
    assert s.collection == "newsqa"


@pytest.mark.parametrize("raw", ["five", "2.5", "1e3"])
def test_a_non_integer_is_a_config_error_naming_the_setting_and_a_fix(raw: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"QA_TOP_K": raw})
    assert info.value.setting == "QA_TOP_K"
    message = str(info.value)
    assert message.startswith("QA_TOP_K: ")
    assert repr(raw) in message
    assert "set it to e.g. 5" in message


@pytest.mark.parametrize(
    ("name", "raw", "minimum"), [("QA_TOP_K", "0", 1), ("QA_RETRIEVE_K", "-3", 1), ("QA_MAX_QUESTION_CHARS", "9", 10)]
)
def test_a_value_below_the_minimum_is_a_config_error(name: str, raw: str, minimum: int) -> None:
    with pytest.raises(ConfigError, match=rf"^{name}: .*below {minimum}.*at least {minimum}"):
        Settings.from_env({name: raw})


def test_config_errors_are_qa_errors() -> None:
    with pytest.raises(QAError):
        Settings.from_env({"QA_TOP_K": "many"})


@pytest.mark.parametrize("name", ["a", "x" * 49, "news qa", "news/qa", "news:qa"])
def test_an_invalid_collection_name_is_a_config_error_saying_what_is_allowed(name: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"QA_COLLECTION": name})
    assert info.value.setting == "QA_COLLECTION"
    assert "2-48 characters" in str(info.value)


@pytest.mark.parametrize("name", ["ab", "x" * 48])
def test_collection_names_at_the_length_limits_are_accepted(name: str) -> None:
    assert Settings.from_env({"QA_COLLECTION": name}).collection == name


@pytest.mark.parametrize("name", ["-news", ".news", "news..v2", "névsqa"])
def test_a_collection_name_chroma_would_reject_is_a_config_error(name: str) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({"QA_COLLECTION": name})


def test_embed_backend_is_case_insensitive_and_validated() -> None:
    assert Settings.from_env({"QA_EMBED_BACKEND": " MiniLM "}).embed_backend == "minilm"
    with pytest.raises(ConfigError, match=r"^QA_EMBED_BACKEND: 'cohere' is not one of minilm, openai"):
        Settings.from_env({"QA_EMBED_BACKEND": "cohere"})


def test_openai_backend_without_key_or_url_says_what_to_set() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"QA_EMBED_BACKEND": "openai"})
    assert info.value.setting == "QA_EMBED_BACKEND"
    message = str(info.value)
    assert "OPENAI_API_KEY" in message
    assert "set OPENAI_API_KEY" in message
    assert "unset QA_EMBED_BACKEND" in message


@pytest.mark.parametrize("extra", [{"OPENAI_API_KEY": "sk-test"}, {"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"}])
def test_openai_backend_with_a_key_or_a_local_url_is_accepted(extra: dict[str, str]) -> None:
    s = Settings.from_env({"QA_EMBED_BACKEND": "openai", "QA_EMBED_MODEL": "nomic-embed", **extra})
    assert s.embed_backend == "openai"
    assert s.embed_model == "nomic-embed"
    assert s.openai_api_key == extra.get("OPENAI_API_KEY")
    assert s.openai_base_url == extra.get("OPENAI_BASE_URL")


def test_keyword_overrides_win_over_the_environment(tmp_path: Path) -> None:
    s = Settings.from_env({"QA_TOP_K": "3", "QA_HOME": "/elsewhere"}, top_k=7, home=str(tmp_path), chroma_url=None)
    assert s.top_k == 7
    assert s.home == tmp_path
    assert s.chroma_url is None


def test_an_override_to_the_openai_backend_is_checked_too() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Settings.from_env({}, embed_backend="openai")


def test_from_env_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QA_HOME", str(tmp_path / "proc"))
    monkeypatch.setenv("QA_TOP_K", "9")
    s = Settings.from_env()
    assert s.home == tmp_path / "proc"
    assert s.top_k == 9


def test_network_timeout_is_read_in_seconds_and_checked() -> None:
    assert Settings.from_env({}).timeout == 20.0
    assert Settings.from_env({"QA_TIMEOUT": "2.5"}).timeout == 2.5
    for raw in ("soon", "0", "-1", "3601"):
        with pytest.raises(ConfigError, match=r"^QA_TIMEOUT: .* - set it to e\.g\. 20$"):
            Settings.from_env({"QA_TIMEOUT": raw})
