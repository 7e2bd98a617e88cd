"""The outbox: a row for every change that matters, written in the change's transaction,
and the worker's coalescing, backoff and isolation of bad records (FakeMatcherClient:
what the matcher does with the records is beside the point here)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, PageViewRestriction

from bm_matching.clients import FakeMatcherClient, MatcherRequestError
from bm_matching.indexing import build_records, enqueue
from bm_matching.models import IndexOutbox
from bm_matching.worker import OutboxWorker, backoff_seconds, prune_done_rows
from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import LibraryPage, PolicyTopic, ProjectPage
from bm_pages.roles import LibraryRole
from tests.bm_matching.helpers import (
    add_plan,
    network,
    pending_rows,
    publish_project,
    republish,
    set_up_library,
    staff,
)
from tests.factories import AnnualPlanPageFactory, LibraryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

UPSERT, DELETE = IndexOutbox.Action.UPSERT, IndexOutbox.Action.DELETE


def rows(**filters) -> list[tuple[int, str]]:
    return list(
        IndexOutbox.objects.filter(**filters)
        .order_by("id")
        .values_list("page_id", "action")
    )


def clear_outbox() -> None:
    IndexOutbox.objects.all().delete()


@pytest.fixture
def plan(annual_plan):
    clear_outbox()
    return annual_plan


# Which changes write rows --------------------------------------------------------------


def test_publishing_a_project_writes_an_upsert_row_in_its_transaction(plan):
    project = publish_project(plan, "Voorlezen op zaterdag", live=False)
    assert rows() == [], "a draft is not indexed, so it queues nothing"

    project.save_revision().publish()

    row = IndexOutbox.objects.get()
    assert (row.page_id, row.action, row.reason) == (project.pk, UPSERT, "publish")
    assert row.done_at is None and row.attempts == 0
    assert row.next_attempt_at <= timezone.now()


def test_a_publish_that_fails_after_saving_the_page_leaves_no_row(plan):
    """No outer transaction (like the admin's publish): ``Page.save`` is atomic, and the
    row is written inside it, so a failure after the page row was written takes the
    row with it. A handler on ``page_published`` would have run after the save
    committed and could not promise this."""
    project = publish_project(plan, "Taalcafé", live=False)

    def crash(sender, instance, **kwargs):
        if instance.pk == project.pk and instance.live:
            raise RuntimeError("the database went away after the page row was saved")

    # Only the project's own saves: a revision may have the same id as the page.
    post_save.connect(crash, sender=ProjectPage, weak=False, dispatch_uid="test-crash")
    try:
        with pytest.raises(RuntimeError):
            project.save_revision().publish()
    finally:
        post_save.disconnect(sender=ProjectPage, dispatch_uid="test-crash")

    assert not ProjectPage.objects.get(pk=project.pk).live
    assert rows() == []
    # ...and the same publish without the crash writes its row.
    ProjectPage.objects.get(pk=project.pk).save_revision().publish()
    assert rows() == [(project.pk, UPSERT)]


def test_draft_edits_of_a_live_project_queue_nothing(plan):
    project = publish_project(plan, "Digitaal Hulpplein")
    clear_outbox()
    project.summary = "Nieuwe tekst, nog niet gepubliceerd."
    project.save_revision()
    project.save_revision().approved_go_live_at = None
    assert rows() == []


def test_unpublishing_and_deleting_queue_removals(plan):
    first = publish_project(plan, "Boekstart voor baby's")
    second = publish_project(plan, "Leesclub senioren")
    clear_outbox()

    first.unpublish()
    assert rows() == [(first.pk, DELETE)]

    clear_outbox()
    Page.objects.get(pk=second.pk).delete()  # a plain Page, as Wagtail's admin does
    assert rows() == [(second.pk, DELETE)]


def test_unpublishing_a_plan_with_its_projects_queues_each_project(plan):
    projects = [publish_project(plan, f"Project {n}") for n in range(3)]
    clear_outbox()
    admin = UserFactory(username="beheerder", is_superuser=True)
    UnpublishPageAction(
        Page.objects.get(pk=plan.pk).specific, user=admin, include_descendants=True
    ).execute()
    queued = {page_id for page_id, _action in rows()}
    assert queued == {p.pk for p in projects}


def test_deleting_a_library_queues_the_removal_of_all_its_projects(library, plan):
    other_plan = add_plan(library, 2025)
    projects = [
        publish_project(plan, "Voorleesexpress"),
        publish_project(other_plan, "Mediawijsheid in de klas"),
    ]
    clear_outbox()
    Page.objects.get(pk=library.pk).delete()
    assert set(rows()) == {(p.pk, DELETE) for p in projects}


def test_moving_a_project_or_a_plan_queues_the_projects(home_page, library, plan):
    project = publish_project(plan, "Schrijfwedstrijd jongeren")
    other_library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")
    other_plan = AnnualPlanPageFactory(parent=other_library, year=2027)
    clear_outbox()

    Page.objects.get(pk=project.pk).move(other_plan, pos="last-child")
    assert rows() == [(project.pk, UPSERT)]

    clear_outbox()
    Page.objects.get(pk=other_plan.pk).move(library, pos="last-child")
    assert rows() == [(project.pk, UPSERT)]
    assert IndexOutbox.objects.get().reason == "plan:url_path"


def test_a_new_plan_slug_queues_its_projects_with_their_new_url(plan):
    project = publish_project(plan, "Schrijfcafé")
    clear_outbox()
    republish(plan, slug="jaarplan-2026-herzien")
    assert rows() == [(project.pk, UPSERT)]
    record = build_records([project.pk])[project.pk]
    assert "/jaarplan-2026-herzien/schrijfcafe/" in record.url


def test_a_new_library_name_or_network_queues_its_projects(library, plan):
    projects = [publish_project(plan, "Taalhuis"), publish_project(plan, "Klik & Tik")]
    clear_outbox()

    republish(library, phone="0900 123 456")
    assert rows() == [], "contact details do not change any record"

    republish(library, title="Bibliotheek Nieuwe Naam")
    assert set(rows()) == {(p.pk, UPSERT) for p in projects}
    assert set(IndexOutbox.objects.values_list("reason", flat=True)) == {
        "library:title"
    }

    clear_outbox()
    republish(library, network=network("zuid", "Netwerk Zuid"))
    assert set(rows()) == {(p.pk, UPSERT) for p in projects}


def test_moving_a_library_to_another_network_at_set_up_queues_its_projects(db):
    library = set_up_library("Bibliotheek Verhuizer", network("noord", "Netwerk Noord"))
    projects = [publish_project(add_plan(library, 2026), "Leesclub")]
    clear_outbox()

    SetUpLibraryAction(
        "Bibliotheek Verhuizer", network=network("zuid", "Netwerk Zuid")
    ).execute(skip_permission_checks=True)

    assert set(rows()) == {(p.pk, UPSERT) for p in projects}


def test_renaming_a_network_or_topic_queues_the_projects_that_use_it(
    library, plan, network
):
    boekstart = publish_project(plan, "BoekStart", topics=["boekstart"])
    other = publish_project(plan, "Koffieochtend")
    clear_outbox()

    network.name = "Netwerk Rivierenland en Betuwe"
    network.save()
    assert set(rows()) == {(boekstart.pk, UPSERT), (other.pk, UPSERT)}

    clear_outbox()
    topic = PolicyTopic.objects.get(slug="boekstart")
    topic.name = "BoekStart voor baby's"
    topic.save()
    assert rows() == [(boekstart.pk, UPSERT)]


def test_making_a_plan_private_or_public_queues_its_projects(plan):
    project = publish_project(plan, "Voorlezen thuis")
    clear_outbox()
    restriction = PageViewRestriction.objects.create(
        page=plan, restriction_type=PageViewRestriction.LOGIN
    )
    assert rows() == [(project.pk, UPSERT)]
    assert build_records([project.pk]) == {project.pk: None}, "private: not indexed"

    clear_outbox()
    restriction.delete()
    assert rows() == [(project.pk, UPSERT)]
    assert build_records([project.pk])[project.pk] is not None


def test_approval_in_the_review_workflow_publishes_and_queues(db):
    library = set_up_library("Bibliotheek Werkstroom")
    plan = add_plan(library, 2026)
    editor = staff(library, "redacteur-werkstroom")
    approver = staff(library, "goedkeurder-werkstroom", LibraryRole.APPROVER)
    project = publish_project(plan, "Voorleesontbijt", live=False)
    clear_outbox()

    state = project.get_workflow().start(project, editor)
    assert rows() == [], "submitting for review publishes nothing"
    state.current_task_state.approve(user=approver)

    assert ProjectPage.objects.get(pk=project.pk).live
    assert rows() == [(project.pk, UPSERT)]


# What the matcher gets ------------------------------------------------------------------


def test_the_record_holds_what_makes_a_project_findable(library, plan, network):
    project = publish_project(
        plan,
        "BoekStart in de wijk",
        "Ouders van baby's krijgen een koffertje met boekjes.",
        goal="Meer ouders lezen dagelijks voor.",
        target_group="Ouders van baby's",
        topics=["boekstart"],
        phase=ProjectPage.Phase.CHECK,
    )
    project.core_functions = list(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:1]
    )
    project.save_revision().publish()
    core_name = project.core_functions.first().name

    record = build_records([project.pk])[project.pk]

    assert record.id == str(project.pk)
    assert record.title == "BoekStart in de wijk"
    for text in (
        "koffertje met boekjes",
        "Meer ouders lezen dagelijks voor.",
        "Ouders van baby's",
        "BoekStart",
        core_name,
    ):
        assert text in record.summary
    assert record.library_id == str(library.pk)
    assert record.library_name == library.title
    assert record.region == network.slug
    assert (record.year, record.phase) == (2026, "check")
    assert record.url.endswith(f"/{plan.slug}/{project.slug}/")


def test_only_live_public_projects_under_live_pages_are_indexed(library, plan):
    live = publish_project(plan, "Live")
    draft = publish_project(plan, "Concept", live=False)
    hidden_plan = add_plan(library, 2027)
    under_hidden = publish_project(hidden_plan, "Onder verborgen plan")
    Page.objects.get(pk=hidden_plan.pk).specific.unpublish()
    alias = Page.objects.get(pk=live.pk).specific.create_alias(
        parent=AnnualPlanPageFactory(parent=library, year=2028), update_slug="alias"
    )

    records = build_records([live.pk, draft.pk, under_hidden.pk, alias.pk, 999_999])

    assert records[live.pk] is not None
    assert records[draft.pk] is None
    assert records[under_hidden.pk] is None
    assert records[alias.pk] is None
    assert records[999_999] is None, "a deleted page is removed"


# The worker ----------------------------------------------------------------------------


def test_several_changes_to_one_page_are_sent_once(plan):
    fake = FakeMatcherClient()
    project = publish_project(plan, "Taalmaatjes")
    republish(project, summary="Vrijwilligers oefenen Nederlands met nieuwkomers.")
    republish(project, phase=ProjectPage.Phase.CHECK)
    assert len(pending_rows()) == 3

    result = OutboxWorker(fake).drain()

    assert fake.calls == [("bulk_upsert", [str(project.pk)])]
    assert result.rows == 3 and result.upserted == 1
    assert pending_rows() == []
    assert fake.records[str(project.pk)].summary.startswith("Vrijwilligers")
    assert fake.records[str(project.pk)].phase == "check"


def test_the_last_state_wins_whatever_the_rows_said(plan):
    fake = FakeMatcherClient()
    project = publish_project(plan, "Leesbevordering vmbo")
    OutboxWorker(fake).drain()
    project.unpublish()
    republish(project, title="Leesbevordering vmbo 2.0")  # publish again
    Page.objects.get(pk=project.pk).specific.unpublish()

    OutboxWorker(fake).drain()

    assert fake.calls[-1] == ("delete", str(project.pk))
    assert str(project.pk) not in fake.records
    assert pending_rows() == []


def test_a_matcher_outage_keeps_rows_pending_with_exponential_backoff(plan, settings):
    settings.BM_MATCHING = {"MIN_BACKOFF": 10.0, "MAX_BACKOFF": 1000.0}
    fake = FakeMatcherClient()
    fake.available = False
    project = publish_project(plan, "Makerspace")

    before = timezone.now()
    result = OutboxWorker(fake).drain()
    (row,) = pending_rows()
    assert result.outage and "down" in result.outage
    assert row.attempts == 1 and "down" in row.last_error
    delay = (row.next_attempt_at - before).total_seconds()
    assert 5.0 <= delay <= 10.5, delay

    assert OutboxWorker(fake).drain().rows == 0, "not due yet: left alone"

    IndexOutbox.objects.update(next_attempt_at=timezone.now())
    before = timezone.now()
    OutboxWorker(fake).drain()
    (row,) = pending_rows()
    assert row.attempts == 2
    assert 10.0 <= (row.next_attempt_at - before).total_seconds() <= 20.5

    fake.available = True
    IndexOutbox.objects.update(next_attempt_at=timezone.now())
    OutboxWorker(fake).drain()
    assert pending_rows() == []
    row = IndexOutbox.objects.get()
    assert row.done_at is not None and row.last_error == ""
    assert str(project.pk) in fake.records


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    settings.BM_MATCHING = {"MIN_BACKOFF": 1.0, "MAX_BACKOFF": 60.0}
    for attempts, full in [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (40, 60)]:
        delays = [backoff_seconds(attempts) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays), (attempts, delays)
        assert len(set(delays)) > 1, "jittered"


class RefusingClient(FakeMatcherClient):
    """Refuses records titled "Kapot", like the matcher refuses invalid input (422)."""

    def bulk_upsert(self, records):
        if any(r.title == "Kapot" for r in records):
            self.calls.append(("refused", [r.id for r in records]))
            raise MatcherRequestError(422, "title: invalid")
        return super().bulk_upsert(records)


def test_a_refused_record_does_not_hold_up_the_others(plan):
    good = [publish_project(plan, f"Goed {n}") for n in range(3)]
    bad = publish_project(plan, "Kapot")
    client = RefusingClient()

    result = OutboxWorker(client).drain()

    assert set(client.records) == {str(p.pk) for p in good}
    assert result.failed_pages == 1
    (row,) = pending_rows()
    assert row.page_id == bad.pk and row.attempts == 1
    assert "422" in row.last_error and "title: invalid" in row.last_error


def test_done_rows_are_pruned_after_the_retention_period(plan, settings):
    settings.BM_MATCHING = {"DONE_RETENTION_DAYS": 7}
    enqueue([1, 2, 3], UPSERT, "test")
    IndexOutbox.objects.filter(page_id=1).update(
        done_at=timezone.now() - datetime.timedelta(days=8)
    )
    IndexOutbox.objects.filter(page_id=2).update(
        done_at=timezone.now() - datetime.timedelta(days=6)
    )
    assert prune_done_rows() == 1
    assert sorted(IndexOutbox.objects.values_list("page_id", flat=True)) == [2, 3]


def test_a_library_project_visibility_change_queues_nothing(library, plan):
    publish_project(plan, "Zichtbaarheid")
    clear_outbox()
    republish(library, project_visibility=LibraryPage.ProjectVisibility.NETWORK)
    assert rows() == [], (
        "visibility is applied at search time, not stored in the matcher"
    )
