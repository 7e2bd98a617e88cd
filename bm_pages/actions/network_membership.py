"""Join a regional network: the library asks, the network's side accepts or declines.

Network members are partners of each other by default, so a library's network is not
the library's own business: its staff cannot change it on the library page (a
set-up field, see ``LibraryPage``). Besides a superuser's set-up, the way in is two
sided:

- request: an approver of the library (or a superuser) asks a network;
- accept, decline: an approver of a library already in that network, or a
  superuser; accepting moves the library into the network at once;
- withdraw: an approver of the asking library (or a superuser), while it is open.

Every step is written to the asking library's page history (Wagtail's log).
``check()`` raises ``NetworkMembershipPermissionError`` (a ``PermissionDenied``)
when the user may not act and ``NetworkMembershipError`` (a ``ValidationError``)
when the step does not fit the request's state; ``execute()`` checks again inside a
transaction with the request row locked, so two approvers cannot both decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from bm_pages.actions.partnerships import is_approver
from bm_pages.models import LibraryPage, NetworkMembershipRequest, RegionalNetwork
from bm_pages.permissions import is_signed_in
from bm_pages.roles import LibraryRole, libraries_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_MESSAGE = 2000
LOG_REQUEST = "bm_pages.network_membership.request"
LOG_ACCEPT = "bm_pages.network_membership.accept"
LOG_DECLINE = "bm_pages.network_membership.decline"
LOG_WITHDRAW = "bm_pages.network_membership.withdraw"


class NetworkMembershipPermissionError(PermissionDenied):
    """The user may not take this step."""


class NetworkMembershipError(ValidationError):
    """The step does not fit: ``code`` is ``already_member``, ``pending``,
    ``not_requested`` or ``invalid``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return str(self.message)


def member_approver_library(user, network: RegionalNetwork) -> LibraryPage | None:
    """A library of ``network`` that ``user`` approves for today, if any."""
    return (
        libraries_for_user(user, LibraryRole.APPROVER)
        .filter(network_id=network.pk)
        .first()
    )


