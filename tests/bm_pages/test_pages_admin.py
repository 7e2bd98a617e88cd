"""Editing through the real Wagtail admin: bad input gets a clear message and saves nothing."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from bm_pages.models import AnnualPlanPage, ProjectPage
from tests.factories import AnnualPlanPageFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def plan_form(year, title=None, focus_areas=()):
    return nested_form_data(
        {
            "title": title or f"Jaarplan {year}",
            "slug": f"jaarplan-{year}",
            "year": year,
            "introduction": rich_text("<p>Onze ambitie.</p>"),
            "focus_areas": inline_formset(
                [{"title": t, "description": ""} for t in focus_areas]
            ),
            "comments": inline_formset([]),
        }
    )


def project_form(**overrides):
    data = {
        "title": "Taalhuis Teststad",
        "slug": "taalhuis-teststad",
        "summary": "Volwassenen oefenen met lezen en schrijven in het Taalhuis.",
        "focus_area": "",
        "goal": "Meer laaggeletterden vinden een taaltraject.",
        "target_group": "Laaggeletterde volwassenen",
        "indicators": inline_formset(
            [
                {
                    "name": "intakes",
                    "unit": "intakes",
                    "baseline": "",
                    "target": "60",
                    "result": "",
                }
            ]
        ),
        "budget": "4000",
        "hours": "200",
        "partners": "ROC Teststad",
        "core_functions": [],
        "policy_topics": [],
        "work_fields": [],
        "start_date": "2026-02-01",
        "end_date": "2026-11-30",
        "activities": inline_formset([]),
        "phase": "plan",
        "phase_log": inline_formset([]),
        "evaluation": "",
        "kind": "regular",
        "cycle_months": "",
        "next_review_date": "",
        "assurance_checks": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def errors_of(response):
    return response.context["form"].errors


def test_a_valid_plan_is_saved(admin_client, library):
    response = admin_client.post(
        add_url(AnnualPlanPage, library),
        plan_form(2027, focus_areas=["Lezen", "Digitaal"]),
    )

    assert response.status_code == 302
    plan = AnnualPlanPage.objects.get(year=2027)
    assert plan.library_id == library.pk
    assert [a.title for a in plan.focus_areas.all()] == ["Lezen", "Digitaal"]


def test_a_second_plan_for_the_same_year_is_refused(admin_client, annual_plan, library):
    response = admin_client.post(
        add_url(AnnualPlanPage, library),
        plan_form(2026, title="Nog een jaarplan 2026") | {"slug": "nog-een-jaarplan"},
    )

    assert response.status_code == 200
    assert errors_of(response)["year"] == [
        "Deze bibliotheek heeft al een jaarplan voor 2026. Open dat plan of kies een ander jaar."
    ]
    assert (
        "Deze bibliotheek heeft al een jaarplan voor 2026" in response.content.decode()
    )
    assert AnnualPlanPage.objects.filter(library=library).count() == 1


def test_changing_a_plan_to_a_taken_year_is_refused(admin_client, annual_plan, library):
    other = AnnualPlanPageFactory(parent=library, year=2027)
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[other.pk]),
        plan_form(2026) | {"slug": other.slug},
    )

    assert response.status_code == 200
    assert "year" in errors_of(response)
    assert AnnualPlanPage.objects.get(pk=other.pk).year == 2027


def test_the_same_year_in_another_library_is_fine(admin_client, annual_plan, home_page):
    from tests.factories import LibraryPageFactory

    other_library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")
    response = admin_client.post(
        add_url(AnnualPlanPage, other_library), plan_form(2026)
    )

    assert response.status_code == 302
    assert AnnualPlanPage.objects.filter(year=2026).count() == 2


def test_a_valid_project_is_saved(admin_client, annual_plan):
    area = annual_plan.focus_areas.first()
    response = admin_client.post(
        add_url(ProjectPage, annual_plan), project_form(focus_area=str(area.pk))
    )

    assert response.status_code == 302
    project = ProjectPage.objects.get(slug="taalhuis-teststad")
    assert project.plan_id == annual_plan.pk
    assert project.focus_area == area
    assert project.indicators.get().target == 60


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2026-06-01", "end_date": "2026-05-31"},
            "end_date",
            "De einddatum kan niet vóór de startdatum liggen.",
        ),
        ({"budget": "-100"}, "budget", "Het budget kan niet negatief zijn."),
        ({"hours": "-5"}, "hours", None),
        (
            {"kind": "assurance", "cycle_months": ""},
            "cycle_months",
            "Een borgingsproject heeft een cyclus in maanden nodig.",
        ),
    ],
)
def test_bad_project_input_gets_a_clear_message(
    admin_client, annual_plan, overrides, field, message
):
    response = admin_client.post(
        add_url(ProjectPage, annual_plan), project_form(**overrides)
    )

    assert response.status_code == 200
    assert field in errors_of(response)
    if message:
        assert errors_of(response)[field] == [message]
        assert message in response.content.decode()
    assert not ProjectPage.objects.filter(slug="taalhuis-teststad").exists()


def test_a_negative_indicator_target_is_refused(admin_client, annual_plan):
    indicators = inline_formset(
        [
            {
                "name": "bezoekers",
                "unit": "",
                "baseline": "",
                "target": "-1",
                "result": "",
            }
        ]
    )
    response = admin_client.post(
        add_url(ProjectPage, annual_plan), project_form(indicators=indicators)
    )

    assert response.status_code == 200
    assert "De streefwaarde kan niet negatief zijn." in response.content.decode()
    assert not ProjectPage.objects.exists()


def test_only_the_plans_own_focus_areas_are_offered(admin_client, annual_plan, library):
    other_plan = AnnualPlanPageFactory(parent=library, year=2027)
    foreign = FocusAreaFactory(page=other_plan, title="Speerpunt van een ander plan")

    form_page = admin_client.get(add_url(ProjectPage, annual_plan)).content.decode()
    assert "Geletterdheid" in form_page
    assert "Speerpunt van een ander plan" not in form_page

    response = admin_client.post(
        add_url(ProjectPage, annual_plan), project_form(focus_area=str(foreign.pk))
    )
    assert response.status_code == 200
    assert "focus_area" in errors_of(response)
    assert not ProjectPage.objects.exists()


def test_the_project_editor_is_in_dutch_with_smart_tabs(admin_client, project):
    content = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[project.pk])
    ).content.decode()

    for label in [
        "SMART",
        "PDCA",
        "Borging",
        "Herkomst",
        "Specifiek",
        "Meetbaar",
        "Speerpunt",
    ]:
        assert label in content, label
    assert "Kopiëren naar volgend jaar" in content


def test_moving_a_plan_to_a_library_with_that_year_is_refused(
    admin_client, annual_plan, home_page
):
    from tests.factories import LibraryPageFactory

    other_library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")
    # a different slug, so it is the year (not Wagtail's slug check) that refuses
    AnnualPlanPageFactory(parent=other_library, year=2026, slug="plan-2026")
    url = reverse(
        "wagtailadmin_pages:move_confirm", args=[annual_plan.pk, other_library.pk]
    )

    response = admin_client.post(url, follow=True)

    assert "al een jaarplan voor 2026" in response.content.decode()
    assert AnnualPlanPage.objects.get(pk=annual_plan.pk).library_id != other_library.pk


def test_copying_a_plan_into_a_library_with_that_year_is_refused(
    admin_client, annual_plan, library
):
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=[annual_plan.pk]),
        {"new_title": "Kopie", "new_slug": "kopie", "new_parent_page": library.pk},
    )

    assert response.status_code == 200
    assert "al een jaarplan voor 2026" in response.content.decode()
    assert AnnualPlanPage.objects.filter(library=library).count() == 1
