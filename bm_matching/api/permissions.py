"""Who may use bm_matching's API."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from bm_matching.visibility import libraries_of, may_search


class IsLibraryStaffOrSuperuser(BasePermission):
    """Editors and approvers of a library, and superusers, may search for partners."""

    message = _(
        "Only library staff (editors and approvers) and superusers can search for "
        "similar projects."
    )

    def has_permission(self, request, view) -> bool:
        # Kept on the request: the view needs the same libraries for the search.
        request.bm_libraries = libraries_of(request.user)
        return may_search(request.user, request.bm_libraries)

    def has_object_permission(self, request, view, obj) -> bool:
        return self.has_permission(request, view)
