"""The anonymous API throttle holds behind the proxy and across workers (hardening
item 5).

A client used to dodge it by sending a made-up ``X-Forwarded-For`` on each request
(DRF's ``NUM_PROXIES`` was unset, so the whole header was the client's identity),
and each gunicorn worker counted in its own memory (3 workers, 3 times the rate).

Here, over real HTTP: gunicorn with ``cms.settings.production`` (its ``NUM_PROXIES``
default, one hop) on the test database, behind a small reverse proxy that appends
the address it sees to ``X-Forwarded-For`` as the TLS proxy does; and two separate
gunicorn processes counting in the real Redis at 127.0.0.1:6379 under a key prefix
of their own.
"""

from __future__ import annotations

import contextlib
import http.server
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis
from django.db import connection

from matcher_service.testing import free_port
from tests.production.conftest import REPO, TEST_REDIS_URL, production_env

RATE = 5
ENDPOINT = "/api/v2/projects/"


def forged_address() -> str:
    return ".".join(str(secrets.randbelow(254) + 1) for _ in range(4))


# The processes ----------------------------------------------------------------------


def url_of_the_test_database() -> str:
    settings = connection.settings_dict
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path) -> Iterator[str]:
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log_path.read_text()[-3000:]
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{url}/healthz/", timeout=2)
                break
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def tls_proxy(upstream: str) -> Iterator[str]:
    """A reverse proxy like the one in front of compose's cms: it appends the
    address it sees to X-Forwarded-For and says the request came over HTTPS."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            sent = self.headers.get("X-Forwarded-For")
            peer = self.client_address[0]
            response = httpx.get(
                f"{upstream}{self.path}",
                headers={
                    "Host": "127.0.0.1",
                    "X-Forwarded-For": f"{sent}, {peer}" if sent else peer,
                    "X-Forwarded-Proto": "https",
                },
                timeout=30,
            )
            self.send_response(response.status_code)
            for name in ("Content-Type", "Retry-After"):
                if name in response.headers:
                    self.send_header(name, response.headers[name])
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("production settings run on PostgreSQL (DATABASE_URL)")
    tmp = tmp_path_factory.mktemp("throttle")
    prefix = f"bm-throttle-test-{secrets.token_hex(6)}"
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    # As in production (NUM_PROXIES and the cache left at their defaults), with a
    # small anonymous rate; one key prefix for both servers, unique to this run.
    env = production_env(
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        API_THROTTLE_ANON=f"{RATE}/minute",
        CACHE_KEY_PREFIX=prefix,
        NUM_PROXIES=None,
        STATIC_ROOT=str(tmp / "static"),
    )
    with (
        gunicorn(env, tmp / "a.log") as a,
        gunicorn(env, tmp / "b.log") as b,
        tls_proxy(a) as proxy,
    ):
        yield {"a": a, "b": b, "proxy": proxy, "prefix": prefix}
    store = redis.Redis.from_url(TEST_REDIS_URL)
    for key in store.scan_iter(f"{prefix}:*"):
        store.delete(key)


@pytest.fixture
def counters(stack) -> Callable[[], list[bytes]]:
    """Clears this module's keys in Redis (throttle counters, and the public cache's
    stored answers, which count against the throttle too); returns a reader of the
    throttle counters."""
    store = redis.Redis.from_url(TEST_REDIS_URL)
    for key in store.scan_iter(f"{stack['prefix']}:*"):
        store.delete(key)
    return lambda: sorted(store.scan_iter(f"{stack['prefix']}:*throttle_*"))


HTTPS = {"X-Forwarded-Proto": "https"}


# The tests ----------------------------------------------------------------------------


def test_a_new_forged_x_forwarded_for_on_every_request_is_still_throttled(
    stack, counters
):
    statuses = []
    for _ in range(RATE + 3):
        response = httpx.get(
            f"{stack['proxy']}{ENDPOINT}",
            headers={"X-Forwarded-For": forged_address()},
            timeout=30,
        )
        statuses.append(response.status_code)
    assert statuses == [200] * RATE + [429] * 3, statuses
    assert response.json()["code"] == "throttled"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Counted by the address the proxy saw, never by a forged one.
    keys = counters()
    assert keys and all(key.endswith(b"_127.0.0.1") for key in keys), keys


def test_two_gunicorn_processes_share_one_counter_in_redis(stack, counters):
    statuses = []
    for n in range(RATE + 1):
        server = stack["a"] if n % 2 == 0 else stack["b"]
        statuses.append(
            httpx.get(f"{server}{ENDPOINT}", headers=HTTPS, timeout=30).status_code
        )
    # Three requests to one, three to the other: the sixth is over the budget of 5.
    assert statuses == [200] * RATE + [429], statuses
    # And the other process refuses too, the counter being shared.
    assert (
        httpx.get(f"{stack['a']}{ENDPOINT}", headers=HTTPS, timeout=30).status_code
        == 429
    )
    assert [key for key in counters() if b"throttle_anon_" in key] == [
        f"{stack['prefix']}:1:throttle_anon_127.0.0.1".encode()
    ]


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_ignored(client, settings):
    """Dev and the test settings: NUM_PROXIES 0, the socket's address counts."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/minute",
        },
    }
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.get(ENDPOINT, HTTP_X_FORWARDED_FOR=forged_address()).status_code
        for _ in range(5)
    ]
    cache.clear()
    assert statuses == [200, 200, 200, 429, 429], statuses
