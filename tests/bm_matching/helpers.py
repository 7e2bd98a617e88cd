"""Building libraries and projects the way the product does, and reading the matcher.

Shared by the bm_matching tests, the browser test in ``tests/e2e`` and
``bench/matching_e2e.py``. Pages are published through revisions, as editors and
workflows do, so the outbox rows come from the real signal path.
"""

from __future__ import annotations

import httpx

from bm_matching.models import IndexOutbox
from bm_matching.worker import DrainResult, OutboxWorker
from bm_pages.models import (
    LibraryPage,
)
from bm_pages.roles import LibraryRole

# Pages, as editors make them (re-exported for the matcher tests).
from tests.builders import add_plan as add_plan
from tests.builders import network as network
from tests.builders import publish_project as publish_project
from tests.builders import republish as republish
from tests.builders import set_up_library as set_up_library
from tests.builders import staff as staff
from tests.factories import UserFactory

PASSWORD = "biblio-test"


def matcher_settings(matcher, **overrides) -> dict:
    """``BM_MATCHING`` pointing at a ``run_matcher`` process, with quick backoff."""
    return {
        "MATCHER_URL": matcher.url,
        "MATCHER_API_TOKEN": matcher.token,
        "TIMEOUT": 60.0,
        "SEARCH_TIMEOUT": 30.0,
        # Generous: on a busy 2-core machine the service can be slow to accept.
        "CONNECT_TIMEOUT": 5.0,
        "RETRIES": 1,
        "MIN_BACKOFF": 0.05,
        "MAX_BACKOFF": 0.4,
        "POLL_INTERVAL": 0.2,
        **overrides,
    }


# The matcher, read directly over HTTP ------------------------------------------------


def matcher_ids(matcher) -> set[str]:
    ids: set[str] = set()
    after = None
    while True:
        params = {"limit": 10_000, **({"after": after} if after else {})}
        data = httpx.get(
            f"{matcher.url}/v1/projects/ids", params=params, headers=matcher.headers
        ).json()
        ids.update(data["ids"])
        after = data["next_after"]
        if not after:
            return ids


def matcher_record(matcher, page_id) -> dict | None:
    response = httpx.get(
        f"{matcher.url}/v1/projects/{page_id}", headers=matcher.headers
    )
    return response.json() if response.status_code == 200 else None


def matcher_delete(matcher, page_id) -> None:
    httpx.delete(
        f"{matcher.url}/v1/projects/{page_id}", headers=matcher.headers
    ).raise_for_status()


def matcher_put(matcher, page_id, **record) -> None:
    body = {
        "library_id": "0",
        "library_name": "Elders",
        "title": "Ander project",
        **record,
    }
    httpx.put(
        f"{matcher.url}/v1/projects/{page_id}", json=body, headers=matcher.headers
    ).raise_for_status()


def wipe_matcher(matcher) -> None:
    """Delete every record: the session's matcher outlives each test's database."""
    with httpx.Client(headers=matcher.headers) as client:
        for page_id in matcher_ids(matcher):
            client.delete(f"{matcher.url}/v1/projects/{page_id}").raise_for_status()


def drain(**kwargs) -> DrainResult:
    """Send everything due, like ``manage.py matcher_sync --once``."""
    return OutboxWorker(**kwargs).drain()


def pending_rows() -> list[IndexOutbox]:
    return list(IndexOutbox.objects.pending().order_by("id"))


# A small country of libraries, for search and visibility ---------------------------------


