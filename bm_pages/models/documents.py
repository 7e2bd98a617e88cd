"""The document model of the certification document environment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index


class LibraryDocument(AbstractDocument):
    """A library's document (policy plan, self-evaluation, audit report, evidence).

    Tagged with the framework: its document type, work field, the KiB norms it
    evidences and policy topics, so the document environment can be ordered by norm.
    ``visibility`` says who besides the library's own staff may see it. Documents live
    in the library's collection, so the collection permissions scope who edits them.
    """

    class Visibility(models.TextChoices):
        OWN = "own", _("own library only")
        PARTNERS = "partners", _("partner libraries")
        PUBLIC = "public", _("public")

    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text=_("The library this document belongs to."),
    )
    document_type = models.ForeignKey(
        "bm_pages.DocumentType",
        verbose_name=_("document type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text=_("What kind of document this is."),
    )
    work_field = models.ForeignKey(
        "bm_pages.WorkField",
        verbose_name=_("work field"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text=_(
            "The work field of Kwaliteit in Beeld the document is filed under."
        ),
    )
    policy_topics = models.ManyToManyField(
        "bm_pages.PolicyTopic",
        verbose_name=_("policy topics"),
        blank=True,
        related_name="documents",
        help_text=_("Policy topics the document is about."),
    )
    norms = models.ManyToManyField(
        "bm_pages.WorkField",
        verbose_name=_("norms evidenced"),
        blank=True,
        related_name="evidencing_documents",
        help_text=_("The norms this document is evidence for at certification."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.OWN,
        help_text=_("Who besides your own library may see this document."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who keeps this document up to date."),
    )
    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("The date from which this version applies."),
    )
    review_date = models.DateField(
        _("review date"),
        null=True,
        blank=True,
        help_text=_("When the document must be reviewed again."),
    )

    admin_form_fields = (
        *Document.admin_form_fields,
        "library",
        "document_type",
        "work_field",
        "norms",
        "policy_topics",
        "visibility",
        "owner",
        "valid_from",
        "review_date",
    )

    search_fields = [
        *AbstractDocument.search_fields,
        index.FilterField("library"),
        index.FilterField("document_type"),
        index.FilterField("work_field"),
        index.FilterField("visibility"),
        index.FilterField("review_date"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    # Filing rules (bm_pages/services/certification.py): a document lives in its
    # library's collection; the two are filled in from each other and must agree.
    def clean(self):
        # Wagtail's extension check needs the file. The multiple uploader attaches
        # it only after validating the details form (it checked the extension on
        # upload), so without this that form fails with a server error.
        if self.file:
            super().clean()
        from bm_pages.services.certification import filing_errors

        errors = filing_errors(self)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from bm_pages.services.certification import apply_filing_defaults

        apply_filing_defaults(self)
        return super().save(*args, **kwargs)
