"""Storms of simultaneous real requests under gunicorn with 3 workers: zero 500s.

Item 6 and 10 of the hardening review, kept closed. The production processes run as
in ``tests/production/test_smoke.py`` (whose helpers this reuses): gunicorn with
``cms.settings.production`` and 3 workers, the matcher service and the outbox worker
``manage.py matcher_sync``, once on PostgreSQL and once on SQLite. Each storm starts
its requests at the same moment (a barrier) and reads the database afterwards:

- three editors save one page five times each through the admin edit form;
- three approvers publish one project four times each while the worker sends it on;
- six API clients import one project into one plan: one copy, the rest 409;
- six approver sessions approve one workflow task: one approval in the history, by
  the user who published;
- four sessions copy one project to next year: one plan, one copy.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from matcher_service.build.model_builder import build_model
from matcher_service.testing import (
    MatcherProcess,
    default_model,
    free_port,
)
from tests.bm_matching.helpers import PASSWORD, matcher_record
from tests.production.conftest import production_env
from tests.production.test_smoke import (
    Browser,
    child,
    csrf_token,
    form_fields,
    fresh_database,
    run,
    wait_until_ready,
)

logger = logging.getLogger(__name__)

EDITORS = ("redacteur-1", "redacteur-2", "redacteur-3")
APPROVERS = ("goedkeurder-1", "goedkeurder-2", "goedkeurder-3")

SETUP_SCRIPT = f"""
import json
from rest_framework.authtoken.models import Token
from bm_pages.models import ProjectPage
from bm_pages.roles import LibraryRole
from tests.bm_matching.helpers import add_plan, publish_project, set_up_library, staff

a = set_up_library("Bibliotheek Aadorp")
b = set_up_library("Bibliotheek Beekstad")
plan_a, plan_b = add_plan(a, 2026), add_plan(b, 2026)
editors = [staff(a, name) for name in {EDITORS!r}]
for name in {APPROVERS!r}:
    staff(a, name, LibraryRole.APPROVER)
saved = publish_project(plan_a, "Taalcafe Aadorp", live=False)
published = publish_project(plan_a, "Voorleesochtend Aadorp")
review = publish_project(plan_a, "Leesclub Aadorp", live=False)
review = ProjectPage.objects.get(pk=review.pk)
state = review.get_workflow().start(review, editors[0])
copied = publish_project(plan_a, "Boekstart Aadorp")
source = publish_project(plan_b, "Digicafe Beekstad", "Hulp bij de computer.")
print(json.dumps({{
    "library": a.pk, "plan": plan_a.pk, "saved": saved.pk, "published": published.pk,
    "review": review.pk, "task_state": state.current_task_state.pk,
    "copied": copied.pk, "source": source.pk,
    "token": Token.objects.create(user=editors[0]).key,
}}))
"""


# The stack -----------------------------------------------------------------------------


@dataclass
class Site:
    """One running site: what ``Browser`` needs, the ids made at set-up, the database."""

    engine: str
    base_url: str
    host: str
    database_url: str
    ids: dict[str, Any]
    matcher: MatcherProcess
    worker: Any
    worker_log: Path
    gunicorn_log: Path
    sessions: dict[str, list[Browser]] = field(default_factory=dict)
    log_mark: int = 0

    def rows(self, sql: str, *params) -> list[tuple]:
        """Read the site's database directly (``%s`` placeholders on both engines)."""
        if self.engine == "postgres":
            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql, params).fetchall()
        path = self.database_url.removeprefix("sqlite:///")
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    def value(self, sql: str, *params):
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None

    def revisions(self, page_id: int) -> list[tuple[int, dict]]:
        """(id, content) of the page's revisions, oldest first."""
        rows = self.rows(
            "SELECT id, content FROM wagtailcore_revision WHERE object_id = %s "
            "AND base_content_type_id = (SELECT id FROM django_content_type "
            "WHERE app_label = 'wagtailcore' AND model = 'page') ORDER BY id",
            str(page_id),
        )
        return [(pk, c if isinstance(c, dict) else json.loads(c)) for pk, c in rows]

    def errors(self) -> list[str]:
        """Gunicorn's access log lines with a 5xx status, and tracebacks (with the
        lines after them), since ``log_mark`` (the start of the current test).

        A notification mail that cannot be sent is not an error here: the test site
        has no mail server, and Wagtail logs the failure and carries on.
        """
        with self.gunicorn_log.open("rb") as handle:
            handle.seek(self.log_mark)
            lines = handle.read().decode(errors="replace").splitlines()
        found = []
        for number, line in enumerate(lines):
            if re.search(r'" 5\d\d ', line):
                found.append(line)
            elif line.startswith("Traceback"):
                block = "\n".join(lines[number : number + 20])
                if "wagtail/admin/mail.py" not in block:
                    found.append(block)
        return found


