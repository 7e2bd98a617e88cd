"""Request, accept, decline and end partnerships between libraries.

Who may do what:

- request: editors and approvers of the requesting library (and superusers);
- accept, decline: approvers of the library that was asked (and superusers);
- end: approvers of either library (and superusers); this also ends the default link
  of two members of a regional network (see ``bm_pages.partnerships``);
- withdraw: editors and approvers of the requesting library (and superusers), while
  the request waits for an answer; the row stays as history (``withdrawn``).

Every step is written to the acting library's page history (Wagtail's log). A new
request e-mails the asked library's approvers, a decision the requester, once the
transaction commits (``bm_pages.actions.partnership_mail``).

``check()`` raises ``PartnershipPermissionError`` (a ``PermissionDenied``) when the
user may not act, and ``PartnershipError`` (a ``ValidationError``) with a message the
user can act on when the step does not fit the partnership's state. ``execute()``
checks again inside a transaction, with the partnership row locked, so two approvers
clicking at once cannot both accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from bm_pages.actions.partnership_mail import (
    notify_decision_on_commit,
    notify_request_on_commit,
)
from bm_pages.models import LibraryPage, Partnership
from bm_pages.partnerships import are_partners, network_linked, open_partnership
from bm_pages.permissions import approves_for, is_signed_in, works_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_MESSAGE = 2000
LOG_REQUEST = "bm_pages.partnership.request"
LOG_ACCEPT = "bm_pages.partnership.accept"
LOG_DECLINE = "bm_pages.partnership.decline"
LOG_END = "bm_pages.partnership.end"
LOG_WITHDRAW = "bm_pages.partnership.withdraw"


class PartnershipPermissionError(PermissionDenied):
    """The user may not take this step for this library."""


class PartnershipError(ValidationError):
    """The step does not fit the partnership's state, or the input is wrong.

    ``code`` says which: ``self``, ``already_partners``, ``pending``,
    ``already_active``, ``already_decided``, ``not_requested``, ``not_active``,
    ``invalid``.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return str(self.message)


def is_approver(user, library: LibraryPage | int) -> bool:
    """Whether ``user`` is an approver of ``library`` today, or a superuser."""
    if isinstance(library, int):
        library = LibraryPage.objects.filter(pk=library).first()
    return approves_for(user, library)


def may_request_for(user, library: LibraryPage) -> bool:
    """Whether ``user`` may ask for partnerships on behalf of ``library``."""
    return works_for(user, library)


def _log(partnership: Partnership, action: str, user, library: LibraryPage) -> None:
    """Write the step to ``library``'s page history, naming the other library."""
    log(
        instance=library,
        action=action,
        user=user if is_signed_in(user) else None,
        data={
            "partnership": partnership.pk,
            "library": partnership.other_side(library).title,
        },
    )


def _lock(partnership: Partnership) -> Partnership:
    return (
        Partnership.objects.select_for_update()
        .select_related("library_a", "library_b", "requested_by_library")
        .get(pk=partnership.pk)
    )


class RequestPartnershipAction:
    """Ask ``partner`` for a partnership on behalf of ``library``.

    :param library: the requesting library.
    :param partner: the library that is asked.
    :param user: who asks (an editor or approver of ``library``).
    :param message: why, for the other library's approvers.
    :raises PartnershipPermissionError: ``user`` does not work for ``library``.
    :raises PartnershipError: asking oneself, an existing partner, or a pair with an
        open request.
    """

    def __init__(
        self,
        library: LibraryPage,
        partner: LibraryPage,
        user: AbstractBaseUser,
        *,
        message: str = "",
    ) -> None:
        self.library = library
        self.partner = partner
        self.user = user
        self.message = (message or "").strip()

    def check(self) -> None:
        if not may_request_for(self.user, self.library):
            raise PartnershipPermissionError(
                _(
                    "Only editors and approvers of %(library)s can ask for a "
                    "partnership on its behalf."
                )
                % {"library": self.library.title}
            )
        if self.library.pk == self.partner.pk:
            raise PartnershipError(
                _("A library cannot be its own partner. Choose another library."),
                code="self",
            )
        if len(self.message) > MAX_MESSAGE:
            raise PartnershipError(
                _("Keep the message under %(max)s characters.") % {"max": MAX_MESSAGE},
                code="invalid",
            )
        if are_partners(self.library, self.partner):
            if (
                network_linked(self.library, self.partner)
                and open_partnership(self.library, self.partner) is None
            ):
                raise PartnershipError(
                    _(
                        "%(library)s is already your partner through your regional "
                        "network."
                    )
                    % {"library": self.partner.title},
                    code="already_partners",
                )
            raise PartnershipError(
                _("%(library)s is already your partner.")
                % {"library": self.partner.title},
                code="already_partners",
            )
        pending = open_partnership(self.library, self.partner)
        if pending is not None:
            if pending.requested_by_library_id == self.library.pk:
                raise PartnershipError(
                    _(
                        "You already asked %(library)s; the request is waiting for "
                        "their answer."
                    )
                    % {"library": self.partner.title},
                    code="pending",
                )
            raise PartnershipError(
                _(
                    "%(library)s has already asked you for a partnership. Accept "
                    "their request instead."
                )
                % {"library": self.partner.title},
                code="pending",
            )

    def execute(self) -> Partnership:
        try:
            with transaction.atomic():
                # Lock the pair's rows so a concurrent end or request waits for us.
                list(
                    Partnership.objects.between(self.library, self.partner)
                    .select_for_update()
                    .values_list("pk", flat=True)
                )
                self.check()
                partnership = Partnership(
                    requested_by_library=self.library,
                    requested_by=self.user if is_signed_in(self.user) else None,
                    message=self.message,
                    status=Partnership.Status.REQUESTED,
                )
                partnership.set_pair(self.library, self.partner)
                partnership.save()
                _log(partnership, LOG_REQUEST, self.user, self.library)
                notify_request_on_commit(partnership)
                return partnership
        except IntegrityError as error:
            # Someone else opened a request for the pair at the same moment.
            raise PartnershipError(
                _(
                    "There is already an open request between %(library)s and "
                    "%(partner)s."
                )
                % {"library": self.library.title, "partner": self.partner.title},
                code="pending",
            ) from error


