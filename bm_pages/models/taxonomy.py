"""The shared framework vocabulary, kept as editable snippets.

Work fields are the norms of the certification framework "Kwaliteit in Beeld" (KiB);
policy topics are the Wsob core functions, the societal tasks and the national
programmes; document types order the certification document environment; regional
networks group libraries that share with each other by default.

Each row has a stable ``slug`` so code and data migrations can refer to seeded rows.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class TaxonomyQuerySet(models.QuerySet):
    def by_slug(self, *slugs: str) -> "TaxonomyQuerySet":
        return self.filter(slug__in=slugs)


class WorkField(index.Indexed, models.Model):
    """A work field (werkveld) of Kwaliteit in Beeld: one of the seven norms or a module.

    Projects name the work fields they contribute to, and documents the norms they
    evidence, so the certification document environment can be ordered by norm.
    """

    class Kind(models.TextChoices):
        NORM = "norm", _("norm")
        MODULE = "module", _("module")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short code shown before the name, such as 1 to 7 for the norms."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by code and imports. Do not change it."),
    )
    name = models.CharField(
        _("name"), max_length=255, help_text=_("Name as used in the framework.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What this work field covers, in a few sentences."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.NORM,
        help_text=_("A norm of the framework or an additional module."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Lists show work fields in this order."),
    )

    objects = TaxonomyQuerySet.as_manager()

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("work field")
        verbose_name_plural = _("work fields")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}" if self.kind == self.Kind.NORM else self.name


class PolicyTopic(index.Indexed, models.Model):
    """A policy topic (beleidsonderwerp): a Wsob core function, a societal task or a programme.

    Projects are tagged with topics; the core functions of the Public Library Act (Wsob)
    are a separate choice on the project so councils can see which functions a plan covers.
    """

    class Kind(models.TextChoices):
        CORE_FUNCTION = "core_function", _("Wsob core function")
        SOCIETAL_TASK = "societal_task", _("societal task")
        PROGRAMME = "programme", _("programme")

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by code and imports. Do not change it."),
    )
    name = models.CharField(
        _("name"), max_length=255, help_text=_("Name as libraries use it.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.PROGRAMME,
        help_text=_("Core function of the Wsob, societal task or programme."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What this topic covers, in a few sentences."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"),
        default=0,
        help_text=_("Lists show topics of the same kind in this order."),
    )

    objects = TaxonomyQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A kind of document in the certification document environment (e.g. zelfevaluatie)."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by code and imports. Do not change it."),
    )
    name = models.CharField(
        _("name"), max_length=255, help_text=_("Name of the document type.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What a document of this type contains and who uses it."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Lists show types in this order.")
    )

    objects = TaxonomyQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name


class RegionalNetwork(models.Model):
    """A regional network of libraries. A library belongs to at most one.

    Members of a network link with each other by default (``link_members_by_default``),
    so they find and exchange each other's projects and documents without asking.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier used by code and imports. Do not change it."),
    )
    name = models.CharField(
        _("name"), max_length=255, unique=True, help_text=_("Name of the network.")
    )
    region = models.CharField(
        _("region"),
        max_length=255,
        blank=True,
        help_text=_("Region or province the network covers."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the network does together, in a few sentences."),
    )
    link_members_by_default = models.BooleanField(
        _("link members by default"),
        default=True,
        help_text=_(
            "When ticked, member libraries are partners of each other without a "
            "partnership request."
        ),
    )

    objects = TaxonomyQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("description"),
        FieldPanel("link_members_by_default"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional network")
        verbose_name_plural = _("regional networks")

    def __str__(self) -> str:
        return self.name