@pytest.fixture(scope="module")
def matcher(tmp_path_factory) -> Iterator[MatcherProcess]:
    model = default_model()
    if not (model / "modules.json").is_file():
        build_model(model)
    process = MatcherProcess(
        tmp_path_factory.mktemp("matcher"),
        model=model,
        token=secrets.token_urlsafe(24),
        port=free_port(),
        # Loading the model takes long on a busy machine; the storms need it running.
        start_timeout=240,
    )
    try:
        process.start()
        yield process
    finally:
        process.stop()
        process.cleanup()


@contextlib.contextmanager
def sqlite_database(tmp: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp / 'site.sqlite3'}"


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def site(request, matcher, tmp_path_factory) -> Iterator[Site]:
    engine = request.param
    tmp = tmp_path_factory.mktemp(f"storm-{engine}")
    database = fresh_database() if engine == "postgres" else sqlite_database(tmp)
    with database as database_url:
        host = f"127.0.0.1:{free_port()}"
        env = production_env(
            DATABASE_URL=database_url,
            # SQLite is refused in production unless asked for (a test site here).
            BM_ALLOW_INSECURE="1" if engine == "sqlite" else None,
            # Throttle counters: a Redis database and key prefix of this site's own.
            REDIS_URL="redis://127.0.0.1:6379/13",
            CACHE_KEY_PREFIX=f"bm-storm-{secrets.token_hex(4)}",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"https://{host}",
            MATCHER_URL=matcher.url,
            MATCHER_API_TOKEN=matcher.token,
            STATIC_ROOT=str(tmp_path_factory.getbasetemp() / "storm-static"),
            MEDIA_ROOT=str(tmp / "media"),
            GUNICORN_BIND=host,
            WEB_CONCURRENCY="3",
            GUNICORN_THREADS="2",
        )
        python = sys.executable
        run([python, "manage.py", "migrate", "--no-input"], env)
        if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").is_file():
            run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        output = run([python, "manage.py", "shell", "-c", SETUP_SCRIPT], env)
        ids = json.loads(output.strip().splitlines()[-1])
        gunicorn_log, worker_log = tmp / "gunicorn.log", tmp / "worker.log"
        with (
            child(
                [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"],
                env,
                gunicorn_log,
            ) as gunicorn,
            child([python, "manage.py", "matcher_sync"], env, worker_log) as worker,
        ):
            wait_until_ready(f"http://{host}", gunicorn, gunicorn_log)
            site = Site(
                engine=engine,
                base_url=f"http://{host}",
                host=host,
                database_url=database_url,
                ids=ids,
                matcher=matcher,
                worker=worker,
                worker_log=worker_log,
                gunicorn_log=gunicorn_log,
            )
            # Three editors, and three approvers with two sessions each.
            logins = [(name, 1) for name in EDITORS] + [(n, 2) for n in APPROVERS]
            for name, count in logins:
                site.sessions[name] = [log_in(site, name) for _ in range(count)]
            yield site


@pytest.fixture(autouse=True)
def errors_of_this_test(site: Site) -> None:
    site.log_mark = site.gunicorn_log.stat().st_size


def log_in(site: Site, username: str) -> Browser:
    browser = Browser(site)
    login_page = browser.get("/admin/login/")
    response = browser.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_token(login_page.text),
            "username": username,
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    return browser


# Storms --------------------------------------------------------------------------------


def storm(clients: list[Callable[[threading.Barrier], list[int]]]) -> list[int]:
    """Run each client in its own thread; they meet at the barrier before each request.

    Returns every status code the clients got (an exception counts as 599).
    """
    barrier = threading.Barrier(len(clients))

    def guarded(client) -> list[int]:
        try:
            return client(barrier)
        except Exception:  # noqa: BLE001 - a failed client is a failed request
            barrier.abort()
            return [599]

    with ThreadPoolExecutor(len(clients)) as pool:
        return [code for codes in pool.map(guarded, clients) for code in codes]


def with_value(fields: list[tuple[str, str]], name: str, value: str) -> list:
    assert any(key == name for key, _ in fields), f"no {name} field"
    return [(key, value if key == name else old) for key, old in fields]


def editing_client(
    browser: Browser,
    page_id: int,
    label: str,
    rounds: int,
    extra: tuple = (),
):
    """Open the edit form; then, with the others, submit it with a new summary."""
    url = f"/admin/pages/{page_id}/edit/"

    def client(barrier: threading.Barrier) -> list[int]:
        editor = browser.get(url)
        codes = [editor.status_code]
        form = form_fields(editor.text, "page-edit-form")
        for round_ in range(rounds):
            fields = with_value(form, "summary", f"storm {label}.{round_}")
            barrier.wait(timeout=120)
            codes.append(browser.post(url, [*fields, *extra]).status_code)
        return codes

    return client


def test_three_editors_saving_one_page_five_times_get_no_error(site: Site):
    page_id = site.ids["saved"]
    clients = [
        editing_client(site.sessions[name][0], page_id, name, rounds=5)
        for name in EDITORS
    ]
    started = time.monotonic()
    codes = storm(clients)
    logger.info(
        f"[{site.engine}] save storm: {Counter(codes)} in "
        f"{time.monotonic() - started:.1f} s"
    )

    # Every GET answered 200 and every save redirected back to the editor.
    assert Counter(codes) == {200: 3, 302: 15}, site.errors()
    # Fifteen new revisions, one per save, and the page points at the newest.
    stormed = [
        (pk, content)
        for pk, content in site.revisions(page_id)
        if content.get("summary", "").startswith("storm ")
    ]
    assert sorted(c["summary"] for _, c in stormed) == sorted(
        f"storm {name}.{r}" for name in EDITORS for r in range(5)
    )
    latest = site.value(
        "SELECT latest_revision_id FROM wagtailcore_page WHERE id = %s", page_id
    )
    assert latest == max(pk for pk, _ in site.revisions(page_id))
    assert site.errors() == []


def test_approvers_publishing_one_project_while_the_worker_runs_get_no_error(
    site: Site,
):
    page_id = site.ids["published"]
    clients = [
        editing_client(
            site.sessions[name][0],
            page_id,
            name,
            rounds=4,
            extra=(("action-publish", "action-publish"),),
        )
        for name in APPROVERS
    ]
    started = time.monotonic()
    codes = storm(clients)
    logger.info(
        f"[{site.engine}] publish storm: {Counter(codes)} in "
        f"{time.monotonic() - started:.1f} s"
    )
    assert Counter(codes) == {200: 3, 302: 12}, site.errors()

    # Live, with nothing unpublished, and the live row is the newest revision.
    live, unpublished, live_revision, latest = site.rows(
        "SELECT live, has_unpublished_changes, live_revision_id, latest_revision_id "
        "FROM wagtailcore_page WHERE id = %s",
        page_id,
    )[0]
    assert live and not unpublished and live_revision == latest
    summary = site.value(
        "SELECT summary FROM bm_pages_projectpage WHERE page_ptr_id = %s", page_id
    )
    assert summary == dict(site.revisions(page_id))[latest]["summary"]
    assert summary.startswith("storm ")

    # The worker, still running, catches up and the matcher holds the live text.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        pending = site.value(
            "SELECT count(*) FROM bm_matching_indexoutbox "
            "WHERE page_id = %s AND done_at IS NULL",
            page_id,
        )
        record = matcher_record(site.matcher, page_id)
        if pending == 0 and record and record["summary"] == summary:
            break
        time.sleep(0.5)
    assert pending == 0, site.worker_log.read_text()[-3000:]
    assert record and record["summary"] == summary
    assert site.worker.poll() is None, site.worker_log.read_text()[-3000:]
    assert "Traceback" not in site.worker_log.read_text()
    assert site.errors() == []


