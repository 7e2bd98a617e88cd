"""Importing a partner's project into one's own plan: the draft, its provenance, the
documents, the refusals, the untouched source, and noticing later source changes."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from wagtail.models import PageViewRestriction

from bm_matching.actions import (
    ImportPartnerProjectAction,
    ImportPartnerProjectError,
    ImportPartnerProjectPermissionError,
)
from bm_matching.provenance import import_summary, smart_snapshot, source_changes
from bm_pages.actions.partnerships import EndPartnershipAction
from bm_pages.models import (
    FocusArea,
    LibraryDocument,
    LibraryPage,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
)
from tests.bm_pages.partner_helpers import (
    SECRET_DRAFT_TEXT,
    PartnerWorld,
    add_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    return partner_world


def do_import(w, source=None, plan=None, user=None, **options):
    return ImportPartnerProjectAction(
        source or w.project_b,
        plan or w.plan_a,
        user or w.u("editor_a"),
        **options,
    ).execute()


def source_fingerprint(project: ProjectPage) -> dict:
    """Everything about the source that an import must leave alone."""
    page = ProjectPage.objects.get(pk=project.pk)
    return {
        "row": page.serializable_data(),
        "revisions": list(page.revisions.order_by("pk").values_list("pk", "content")),
        "latest_revision": page.latest_revision_id,
        "live_revision": page.live_revision_id,
        "flags": (page.live, page.has_unpublished_changes, page.locked),
        "indicators": list(page.indicators.values_list("name", "target", "result")),
        "activities": list(page.activities.values_list("what", "status", "when")),
        "log": list(page.phase_log.values_list("note", "evidence_id")),
        "documents": list(
            LibraryDocument.objects.filter(library=page.plan.library)
            .order_by("pk")
            .values_list("pk", "title", "file", "visibility", "collection_id")
        ),
    }


# The draft ---------------------------------------------------------------------------


def test_import_makes_a_draft_in_my_plan_with_provenance_and_a_fresh_start(w):
    w.make_partners("a", "b")
    before = source_fingerprint(w.project_b)
    source = ProjectPage.objects.get(pk=w.project_b.pk)

    result = do_import(w, request=None)
    copy = result.project

    # A draft below my plan, mine to edit, in my library's moderation workflow.
    assert copy.get_parent().pk == w.plan_a.pk and copy.plan_id == w.plan_a.pk
    assert not copy.live and copy.has_unpublished_changes
    assert copy.owner == w.u("editor_a")
    assert copy.latest_revision.user == w.u("editor_a")
    assert copy.permissions_for_user(w.u("editor_a")).can_edit()
    assert not copy.permissions_for_user(w.u("editor_b")).can_edit()
    assert copy.get_workflow().name.startswith("Bibliotheek Aadorp")

    # What the project is: copied from the live page, never from the source's draft.
    assert copy.title == "Voorleesexpress Beekstad"
    assert copy.summary == source.summary and SECRET_DRAFT_TEXT not in copy.summary
    for name in ("goal", "target_group", "budget", "hours", "partners", "kind"):
        assert getattr(copy, name) == getattr(source, name), name
    assert set(copy.core_functions.all()) == set(source.core_functions.all())
    assert set(copy.policy_topics.all()) == set(source.policy_topics.all())
    assert set(copy.work_fields.all()) == set(source.work_fields.all())
    assert copy.focus_area == FocusArea.objects.get(
        page=w.plan_a, title="Geletterdheid"
    )

    # A fresh start: results, log, evaluation and phase reset; dates move 2025 -> 2026.
    assert list(
        copy.indicators.values_list("name", "baseline", "target", "result")
    ) == [
        ("gezinnen bereikt", Decimal("20"), Decimal("60"), None),
        ("vrijwilligers", None, Decimal("15"), None),
    ]
    assert list(copy.activities.values_list("status", "when")) == [
        (ProjectActivity.Status.PLANNED, datetime.date(2026, 3, 1)),
        (ProjectActivity.Status.PLANNED, datetime.date(2026, 9, 15)),
    ]
    assert copy.phase == ProjectPage.Phase.PLAN
    assert copy.phase_log.count() == 0 and copy.evaluation == ""
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 11, 30),
    )

    # Provenance.
    assert copy.source_page_id == source.pk
    assert copy.source_title == "Voorleesexpress Beekstad"
    assert copy.source_library_name == "Bibliotheek Beekstad"
    assert copy.source_year == 2025
    assert copy.source_url == source.get_full_url()
    assert copy.source_url.endswith(
        "/bibliotheek-beekstad/jaarplan-2025/voorleesexpress-beekstad/"
    )
    assert copy.imported_at is not None and copy.copied_from_id is None
    assert copy.source_snapshot == smart_snapshot(source)
    assert copy.source_snapshot["fields"]["indicators"] == [
        "gezinnen bereikt: 60 gezinnen (nulmeting 20)",
        "vrijwilligers: 15 personen",
    ]
    # The revision the editor opens holds the same: the editor shows the import.
    latest = copy.get_latest_revision_as_object()
    assert latest.source_page_id == source.pk and latest.phase == "plan"
    assert [i.result for i in latest.indicators.all()] == [None, None]

    assert result.documents == []
    assert source_fingerprint(w.project_b) == before, "the source is never changed"


def test_a_locked_source_gives_an_unlocked_draft(w):
    w.make_partners("a", "b")
    ProjectPage.objects.filter(pk=w.project_b.pk).update(
        locked=True, locked_by=w.u("approver_b")
    )
    copy = do_import(w).project
    assert not copy.locked and copy.locked_by is None
    assert copy.permissions_for_user(w.u("editor_a")).can_edit()


def test_a_chosen_focus_area_wins_and_must_be_of_the_plan(w):
    w.make_partners("a", "b")
    digital = FocusArea.objects.get(page=w.plan_a, title="Digitale inclusie")
    assert do_import(w, focus_area=digital).project.focus_area == digital

    foreign = FocusArea.objects.get(page=w.plan_b)
    with pytest.raises(ImportPartnerProjectError, match="Kies een speerpunt van"):
        do_import(w, focus_area=foreign)


def test_documents_shared_with_partners_are_copied_on_request_and_only_those(w):
    w.make_partners("a", "b")
    before = source_fingerprint(w.project_b)
    result = do_import(w, copy_documents=True)
    copied = {doc.title: doc for doc in result.documents}
    # Evidence of the source's log that partners may see; not "own", not unused ones.
    assert set(copied) == {"Draaiboek huisbezoeken", "Folder Voorleesexpress"}
    for title, doc in copied.items():
        original = LibraryDocument.objects.get(library=w.b, title=title)
        assert doc.pk != original.pk
        assert doc.library_id == w.a.pk and doc.collection_id == w.a.collection_id
        assert doc.visibility == LibraryDocument.Visibility.OWN
        assert doc.uploaded_by_user == w.u("editor_a")
        assert doc.file.name != original.file.name
        with doc.open_file() as new, original.open_file() as old:
            assert new.read() == old.read()
    assert source_fingerprint(w.project_b) == before


def test_a_non_partner_gets_only_the_public_documents(w):
    LibraryPage.objects.filter(pk=w.b.pk).update(
        project_visibility=LibraryPage.ProjectVisibility.ALL
    )
    result = do_import(w, copy_documents=True)
    assert [doc.title for doc in result.documents] == ["Folder Voorleesexpress"]


def test_without_copy_documents_nothing_is_copied(w):
    w.make_partners("a", "b")
    count = LibraryDocument.objects.count()
    assert do_import(w, copy_documents=False).documents == []
    assert LibraryDocument.objects.count() == count


# Refusals ----------------------------------------------------------------------------


def refused(call, error=ImportPartnerProjectPermissionError):
    count = ProjectPage.objects.count()
    with pytest.raises(error) as info:
        call()
    assert ProjectPage.objects.count() == count, "nothing was created"
    return info.value


def test_a_source_not_shared_with_me_is_refused(w):
    # B shares with partners only, and A is not one (yet).
    error = refused(lambda: do_import(w))
    assert error.reason == "source"
    assert str(error) == (
        "Dit project kan niet worden geïmporteerd: het is niet gepubliceerd, of de "
        "bibliotheek deelt het niet met Bibliotheek Aadorp."
    )


def test_after_the_partnership_ends_the_source_is_refused_again(w):
    row = w.make_partners("a", "b")
    do_import(w)
    EndPartnershipAction(row, w.u("approver_a")).execute()
    assert refused(lambda: do_import(w)).reason == "source"


def test_drafts_unpublished_and_restricted_sources_are_refused_even_for_partners(w):
    w.make_partners("a", "b")
    assert refused(lambda: do_import(w, source=w.draft_b)).reason == "source"
    PageViewRestriction.objects.create(
        page=w.project_b, restriction_type=PageViewRestriction.LOGIN
    )
    assert refused(lambda: do_import(w)).reason == "source"


@pytest.mark.parametrize("who", ["editor_b", "editor_c", "auditor_a", "approver_n1"])
def test_only_editors_and_approvers_of_the_target_library_import(w, who):
    w.make_partners("a", "b")
    error = refused(lambda: do_import(w, user=w.u(who)))
    assert error.reason == "target"
    assert "Alleen redacteuren en goedkeurders van Bibliotheek Aadorp" in str(error)


def test_approvers_and_superusers_may_import(w):
    w.make_partners("a", "b")
    assert do_import(w, user=w.u("approver_a")).project.plan_id == w.plan_a.pk
    # Into another plan: a plan holds one copy of a source (test_duplicate_import).
    plan_2027 = add_plan(w.a, 2027)
    assert (
        do_import(w, plan=plan_2027, user=w.u("superuser")).project.plan_id
        == plan_2027.pk
    )


def test_importing_ones_own_project_is_refused_with_a_pointer_to_copying(w):
    error = refused(
        lambda: do_import(w, plan=w.plan_b, user=w.u("editor_b")),
        ImportPartnerProjectError,
    )
    assert "Kopiëren naar volgend jaar" in str(error)


def test_network_members_import_from_each_other_without_asking(w):
    LibraryPage.objects.filter(pk=w.n2.pk).update(
        project_visibility=LibraryPage.ProjectVisibility.PARTNERS
    )
    plan_n1 = add_plan(w.n1, 2026)
    copy = do_import(w, source=w.project_n2, plan=plan_n1, user=w.u("editor_n1"))
    assert copy.project.source_library_name == "Bibliotheek Noordwijk"
    # A is not in the network: refused.
    assert refused(lambda: do_import(w, source=w.project_n2)).reason == "source"


# Source changes after import -----------------------------------------------------------


def republish(page_pk: int, **changes) -> ProjectPage:
    """Publish a change to the source's live content, as B's approver would."""
    page = ProjectPage.objects.get(pk=page_pk)
    indicators = list(page.indicators.all())
    target = changes.pop("first_target", None)
    if target is not None:
        indicators[0].target = target
    page.indicators = indicators
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return ProjectPage.objects.get(pk=page_pk)


def test_source_changes_are_detected_field_by_field(w):
    w.make_partners("a", "b")
    copy = do_import(w).project
    assert source_changes(copy) == []

    republish(
        w.project_b.pk,
        goal="Alle ouders lezen dagelijks voor.",
        budget=Decimal("9500.00"),
        first_target=Decimal("80"),
    )
    changes = {change.name: change for change in source_changes(copy)}
    assert set(changes) == {"goal", "budget", "indicators"}
    assert changes["goal"].label == "Doel"
    assert changes["goal"].before == "Meer ouders lezen dagelijks voor aan hun peuter."
    assert changes["goal"].after == "Alle ouders lezen dagelijks voor."
    assert (changes["budget"].before, changes["budget"].after) == ("8750", "9500")
    assert "gezinnen bereikt: 80 gezinnen" in changes["indicators"].after

    # Results moving at the source are not a change to the plan; nor are drafts.
    ProjectPage.objects.get(pk=w.project_b.pk).indicators.update(result=Decimal("1"))
    draft = ProjectPage.objects.get(pk=w.project_b.pk)
    draft.title = "Nieuwe titel, nog concept"
    draft.save_revision()
    assert {c.name for c in source_changes(copy)} == {"goal", "budget", "indicators"}

    # An unpublished source has nothing live to compare with.
    ProjectPage.objects.get(pk=w.project_b.pk).unpublish()
    assert source_changes(copy) == []


def test_the_editors_see_the_change_and_the_diff_in_the_admin(w):
    w.make_partners("a", "b")
    copy = do_import(w).project
    client = Client()
    client.force_login(w.u("editor_a"))
    edit = client.get(f"/admin/pages/{copy.pk}/edit/").content.decode()
    assert "is na de import gewijzigd" not in edit

    republish(w.project_b.pk, target_group="Alle ouders in Beekstad")
    edit = client.get(f"/admin/pages/{copy.pk}/edit/").content.decode()
    assert "is na de import gewijzigd (1 veld)" in edit
    assert f"/admin/matching/source-changes/{copy.pk}/" in edit

    diff = client.get(f"/admin/matching/source-changes/{copy.pk}/").content.decode()
    assert 'data-bm-field="target_group"' in diff
    assert "Ouders van peuters met een taalachterstand" in diff
    assert "Alle ouders in Beekstad" in diff
    # Only the project's editors may compare.
    other = Client()
    other.force_login(w.u("editor_b"))
    assert other.get(f"/admin/matching/source-changes/{copy.pk}/").status_code == 403


def test_the_source_sees_how_many_imported_it_and_names_only_partners(w):
    w.make_partners("a", "b")
    do_import(w)
    LibraryPage.objects.filter(pk=w.b.pk).update(
        project_visibility=LibraryPage.ProjectVisibility.ALL
    )
    do_import(w, plan=w.plan_c, user=w.u("editor_c"))
    # A second copy in A (in another plan) counts A once.
    do_import(w, plan=add_plan(w.a, 2027), user=w.u("approver_a"))
    summary = import_summary(ProjectPage.objects.get(pk=w.project_b.pk))
    assert summary.count == 2
    assert summary.partner_names == ["Bibliotheek Aadorp"]
    assert summary.others == 1

    client = Client()
    client.force_login(w.u("approver_b"))
    edit = client.get(f"/admin/pages/{w.project_b.pk}/edit/").content.decode()
    assert "2 bibliotheken hebben dit project in hun jaarplan geïmporteerd." in edit
    assert "Partners daaronder: Bibliotheek Aadorp." in edit
    assert "Bibliotheek Cederveen" not in edit


# The admin import view ------------------------------------------------------------------


def test_the_import_form_creates_the_draft_and_opens_it(w):
    w.make_partners("a", "b")
    client = Client()
    client.force_login(w.u("editor_a"))
    url = f"/admin/matching/import/{w.project_b.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Jaarplan 2026 (Bibliotheek Aadorp)" in html
    assert "Draaiboek huisbezoeken" in html and "Interne evaluatie Beekstad" not in html

    area = FocusArea.objects.get(page=w.plan_a, title="Digitale inclusie")
    response = client.post(
        url,
        {"target_plan": w.plan_a.pk, "focus_area": area.pk, "copy_documents": "on"},
        follow=True,
    )
    copy = ProjectPage.objects.get(source_page=w.project_b, plan=w.plan_a)
    assert response.redirect_chain[-1][0] == f"/admin/pages/{copy.pk}/edit/"
    page = response.content.decode()
    assert "staat nu als concept in Jaarplan 2026" in page
    assert "2 documenten zijn naar uw documenten gekopieerd." in page
    assert copy.focus_area == area


def test_the_import_screen_shows_what_the_source_achieved(w):
    w.make_partners("a", "b")
    client = Client()
    client.force_login(w.u("editor_a"))
    html = client.get(f"/admin/matching/import/{w.project_b.pk}/").content.decode()
    achieved = html.split('data-bm="source-achieved"')[1].split("</section>")[0]
    assert "Wat dit project bereikte" in achieved
    with translation.override("nl"):
        assert f"Fase: {ProjectPage.Phase.CHECK.label}" in achieved
    # Result against target as the live rows hold them, with a bar each.
    rows = ProjectPage.objects.get(pk=w.project_b.pk).indicators.order_by("sort_order")
    for indicator in rows:
        assert f'data-percent="{indicator.percent_of_target}"' in achieved
    assert (
        "48 / 60 gezinnen (80%)" in achieved and "17 / 15 personen (113%)" in achieved
    )
    assert achieved.count('class="bm-similar__bar"') == 2
    assert "Goed bereik; werving van vrijwilligers kostte meer tijd." in achieved
    # The later draft at the source is not shown.
    assert SECRET_DRAFT_TEXT not in html


def test_the_import_screen_says_when_nothing_was_achieved_yet(w):
    ProjectIndicator.objects.filter(page=w.project_c).update(result=None)
    ProjectPage.objects.filter(pk=w.project_c.pk).update(evaluation="")
    client = Client()
    client.force_login(w.u("editor_a"))
    html = client.get(f"/admin/matching/import/{w.project_c.pk}/").content.decode()
    achieved = html.split('data-bm="source-achieved"')[1].split("</section>")[0]
    assert "Nog geen resultaten of evaluatie vastgelegd." in achieved
    assert "bm-similar__bar" not in achieved


def test_the_import_form_refuses_what_i_may_not_see_or_import(w):
    client = Client()
    client.force_login(w.u("editor_a"))
    # Not partners: B's project is not shared with A.
    assert client.get(f"/admin/matching/import/{w.project_b.pk}/").status_code == 404
    # A focus area of another plan is a form error, not a server error.
    area = FocusArea.objects.get(page=w.plan_b)
    response = client.post(
        f"/admin/matching/import/{w.project_c.pk}/",
        {"target_plan": w.plan_a.pk, "focus_area": area.pk},
    )
    assert response.status_code == 200
    assert not ProjectPage.objects.filter(source_page=w.project_c).exists()
    # Auditors do not import at all.
    auditor = Client()
    auditor.force_login(w.u("auditor_a"))
    assert auditor.get(f"/admin/matching/import/{w.project_c.pk}/").status_code in (
        302,
        403,
    )


def test_request_partnership_from_a_search_result_opens_the_request_form(w):
    client = Client()
    client.force_login(w.u("editor_a"))
    response = client.get(f"/admin/matching/partnership/{w.project_b.pk}/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/admin/network/request/?partner={w.b.pk}&project={w.project_b.pk}"
    )


# The import form's focus areas: those of the plan the project goes into -----------------


def area_options(html: str) -> list[str]:
    select = html.split('name="focus_area"', 1)[1].split("</select>", 1)[0]
    return [
        label.strip()
        for value, label in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)<', select)
        if value
    ]


def test_the_form_offers_the_focus_areas_of_the_chosen_plan_only(w):
    add_plan(w.a, 2027, areas=("Leesbevordering", "Ontmoeting"))
    client = Client()
    client.force_login(w.u("editor_a"))
    url = f"/admin/matching/import/{w.project_c.pk}/"
    # No plan for the source's year (2025): the newest plan and its areas.
    html = client.get(url).content.decode()
    assert area_options(html) == ["Leesbevordering", "Ontmoeting"]
    # Choosing another plan reloads the form for it (import_plan.js adds ?plan=).
    html = client.get(url, {"plan": w.plan_a.pk, "q": "voorlezen"}).content.decode()
    assert area_options(html) == ["Geletterdheid", "Digitale inclusie"]
    assert re.search(
        rf'<option value="{w.plan_a.pk}"[^>]*selected',
        html.split('name="target_plan"')[1],
    )
    assert "bm_matching/import_plan.js" in html
    # Another library's plan, or nonsense, is not a choice: back to the default.
    for asked in (w.plan_b.pk, "x", "99999999999999999999"):
        html = client.get(url, {"plan": asked}).content.decode()
        assert area_options(html) == ["Leesbevordering", "Ontmoeting"]


def test_an_area_of_another_plan_is_refused_with_a_clear_error(w):
    plan_2027 = add_plan(w.a, 2027, areas=("Leesbevordering",))
    client = Client()
    client.force_login(w.u("editor_a"))
    url = f"/admin/matching/import/{w.project_c.pk}/"
    foreign = FocusArea.objects.get(page=w.plan_a, title="Digitale inclusie")
    response = client.post(url, {"target_plan": plan_2027.pk, "focus_area": foreign.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["focus_area"] == [
        "Kies een speerpunt van Jaarplan 2027, of geen."
    ]
    # The form shows the areas of the plan that was posted.
    assert area_options(response.content.decode()) == ["Leesbevordering"]
    assert not ProjectPage.objects.filter(source_page=w.project_c).exists()

    # Without a valid plan, no area is accepted either, and the error says why.
    response = client.post(url, {"target_plan": w.plan_b.pk, "focus_area": foreign.pk})
    errors = response.context["form"].errors
    assert "target_plan" in errors
    assert errors["focus_area"] == [
        "Kies eerst het jaarplan en dan een van de speerpunten daarvan."
    ]
    assert not ProjectPage.objects.filter(source_page=w.project_c).exists()

    # The area of the posted plan is taken.
    own = FocusArea.objects.get(page=plan_2027)
    response = client.post(url, {"target_plan": plan_2027.pk, "focus_area": own.pk})
    assert response.status_code == 302
    copy = ProjectPage.objects.get(source_page=w.project_c)
    assert (copy.plan_id, copy.focus_area_id) == (plan_2027.pk, own.pk)