class _AnswerRequestAction:
    """One step on a request that waits for an answer: the asked library accepts or
    declines it, the requesting library withdraws it. Subclasses say who may, in which
    state, the new status, the log entry and the library it is logged for."""

    new_status: str
    log_action: str

    def __init__(self, partnership: Partnership, user: AbstractBaseUser) -> None:
        self.partnership = partnership
        self.user = user

    def _check_permission(self, partnership: Partnership) -> None:
        raise NotImplementedError

    def _check_state(self, partnership: Partnership) -> None:
        raise NotImplementedError

    def _acting_library(self, partnership: Partnership) -> LibraryPage:
        raise NotImplementedError

    def _on_commit(self, partnership: Partnership) -> None:
        """What else happens once the step is committed (nothing by default)."""

    def check(self) -> None:
        self._check_permission(self.partnership)
        self._check_state(self.partnership)

    def execute(self) -> Partnership:
        with transaction.atomic():
            partnership = _lock(self.partnership)
            self._check_permission(partnership)
            self._check_state(partnership)
            partnership.status = self.new_status
            partnership.decided_by = self.user
            partnership.decided_at = timezone.now()
            partnership.save(update_fields=["status", "decided_by", "decided_at"])
            _log(
                partnership,
                self.log_action,
                self.user,
                self._acting_library(partnership),
            )
            self._on_commit(partnership)
            self.partnership = partnership
            return partnership


class _DecideAction(_AnswerRequestAction):
    """Accept or decline a request: approvers of the library that was asked."""

    def _check_permission(self, partnership: Partnership) -> None:
        receiving = partnership.receiving_library
        if not is_approver(self.user, receiving):
            raise PartnershipPermissionError(
                _("Only approvers of %(library)s can accept or decline this request.")
                % {"library": receiving.title}
            )

    def _check_state(self, partnership: Partnership) -> None:
        status = partnership.status
        if status == Partnership.Status.REQUESTED:
            return
        if status == Partnership.Status.ACTIVE:
            raise PartnershipError(
                _("This request has already been accepted; you are partners."),
                code="already_active",
            )
        if status == Partnership.Status.DECLINED:
            raise PartnershipError(
                _(
                    "This request has already been declined. A new request is needed "
                    "to become partners."
                ),
                code="already_decided",
            )
        raise PartnershipError(
            _("This partnership has ended. A new request is needed."),
            code="not_requested",
        )

    def _acting_library(self, partnership: Partnership) -> LibraryPage:
        return partnership.receiving_library

    def _on_commit(self, partnership: Partnership) -> None:
        notify_decision_on_commit(partnership)


class AcceptPartnershipAction(_DecideAction):
    """Accept a partnership request; the libraries are partners from now on.

    :param partnership: a ``requested`` partnership.
    :param user: an approver of the library that was asked.
    :raises PartnershipPermissionError: ``user`` is not such an approver.
    :raises PartnershipError: the request was already accepted, declined or ended.
    """

    new_status = Partnership.Status.ACTIVE
    log_action = LOG_ACCEPT


class DeclinePartnershipAction(_DecideAction):
    """Decline a partnership request; the row stays as history.

    :param partnership: a ``requested`` partnership.
    :param user: an approver of the library that was asked.
    :raises PartnershipPermissionError: ``user`` is not such an approver.
    :raises PartnershipError: the request was already accepted, declined or ended.
    """

    new_status = Partnership.Status.DECLINED
    log_action = LOG_DECLINE


