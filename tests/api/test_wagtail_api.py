"""The public Wagtail API v2: fields, filters, and nothing but live public pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
import wagtail_factories
from wagtail.models import PageViewRestriction

from bm_pages.models import AnnualPlanPage, LibraryDocument, PolicyTopic, ProjectPage
from tests.factories import (
    AnnualPlanPageFactory,
    LibraryDocumentFactory,
    PhaseLogEntryFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db

V2 = "/api/v2"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# Fields ---------------------------------------------------------------------------


def test_project_detail_has_smart_pdca_and_provenance_fields(client, page_tree):
    project = page_tree.live_project
    evidence = LibraryDocumentFactory(
        title="Intern verslag", visibility=LibraryDocument.Visibility.OWN
    )
    PhaseLogEntryFactory(
        page=project, phase="check", note="Tussenmeting", evidence=evidence
    )
    ProjectPage.objects.filter(pk=project.pk).update(
        source_title="BoekStart Elders",
        source_library_name="Bibliotheek Elders",
        source_year=2025,
        source_snapshot={"secret": "snapshot"},
    )

    response = client.get(f"{V2}/projects/{project.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "BoekStart in Teststad"
    assert data["meta"]["type"] == "bm_pages.ProjectPage"
    assert data["summary"].startswith("Ouders van baby's")
    assert data["goal"] == "Meer ouders lezen dagelijks voor aan hun baby."
    assert data["target_group"] == "Ouders van baby's"
    assert data["budget"] == 12500.0
    assert data["hours"] == 340
    assert data["phase"] == "check"
    assert data["start_date"] == "2026-01-15"
    assert data["library"] == {
        "id": page_tree.library.pk,
        "title": "Bibliotheek Teststad",
        "slug": page_tree.library.slug,
    }
    assert data["plan"] == {
        "id": page_tree.plan.pk,
        "title": page_tree.plan.title,
        "year": 2026,
    }
    assert data["focus_area"]["title"] == "Geletterdheid"
    indicators = {i["name"]: i for i in data["indicators"]}
    assert indicators["uitgereikte koffertjes"]["target"] == 5796.0
    assert indicators["uitgereikte koffertjes"]["result"] == 4321.0
    assert indicators["uitgereikte koffertjes"]["baseline"] == 90.0
    assert indicators["uitgereikte koffertjes"]["percent_of_target"] == 75
    assert indicators["uitgereikte koffertjes"]["target_reached"] is False
    assert indicators["nieuwe baby-leden"]["result"] is None
    assert indicators["nieuwe baby-leden"]["percent_of_target"] is None
    assert [a["what"] for a in data["activities"]] == [
        "Afspraken met het consultatiebureau",
        "Voorleesochtenden plannen",
    ]
    assert {t["kind"] for t in data["core_functions"]} == {"core_function"}
    assert len(data["core_functions"]) == 2
    assert data["provenance"]["source_library_name"] == "Bibliotheek Elders"
    assert data["provenance"]["source_year"] == 2025
    # The PDCA log is there, without evidence documents (which may be private).
    notes = [entry["note"] for entry in data["phase_log"]]
    assert "Tussenmeting" in notes
    assert all(set(entry) == {"phase", "date", "note"} for entry in data["phase_log"])
    body = response.content.decode()
    assert "Intern verslag" not in body
    assert "snapshot" not in body
    assert "source_page" not in data and "copied_from" not in data


def test_listing_default_fields_and_fields_parameter(client, page_tree):
    response = client.get(f"{V2}/projects/")
    item = next(
        i for i in response.json()["items"] if i["id"] == page_tree.live_project.pk
    )
    assert {
        "title",
        "summary",
        "phase",
        "kind",
        "library",
        "plan",
        "focus_area",
    } <= set(item)
    assert "indicators" not in item

    response = client.get(f"{V2}/projects/", {"fields": "indicators,evaluation"})
    item = next(
        i for i in response.json()["items"] if i["id"] == page_tree.live_project.pk
    )
    assert item["evaluation"] == "Goed bereik via het consultatiebureau."
    assert len(item["indicators"]) == 2

    assert_error(
        client.get(f"{V2}/projects/", {"fields": "source_snapshot"}), 400, "bad_request"
    )


def test_plan_and_library_fields(client, page_tree):
    plan = client.get(f"{V2}/plans/{page_tree.plan.pk}/").json()
    assert plan["year"] == 2026
    assert plan["library"]["slug"] == page_tree.library.slug
    assert [a["title"] for a in plan["focus_areas"]] == [
        "Geletterdheid",
        "Digitale inclusie",
    ]
    assert plan["introduction"] == "<p>Onze ambitie voor dit jaar.</p>"

    library = page_tree.library
    library.logo = wagtail_factories.ImageFactory(title="Logo Teststad")
    library.save()
    data = client.get(f"{V2}/libraries/{library.pk}/").json()
    assert data["network"] == {
        "slug": page_tree.network.slug,
        "name": "Netwerk Rivierenland",
    }
    assert data["branches"][0]["name"] == "Teststad Centrum"
    assert data["email"] == "info@bibliotheek.example"
    assert data["logo"]["url"].endswith(".png") or data["logo"]["url"]
    assert data["logo"]["width"] <= 400
    assert "collection" not in data and "project_visibility" not in data


# Filters ----------------------------------------------------------------------------


def test_filters_by_library_id_and_slug(client, page_tree, other_library):
    theirs = ProjectPageFactory(
        parent=AnnualPlanPage.objects.child_of(other_library).get(),
        title="Elders project",
    )
    mine = {page_tree.live_project.pk, page_tree.assurance_project.pk}

    assert ids(client.get(f"{V2}/projects/", {"library": page_tree.library.pk})) == mine
    assert (
        ids(client.get(f"{V2}/projects/", {"library": page_tree.library.slug})) == mine
    )
    assert ids(client.get(f"{V2}/projects/", {"library": other_library.slug})) == {
        theirs.pk
    }
    assert ids(client.get(f"{V2}/projects/", {"library": "bestaat-niet"})) == set()
    assert ids(client.get(f"{V2}/plans/", {"library": other_library.pk})) == {
        AnnualPlanPage.objects.child_of(other_library).get().pk
    }


def test_filters_by_year_phase_kind_and_core_function(client, page_tree):
    next_year = AnnualPlanPageFactory(parent=page_tree.library, year=2027)
    later = ProjectPageFactory(parent=next_year, title="Later project", phase="plan")
    live, assurance = page_tree.live_project, page_tree.assurance_project

    assert ids(client.get(f"{V2}/projects/", {"year": 2027})) == {later.pk}
    assert ids(client.get(f"{V2}/projects/", {"year": "2026"})) == {
        live.pk,
        assurance.pk,
    }
    assert ids(client.get(f"{V2}/plans/", {"year": 2027})) == {next_year.pk}
    assert ids(client.get(f"{V2}/projects/", {"phase": "check"})) == {live.pk}
    assert ids(client.get(f"{V2}/projects/", {"phase": "act"})) == {assurance.pk}
    assert ids(client.get(f"{V2}/projects/", {"kind": "assurance"})) == {assurance.pk}

    topic = live.core_functions.first()
    assert ids(client.get(f"{V2}/projects/", {"core_function": topic.slug})) == {
        live.pk
    }
    assert ids(
        client.get(f"{V2}/projects/", {"core_function": topic.name.upper()})
    ) == {live.pk}
    unused = (
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)
        .exclude(pk__in=live.core_functions.all())
        .first()
    )
    assert ids(client.get(f"{V2}/projects/", {"core_function": unused.slug})) == set()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"phase": "klaar"}, "phase must be one of"),
        ({"year": "twintig"}, "year must be a positive integer"),
        ({"year": "-1"}, "year must be a positive integer"),
        ({"kind": "anders"}, "kind must be one of"),
        ({"core_function": "zwemmen"}, "not a Wsob core function"),
        ({"focus_area": "x"}, "focus_area must be a positive integer"),
        ({"type": "wagtailcore.Page"}, "not an operation or a recognised filter"),
        ({"title": "BoekStart in Teststad"}, "not an operation or a recognised filter"),
        ({"order": "source_snapshot"}, "cannot order by"),
        ({"offset": "-5"}, "offset must be a positive integer"),
        ({"limit": "1000"}, "limit cannot be higher"),
        ({"child_of": "abc"}, "child_of must be a positive integer"),
        ({"child_of": "99999999999999999999"}, "parent page doesn't exist"),
        ({"plan": "99999999999999999999"}, "plan must be a positive integer"),
        ({"library": "bad\x00slug"}, "null characters"),
    ],
)
def test_bad_filter_values_are_a_clear_400(client, page_tree, params, fragment):
    body = assert_error(client.get(f"{V2}/projects/", params), 400, "bad_request")
    assert fragment in body["detail"]


def test_search_and_ordering(client, page_tree):
    found = ids(client.get(f"{V2}/projects/", {"search": "BoekStart"}))
    assert page_tree.live_project.pk in found
    assert page_tree.draft_project.pk not in ids(
        client.get(f"{V2}/projects/", {"search": "conceptproject"})
    )
    titles = [
        i["title"]
        for i in client.get(f"{V2}/projects/", {"order": "-title"}).json()["items"]
    ]
    assert titles == sorted(titles, reverse=True)


# Drafts and restricted pages -------------------------------------------------------


def test_drafts_are_never_listed_or_retrievable(client, page_tree):
    draft = page_tree.draft_project
    assert draft.pk not in ids(client.get(f"{V2}/projects/"))
    assert draft.pk not in ids(client.get(f"{V2}/pages/"))
    assert draft.pk not in ids(
        client.get(f"{V2}/pages/", {"child_of": page_tree.plan.pk})
    )
    assert_error(client.get(f"{V2}/projects/{draft.pk}/"), 404, "not_found")
    assert_error(client.get(f"{V2}/pages/{draft.pk}/"), 404, "not_found")
    assert client.get(f"{V2}/pages/find/", {"id": draft.pk}).status_code == 404
    assert (
        "Geheim conceptproject"
        not in client.get(f"{V2}/projects/", {"search": "Geheim"}).content.decode()
    )


def test_live_project_below_a_draft_plan_stays_hidden(client, page_tree):
    draft_plan = AnnualPlanPageFactory(parent=page_tree.library, year=2028, live=False)
    orphan = ProjectPageFactory(parent=draft_plan, title="Onder een conceptplan")
    assert orphan.live
    assert orphan.pk not in ids(client.get(f"{V2}/projects/"))
    assert draft_plan.pk not in ids(client.get(f"{V2}/plans/"))
    assert_error(client.get(f"{V2}/projects/{orphan.pk}/"), 404, "not_found")


@pytest.mark.parametrize(
    "restriction_type",
    [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN],
)
def test_restricted_pages_are_never_listed_or_retrievable(
    client, django_user_model, page_tree, restriction_type
):
    project = page_tree.live_project
    PageViewRestriction.objects.create(
        page=project, restriction_type=restriction_type, password="geheim"
    )
    # Signed in as a superuser in the same browser: the public API does not care.
    admin = django_user_model.objects.create_superuser("beheer", "b@example.org", "pw")
    client.force_login(admin)

    assert project.pk not in ids(client.get(f"{V2}/projects/"))
    assert project.pk not in ids(client.get(f"{V2}/pages/"))
    assert project.pk not in ids(client.get(f"{V2}/projects/", {"search": "BoekStart"}))
    assert_error(client.get(f"{V2}/projects/{project.pk}/"), 404, "not_found")
    assert_error(client.get(f"{V2}/pages/{project.pk}/"), 404, "not_found")
    assert client.get(f"{V2}/pages/find/", {"id": project.pk}).status_code == 404
    # The unrestricted sibling is still there.
    assert page_tree.assurance_project.pk in ids(client.get(f"{V2}/projects/"))


def test_restricting_a_library_hides_its_plans_and_projects(client, page_tree):
    PageViewRestriction.objects.create(
        page=page_tree.library,
        restriction_type=PageViewRestriction.PASSWORD,
        password="x",
    )
    assert ids(client.get(f"{V2}/projects/")) == set()
    assert ids(client.get(f"{V2}/plans/")) == set()
    assert page_tree.library.pk not in ids(client.get(f"{V2}/libraries/"))
    assert_error(client.get(f"{V2}/plans/{page_tree.plan.pk}/"), 404, "not_found")
    assert_error(
        client.get(f"{V2}/projects/{page_tree.assurance_project.pk}/"), 404, "not_found"
    )


def test_parent_of_a_page_below_a_restricted_page_is_not_disclosed(client, page_tree):
    """The ``parent`` meta field only names public parents."""
    data = client.get(f"{V2}/pages/{page_tree.plan.pk}/").json()
    assert data["meta"]["parent"]["id"] == page_tree.library.pk


def test_endpoints_of_a_wrong_type_do_not_answer(client, page_tree):
    assert_error(
        client.get(f"{V2}/plans/{page_tree.live_project.pk}/"), 404, "not_found"
    )
    assert_error(client.get(f"{V2}/libraries/{page_tree.plan.pk}/"), 404, "not_found")


def test_no_documents_or_images_endpoints(client, page_tree):
    LibraryDocumentFactory(title="Zelfevaluatie intern")
    assert client.get(f"{V2}/documents/").status_code == 404
    assert client.get(f"{V2}/images/").status_code == 404


# Throttling ----------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(client, page_tree, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/minute",
        },
    }
    for _ in range(3):
        assert client.get(f"{V2}/projects/").status_code == 200
    response = client.get(f"{V2}/projects/")
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert Decimal(response["Retry-After"]) <= 60
    assert body["detail"].startswith("Te veel verzoeken.")
    assert response["Retry-After"] in body["detail"]


def test_answers_are_compact_json_unless_indentation_is_asked_for(client, page_tree):
    url = f"/api/v2/projects/?plan={page_tree.plan.pk}"
    compact = client.get(url)
    indented = client.get(url, headers={"accept": "application/json; indent=4"})

    assert compact.status_code == indented.status_code == 200
    assert compact.json() == indented.json()
    assert b"\n" not in compact.content
    assert b'\n    "meta": {' in indented.content
    # html_url is an absolute address on the request's site, as Wagtail gives it.
    item = compact.json()["items"][0]
    assert item["meta"]["html_url"].startswith("http://")
    assert item["meta"]["html_url"].endswith(page_tree.live_project.url)
