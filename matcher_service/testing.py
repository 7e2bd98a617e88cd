"""Run the real matcher service as a child process, for this and other test suites.

    from matcher_service.testing import run_matcher

    with run_matcher(tmp_path / "matcher") as matcher:
        httpx.post(f"{matcher.url}/v1/search", json={...},
                   headers={"Authorization": f"Bearer {matcher.token}"})

The model defaults to ``MATCHER_MODEL`` or ``<repo>/.data/models/multilingual-e5-small``;
``model="fake"`` starts the hashing FakeEmbedder (plumbing only, not for ranking).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO_ROOT / ".data" / "models" / "multilingual-e5-small"
START_TIMEOUT = 60.0


class MatcherStartError(RuntimeError):
    """The service did not answer /v1/health in time; the message holds its stderr."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def default_model() -> Path:
    return Path(os.environ.get("MATCHER_MODEL") or DEFAULT_MODEL)


class MatcherProcess:
    """A running ``python -m matcher_service serve`` child."""

    def __init__(
        self,
        data_dir: Path,
        *,
        model: str | Path,
        token: str,
        port: int,
        env: dict[str, str] | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.model = str(model)
        self.token = token
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.start_timeout = start_timeout
        self._extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self.log_path: Path | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def start(self) -> None:
        env = {**os.environ, **self._extra_env, "MATCHER_API_TOKEN": self.token}
        self.cleanup()  # a restart starts a fresh log
        # The child's stderr goes to a file (a pipe could fill up and block it).
        fd, log = tempfile.mkstemp(prefix="matcher-", suffix=".log")
        os.close(fd)
        self.log_path = Path(log)
        self._stderr = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [
                sys.executable,
                "-m",
                "matcher_service",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
                "--model",
                self.model,
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self._wait_ready()

    def stderr_text(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def _wait_ready(self) -> None:
        if self.process is None:
            raise MatcherStartError("not started")
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MatcherStartError(
                    f"matcher exited with code {self.process.returncode} during start-up:\n"
                    + self.stderr_text()[-4000:]
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.1)
        self.kill()
        raise MatcherStartError(
            f"matcher did not become healthy within {self.start_timeout:.0f}s:\n"
            + self.stderr_text()[-4000:]
        )

    def stop(self, timeout: float = 15.0) -> None:
        """Graceful stop (SIGTERM), then SIGKILL if it hangs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_log()

    def kill(self) -> None:
        """SIGKILL: the crash a durability test needs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_log()

    def restart(self) -> None:
        """Stop (if running) and start again on the same port and data."""
        self.stop()
        self.start()

    def _close_log(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def cleanup(self) -> None:
        if self.log_path is not None:
            self.log_path.unlink(missing_ok=True)


@contextlib.contextmanager
def run_matcher(
    data_dir: Path,
    *,
    model: str | Path | None = None,
    token: str = "test-token",  # noqa: S107 - a test fixture's token
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[MatcherProcess]:
    """Start the real service on a free port, yield it once healthy, stop it after.

    :param data_dir: the service's data directory (created if missing).
    :param model: model folder; default ``MATCHER_MODEL`` or the repo's built model.
    :param token: the bearer token the service will require.
    :param port: fixed port; default a free one.
    :param env: extra ``MATCHER_*`` settings for the child. Tests get the OpenAPI
        schema and docs (``MATCHER_OPENAPI_DOCS=1``) unless this says otherwise.
    :raises MatcherStartError: if it is not healthy within ~60 s (with its stderr).
    """
    proc = MatcherProcess(
        Path(data_dir),
        model=model if model is not None else default_model(),
        token=token,
        port=port or free_port(),
        env={"MATCHER_OPENAPI_DOCS": "1", **(env or {})},
    )
    try:
        proc.start()
        yield proc
    finally:
        proc.stop()
        proc.cleanup()
