"""The framework vocabulary seeded by the data migration, and its reversal."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from bm_pages.models import DocumentType, PolicyTopic, WorkField
from tests.factories import PolicyTopicFactory

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("bm_pages.migrations.0003_seed_taxonomy")
home_migration = importlib.import_module("bm_pages.migrations.0002_site_root_homepage")

KIB_NORMS = [
    ("1", "Missie & visie en strategie & beleid"),
    ("2", "Middelen"),
    ("3", "Mensen"),
    ("4", "Samenwerking"),
    ("5", "Producten en diensten"),
    ("6", "Resultaten en verantwoording"),
    ("7", "Wet- en regelgeving"),
]


def test_the_seven_kib_norms_are_seeded_in_order():
    norms = WorkField.objects.filter(kind=WorkField.Kind.NORM)
    assert [(w.code, w.name) for w in norms] == KIB_NORMS


def test_kib_modules_are_seeded():
    modules = {w.slug: w for w in WorkField.objects.filter(kind=WorkField.Kind.MODULE)}
    assert set(modules) == {"educatieve-dienstverlening", "aangepast-lezen"}
    assert "BoekStart" in modules["educatieve-dienstverlening"].description
    assert (
        "de Bibliotheek op school" in modules["educatieve-dienstverlening"].description
    )


def test_the_five_wsob_core_functions_are_seeded():
    names = list(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION).values_list(
            "name", flat=True
        )
    )
    assert names == [
        "Kennis en informatie",
        "Ontwikkeling en educatie",
        "Lezen en literatuur",
        "Ontmoeting en debat",
        "Kunst en cultuur",
    ]


def test_societal_tasks_and_programmes_are_seeded():
    tasks = set(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.SOCIETAL_TASK).values_list(
            "slug", flat=True
        )
    )
    assert tasks == {
        "geletterde-samenleving",
        "participatie-informatiesamenleving",
        "leven-lang-ontwikkelen",
    }
    programmes = set(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.PROGRAMME).values_list(
            "slug", flat=True
        )
    )
    assert {
        "boekstart",
        "bibliotheek-op-school",
        "bibliotheek-op-school-vo",
        "taalhuis",
        "ido",
        "digisterker",
        "mediawijsheid",
    } <= programmes


def test_document_types_are_seeded():
    assert list(DocumentType.objects.values_list("slug", flat=True)) == [
        "zelfevaluatie",
        "meerjarenbeleidsplan",
        "jaarplan",
        "jaarverslag",
        "auditrapport",
        "verbeterplan",
    ]


def test_reversing_the_seed_removes_only_seeded_rows_and_seeding_again_restores_them():
    own_topic = PolicyTopicFactory(name="Eigen programma", slug="eigen-programma")
    counts = (WorkField.objects.count(), PolicyTopic.objects.count())

    seed_migration.unseed(apps, None)
    assert WorkField.objects.count() == 0
    assert DocumentType.objects.count() == 0
    assert list(PolicyTopic.objects.all()) == [own_topic]

    seed_migration.seed(apps, None)
    seed_migration.seed(apps, None)  # a second run adds nothing
    assert (WorkField.objects.count(), PolicyTopic.objects.count()) == counts


def test_seeding_leaves_an_edited_row_alone():
    WorkField.objects.filter(slug="middelen").update(name="Middelen en huisvesting")
    seed_migration.seed(apps, None)
    assert WorkField.objects.get(slug="middelen").name == "Middelen en huisvesting"


def test_reversing_the_home_page_migration_restores_the_welcome_page():
    from wagtail.models import Page, Site

    from bm_pages.models import HomePage

    home_id = HomePage.objects.get().pk
    home_migration.remove_homepage(apps, SimpleNamespace(connection=connection))
    assert not HomePage.objects.exists()
    welcome = Page.objects.get(pk=home_id)
    assert welcome.specific_class is Page
    assert Site.objects.get(is_default_site=True).root_page_id == home_id

    home_migration.create_homepage(apps, None)
    assert HomePage.objects.get().pk == home_id


def test_reversing_the_home_page_migration_refuses_while_libraries_exist(library):
    with pytest.raises(RuntimeError, match="libraries below it"):
        home_migration.remove_homepage(apps, SimpleNamespace(connection=connection))