class EndPartnershipAction:
    """End an active partnership, or the default link of two network members.

    Use :meth:`for_pair` to end whatever links two libraries; it finds the active
    partnership or, for network members, records the end of the network's link.

    :param partnership: an ``active`` partnership (or an unsaved network-link row
        made by :meth:`for_pair`).
    :param user: an approver of either library.
    :param library: the side the user ends it for (default: the side they approve
        for).
    :raises PartnershipPermissionError: ``user`` approves for neither library.
    :raises PartnershipError: the partnership is not active.
    """

    def __init__(
        self,
        partnership: Partnership,
        user: AbstractBaseUser,
        *,
        library: LibraryPage | None = None,
    ) -> None:
        self.partnership = partnership
        self.user = user
        self.library = library

    @classmethod
    def for_pair(
        cls, library: LibraryPage, partner: LibraryPage, user: AbstractBaseUser
    ) -> EndPartnershipAction:
        """The action ending the link between ``library`` and ``partner``.

        :raises PartnershipError: the two are not partners.
        """
        if library.pk == partner.pk:
            raise PartnershipError(
                _("A library cannot be its own partner."), code="self"
            )
        current = open_partnership(library, partner)
        if current is not None and current.status == Partnership.Status.ACTIVE:
            return cls(current, user, library=library)
        if current is None and are_partners(library, partner):
            link = Partnership(
                requested_by_library=library,
                status=Partnership.Status.ACTIVE,
                network_link=True,
            )
            link.set_pair(library, partner)
            return cls(link, user, library=library)
        raise PartnershipError(
            _("%(library)s is not your partner.") % {"library": partner.title},
            code="not_active",
        )

    def _acting_library(self, partnership: Partnership) -> LibraryPage:
        if self.library is not None:
            if not partnership.involves(self.library.pk):
                raise PartnershipPermissionError(
                    _("%(library)s is not part of this partnership.")
                    % {"library": self.library.title}
                )
            if is_approver(self.user, self.library):
                return self.library
        else:
            for side in (partnership.library_a, partnership.library_b):
                if is_approver(self.user, side):
                    return side
        raise PartnershipPermissionError(
            _("Only approvers of %(a)s or %(b)s can end this partnership.")
            % {"a": partnership.library_a.title, "b": partnership.library_b.title}
        )

    def _check_state(self, partnership: Partnership) -> None:
        if partnership.status == Partnership.Status.ACTIVE:
            return
        if partnership.status == Partnership.Status.ENDED:
            raise PartnershipError(
                _("This partnership has already ended."), code="not_active"
            )
        raise PartnershipError(
            _(
                "Only an active partnership can be ended; this one is %(status)s. "
                "Decline a request instead."
            )
            % {"status": partnership.get_status_display()},
            code="not_active",
        )

    def check(self) -> None:
        self._acting_library(self.partnership)
        self._check_state(self.partnership)

    def execute(self) -> Partnership:
        with transaction.atomic():
            if self.partnership.pk is None:
                partnership = self.partnership
                # Lock the pair's history, then make sure the link still holds.
                list(
                    Partnership.objects.between(
                        partnership.library_a, partnership.library_b
                    )
                    .select_for_update()
                    .values_list("pk", flat=True)
                )
                if not are_partners(partnership.library_a, partnership.library_b):
                    raise PartnershipError(
                        _("This partnership has already ended."), code="not_active"
                    )
            else:
                partnership = _lock(self.partnership)
            library = self._acting_library(partnership)
            self._check_state(partnership)
            partnership.status = Partnership.Status.ENDED
            partnership.ended_by = self.user
            partnership.ended_by_library = library
            partnership.ended_at = timezone.now()
            if partnership.pk is None:
                partnership.requested_by = None
                partnership.save()
            else:
                partnership.save(
                    update_fields=["status", "ended_by", "ended_by_library", "ended_at"]
                )
            _log(partnership, LOG_END, self.user, library)
            self.partnership = partnership
            return partnership


class WithdrawPartnershipAction(_AnswerRequestAction):
    """The requesting library takes back a request that waits for an answer.

    The row stays as history with status ``withdrawn``; the pair may ask again.

    :param partnership: a ``requested`` partnership.
    :param user: an editor or approver of the requesting library (the people who
        may ask on its behalf), or a superuser.
    :raises PartnershipPermissionError: ``user`` is none of these.
    :raises PartnershipError: the request was already accepted, declined, ended or
        withdrawn.
    """

    new_status = Partnership.Status.WITHDRAWN
    log_action = LOG_WITHDRAW

    def _check_permission(self, partnership: Partnership) -> None:
        requesting = partnership.requested_by_library
        if not may_request_for(self.user, requesting):
            raise PartnershipPermissionError(
                _(
                    "Only editors and approvers of %(library)s can withdraw this "
                    "request."
                )
                % {"library": requesting.title}
            )

    def _check_state(self, partnership: Partnership) -> None:
        if partnership.status == Partnership.Status.REQUESTED:
            return
        if partnership.status == Partnership.Status.WITHDRAWN:
            raise PartnershipError(
                _("This request has already been withdrawn."), code="not_requested"
            )
        raise PartnershipError(
            _(
                "This request has already been answered, so it can no longer be "
                "withdrawn. End the partnership instead if you are partners now."
            ),
            code="already_decided",
        )

    def _acting_library(self, partnership: Partnership) -> LibraryPage:
        return partnership.requested_by_library
