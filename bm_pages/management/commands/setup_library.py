from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from bm_pages.actions.setup_library import (
    InvalidLibraryProfileError,
    LibraryProfileValues,
    SetUpLibraryAction,
)
from bm_pages.models import RegionalNetwork
from bm_pages.services.libraries import NoHomePageError
from bm_pages.site_address import add_base_url_argument, point_site_at_for_command


class Command(BaseCommand):
    help = (
        "Set up a library: its page, document collection, editor/approver/auditor "
        "groups with their Wagtail permissions, and its moderation workflow. Running "
        "it again for the same library changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='The library\'s name, e.g. "Bibliotheek X".')
        parser.add_argument(
            "--network",
            default=None,
            help="Name or slug of the regional network the library belongs to.",
        )
        # The library's profile ("libraries like mine"): fills in what the library
        # has not recorded; later changes are made on its library page.
        parser.add_argument(
            "--inhabitants",
            type=int,
            default=None,
            help="Inhabitants served by the library (its profile), if not recorded.",
        )
        parser.add_argument(
            "--urbanity",
            type=int,
            choices=range(1, 6),
            default=None,
            help="CBS urbanity class of the library's area, if not recorded: 1 "
            "(very strongly urban) to 5 (not urban).",
        )
        add_base_url_argument(parser)
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Accepted for symmetry with other commands; this one never asks.",
        )

    def handle(self, *args, **options):
        network = None
        if options["network"]:
            wanted = options["network"].strip()
            network = RegionalNetwork.objects.filter(
                Q(name__iexact=wanted) | Q(slug__iexact=wanted)
            ).first()
            if network is None:
                known = ", ".join(
                    RegionalNetwork.objects.order_by("name").values_list(
                        "name", flat=True
                    )
                )
                raise CommandError(
                    f"There is no regional network {wanted!r}. Known networks: "
                    f"{known or '(none)'}."
                )
        point_site_at_for_command(options["base_url"])
        if options["inhabitants"] is not None and options["inhabitants"] < 0:
            raise CommandError("--inhabitants cannot be negative.")
        profile = LibraryProfileValues(
            inhabitants=options["inhabitants"], urbanity=options["urbanity"]
        )
        action = SetUpLibraryAction(options["name"], network=network, profile=profile)
        try:
            setup = action.execute(skip_permission_checks=True)
        except (NoHomePageError, InvalidLibraryProfileError) as error:
            raise CommandError(str(error)) from error
        library = setup.library
        if setup.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Set up {library.title} (page {library.pk}); created: "
                    f"{setup.summary()}."
                )
            )
        else:
            self.stdout.write(f"{library.title} was already set up; nothing changed.")
        self.stdout.write(f"  address:    {library.get_full_url()}")
        for role, group in setup.groups.items():
            self.stdout.write(f"  {role.label:<10} group: {group.name}")
        self.stdout.write(f"  collection: {setup.collection.name}")
        self.stdout.write(f"  workflow:   {setup.workflow.name} ({setup.task.name})")
