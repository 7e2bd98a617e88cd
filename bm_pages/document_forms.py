"""The document form of the admin (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

Wagtail's document form, with the responsible person ("owner") limited to the staff
(editors and approvers) of the library the document belongs to: the dropdown lists
only them, and a posted user from outside is refused with a form error. The upload
size limit is Wagtail's own (``WAGTAILDOCS_MAX_UPLOAD_SIZE``, checked by its file
field in every document form, the multiple uploader's too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from bm_pages.models import LibraryMembership, LibraryPage
from bm_pages.models.documents import library_for_collection
from bm_pages.permissions import STAFF_ROLES

if TYPE_CHECKING:
    from django.db.models import QuerySet


def library_staff(libraries) -> QuerySet:
    """Active users holding an editor or approver role today in any of ``libraries``."""
    memberships = (
        LibraryMembership.objects.active()
        .filter(library__in=libraries, role__in=STAFF_ROLES)
        .values("user")
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships)
        .order_by("first_name", "last_name", "username")
    )


class LibraryDocumentForm(BaseDocumentForm):
    """Wagtail's document form; the owner is one of the library's own staff."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_owner_id = self.instance.owner_id
        if "owner" in self.fields:
            self.fields["owner"].queryset = self._owner_choices()

    def _owner_choices(self) -> QuerySet:
        library = self._library_of(self.instance.collection_id, None)
        if library is not None and self.instance.pk:
            libraries = [library]
        else:
            # A new document goes into one of the collections the form offers.
            libraries = LibraryPage.objects.filter(collection__in=self.collections)
        users = library_staff(libraries)
        if self._saved_owner_id is not None:
            # Keep the current value showing, so an unrelated edit still saves.
            users = users | get_user_model().objects.filter(pk=self._saved_owner_id)
        return users.distinct()

    def _library_of(self, collection_id, chosen_library) -> LibraryPage | None:
        """The library the document will belong to: its collection's, else the one
        chosen (``LibraryDocument.clean`` makes the two agree)."""
        return library_for_collection(collection_id) or chosen_library

    def clean(self):
        cleaned_data = super().clean()
        owner = cleaned_data.get("owner")
        if owner is None or owner.pk == self._saved_owner_id:
            return cleaned_data
        if "collection" in cleaned_data:
            collection = cleaned_data["collection"]
        elif len(self.collections) == 1:
            collection = self.collections[0]  # Wagtail fills it in on save
        else:
            collection = self.instance.collection
        library = self._library_of(
            getattr(collection, "pk", None),
            cleaned_data.get("library", self.instance.library),
        )
        if library is None or not library_staff([library]).filter(pk=owner.pk).exists():
            self.add_error(
                "owner",
                _(
                    "The responsible person must be an editor or approver of the "
                    "library the document belongs to."
                ),
            )
        return cleaned_data
