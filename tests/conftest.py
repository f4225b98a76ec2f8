"""Shared fixtures: real Chroma (embedded and server), the real embedder, isolated homes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.assistant import Assistant, samples_dir
from qa.config import Settings

SAMPLES = samples_dir()
BESIEGED = "000_db5433082a11908e"  # Daily-Sabah-style article with the "Published" line
WAPO = "003_4097ccc5a1db7ed0"  # The Washington Post article


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own QA_HOME and no model endpoint from the developer's shell."""
    home = tmp_path / "home"
    monkeypatch.setenv("QA_HOME", str(home))
    for name in ("QA_CHROMA_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "QA_EMBED_BACKEND", "QA_COLLECTION"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def embedding() -> object:
    """The real MiniLM embedder, loaded once for the whole run."""
    from qa.embedding import MiniLMEmbedding

    return MiniLMEmbedding()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_executable() -> str:
    found = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(found).exists():
        pytest.fail("the 'chroma' command (from the chromadb package) is not installed")
    return found


class ChromaServer:
    """A real Chroma server on loopback, started with ``chroma run``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [_chroma_executable(), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"chroma run exited with code {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail("chroma run did not start listening within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the session; tests use their own collection names on it."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    server.start()
    yield server
    server.stop()


_collection_counter = iter(range(10**6))


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test against the embedded store and against a Chroma server."""
    return str(request.param)


@pytest.fixture
def make_assistant(embedding: object, isolated_env: Path, request: pytest.FixtureRequest) -> object:
    """Factory: an Assistant on a fresh store (embedded, or a fresh collection on the server)."""

    def make(kind: str = "embedded", home: Path | None = None) -> Assistant:
        chroma_url = None
        collection = f"t{next(_collection_counter)}-{os.getpid()}"
        if kind == "server":
            chroma_url = request.getfixturevalue("chroma_server").url
        settings = Settings.from_env(home=home or isolated_env, chroma_url=chroma_url, collection=collection)
        return Assistant(settings=settings, embedding=embedding)  # type: ignore[arg-type]

    return make


@pytest.fixture
def samples_assistant(make_assistant: object, backend: str) -> Assistant:
    """An Assistant with the two sample articles ingested, on each backend."""
    assistant: Assistant = make_assistant(backend)  # type: ignore[operator]
    report = assistant.ingest([SAMPLES])
    assert report.count("added") == 2, report
    return assistant
