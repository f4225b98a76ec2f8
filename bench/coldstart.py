"""Cold start: from starting a process to holding the first answer, for the CLI and for the UI."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measured_env(home: Path) -> dict[str, str]:
    """The environment a measured process runs in: this checkout, the store at ``home``, no model endpoint."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QA_"))}
    env["QA_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)  # the checkout being measured, not whatever else is installed
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    return env


def _qa() -> list[str]:
    return [sys.executable, "-c", "import sys; from qa.cli import main; sys.exit(main())"]


def cli(home: Path, question: str, reps: int) -> dict[str, Any]:
    """Wall time of ``qa ask QUESTION`` in a new process, ``reps`` times (after one run that warms the disk cache)."""
    runs: list[float] = []
    for i in range(reps + 1):
        start = time.perf_counter()
        done = subprocess.run(
            [*_qa(), "ask", question], env=measured_env(home), capture_output=True, text=True, timeout=300, check=False
        )
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"qa ask failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        if i:  # the first run only warms the page cache
            runs.append(seconds)
    return {"median_s": round(statistics.median(runs), 3), "runs_s": [round(r, 3) for r in runs]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ui(home: Path, question: str, reps: int) -> dict[str, Any]:
    """Time from starting ``qa serve`` to the first answer received by a client, ``reps`` times."""
    import httpx
    from gradio_client import Client

    runs: list[float] = []
    listening: list[float] = []
    for _ in range(reps):
        port = _free_port()
        start = time.perf_counter()
        server = subprocess.Popen(
            [*_qa(), "serve", "--port", str(port)],
            env=measured_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"qa serve exited with {server.returncode}")
                if time.perf_counter() - start > 300:
                    raise RuntimeError("qa serve did not answer within 300 s")
                try:
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
            up = time.perf_counter() - start
            client = Client(url, verbose=False)
            client.predict(question, [], 5, "extractive", api_name="/respond")
            runs.append(time.perf_counter() - start)
            listening.append(up)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "median_s": round(statistics.median(runs), 3),
        "runs_s": [round(r, 3) for r in runs],
        "listening_median_s": round(statistics.median(listening), 3),
    }
