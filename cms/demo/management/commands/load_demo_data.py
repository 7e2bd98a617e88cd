import time

from django.core.management.base import BaseCommand

from bm_pages.site_address import add_base_url_argument, point_site_at_for_command
from cms.demo.loader import DEMO_PASSWORD, DemoDataLoader


class Command(BaseCommand):
    help = (
        "Load demo data: 12 fictional libraries in 3 regional networks, annual plans "
        "for 2025 and 2026 with SMART projects, and demo accounts. Running it again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--libraries",
            type=int,
            default=None,
            help="Load only the first N libraries (default: all).",
        )
        add_base_url_argument(parser)
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Accepted for symmetry with other commands; this one never asks.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        site = point_site_at_for_command(options["base_url"])
        summary = DemoDataLoader(library_count=options["libraries"]).run()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {seconds:.1f} s: {summary.libraries} libraries, "
                f"{summary.plans_created} plans and {summary.projects_created} projects "
                "created this run."
            )
        )
        self.stdout.write(f"The site's address: {site.root_url}/")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in summary.logins:
            where = f"  ({login.library})" if login.library else ""
            self.stdout.write(f"  {login.username:<40} {login.role:<10}{where}")
