"""The document form of the admin (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

Wagtail's document form (the single add and edit forms and both forms of the
multiple uploader), fitted to libraries:

- the library is the user's own: preselected, the only choice for someone with one
  library (a superuser chooses among all); another library's id is refused with a
  form error, so nothing is saved;
- the responsible person ("owner") is one of the staff (editors and approvers) of
  that library: the dropdown lists only them, and a posted user from outside is
  refused with a form error;
- norms and policy topics are checkboxes;
- a title left as the raw file name ("jaarverslag_2025-def") becomes a readable one
  ("Jaarverslag 2025 def"); the admin script ``document_title.js`` shows the same
  suggestion as soon as a file is picked.

The upload size limit is Wagtail's own (``WAGTAILDOCS_MAX_UPLOAD_SIZE``, checked by
its file field in every document form, the multiple uploader's too).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from bm_pages.models import LibraryMembership, LibraryPage
from bm_pages.models.documents import library_for_collection
from bm_pages.permissions import STAFF_ROLES, is_signed_in, libraries_worked_for

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


def readable_title(filename: str) -> str:
    """ "Jaarverslag 2025 def" for "jaarverslag_2025-def.pdf": no extension,
    underscores and hyphens as spaces, a capital first letter."""
    stem = os.path.splitext(os.path.basename(filename))[0]
    words = re.sub(r"[\s_\-.]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else filename


def has_file_extension(title: str) -> bool:
    """Whether ``title`` ends like a file name ("notulen.pdf")."""
    return bool(re.search(r"\.[A-Za-z0-9]{1,5}$", title or ""))


def is_raw_file_name(title: str, filename: str) -> bool:
    """Whether ``title`` is still the file name Wagtail filled in (with or without
    its extension)."""
    name = os.path.basename(filename)
    return title.strip() in {name, os.path.splitext(name)[0]}


class LibraryDocumentForm(BaseDocumentForm):
    """Wagtail's document form for a library's own documents (see the module)."""

    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self._saved_owner_id = self.instance.owner_id
        self.libraries = self._allowed_libraries()
        if "library" in self.fields:
            self._fit_library_field()
        if "owner" in self.fields:
            self.fields["owner"].queryset = self._owner_choices()
        if (
            not self.is_bound
            and self.instance.pk is None
            and has_file_extension(self.instance.title)
        ):
            # The multiple uploader names a new document after its file.
            self.initial["title"] = readable_title(self.instance.title)

    class Meta(BaseDocumentForm.Meta):
        widgets = {
            **BaseDocumentForm.Meta.widgets,
            "norms": forms.CheckboxSelectMultiple,
            "policy_topics": forms.CheckboxSelectMultiple,
        }

    class Media:
        js = ["bm_pages/js/document_title.js"]

    # The library ----------------------------------------------------------------

    def _allowed_libraries(self) -> QuerySet:
        """The libraries the user may file documents under (all without a user, as
        in code that builds the form itself)."""
        if self.user is None:
            return LibraryPage.objects.order_by("title")
        if not is_signed_in(self.user):
            return LibraryPage.objects.none()
        return libraries_worked_for(self.user)

    @property
    def chooses_library(self) -> bool:
        """Superusers (and code without a user) choose; staff file under their own."""
        return self.user is None or self.user.is_superuser

    def _own_library(self) -> LibraryPage | None:
        """The library a new document of this user belongs to, if there is one."""
        if self.instance.library_id is not None:
            return self.instance.library
        if self.chooses_library:
            return None
        libraries = list(self.libraries[:2])
        return libraries[0] if len(libraries) == 1 else None

    def _fit_library_field(self) -> None:
        field = self.fields["library"]
        libraries = self.libraries
        if self.instance.library_id is not None:
            libraries = libraries | LibraryPage.objects.filter(
                pk=self.instance.library_id
            )
        field.queryset = libraries.distinct().order_by("title")
        if self.chooses_library:
            return
        titles = ", ".join(lib.title for lib in self.libraries) or "-"
        # Django formats the message with the posted value: keep titles literal.
        field.error_messages["invalid_choice"] = _(
            "You can file documents only under a library you work for: %(libraries)s."
        ) % {"libraries": titles.replace("%", "%%")}
        field.empty_label = None
        own = self._own_library()
        if own is not None:
            self.initial["library"] = own.pk
            if field.queryset.count() == 1:
                field.help_text = _(
                    "Documents you add are filed under %(library)s."
                ) % {"library": own.title}

    def clean_library(self):
        library = self.cleaned_data.get("library")
        if library is None and not self.chooses_library:
            return self._own_library()
        return library

    # The owner ------------------------------------------------------------------

    def _owner_choices(self) -> QuerySet:
        library = self._library_of(self.instance.collection_id, None)
        if library is None:
            library = self._own_library()
        if library is not None:
            libraries = [library]
        elif self.chooses_library:
            # A new document goes into one of the collections the form offers.
            libraries = LibraryPage.objects.filter(collection__in=self.collections)
        else:
            libraries = self.libraries
        users = library_staff(libraries)
        if self._saved_owner_id is not None:
            # Keep the current value showing, so an unrelated edit still saves.
            users = users | get_user_model().objects.filter(pk=self._saved_owner_id)
        return users.distinct()

    def _library_of(self, collection_id, chosen_library) -> LibraryPage | None:
        """The library the document will belong to: its collection's, else the one
        chosen (``LibraryDocument.clean`` makes the two agree)."""
        return library_for_collection(collection_id) or chosen_library

    # Checks across fields ---------------------------------------------------------

    def clean(self):
        cleaned_data = super().clean()
        self._suggest_title(cleaned_data)
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

    def _suggest_title(self, cleaned_data: dict) -> None:
        uploaded = cleaned_data.get("file")
        title = cleaned_data.get("title")
        if (
            uploaded
            and title
            and "file" in self.changed_data
            and is_raw_file_name(title, uploaded.name)
        ):
            cleaned_data["title"] = readable_title(uploaded.name)
            self.instance.title = cleaned_data["title"]
