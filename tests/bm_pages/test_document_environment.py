"""The document environment: work field -> policy topic -> documents, gaps, what is due.

The read models (``bm_pages.certification``) and the admin view
"Documentomgeving" over HTTP, plus the demo documents.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bm_pages.certification.environment import document_environment
from bm_pages.certification.readiness import readiness_overview
from bm_pages.models import PolicyTopic, WorkField
from tests.bm_pages.certification_helpers import build_world, login, make_document
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db
NORMS = ["1", "2", "3", "4", "5", "6", "7"]


world_module, world = world_per_module(build_world)


def titles(items) -> list[str]:
    return [item.document.title for item in items]


def test_tree_orders_documents_by_work_field_and_topic(world):
    env = document_environment(world.library_a)
    codes = [node.work_field.code if node.work_field else None for node in env.tree]
    # Every norm (gaps show), no module without documents, unfiled ones last.
    assert codes == [*NORMS, None]
    by_code = {
        node.work_field.code if node.work_field else None: node for node in env.tree
    }
    first = by_code["1"]
    assert first.document_count == 2
    assert [(t.topic.slug, titles(t.items)) for t in first.topics] == [
        ("lezen-en-literatuur", ["Meerjarenbeleidsplan Aland"]),
        ("geletterde-samenleving", ["Zelfevaluatie Aland 2025"]),
        ("leven-lang-ontwikkelen", ["Zelfevaluatie Aland 2025"]),
    ]
    assert [(t.topic, titles(t.items)) for t in by_code["6"].topics] == [
        (None, ["Jaarverslag Aland 2025"])
    ]
    assert by_code["2"].topics == [] and by_code["2"].document_count == 0
    assert [titles(t.items) for t in by_code[None].topics] == [["Losse notitie Aland"]]
    assert env.total == env.total_unfiltered == 5
    # Nothing of another library.
    every = {
        title for node in env.tree for t in node.topics for title in titles(t.items)
    }
    assert not any("Bemdal" in title or "Cestrum" in title for title in every)


def test_missing_norms_and_overdue_documents(world):
    env = document_environment(world.library_a)
    assert [wf.code for wf in env.norms_without_evidence] == ["2", "4", "5", "7"]
    assert titles(env.overdue) == ["Verbeterplan Aland"]
    assert all(item.overdue for item in env.overdue)
    # A document reviewed today is not overdue yet; yesterday it is.
    make_document(
        world.library_a,
        "Vandaag herzien",
        work_field="2",
        norms=("2",),
        review_in_days=0,
    )
    make_document(
        world.library_a,
        "Gisteren verlopen",
        work_field="7",
        norms=("7",),
        review_in_days=-1,
    )
    env = document_environment(world.library_a)
    assert titles(env.overdue) == ["Verbeterplan Aland", "Gisteren verlopen"]
    assert [wf.code for wf in env.norms_without_evidence] == ["4", "5"]


def test_filters(world):
    field = WorkField.objects.get(code="1")
    env = document_environment(world.library_a, work_field=field)
    assert [node.work_field.code for node in env.tree] == ["1"]
    assert (env.total, env.total_unfiltered, env.filtered) == (2, 5, True)
    topic = PolicyTopic.objects.get(slug="geletterde-samenleving")
    env = document_environment(world.library_a, policy_topic=topic)
    assert [
        (n.work_field.code, [t.topic.slug for t in n.topics]) for n in env.tree
    ] == [("1", ["geletterde-samenleving"])]
    env = document_environment(world.library_a, overdue_only=True)
    assert [node.work_field.code for node in env.tree] == ["3"]
    # The gaps and the due list do not depend on the filters.
    assert [wf.code for wf in env.norms_without_evidence] == ["2", "4", "5", "7"]


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_number_of_documents(world):
    def environment():
        env = document_environment(world.library_a)
        return [
            item.document.owner
            for node in env.tree
            for t in node.topics
            for item in t.items
        ]

    def readiness():
        return [
            (row.status, len(row.projects))
            for row in readiness_overview(world.library_a).rows
        ]

    before = (_queries(environment), _queries(readiness))
    for n in range(12):
        make_document(
            world.library_a,
            f"Extra bewijs {n}",
            work_field=NORMS[n % 7],
            norms=(NORMS[n % 7], "2"),
            topics=("taalhuis", "boekstart"),
            review_in_days=n - 6,
        )
    assert (_queries(environment), _queries(readiness)) == before


# The admin view ----------------------------------------------------------------------


def env_url(library) -> str:
    return f"/admin/bm-certification/documents/{library.pk}/"


def test_editor_goes_straight_to_own_library(world):
    client = Client()
    login(client, world.user("editor_a"))
    response = client.get("/admin/bm-certification/documents/")
    assert response.status_code == 302
    assert response["Location"] == env_url(world.library_a)
    dashboard = client.get("/admin/").content.decode()
    # The menu is rendered from JSON by the admin's JavaScript.
    assert "/admin/bm-certification/documents/" in dashboard
    assert "Documentomgeving" in dashboard


def test_environment_view_shows_tree_gaps_and_due(world):
    client = Client()
    login(client, world.user("approver_a"))
    response = client.get(env_url(world.library_a))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("a_own", "a_partners", "a_public", "a_overdue", "a_unfiled"):
        assert world.docs[key].title in html
    assert "Zelfevaluatie Bemdal" not in html
    gaps = re.search(
        r'data-bm="norms-without-evidence">(.*?)</section>', html, re.S
    ).group(1)
    assert re.findall(r'data-norm="([^"]+)"', gaps) == ["2", "4", "5", "7"]
    due = re.search(r'data-bm="documents-overdue">(.*?)</section>', html, re.S).group(1)
    assert "Verbeterplan Aland" in due and "Zelfevaluatie" not in due
    assert re.findall(r'data-work-field="([^"]+)"', html) == [*NORMS, "none"]
    # Edit links go to Wagtail's document editor and come back here.
    document = world.docs["a_own"]
    assert f"/admin/documents/edit/{document.pk}/?next=" in html
    assert document.url in html
    assert world.portal_a.url in html
    assert "Normen zonder bewijs" in html


def test_environment_view_filters(world):
    client = Client()
    login(client, world.user("editor_a"))
    field = WorkField.objects.get(code="1")
    html = client.get(
        f"{env_url(world.library_a)}?work_field={field.pk}"
    ).content.decode()
    assert world.docs["a_own"].title in html.split('data-bm="environment-filters"')[1]
    listing = html.split('data-bm="environment-filters"')[1]
    assert world.docs["a_public"].title not in listing
    assert "2 documenten getoond van 5." in html
    html = client.get(f"{env_url(world.library_a)}?work_field=bogus").content.decode()
    assert "5 documenten getoond van 5." in html


def test_environment_query_count_is_bounded(world):
    client = Client()
    login(client, world.user("editor_a"))
    url = env_url(world.library_a)
    client.get(url)  # warm caches (site root paths, content types)
    before = _queries(lambda: client.get(url))
    for n in range(10):
        make_document(
            world.library_a,
            f"Bijlage {n}",
            work_field="4",
            norms=("4",),
            topics=("taalhuis",),
        )
    assert _queries(lambda: client.get(url)) == before


@pytest.mark.parametrize(
    ("user_name", "status"),
    [
        ("editor_b", 403),
        ("approver_b", 403),
        ("auditor_a", "login"),
        ("anonymous", "login"),
    ],
)
def test_environment_is_for_the_library_staff_only(world, user_name, status):
    client = Client()
    login(client, world.user(user_name))
    response = client.get(env_url(world.library_a))
    if status == "login":
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == "/admin/login/"
    else:
        assert response.status_code == status
        assert world.docs["a_own"].title not in response.content.decode()


def test_superuser_picks_a_library(world):
    client = Client()
    login(client, world.user("superuser"))
    html = client.get("/admin/bm-certification/documents/").content.decode()
    for library in (world.library_a, world.library_b, world.library_c):
        assert env_url(library) in html
    assert client.get(env_url(world.library_b)).status_code == 200