def may_decide(user, network: RegionalNetwork) -> bool:
    """Whether ``user`` decides on requests to join ``network``."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or member_approver_library(user, network) is not None


def _log(request: NetworkMembershipRequest, action: str, user) -> None:
    log(
        instance=request.library,
        action=action,
        user=user,
        data={
            "request": request.pk,
            "network": request.network.name,
            "decided_by_library": (
                request.decided_by_library.title
                if request.decided_by_library_id
                else None
            ),
        },
    )


def _lock(request: NetworkMembershipRequest) -> NetworkMembershipRequest:
    return (
        NetworkMembershipRequest.objects.select_for_update()
        .select_related("library", "network")
        .get(pk=request.pk)
    )


def _check_open(request: NetworkMembershipRequest) -> None:
    if request.status != NetworkMembershipRequest.Status.REQUESTED:
        raise NetworkMembershipError(
            _("This request is no longer open (%(status)s).")
            % {"status": request.get_status_display()},
            code="not_requested",
        )


class RequestNetworkMembershipAction:
    """Ask to join ``network`` on behalf of ``library``.

    :param library: the library that would join.
    :param network: the regional network.
    :param user: an approver of ``library`` (or a superuser).
    :param message: why, for the network's members.
    :raises NetworkMembershipPermissionError: ``user`` does not approve for it.
    :raises NetworkMembershipError: already a member, an open request, bad input.
    """

    def __init__(
        self,
        library: LibraryPage,
        network: RegionalNetwork,
        user: AbstractBaseUser,
        *,
        message: str = "",
    ) -> None:
        self.library = library
        self.network = network
        self.user = user
        self.message = (message or "").strip()

    def check(self) -> None:
        if not is_approver(self.user, self.library):
            raise NetworkMembershipPermissionError(
                _(
                    "Only approvers of %(library)s can ask to join a regional network "
                    "on its behalf."
                )
                % {"library": self.library.title}
            )
        if len(self.message) > MAX_MESSAGE:
            raise NetworkMembershipError(
                _("Keep the message under %(max)s characters.") % {"max": MAX_MESSAGE},
                code="invalid",
            )
        current = (
            LibraryPage.objects.filter(pk=self.library.pk)
            .values_list("network_id", flat=True)
            .first()
        )
        if current == self.network.pk:
            raise NetworkMembershipError(
                _("%(library)s is already a member of %(network)s.")
                % {"library": self.library.title, "network": self.network.name},
                code="already_member",
            )
        if NetworkMembershipRequest.objects.filter(
            library=self.library, status=NetworkMembershipRequest.Status.REQUESTED
        ).exists():
            raise NetworkMembershipError(
                _(
                    "%(library)s already asked to join a network; wait for the answer "
                    "or withdraw that request first."
                )
                % {"library": self.library.title},
                code="pending",
            )

    def execute(self) -> NetworkMembershipRequest:
        try:
            with transaction.atomic():
                LibraryPage.objects.select_for_update().filter(
                    pk=self.library.pk
                ).first()
                self.check()
                request = NetworkMembershipRequest.objects.create(
                    library=self.library,
                    network=self.network,
                    message=self.message,
                    requested_by=self.user,
                )
                _log(request, LOG_REQUEST, self.user)
                return request
        except IntegrityError as error:
            raise NetworkMembershipError(
                _("%(library)s already asked to join a network.")
                % {"library": self.library.title},
                code="pending",
            ) from error


class _DecideAction:
    """Accept or decline: an approver of a member library of the network."""

    new_status: str
    log_action: str

    def __init__(self, request: NetworkMembershipRequest, user: AbstractBaseUser):
        self.request = request
        self.user = user

    def _deciding_library(self, request: NetworkMembershipRequest):
        if not may_decide(self.user, request.network):
            raise NetworkMembershipPermissionError(
                _(
                    "Only approvers of a library in %(network)s can decide on "
                    "requests to join it."
                )
                % {"network": request.network.name}
            )
        return member_approver_library(self.user, request.network)

    def check(self) -> None:
        self._deciding_library(self.request)
        _check_open(self.request)

    def apply(self, request: NetworkMembershipRequest) -> None:
        """What deciding does besides recording the decision."""

    def execute(self) -> NetworkMembershipRequest:
        with transaction.atomic():
            request = _lock(self.request)
            deciding = self._deciding_library(request)
            _check_open(request)
            request.status = self.new_status
            request.decided_by = self.user
            request.decided_by_library = deciding
            request.decided_at = timezone.now()
            request.save(
                update_fields=[
                    "status",
                    "decided_by",
                    "decided_by_library",
                    "decided_at",
                ]
            )
            self.apply(request)
            _log(request, self.log_action, self.user)
            self.request = request
            return request


class AcceptNetworkMembershipAction(_DecideAction):
    """Accept: the library joins the network now (and leaves any other).

    :param request: an open request.
    :param user: an approver of a library in the network, or a superuser.
    :raises NetworkMembershipPermissionError: ``user`` is neither.
    :raises NetworkMembershipError: the request is no longer open.
    """

    new_status = NetworkMembershipRequest.Status.ACCEPTED
    log_action = LOG_ACCEPT

    def apply(self, request: NetworkMembershipRequest) -> None:
        library = LibraryPage.objects.select_for_update().get(pk=request.library_id)
        library.change_setup(user=self.user, network=request.network)


class DeclineNetworkMembershipAction(_DecideAction):
    """Decline: nothing changes but the request's status.

    :param request: an open request.
    :param user: an approver of a library in the network, or a superuser.
    :raises NetworkMembershipPermissionError: ``user`` is neither.
    :raises NetworkMembershipError: the request is no longer open.
    """

    new_status = NetworkMembershipRequest.Status.DECLINED
    log_action = LOG_DECLINE


class WithdrawNetworkMembershipAction:
    """The asking library takes back its open request.

    :param request: an open request.
    :param user: an approver of the asking library, or a superuser.
    :raises NetworkMembershipPermissionError: ``user`` is neither.
    :raises NetworkMembershipError: the request is no longer open.
    """

    def __init__(self, request: NetworkMembershipRequest, user: AbstractBaseUser):
        self.request = request
        self.user = user

    def _check_permission(self, request: NetworkMembershipRequest) -> None:
        if not is_approver(self.user, request.library):
            raise NetworkMembershipPermissionError(
                _("Only approvers of %(library)s can withdraw this request.")
                % {"library": request.library.title}
            )

    def check(self) -> None:
        self._check_permission(self.request)
        _check_open(self.request)

    def execute(self) -> NetworkMembershipRequest:
        with transaction.atomic():
            request = _lock(self.request)
            self._check_permission(request)
            _check_open(request)
            request.status = NetworkMembershipRequest.Status.WITHDRAWN
            request.decided_by = self.user
            request.decided_at = timezone.now()
            request.save(update_fields=["status", "decided_by", "decided_at"])
            _log(request, LOG_WITHDRAW, self.user)
            self.request = request
            return request