def test_six_simultaneous_imports_of_one_project_make_one_copy(site: Site):
    source, plan = site.ids["source"], site.ids["plan"]
    api = httpx.Client(
        base_url=site.base_url,
        timeout=60,
        headers={
            "Authorization": f"Token {site.ids['token']}",
            "X-Forwarded-Proto": "https",
        },
    )
    answers: list[httpx.Response] = []

    def client(barrier: threading.Barrier) -> list[int]:
        barrier.wait(timeout=120)
        response = api.post(
            f"/api/projects/{source}/import/", json={"target_plan": plan}
        )
        answers.append(response)
        return [response.status_code]

    codes = storm([client] * 6)
    logger.info(f"[{site.engine}] import storm: {Counter(codes)}")
    assert Counter(codes) == {201: 1, 409: 5}, [a.text[:300] for a in answers]

    copies = site.rows(
        "SELECT page_ptr_id FROM bm_pages_projectpage "
        "WHERE source_page_id = %s AND plan_id = %s",
        source,
        plan,
    )
    assert len(copies) == 1
    made = next(a for a in answers if a.status_code == 201).json()
    assert made["id"] == copies[0][0]
    # Each refusal points at that one copy.
    for refused in (a for a in answers if a.status_code == 409):
        body = refused.json()
        assert body["code"] == "already_imported"
        assert body["existing"]["id"] == made["id"]
        assert body["existing"]["edit_url"].endswith(f"/admin/pages/{made['id']}/edit/")
    assert site.errors() == []


