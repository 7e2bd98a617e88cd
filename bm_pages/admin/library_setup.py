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
    InvalidLibraryProfileError,
    LibraryProfileRequiredError,
    LibraryProfileValues,
    SetUpLibraryAction,
    SetUpLibraryPermissionError,
    library_is_set_up,
)
from bm_pages.admin.views import forbidden
from bm_pages.models import Branch, LibraryMembership, LibraryPage, RegionalNetwork

if TYPE_CHECKING:
    pass

BRANCH_NAME_LENGTH = Branch._meta.get_field("name").max_length


def _profile_field(name: str, **kwargs) -> forms.Field:
    """The library page's own form field: the same label, help text and choices."""
    field = LibraryPage._meta.get_field(name).formfield(**kwargs)
    field.required = False
    return field


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
    # The profile ("libraries like mine", bm_pages/profile.py). A new library needs
    # inhabitants and urbanity (the action says which are missing); an existing one
    # keeps what it recorded and is edited on its library page.
    inhabitants = _profile_field("inhabitants", min_value=1)
    urbanity = _profile_field("urbanity")
    municipalities = _profile_field("municipalities")
    branches = forms.CharField(
        label=gettext_lazy("Branches"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One branch per line, e.g. the town."),
    )

    def clean_municipalities(self) -> tuple[str, ...]:
        text = self.cleaned_data["municipalities"] or ""
        return tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))

    def clean_branches(self) -> tuple[str, ...]:
        names = tuple(
            dict.fromkeys(
                line.strip()
                for line in (self.cleaned_data["branches"] or "").splitlines()
                if line.strip()
            )
        )
        too_long = [name for name in names if len(name) > BRANCH_NAME_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A branch name has at most %(max)s characters: %(name)s")
                % {"max": BRANCH_NAME_LENGTH, "name": too_long[0][:40] + "…"}
            )
        return names

    def profile(self) -> LibraryProfileValues:
        data = self.cleaned_data
        return LibraryProfileValues(
            inhabitants=data.get("inhabitants"),
            urbanity=data.get("urbanity"),
            municipalities=data.get("municipalities") or (),
            branches=data.get("branches") or (),
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
            profile=form.profile(),
            require_profile=True,
        )
        try:
            setup = action.execute()
        except SetUpLibraryPermissionError as error:
            raise PermissionDenied from error
        except LibraryProfileRequiredError as error:
            for name in error.missing:
                form.add_error(
                    name,
                    _(
                        "A new library needs this: “libraries like mine” compares "
                        "the inhabitants served and the urbanity."
                    ),
                )
            return self.form_invalid(form)
        except InvalidLibraryProfileError as error:  # the form checks the same
            form.add_error(None, str(error))
            return self.form_invalid(form)
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
        if setup.profile_kept:
            messages.warning(
                self.request,
                _(
                    "%(library)s had recorded its own profile, which is kept. Change "
                    "it on the library page."
                )
                % {"library": setup.library.title},
                buttons=[
                    messages.button(
                        reverse("wagtailadmin_pages:edit", args=[setup.library.pk]),
                        _("Edit the library page"),
                    )
                ],
            )
        return redirect("bm_pages_roles:team", setup.library.pk)
