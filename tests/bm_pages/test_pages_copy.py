"""Copy to next year: what is copied, what starts afresh, and who may do it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bm_pages.actions import (
    CopyAnnualPlanToNextYearAction,
    CopyAnnualPlanToNextYearPermissionError,
    CopyProjectToNextYearAction,
    CopyProjectToNextYearPermissionError,
    CopyToNextYearError,
)
from bm_pages.models import AnnualPlanPage, ProjectPage
from tests.factories import AnnualPlanPageFactory, FocusAreaFactory

pytestmark = pytest.mark.django_db


def copies_in(plan):
    return {p.copied_from_id: p for p in ProjectPage.objects.child_of(plan).specific()}


def test_copying_a_plan_makes_a_draft_plan_for_next_year_with_all_projects(page_tree):
    new_plan = CopyAnnualPlanToNextYearAction(page_tree.plan).execute()

    assert new_plan.year == 2027
    assert new_plan.title == "Jaarplan 2027"
    assert new_plan.library_id == page_tree.library.pk
    assert not new_plan.live
    assert new_plan.introduction == page_tree.plan.introduction
    assert [a.title for a in new_plan.focus_areas.order_by("sort_order")] == [
        "Geletterdheid",
        "Digitale inclusie",
    ]
    assert not set(new_plan.focus_areas.values_list("pk", flat=True)) & {
        a.pk for a in page_tree.focus_areas
    }
    copies = copies_in(new_plan)
    # live and draft projects alike, every one a draft
    assert set(copies) == {p.pk for p in page_tree.projects}
    assert all(not copy.live for copy in copies.values())


def test_a_copied_project_keeps_its_content_and_starts_the_year_afresh(page_tree):
    original = page_tree.live_project
    new_plan = CopyAnnualPlanToNextYearAction(page_tree.plan).execute()
    copy = copies_in(new_plan)[original.pk]

    # kept
    assert copy.title == original.title
    assert copy.summary == original.summary
    assert copy.goal == original.goal
    assert copy.budget == Decimal("12500.00")
    assert copy.hours == 340
    assert set(copy.core_functions.all()) == set(original.core_functions.all())
    assert set(copy.policy_topics.all()) == set(original.policy_topics.all())
    assert set(copy.work_fields.all()) == set(original.work_fields.all())
    assert copy.focus_area.title == "Geletterdheid"
    assert copy.focus_area.page_id == new_plan.pk
    assert copy.copied_from_id == original.pk
    assert copy.plan_id == new_plan.pk
    # reset
    assert copy.phase == ProjectPage.Phase.PLAN
    assert copy.evaluation == ""
    assert copy.phase_log.count() == 0
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2027, 1, 15),
        datetime.date(2027, 12, 15),
    )
    indicators = list(copy.indicators.order_by("sort_order"))
    assert [(i.name, i.target, i.baseline, i.result) for i in indicators] == [
        ("uitgereikte koffertjes", Decimal("5796"), Decimal("4321"), None),
        ("nieuwe baby-leden", Decimal("150"), None, None),
    ]
    assert {a.status for a in copy.activities.all()} == {"planned"}
    assert {a.when.year for a in copy.activities.all()} == {2027}


def test_the_copy_is_what_editors_see_in_the_admin(page_tree):
    """The draft revision carries the reset values, not last year's."""
    new_plan = CopyAnnualPlanToNextYearAction(page_tree.plan).execute()
    copy = copies_in(new_plan)[page_tree.live_project.pk]

    draft = copy.get_latest_revision_as_object()
    assert draft.phase == ProjectPage.Phase.PLAN
    assert [i.result for i in draft.indicators.all()] == [None, None]


def test_the_original_plan_is_untouched(page_tree):
    original = page_tree.live_project
    CopyAnnualPlanToNextYearAction(page_tree.plan).execute()

    original = ProjectPage.objects.get(pk=original.pk)
    assert original.phase == ProjectPage.Phase.CHECK
    assert original.phase_log.count() == 2
    assert original.indicators.get(name="uitgereikte koffertjes").result == Decimal(
        "4321"
    )
    assert original.live