def test_six_simultaneous_approvals_of_one_task_are_recorded_once(site: Site):
    page_id, task_state = site.ids["review"], site.ids["task_state"]
    url = f"/admin/pages/workflow/action/{page_id}/approve/{task_state}/"
    sessions = [b for name in APPROVERS for b in site.sessions[name]]
    answers: list[httpx.Response] = []

    def client_for(browser: Browser):
        def client(barrier: threading.Barrier) -> list[int]:
            barrier.wait(timeout=120)
            response = browser.post(
                url,
                {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "comment": ""},
            )
            answers.append((browser, response))
            return [response.status_code]

        return client

    codes = storm([client_for(b) for b in sessions])
    logger.info(f"[{site.engine}] approval storm: {Counter(codes)}")
    assert Counter(codes) == {302: 6}, site.errors()

    # One approval in the history, one publish, by the same user; the task agrees.
    log = site.rows(
        "SELECT action, user_id FROM wagtailcore_pagelogentry WHERE page_id = %s "
        "AND action IN ('wagtail.workflow.approve', 'wagtail.publish') ORDER BY id",
        page_id,
    )
    approvals = [user for action, user in log if action == "wagtail.workflow.approve"]
    publishes = [user for action, user in log if action == "wagtail.publish"]
    assert len(approvals) == 1 and len(publishes) == 1, log
    status, finished_by = site.rows(
        "SELECT status, finished_by_id FROM wagtailcore_taskstate WHERE id = %s",
        task_state,
    )[0]
    assert status == "approved"
    assert finished_by == approvals[0] == publishes[0]
    assert (
        site.value(
            "SELECT status FROM wagtailcore_workflowstate WHERE id = (SELECT "
            "workflow_state_id FROM wagtailcore_taskstate WHERE id = %s)",
            task_state,
        )
        == "approved"
    )
    assert site.value("SELECT live FROM wagtailcore_page WHERE id = %s", page_id)

    # The five late ones are told: who decided already, if they reached the decision
    # while the winner held the lock; or Wagtail's own "not awaiting moderation", if
    # the workflow had finished before their request began.
    guarded = waved_off = 0
    for browser, response in answers:
        landing = browser.get(response.headers["Location"])
        assert landing.status_code == 200
        guarded += "is al afgerond door" in landing.text
        waved_off += "wacht momenteel niet op goedkeuring" in landing.text
    logger.info(f"[{site.engine}] late approvals: {guarded} guarded, {waved_off} not")
    assert guarded + waved_off == 5
    assert site.errors() == []


def test_four_simultaneous_copies_to_next_year_make_one_copy(site: Site):
    project, library = site.ids["copied"], site.ids["library"]
    url = f"/admin/bm-pages/copy-to-next-year/{project}/"
    sessions = [b for name in APPROVERS for b in site.sessions[name]][:4]

    def client_for(browser: Browser):
        def client(barrier: threading.Barrier) -> list[int]:
            barrier.wait(timeout=120)
            response = browser.post(
                url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
            )
            return [response.status_code]

        return client

    codes = storm([client_for(b) for b in sessions])
    logger.info(f"[{site.engine}] copy storm: {Counter(codes)}")
    assert Counter(codes) == {302: 4}, site.errors()
    plans = site.rows(
        "SELECT p.page_ptr_id FROM bm_pages_annualplanpage p "
        "WHERE p.library_id = %s AND p.year = 2027",
        library,
    )
    assert len(plans) == 1
    assert (
        site.value(
            "SELECT count(*) FROM bm_pages_projectpage WHERE copied_from_id = %s",
            project,
        )
        == 1
    )
    assert site.errors() == []
