from django.core.management.base import BaseCommand

from bm_pages.roles import expire_memberships


class Command(BaseCommand):
    help = (
        "Take users out of the library groups of their expired roles (auditors' "
        "access ends on a set date). Run it daily; it is also done at every login. "
        "The membership records stay for the team page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Accepted for symmetry with other commands; this one never asks.",
        )

    def handle(self, *args, **options):
        removed = expire_memberships()
        self.stdout.write(
            self.style.SUCCESS(f"Removed {removed} expired group membership(s).")
        )