def test_assurance_checks_stay_with_the_original(page_tree):
    new_plan = CopyAnnualPlanToNextYearAction(page_tree.plan).execute()
    copy = copies_in(new_plan)[page_tree.assurance_project.pk]

    assert copy.kind == ProjectPage.Kind.ASSURANCE
    assert copy.cycle_months == 3
    # The cycle goes on from the same date, carried by the copy.
    assert copy.next_review_date == page_tree.assurance_project.next_review_date
    assert copy.assurance_checks.count() == 0
    assert page_tree.assurance_project.assurance_checks.count() == 1


def test_the_latest_draft_of_a_project_is_copied(page_tree):
    original = page_tree.live_project
    original.title = "BoekStart in Teststad (herzien)"
    original.save_revision()

    new_plan = CopyAnnualPlanToNextYearAction(page_tree.plan).execute()

    assert copies_in(new_plan)[original.pk].title == "BoekStart in Teststad (herzien)"


def test_a_plan_cannot_be_copied_twice(page_tree):
    CopyAnnualPlanToNextYearAction(page_tree.plan).execute()
    with pytest.raises(CopyToNextYearError, match="heeft al een jaarplan voor 2027"):
        CopyAnnualPlanToNextYearAction(page_tree.plan).execute()
    assert AnnualPlanPage.objects.filter(library=page_tree.library).count() == 2


def test_copying_one_project_creates_next_years_plan_when_missing(page_tree):
    copy = CopyProjectToNextYearAction(page_tree.live_project).execute()

    plan = AnnualPlanPage.objects.get(library=page_tree.library, year=2027)
    assert copy.plan_id == plan.pk
    assert not plan.live
    assert copy.focus_area.page_id == plan.pk
    assert ProjectPage.objects.child_of(plan).count() == 1


def test_copying_one_project_into_an_existing_plan(page_tree):
    next_plan = AnnualPlanPageFactory(parent=page_tree.library, year=2027)
    FocusAreaFactory(page=next_plan, title="Iets anders")

    copy = CopyProjectToNextYearAction(page_tree.live_project).execute()

    assert copy.plan_id == next_plan.pk
    assert copy.focus_area is None  # no focus area with the same title there
    with pytest.raises(CopyToNextYearError, match="al gekopieerd"):
        CopyProjectToNextYearAction(page_tree.live_project).execute()


def test_a_user_without_rights_cannot_copy(page_tree, editor_user):
    with pytest.raises(CopyAnnualPlanToNextYearPermissionError):
        CopyAnnualPlanToNextYearAction(page_tree.plan, user=editor_user).execute()
    with pytest.raises(CopyProjectToNextYearPermissionError):
        CopyProjectToNextYearAction(page_tree.live_project, user=editor_user).execute()
    assert not AnnualPlanPage.objects.filter(year=2027).exists()


def test_the_admin_button_asks_then_copies(admin_client, page_tree):
    edit_url = reverse("wagtailadmin_pages:edit", args=[page_tree.plan.pk])
    copy_url = reverse("bm_pages_admin:copy_to_next_year", args=[page_tree.plan.pk])
    assert copy_url in admin_client.get(edit_url).content.decode()

    confirm = admin_client.get(copy_url)
    assert confirm.status_code == 200
    assert "2027" in confirm.content.decode()
    assert not AnnualPlanPage.objects.filter(year=2027).exists()

    response = admin_client.post(copy_url)

    new_plan = AnnualPlanPage.objects.get(library=page_tree.library, year=2027)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[new_plan.pk])
    assert ProjectPage.objects.child_of(new_plan).count() == 3


def test_the_admin_button_explains_why_a_copy_is_refused(admin_client, page_tree):
    AnnualPlanPageFactory(parent=page_tree.library, year=2027)
    copy_url = reverse("bm_pages_admin:copy_to_next_year", args=[page_tree.plan.pk])

    response = admin_client.post(copy_url, follow=True)

    assert "2027" in response.content.decode()
    assert "al een jaarplan" in response.content.decode()
    assert AnnualPlanPage.objects.filter(year=2027).count() == 1


def test_the_admin_copy_view_refuses_users_who_cannot_edit(
    client, page_tree, editor_user
):
    editor_user.is_staff = True
    editor_user.save()
    client.force_login(editor_user)
    copy_url = reverse("bm_pages_admin:copy_to_next_year", args=[page_tree.plan.pk])
    assert client.post(copy_url).status_code in (302, 403)
    assert not AnnualPlanPage.objects.filter(year=2027).exists()
