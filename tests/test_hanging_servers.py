"""Servers that accept connections and never answer: every network call gives up after QA_TIMEOUT.

Real sockets on 127.0.0.1: a server that accepts and then says nothing (standing in for a hung
Chroma server or LLM endpoint), and an HTTP proxy in front of a real ``chroma run`` that forwards
every request except the similarity queries, which it reads and never answers (a server that
hangs in the middle of a question). ``qa ask`` runs as a subprocess: one line on stderr, exit 1.
The 30 s promise is the subprocess timeout; QA_TIMEOUT=2 keeps the tests short.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import BackendError, StoreError
from tests.conftest import SAMPLES, ChromaServer

QUESTION = "How many soldiers were besieged near al-Sukhna?"
TIMEOUT = "2"


class SilentServer:
    """Accepts every connection on 127.0.0.1 and never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed
                return
            self.accepted.append(conn)  # held open, unread, until close()

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class QueryHangingProxy:
    """Forwards HTTP to a real Chroma server, except requests whose path holds ``hang_on``: never answered."""

    def __init__(self, target_port: int, hang_on: str) -> None:
        self.release = threading.Event()
        self.hung: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if hang_on in self.path:
                    proxy.hung.append(self.path)
                    proxy.release.wait(60)
                    self.close_connection = True
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                upstream.close()
                self.send_response(reply.status)
                for key, value in reply.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def ask_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "QA_TIMEOUT": TIMEOUT, **env}
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", QUESTION],
        capture_output=True,
        text=True,
        env=full,
        timeout=30,  # the promise: a hung server fails a question within 30 s
        cwd=Path(__file__).resolve().parent.parent,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], starts: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(starts), proc.stderr


def test_qa_ask_fails_in_one_line_when_the_chroma_server_never_answers(silent: SilentServer) -> None:
    proc = ask_in_subprocess({"QA_CHROMA_URL": silent.url})

    assert_one_line_error(
        proc,
        f"error: {silent.url}: the Chroma server accepted the connection but did not answer within 2 s (to connect)",
    )
    assert "QA_TIMEOUT" in proc.stderr and "QA_CHROMA_URL" in proc.stderr
    assert silent.accepted  # it did get there: the connection was made, then nothing came back


def test_qa_ask_fails_in_one_line_when_the_llm_endpoint_never_answers(
    silent: SilentServer, make_assistant: object
) -> None:
    assistant: Assistant = make_assistant("embedded")  # type: ignore[operator]
    assistant.ingest([SAMPLES])
    endpoint = f"{silent.url}/v1"

    proc = ask_in_subprocess(
        {
            "QA_HOME": str(assistant.settings.home),
            "QA_COLLECTION": assistant.settings.collection,
            "OPENAI_BASE_URL": endpoint,
            "OPENAI_API_KEY": "not-needed",
            "QA_ANSWER_MODE": "llm",
        }
    )

    assert_one_line_error(proc, f"error: {endpoint}: the chat endpoint did not answer within 2 s")
    assert "QA_TIMEOUT" in proc.stderr
    assert len(silent.accepted) == 1  # one try, no retries that would double the wait


def test_an_embedding_endpoint_that_never_answers_fails_after_one_try(silent: SilentServer) -> None:
    from qa.embedding import make_embedding

    endpoint = f"{silent.url}/v1"
    env = {"QA_EMBED_BACKEND": "openai", "OPENAI_BASE_URL": endpoint, "QA_TIMEOUT": "1"}
    embedding = make_embedding(Settings.from_env(env))

    with pytest.raises(BackendError) as caught:
        embedding.get_query_embedding(QUESTION)

    assert str(caught.value).startswith(f"{endpoint}: the embedding endpoint did not answer within 1 s")
    assert len(silent.accepted) == 1


def test_a_chroma_server_that_hangs_in_the_middle_of_a_question(
    chroma_server: ChromaServer, embedding: object, isolated_env: Path
) -> None:
    direct = Settings.from_env(home=isolated_env, chroma_url=chroma_server.url, collection="hangs")
    Assistant(settings=direct, embedding=embedding).ingest([SAMPLES])  # type: ignore[arg-type]
    proxy = QueryHangingProxy(chroma_server.port, hang_on="/query")
    try:
        via_proxy = Settings.from_env(home=isolated_env, chroma_url=proxy.url, collection="hangs", timeout=2.0)
        assistant = Assistant(settings=via_proxy, embedding=embedding)  # type: ignore[arg-type]
        assert len(assistant.list_articles()) == 2  # everything else goes through

        with pytest.raises(StoreError) as caught:
            assistant.ask(QUESTION)

        message = str(caught.value)
        assert proxy.hung, "the question never reached the similarity query"
        assert message.startswith(
            f"{proxy.url}: the Chroma server accepted the connection but did not answer within 2 s"
        )
        assert "QA_TIMEOUT" in message and "\n" not in message
    finally:
        proxy.close()
