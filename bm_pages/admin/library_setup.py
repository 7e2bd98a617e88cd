""" "Set up a library" (superusers): a menu item and a form calling ``SetUpLibraryAction``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.actions.setup_library import (
    SetUpLibraryAction,
    SetUpLibraryPermissionError,
    library_is_set_up,
)
from bm_pages.admin.views import forbidden
from bm_pages.models import LibraryMembership, LibraryPage, RegionalNetwork

if TYPE_CHECKING:
    pass


class SetUpLibraryForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the library"),
        max_length=255,
        help_text=gettext_lazy(
            'For example "Bibliotheek Rivierenland". An existing library with this '
            "name is completed rather than duplicated."
        ),
    )
    network = forms.ModelChoiceField(
        label=gettext_lazy("Regional network"),
        queryset=RegionalNetwork.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("The regional network the library belongs to, if any."),
    )


class SetUpLibraryView(WagtailAdminTemplateMixin, FormView):
    """Superusers set up a library: page, collection, role groups and workflow."""

    form_class = SetUpLibraryForm
    template_name = "bm_pages/admin/roles/setup_library.html"
    page_title = gettext_lazy("Set up a library")
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return forbidden(request, _("Only superusers can set up a library."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        libraries = list(
            LibraryPage.objects.select_related("network").order_by("title")
        )
        for library in libraries:
            library.is_set_up = library_is_set_up(library)
            library.member_count = (
                LibraryMembership.objects.filter(library=library).active().count()
            )
        context["libraries"] = libraries
        return context

    def form_valid(self, form):
        action = SetUpLibraryAction(
            form.cleaned_data["name"].strip(),
            network=form.cleaned_data["network"],
            user=self.request.user,
        )
        try:
            setup = action.execute()
        except SetUpLibraryPermissionError as error:
            raise PermissionDenied from error
        except ValueError as error:
            form.add_error("name", str(error))
            return self.form_invalid(form)
        if setup.changed:
            messages.success(
                self.request,
                _("%(library)s is set up.") % {"library": setup.library.title},
                buttons=[
                    messages.button(
                        reverse("bm_pages_roles:team", args=[setup.library.pk]),
                        _("Team"),
                    )
                ],
            )
        else:
            messages.info(
                self.request,
                _("%(library)s was already set up; nothing changed.")
                % {"library": setup.library.title},
            )
        return redirect("bm_pages_roles:team", setup.library.pk)
