""" "Team" on a library page (its approvers and superusers): list, add, create and
remove members per role.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from bm_pages.actions.setup_library import (
    library_is_set_up,
)
from bm_pages.actions.team import (
    LOG_GRANT,
    LOG_REVOKE,
    AddMemberAction,
    GrantRoleAction,
    RevokeRoleAction,
    TeamError,
)
from bm_pages.admin.views import forbidden
from bm_pages.models import LibraryMembership, LibraryPage
from bm_pages.permissions import approves_for
from bm_pages.roles import (
    LibraryRole,
    validate_access_end,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


AUDITOR_DEFAULT_DAYS = 365


ROLE_PLURALS = {
    LibraryRole.EDITOR: gettext_lazy("Editors"),
    LibraryRole.APPROVER: gettext_lazy("Approvers"),
    LibraryRole.AUDITOR: gettext_lazy("Auditors"),
}
TEAM_FORBIDDEN_MESSAGE = gettext_lazy(
    "Only the library's approvers can manage its team."
)


def can_manage_team(user: AbstractBaseUser, library: LibraryPage) -> bool:
    """Approvers of the library and superusers manage its team."""
    return approves_for(user, library)


# Team ---------------------------------------------------------------------------


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=LibraryRole.choices)
    expires_on = forms.DateField(
        label=gettext_lazy("Access ends on"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy(
            "Auditors only: from this date on the auditor no longer has access."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        expires_on = cleaned_data.get("expires_on")
        if role == LibraryRole.AUDITOR:
            if expires_on is None:
                self.add_error(
                    "expires_on", _("Give the date on which the auditor's access ends.")
                )
            elif expires_on <= timezone.localdate():
                self.add_error("expires_on", _("Choose a date in the future."))
            else:
                try:
                    validate_access_end(role, expires_on)
                except forms.ValidationError as error:
                    self.add_error("expires_on", error)
        elif role and expires_on is not None:
            self.add_error(
                "expires_on", _("Only an auditor's access ends on a set date.")
            )
        return cleaned_data


class AddMemberForm(RoleFormMixin):
    """Add an existing user to a role."""

    user = forms.CharField(
        label=gettext_lazy("Username or email address"),
        max_length=254,
        help_text=gettext_lazy("Of someone who already has an account."),
    )
    field_order = ["user", "role", "expires_on"]

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        users = get_user_model().objects.filter(is_active=True)
        matches = list(
            users.filter(Q(username__iexact=value) | Q(email__iexact=value))[:2]
        )
        if not matches:
            raise forms.ValidationError(
                _("There is no active account with this username or email address.")
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several accounts share this email address; give the username.")
            )
        return matches[0]


class CreateMemberForm(RoleFormMixin):
    """Create an account and give it a role; the new user sets a password by email."""

    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email address"))
    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=150, required=False
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"), max_length=150, required=False
    )
    field_order = ["username", "email", "first_name", "last_name", "role", "expires_on"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("This username is taken. Use “Add an existing user” instead.")
            )
        return username


class TeamView(WagtailAdminTemplateMixin, TemplateView):
    """A library's members per role, with forms to add and create members."""

    template_name = "bm_pages/admin/roles/team.html"
    header_icon = "group"

    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.library = get_object_or_404(LibraryPage, pk=library_id)
        if not can_manage_team(request.user, self.library):
            return forbidden(request, TEAM_FORBIDDEN_MESSAGE)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Team")

    def get_page_subtitle(self):
        return self.library.title

    def get_header_title(self):
        return _("Team of %(library)s") % {"library": self.library.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_explore", args=[self.library.pk]),
                "label": self.library.title,
            },
            {"url": "", "label": self.get_header_title()},
        ]

    def get_forms(self, data=None):
        default_expiry = timezone.localdate() + datetime.timedelta(
            days=AUDITOR_DEFAULT_DAYS
        )
        initial = {"role": LibraryRole.EDITOR}
        return {
            "add_form": AddMemberForm(data, prefix="add", initial=initial),
            "create_form": CreateMemberForm(data, prefix="create", initial=initial),
            "default_expiry": default_expiry,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = (
            LibraryMembership.objects.filter(library=self.library)
            .select_related("user", "granted_by")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        today = timezone.localdate()
        roles = []
        for role in LibraryRole:
            members = [m for m in memberships if m.role == role]
            for member in members:
                member.expired = not member.is_active(today)
            roles.append(
                {"role": role, "label": ROLE_PLURALS[role], "members": members}
            )
        context.update(
            {
                "library": self.library,
                "is_set_up": library_is_set_up(self.library),
                "roles": roles,
                "role_help": {
                    LibraryRole.EDITOR: _(
                        "Write and edit the library's plans, projects and documents, "
                        "and submit them for review."
                    ),
                    LibraryRole.APPROVER: _(
                        "Everything editors do, plus approve or reject submitted "
                        "plans and projects, publish, and manage this team."
                    ),
                    LibraryRole.AUDITOR: _(
                        "Read-only access to the audit portal of this library until "
                        "a set date; no editing."
                    ),
                },
            }
        )
        for key, value in self.get_forms().items():
            context.setdefault(key, value)
        return context

    def post(self, request, *args, **kwargs):
        if not library_is_set_up(self.library):
            messages.error(request, _("Set up this library before adding members."))
            return redirect("bm_pages_roles:team", self.library.pk)
        forms_ = self.get_forms(request.POST)
        which = request.POST.get("action")
        form = forms_["create_form"] if which == "create" else forms_["add_form"]
        if not form.is_valid():
            messages.validation_error(
                request, _("The member could not be added due to errors."), form
            )
            unbound = self.get_forms()
            key = "create_form" if which == "create" else "add_form"
            unbound[key] = form
            return self.render_to_response(self.get_context_data(**unbound))

        data = form.cleaned_data
        if which == "create":
            action = AddMemberAction(
                self.library,
                data["role"],
                user=request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                expires_on=data["expires_on"],
            )
        else:
            action = GrantRoleAction(
                self.library,
                data["user"],
                data["role"],
                user=request.user,
                expires_on=data["expires_on"],
            )
        try:
            user = action.execute().user
        except TeamError as error:
            messages.error(request, str(error))
            return redirect("bm_pages_roles:team", self.library.pk)
        if which == "create":
            self._send_set_password_email(user)
        messages.success(
            request,
            _("%(user)s is now %(role)s of %(library)s.")
            % {
                "user": user.get_full_name() or user.get_username(),
                "role": LibraryRole(data["role"]).label,
                "library": self.library.title,
            },
        )
        return redirect("bm_pages_roles:team", self.library.pk)

    def _send_set_password_email(self, user) -> None:
        reset = PasswordResetForm({"email": user.email})
        if reset.is_valid():
            reset.save(
                request=self.request,
                use_https=self.request.is_secure(),
                subject_template_name="wagtailadmin/account/password_reset/email_subject.txt",
                email_template_name="wagtailadmin/account/password_reset/email.txt",
            )
            messages.info(
                self.request,
                _("An email with a link to choose a password was sent to %(email)s.")
                % {"email": user.email},
            )


class RemoveMemberView(WagtailAdminTemplateMixin, TemplateView):
    """Take a role away from a member (approvers of the library, superusers).

    A confirmation step: GET, and a POST without ``confirm``, show what will happen
    and change nothing; the confirmation page's button posts ``confirm``.
    """

    template_name = "bm_pages/admin/roles/remove_member.html"
    header_icon = "group"

    def dispatch(self, request, library_id: int, membership_id: int, *args, **kwargs):
        self.library = get_object_or_404(LibraryPage, pk=library_id)
        if not can_manage_team(request.user, self.library):
            return forbidden(request, TEAM_FORBIDDEN_MESSAGE)
        self.membership = get_object_or_404(
            LibraryMembership.objects.select_related("user"),
            pk=membership_id,
            library=self.library,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Remove a member")

    def get_page_subtitle(self):
        return self.library.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("bm_pages_roles:team", args=[self.library.pk]),
                "label": _("Team of %(library)s") % {"library": self.library.title},
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "library": self.library,
                "membership": self.membership,
                "member_name": _member_name(self.membership.user),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if "confirm" not in request.POST:
            return self.get(request, *args, **kwargs)
        membership = self.membership
        try:
            RevokeRoleAction(membership, user=request.user).execute()
        except TeamError as error:
            messages.error(request, str(error))
            return redirect("bm_pages_roles:team", self.library.pk)
        messages.success(
            request,
            _("%(user)s is no longer %(role)s of %(library)s.")
            % {
                "user": _member_name(membership.user),
                "role": membership.get_role_display(),
                "library": self.library.title,
            },
        )
        return redirect("bm_pages_roles:team", self.library.pk)


def _member_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _team_button(page: Page, user, priority: int = 40) -> Button | None:
    if page.specific_class is not LibraryPage or not can_manage_team(user, page):
        return None
    return Button(
        _("Team"),
        url=reverse("bm_pages_roles:team", args=[page.pk]),
        icon_name="group",
        priority=priority,
        attrs={"data-bm-action": "team"},
    )


def team_header_button(page, user, view_name=None, next_url=None):
    button = _team_button(page, user)
    if button is not None:
        yield button


def team_listing_button(page, user, next_url=None):
    button = _team_button(page, user)
    if button is not None:
        yield button


class TeamLogFormatter(LogFormatter):
    """The log line "Jan Jansen became editor", from the entry's data."""

    template = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            role = LibraryRole(data["role"]).label
        except (KeyError, ValueError):
            role = data.get("role", "")
        return self.template % {"member": data.get("member", ""), "role": role}


class GrantLogFormatter(TeamLogFormatter):
    label = gettext_lazy("Grant role")
    template = gettext_lazy("%(member)s became %(role)s")


class RevokeLogFormatter(TeamLogFormatter):
    label = gettext_lazy("Take role away")
    template = gettext_lazy("%(member)s is no longer %(role)s")


def register_team_log_actions(actions):
    actions.register_action(LOG_GRANT)(GrantLogFormatter)
    actions.register_action(LOG_REVOKE)(RevokeLogFormatter)
