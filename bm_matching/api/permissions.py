"""Who may use bm_matching's API."""

from rest_framework.permissions import BasePermission

from bm_matching.visibility import may_search


class IsLibraryStaffOrSuperuser(BasePermission):
    """Editors and approvers of a library, and superusers, may search for partners."""

    message = "Only library staff (editors and approvers) and superusers can search for similar projects."

    def has_permission(self, request, view) -> bool:
        return may_search(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return self.has_permission(request, view)
