"""Starting and stopping a real `stride serve` process for the tests that need one.

The server's log goes to a file beside its database, and a failure to start or to stop
shows it, so a broken server explains itself in the test report.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from api_requests import ROOT

STARTUP_PATIENCE_S = 60
SHUTDOWN_PATIENCE_S = 30


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> int:
        """SIGINT, as Ctrl-C would; the exit code (0 for a clean shutdown)."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=SHUTDOWN_PATIENCE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the server did not shut down on SIGINT:\n{self.log_text()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(db_path: Path, **env: str) -> Server:
    """`stride serve` on a free loopback port, with `STRIDE_*` overrides in `env`."""
    port = free_port()
    environment = {
        **os.environ,
        "STRIDE_DB_PATH": str(db_path),
        "STRIDE_MAX_TIME_LIMIT_S": "10",
        "STRIDE_MAX_CONCURRENT_SOLVES": "2",
        "STRIDE_SSE_KEEPALIVE_S": "1",
        **env,
    }
    log = db_path.with_name(f"{db_path.stem}-server.log")
    command = [sys.executable, "-m", "solver.cli", "serve", "--port", str(port)]
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*command, "--log-level", "warning"],
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + STARTUP_PATIENCE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited at start-up:\n{server.log_text()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"the server did not come up:\n{server.log_text()}")