class SearchWorld:
    """Six libraries in two networks with every kind of sharing, and their staff.

    ========  =======  ==========  ==========================================
    library   network  shares      projects (all about reading to toddlers)
    ========  =======  ==========  ==========================================
    A         noord    all         one (the searchers' own)
    B         noord    all         live 2026 and 2025, a draft, an unpublished
                                   one, a private one, and an unrelated one
    C         zuid     network     one
    D         noord    network     one
    E         zuid     partners    one (a partner of C and F: Zuid links members)
    F         zuid     all         one (2025)
    ========  =======  ==========  ==========================================
    """

    QUERY = "Voorlezen aan peuters in de bibliotheek"

    def __init__(self) -> None:
        from wagtail.models import PageViewRestriction

        visibility = LibraryPage.ProjectVisibility
        self.noord = network("noord", "Netwerk Noord")
        self.zuid = network("zuid", "Netwerk Zuid")
        self.a = set_up_library("Bibliotheek Aadorp", self.noord)
        self.b = set_up_library("Bibliotheek Beekstad", self.noord)
        self.c = set_up_library("Bibliotheek Cederveen", self.zuid, visibility.NETWORK)
        self.d = set_up_library("Bibliotheek Dijkwater", self.noord, visibility.NETWORK)
        self.e = set_up_library("Bibliotheek Eemhoven", self.zuid, visibility.PARTNERS)
        self.f = set_up_library("Bibliotheek Fortuna", self.zuid)
        plan = {
            lib: add_plan(lib, 2026) for lib in (self.a, self.b, self.c, self.d, self.e)
        }
        self.plan_a = plan[self.a]
        self.plan_b = plan[self.b]
        self.plan_b_2025 = add_plan(self.b, 2025)
        plan_f = add_plan(self.f, 2025)
        toddlers = "Peuters en hun ouders komen wekelijks voorlezen in de bibliotheek."
        self.project_a = publish_project(
            plan[self.a], "Voorleesuurtje voor peuters", toddlers
        )
        self.project_b = publish_project(
            plan[self.b],
            "Voorlezen aan peuters op zaterdag",
            toddlers,
            goal="Meer ouders lezen thuis voor aan hun peuter.",
            target_group="Ouders van peuters",
        )
        self.project_b_2025 = publish_project(
            self.plan_b_2025, "Peuterboekjes in de wachtkamer", toddlers
        )
        self.draft_b = publish_project(
            plan[self.b], "Geheim voorleesplan voor peuters", toddlers, live=False
        )
        self.unpublished_b = publish_project(
            plan[self.b], "Oud voorleesproject peuters", toddlers
        )
        self.unpublished_b.unpublish()
        self.private_b = publish_project(
            plan[self.b], "Besloten voorleesclub peuters", toddlers
        )
        PageViewRestriction.objects.create(
            page=self.private_b, restriction_type=PageViewRestriction.LOGIN
        )
        self.unrelated_b = publish_project(
            plan[self.b],
            "Digitale vaardigheden voor senioren",
            "Ouderen leren werken met DigiD en de tablet.",
        )
        self.project_c = publish_project(
            plan[self.c], "Peuters en prentenboeken", toddlers
        )
        self.project_d = publish_project(
            plan[self.d], "VoorleesExpress voor peuters", toddlers
        )
        self.project_e = publish_project(
            plan[self.e], "Voorleesfeest voor peuters", toddlers
        )
        self.project_f = publish_project(plan_f, "Samen lezen met peuters", toddlers)

        self.editor_a = staff(self.a, "redacteur-aadorp")
        self.approver_a = staff(self.a, "goedkeurder-aadorp", LibraryRole.APPROVER)
        self.auditor_a = staff(self.a, "auditor-aadorp", LibraryRole.AUDITOR)
        self.editor_c = staff(self.c, "redacteur-cederveen")
        self.superuser = UserFactory(
            username="beheerder", is_superuser=True, is_staff=True
        )
        self.outsider = UserFactory(username="raadslid")

    @property
    def visible_live(self) -> dict[int, str]:
        """Every live, public project (page id -> title): what a superuser can find."""
        return {
            p.pk: p.title
            for p in (
                self.project_a,
                self.project_b,
                self.project_b_2025,
                self.unrelated_b,
                self.project_c,
                self.project_d,
                self.project_e,
                self.project_f,
            )
        }


# Counting what reaches the matcher ------------------------------------------------------


class CountingTransport(httpx.HTTPTransport):
    """The real HTTP transport, noting which page ids each acknowledged write carried.

    ``acked`` lists ``(method, page_id)`` for every write the matcher answered 2xx;
    ``failed`` counts requests that did not get through or were refused.
    """

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.acked: list[tuple[str, str]] = []
        self.failed = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import json

        try:
            response = super().handle_request(request)
        except httpx.TransportError:
            with self._lock:
                self.failed += 1
            raise
        path = request.url.path
        ids: list[tuple[str, str]] = []
        if request.method == "POST" and path == "/v1/projects/bulk":
            request.read()
            body = json.loads(request.content)
            ids = [("upsert", p["id"]) for p in body["projects"]]
        elif request.method in ("PUT", "DELETE") and path.startswith("/v1/projects/"):
            ids = [(request.method.lower(), path.rsplit("/", 1)[-1])]
        with self._lock:
            if response.status_code < 300:
                self.acked.extend(ids)
            elif ids:
                self.failed += 1
        return response


def counting_client(matcher):
    """An ``HttpMatcherClient`` for ``matcher`` with a ``CountingTransport``."""
    from bm_matching.clients import HttpMatcherClient

    transport = CountingTransport()
    client = HttpMatcherClient(
        matcher.url,
        matcher.token,
        timeout=60.0,
        connect_timeout=5.0,
        retries=1,
        transport=transport,
    )
    return client, transport
