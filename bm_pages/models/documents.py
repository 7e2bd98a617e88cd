"""The document model of the certification document environment, with its filing
rules (library and collection kept in step)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from .library import LibraryPage


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

    # Filing rules: a document lives in its library's collection; the two are filled
    # in from each other and must agree.
    def clean(self):
        # Wagtail's extension check needs the file. The multiple uploader attaches
        # it only after validating the details form (it checked the extension on
        # upload), so without this that form fails with a server error.
        if self.file:
            super().clean()
        errors = self.filing_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.apply_filing_defaults()
        return super().save(*args, **kwargs)

    def _collection_the_form_will_use(self) -> int | None:
        """The collection a new document will be saved in.

        Wagtail's document forms hide the collection field from users who may add to
        one collection only and fill it in on save, after validation; while
        validating, such a new document still points at the root collection. Its
        uploader's one collection is where it will go.
        """
        if self.collection_id is not None and library_for_collection(
            self.collection_id
        ):
            return self.collection_id
        user = getattr(self, "uploaded_by_user", None)
        if self.pk is None and user is not None:
            # Not at the top: the policy registry builds the document policy from
            # get_document_model(), which is this model, so it cannot load before it.
            from wagtail.permissions import policy_registry

            collections = policy_registry.get_by_type(
                LibraryDocument
            ).collections_user_has_permission_for(user, "add")
            ids = list(collections.values_list("pk", flat=True)[:2])
            if len(ids) == 1:
                return ids[0]
        return self.collection_id

    def filing_errors(self) -> dict[str, str]:
        """Why the document's library and collection do not fit together (empty if
        fine).

        A document in a library's collection must belong to that library: the
        collection is what scopes who may edit it, the library field who may
        download it.
        """
        if self.library_id is None:
            return {}
        owner = library_for_collection(self._collection_the_form_will_use())
        if owner is not None and owner.pk != self.library_id:
            return {
                "library": gettext(
                    "This document is stored in the collection of %(owner)s, so it "
                    "belongs to %(owner)s. Choose %(owner)s or store the document in "
                    "the collection of the library you chose."
                )
                % {"owner": owner.title}
            }
        return {}

    def apply_filing_defaults(self) -> None:
        """Keep library and collection in step when a document is saved.

        - A document in a library's collection belongs to that library: the
          collection decides, because its permissions decide who edits the document.
          (Forms validate a contradiction with ``filing_errors`` first; this catches
          the one Wagtail form that fills in the collection only after validating.)
        - A document with a library but outside any library's collection (the root
          collection, say) moves into the library's collection.
        """
        owner = library_for_collection(self.collection_id)
        if owner is not None:
            if self.library_id != owner.pk:
                self.library = owner
            return
        if self.library_id is not None:
            collection_id = (
                LibraryPage.objects.filter(pk=self.library_id)
                .values_list("collection_id", flat=True)
                .first()
            )
            if collection_id is not None:
                self.collection_id = collection_id


def library_for_collection(collection_id: int | None) -> LibraryPage | None:
    """The library whose document collection this is, if any."""
    if collection_id is None:
        return None
    return LibraryPage.objects.filter(collection_id=collection_id).first()
