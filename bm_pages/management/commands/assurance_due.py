"""``manage.py assurance_due``: assurance checks due soon or overdue, for a daily cron."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from bm_pages.certification.assurance import assurance_due
from bm_pages.permissions import STAFF_ROLES
from bm_pages.roles import active_membership_q


class Command(BaseCommand):
    help = (
        "List the assurance projects (borgingsprojecten) whose next check is due "
        "within N days, overdue ones included, grouped per library. With --email, "
        "send each library's editors and approvers a message listing theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="Look this many days ahead (default 30; 0 lists only overdue and "
            "today's checks).",
        )
        parser.add_argument(
            "--email",
            action="store_true",
            help="E-mail the editors and approvers of each library with due checks.",
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Count from this date (YYYY-MM-DD) instead of today.",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Accepted for symmetry with other commands; this one never asks.",
        )

    def handle(self, *args, **options):
        days = options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        groups = assurance_due(within_days=days, today=options["date"])
        today = groups[0].today if groups else (options["date"] or _today())
        limit = today + datetime.timedelta(days=days)
        total = sum(len(group.projects) for group in groups)
        if not groups:
            self.stdout.write(
                self.style.SUCCESS(
                    f"No assurance checks due on or before {limit.isoformat()}."
                )
            )
            return
        self.stdout.write(
            f"{total} assurance check(s) due on or before {limit.isoformat()} in "
            f"{len(groups)} librar{'y' if len(groups) == 1 else 'ies'}:"
        )
        for group in groups:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"{group.library.title} ({len(group.projects)}, "
                    f"{group.overdue_count} overdue)"
                )
            )
            for project in group.projects:
                flag = "OVERDUE" if project.review_overdue else "due    "
                draft = "" if project.live else " [draft]"
                self.stdout.write(
                    f"  {project.next_review_date.isoformat()}  {flag}  "
                    f"{project.title} ({project.plan.title}, every "
                    f"{project.cycle_months} months){draft}"
                )
        if options["email"]:
            self._send(groups, days)

    def _send(self, groups, days):
        connection = get_connection()
        sent = 0
        for group in groups:
            recipients = owners(group.library)
            if not recipients:
                self.stderr.write(
                    self.style.WARNING(
                        f"{group.library.title}: no editor or approver with an e-mail "
                        "address; nobody was told."
                    )
                )
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = render_message(group, days)
            messages = [
                EmailMessage(subject, body, to=[address], connection=connection)
                for address in recipients
            ]
            sent += connection.send_messages(messages) or 0
            self.stdout.write(
                f"E-mailed {len(recipients)} owner(s) of {group.library.title}."
            )
        self.stdout.write(self.style.SUCCESS(f"{sent} e-mail(s) sent."))


def _today():
    return timezone.localdate()


def owners(library) -> list[str]:
    """E-mail addresses of the library's editors and approvers today."""
    User = get_user_model()
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                library_memberships__library=library,
                library_memberships__role__in=STAFF_ROLES,
            )
            .filter(active_membership_q(prefix="library_memberships__"))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def render_message(group, days: int) -> tuple[str, str]:
    """Subject and plain-text body of the reminder to one library's owners."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    projects = [
        {
            "project": project,
            "url": base_url
            + reverse("bm_certification:complete_cycle", args=[project.pk]),
        }
        for project in group.projects
    ]
    context = {"group": group, "projects": projects, "days": days}
    subject = render_to_string(
        "bm_pages/admin/certification/assurance_due_subject.txt", context
    )
    body = render_to_string(
        "bm_pages/admin/certification/assurance_due_email.txt", context
    )
    return " ".join(subject.split()), body
