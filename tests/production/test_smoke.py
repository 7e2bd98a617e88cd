"""End-to-end smoke test of the production stack, with the processes compose runs.

On a fresh PostgreSQL database of its own, with ``cms.settings.production``:
``manage.py migrate`` and ``collectstatic`` (like the image build and the ``migrate``
service), then gunicorn (``gunicorn.conf.py``), the matcher service with the real
model, and the outbox worker ``manage.py matcher_sync``, each as a child process.
Over HTTP, as a browser behind the TLS proxy would: log in to the admin, publish a
draft project, create an API key, find the project through the partner search API
and fetch it through the public API v2.
"""

from __future__ import annotations

import contextlib
import html.parser
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg
import pytest

from matcher_service.build.model_builder import build_model
from matcher_service.testing import (
    MatcherProcess,
    default_model,
    free_port,
    run_matcher,
)
from tests.production.conftest import REPO, production_env

ADMIN_URL = os.environ.get(
    "SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "Smoke-Test-Wachtwoord-42"
TITLE = "Voorleesochtenden voor peuters in Smokestad"
SUMMARY = (
    "Elke zaterdag lezen vrijwilligers voor aan peuters en hun ouders in de "
    "bibliotheek, met een knutselactiviteit na afloop."
)

SETUP_SCRIPT = f"""
import json
from django.contrib.auth import get_user_model
from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import AnnualPlanPage, FocusArea, ProjectIndicator, ProjectPage

get_user_model().objects.create_superuser("beheer", "beheer@example.org", {PASSWORD!r})
library = SetUpLibraryAction("Bibliotheek Smokestad").execute(
    skip_permission_checks=True
).library
plan = AnnualPlanPage(title="Jaarplan 2026", slug="jaarplan-2026", year=2026)
plan.focus_areas.add(FocusArea(title="Geletterdheid"))
library.add_child(instance=plan)
plan.save_revision().publish()
project = ProjectPage(
    title={TITLE!r}, slug="voorleesochtenden", summary={SUMMARY!r}, phase="do",
    live=False, focus_area=plan.focus_areas.first(),
)
project.indicators.add(ProjectIndicator(name="deelnemende gezinnen", target=120, result=85))
plan.add_child(instance=project)
project.save_revision()
print(json.dumps({{"project": project.pk, "plan": plan.pk}}))
"""


# Processes ----------------------------------------------------------------------------


@dataclass
class Stack:
    base_url: str
    host: str
    project_id: int
    plan_id: int
    matcher: MatcherProcess
    gunicorn_log: Path
    worker_log: Path


def _database_url(name: str) -> str:
    parts = urlsplit(ADMIN_URL)
    return parts._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    name = f"bm_smoke_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _database_url(name)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@contextlib.contextmanager
def child(
    args: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-4000:]}"
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{url}/readyz/", timeout=3)
            if (
                response.status_code == 200
                and response.json()["checks"]["matcher"]["ok"]
            ):
                return response.json()
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not become ready:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("smoke")
    model = default_model()
    if not (model / "modules.json").is_file():
        build_model(model)
    port = free_port()
    host = f"127.0.0.1:{port}"
    with (
        fresh_database() as database_url,
        run_matcher(
            tmp / "matcher", model=model, token=secrets.token_urlsafe(24)
        ) as matcher,
    ):
        env = production_env(
            DATABASE_URL=database_url,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"https://{host}",
            MATCHER_URL=matcher.url,
            MATCHER_API_TOKEN=matcher.token,
            STATIC_ROOT=str(tmp / "static"),
            MEDIA_ROOT=str(tmp / "media"),
            GUNICORN_BIND=host,
            WEB_CONCURRENCY="2",
            GUNICORN_THREADS="2",
        )
        python = sys.executable
        run([python, "manage.py", "migrate", "--no-input"], env)
        run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        ids = json.loads(
            run([python, "manage.py", "shell", "-c", SETUP_SCRIPT], env)
            .strip()
            .splitlines()[-1]
        )
        gunicorn_log, worker_log = tmp / "gunicorn.log", tmp / "worker.log"
        with (
            child(
                [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"],
                env,
                gunicorn_log,
            ) as gunicorn,
            child([python, "manage.py", "matcher_sync"], env, worker_log),
        ):
            wait_until_ready(f"http://{host}", gunicorn, gunicorn_log)
            yield Stack(
                base_url=f"http://{host}",
                host=host,
                project_id=ids["project"],
                plan_id=ids["plan"],
                matcher=matcher,
                gunicorn_log=gunicorn_log,
                worker_log=worker_log,
            )


# A browser behind the TLS proxy -------------------------------------------------------


class Browser:
    """httpx plus the parts of a browser the admin needs.

    The proxy in front of gunicorn terminates TLS and sends ``X-Forwarded-Proto``;
    the site's cookies are ``Secure``, so they are kept here by hand (a cookie jar
    would not send them over the plain-HTTP hop to gunicorn).
    """

    def __init__(self, stack: Stack) -> None:
        self.origin = f"https://{stack.host}"
        self.client = httpx.Client(base_url=stack.base_url, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Accept-Language": "nl",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Origin", self.origin)
            headers.setdefault("Referer", f"{self.origin}{path}")
        response = self.client.request(method, path, headers=headers, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> httpx.Response:
        """POST a form; ``data`` is a dict or a list of pairs (repeated names)."""
        pairs = list(data.items()) if isinstance(data, dict) else list(data)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(
            "POST", path, content=urlencode(pairs), headers=headers, **kwargs
        )


class FormScraper(html.parser.HTMLParser):
    """The fields a browser would submit for one form (by id), with their values."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []

    def _belongs(self, attrs: dict) -> bool:
        return (
            self.in_form or attrs.get("form") == self.form_id
        ) and "disabled" not in attrs

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        elif tag == "input" and self._belongs(attrs) and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea" and self._belongs(attrs) and attrs.get("name"):
            self._textarea, self._text = attrs["name"], []
        elif tag == "select" and self._belongs(attrs) and attrs.get("name"):
            self._select, self._select_options = attrs["name"], []
        elif tag == "option" and self._select is not None:
            self._select_options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and self._select_options:
                chosen = [self._select_options[0][0]]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None


def form_fields(page_html: str, form_id: str) -> list[tuple[str, str]]:
    scraper = FormScraper(form_id)
    scraper.feed(page_html)
    assert scraper.fields, f"form {form_id!r} not found"
    return scraper.fields


def csrf_token(page_html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# The test -----------------------------------------------------------------------------


def test_production_stack_end_to_end(stack: Stack):
    plain = httpx.Client(base_url=stack.base_url, timeout=30)
    # An anonymous client behind the TLS proxy (a municipality's portal, say).
    public = httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-Forwarded-Proto": "https"}
    )

    # Health: answered before host checks and the HTTPS redirect.
    assert plain.get("/healthz/", headers={"Host": "probe.internal"}).json() == {
        "status": "ok"
    }
    ready = plain.get("/readyz/").json()
    assert ready["checks"]["database"]["ok"] and ready["checks"]["matcher"]["ok"]
    # Plain HTTP is sent to HTTPS; behind the proxy, security headers are set.
    redirect = plain.get("/admin/login/")
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"https://{stack.host}/admin/login/"

    browser = Browser(stack)
    login_page = browser.get("/admin/login/")
    assert login_page.status_code == 200
    assert login_page.headers["Strict-Transport-Security"].startswith(
        "max-age=31536000"
    )
    assert login_page.headers["X-Content-Type-Options"] == "nosniff"
    assert login_page.headers["X-Frame-Options"] == "DENY"
    # Static files: hashed names from the manifest, compressed, cached for long.
    css = re.search(
        r'href="(/static/wagtailadmin/css/core\.[0-9a-f]{12}\.css)"', login_page.text
    )
    assert css, "no hashed static URL on the login page"
    static = public.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert static.status_code == 200
    assert static.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in static.headers["Cache-Control"]

    # Log in.
    logged_in = browser.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_token(login_page.text),
            "username": "beheer",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert logged_in.status_code == 302, logged_in.text[:2000]
    assert logged_in.headers["Location"] == "/admin/"
    assert "sessionid" in browser.cookies

    # The draft is not public yet.
    assert public.get(f"/api/v2/projects/{stack.project_id}/").status_code == 404

    # Publish it in the editor, as the "Publish" button does.
    edit_url = f"/admin/pages/{stack.project_id}/edit/"
    editor = browser.get(edit_url)
    assert editor.status_code == 200
    fields = form_fields(editor.text, "page-edit-form")
    published = browser.post(edit_url, [*fields, ("action-publish", "action-publish")])
    assert published.status_code == 302, published.text[:3000]

    # An API key, made in the admin.
    keys_page = browser.post(
        "/admin/api-sleutels/",
        {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "action": "create"},
    )
    key = re.search(r"<code data-bm-key>([0-9a-f]{40})</code>", keys_page.text)
    assert key, keys_page.text[:2000]
    api = httpx.Client(
        base_url=stack.base_url,
        timeout=30,
        headers={
            "Authorization": f"Token {key.group(1)}",
            "X-Forwarded-Proto": "https",
        },
    )

    # The worker indexes the published project; the search API finds it.
    deadline = time.monotonic() + 90
    found = None
    while time.monotonic() < deadline and found is None:
        response = api.get("/api/matching/search", params={"q": TITLE, "k": 5})
        assert response.status_code == 200, response.text
        found = next(
            (r for r in response.json()["results"] if r["id"] == stack.project_id), None
        )
        if found is None:
            time.sleep(1)
    assert found is not None, (
        "not found through /api/matching/search; worker log:\n"
        + stack.worker_log.read_text()[-3000:]
    )
    assert found["title"] == TITLE
    assert found["library"]["name"] == "Bibliotheek Smokestad"
    assert found["year"] == 2026

    # The public API v2 has it now, anonymously.
    project = public.get(f"/api/v2/projects/{stack.project_id}/")
    assert project.status_code == 200, project.text
    data = project.json()
    assert data["title"] == TITLE
    assert data["summary"] == SUMMARY
    assert data["phase"] == "do"
    assert data["library"]["title"] == "Bibliotheek Smokestad"
    assert data["indicators"][0]["target"] == 120.0
    listing = public.get(
        "/api/v2/projects/", params={"library": "bibliotheek-smokestad", "year": 2026}
    ).json()
    assert [item["id"] for item in listing["items"]] == [stack.project_id]

    # The annual report, through the API, in production settings.
    report = api.get(f"/api/plans/{stack.plan_id}/report/", params={"format": "pdf"})
    assert report.status_code == 200
    assert report.content.startswith(b"%PDF")

    # Access log lines on stdout.
    log = stack.gunicorn_log.read_text()
    assert f'"GET /api/v2/projects/{stack.project_id}/ HTTP/1.1" 200' in log
