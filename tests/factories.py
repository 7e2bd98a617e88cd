"""Factories for Biblio Monitor's models, shared by every test package.

Pages: ``wagtail_factories.PageFactory`` subclasses; pass ``parent=`` (the home page
comes from the migrations, see the ``home_page`` fixture). Everything else:
``DjangoModelFactory``. Taxonomy factories reuse a seeded row when the slug exists.
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from bm_pages.models import (
    AnnualPlanPage,
    AssuranceCheck,
    Branch,
    DocumentType,
    FocusArea,
    HomePage,
    LibraryDocument,
    LibraryPage,
    PhaseLogEntry,
    PolicyTopic,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
    RegionalNetwork,
    WorkField,
)

# Taxonomy ------------------------------------------------------------------------


class WorkFieldFactory(DjangoModelFactory):
    class Meta:
        model = WorkField
        django_get_or_create = ("slug",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Werkveld {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = WorkField.Kind.NORM


class PolicyTopicFactory(DjangoModelFactory):
    class Meta:
        model = PolicyTopic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Beleidsonderwerp {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = PolicyTopic.Kind.PROGRAMME


class DocumentTypeFactory(DjangoModelFactory):
    class Meta:
        model = DocumentType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Documentsoort {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class RegionalNetworkFactory(DjangoModelFactory):
    class Meta:
        model = RegionalNetwork
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Bibliotheeknetwerk {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = "Gelderland"


# Users -------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", "biblio-test")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# Pages ---------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Biblio Monitor"


class LibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LibraryPage

    title = factory.Sequence(lambda n: f"Bibliotheek Teststad {n}")
    municipalities = "Teststad, Proefdorp"
    email = "info@bibliotheek.example"
    phone = "0123 456 789"
    website = "https://www.bibliotheek.example"
    address = "Postbus 1\n1234 AB Teststad"


class AnnualPlanPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AnnualPlanPage

    year = 2026
    title = factory.LazyAttribute(lambda o: f"Jaarplan {o.year}")
    introduction = "<p>Onze ambitie voor dit jaar.</p>"


class ProjectPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProjectPage

    title = factory.Sequence(lambda n: f"Project {n}")
    summary = factory.LazyAttribute(
        lambda o: f"{o.title}: ouders en kinderen lezen samen in de bibliotheek."
    )
    goal = "Meer ouders lezen dagelijks voor."
    target_group = "Ouders van peuters"
    budget = Decimal("2500.00")
    hours = 120
    partners = "Consultatiebureau"
    start_date = datetime.date(2026, 2, 1)
    end_date = datetime.date(2026, 11, 30)
    phase = ProjectPage.Phase.DO


# Inlines and documents -----------------------------------------------------------


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Vestiging {n}")
    address = "Markt 1, Teststad"


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    title = factory.Sequence(lambda n: f"Speerpunt {n}")
    description = "Wat we op dit speerpunt willen bereiken."


class ProjectIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = ProjectIndicator

    name = factory.Sequence(lambda n: f"indicator {n}")
    unit = "deelnemers"
    target = Decimal("100")
    result = Decimal("80")


class ProjectActivityFactory(DjangoModelFactory):
    class Meta:
        model = ProjectActivity

    what = factory.Sequence(lambda n: f"Activiteit {n}")
    who = "projectleider"
    when = datetime.date(2026, 3, 1)
    status = ProjectActivity.Status.DONE


class PhaseLogEntryFactory(DjangoModelFactory):
    class Meta:
        model = PhaseLogEntry

    phase = ProjectPage.Phase.PLAN
    date = datetime.date(2026, 2, 1)
    note = "Plan vastgesteld in het MT."


class AssuranceCheckFactory(DjangoModelFactory):
    class Meta:
        model = AssuranceCheck

    date = datetime.date(2026, 6, 1)
    findings = "Afspraken worden nageleefd."
    completed_by = "kwaliteitscoördinator"


class LibraryDocumentFactory(wagtail_factories.DocumentFactory):
    class Meta:
        model = LibraryDocument

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="verslag.pdf", data=b"%PDF-1.4 test")
    visibility = LibraryDocument.Visibility.OWN
