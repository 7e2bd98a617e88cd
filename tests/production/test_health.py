"""Health endpoints: liveness always, readiness only with a database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import httpx
import pytest

from matcher_service.testing import free_port
from tests.production.conftest import REPO, production_env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], tmp_path):
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, log.read_text()
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"{url}/healthz/", timeout=2)
                    break
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(20)


def test_without_a_database_live_but_not_ready(tmp_path):
    closed = free_port()
    env = production_env(
        DATABASE_URL=f"postgres://biblio:S3cure-Passw0rd@127.0.0.1:{closed}/biblio",
        MATCHER_URL=f"http://127.0.0.1:{free_port()}",
    )
    with gunicorn(env, tmp_path) as url:
        # Any Host header, plain HTTP: probes are answered before host checks and
        # the HTTPS redirect.
        live = httpx.get(f"{url}/healthz/", headers={"Host": "10.0.0.7:8000"})
        assert live.status_code == 200
        assert live.json() == {"status": "ok"}
        assert "no-cache" in live.headers["Cache-Control"]

        ready = httpx.get(f"{url}/readyz/", headers={"Host": "10.0.0.7:8000"})
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["database"]["ok"] is False
        assert body["checks"]["database"]["error"] == "OperationalError"
        assert body["checks"]["cache"]["ok"] is True  # the Redis of production_env
        assert body["checks"]["matcher"] == {"ok": False, "error": "ConnectError"}

        # Everything else still gets host validation.
        other = httpx.get(f"{url}/admin/login/", headers={"Host": "evil.example"})
        assert other.status_code == 400


@pytest.mark.django_db
def test_ready_with_database_and_matcher_down_is_still_ready(client, settings):
    settings.BM_MATCHING = {
        **settings.BM_MATCHING,
        "MATCHER_URL": f"http://127.0.0.1:{free_port()}",
    }
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["matcher"]["ok"] is False


def test_without_redis_not_ready(tmp_path):
    # The API throttles count in Redis: without it the API cannot answer. The
    # database answers (this machine's PostgreSQL), so the cache alone decides.
    env = production_env(
        DATABASE_URL=os.environ.get(
            "SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        MATCHER_URL=f"http://127.0.0.1:{free_port()}",
    )
    with gunicorn(env, tmp_path) as url:
        ready = httpx.get(f"{url}/readyz/", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"]["ok"] is True
        assert ready.json()["checks"]["cache"] == {
            "ok": False,
            "error": "ConnectionError",
        }
