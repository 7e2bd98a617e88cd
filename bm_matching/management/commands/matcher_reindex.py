import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bm_matching.clients import MatcherUnavailable, get_client
from bm_matching.conf import get_setting
from bm_matching.indexing import live_project_ids
from bm_matching.models import IndexOutbox
from bm_matching.sync import queue_reindex
from bm_matching.worker import OutboxWorker


class Command(BaseCommand):
    help = (
        "Rebuild the matcher's index: send every live project again and remove "
        "records of pages that are no longer live. Texts that did not change keep "
        "their vectors in the matcher, so a rebuild of an intact index is quick."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Projects per request (default: BM_MATCHING['BATCH_SIZE']).",
        )

    def handle(self, *args, **options):
        client = get_client()
        url = get_setting("MATCHER_URL")
        try:
            health = client.health()
        except MatcherUnavailable as exc:
            raise CommandError(
                f"The matcher at {url} is not reachable ({exc}). Nothing was changed; "
                "start the matcher and run this again."
            ) from exc
        live = len(live_project_ids())
        if options["interactive"]:
            answer = input(
                f"This sends all {live} live projects to the matcher at {url} "
                f"(it holds {health.get('records', '?')} records now) and removes "
                "records of pages that are not live. Continue? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes", "j", "ja"):
                self.stdout.write("Cancelled; nothing was changed.")
                return
        started = time.monotonic()
        try:
            to_index, to_remove = queue_reindex(client)
        except MatcherUnavailable as exc:
            raise CommandError(f"The matcher went away: {exc}") from exc
        pending = IndexOutbox.objects.pending().count()
        worker = OutboxWorker(client, batch_size=options["batch_size"])
        with tqdm(
            total=pending,
            unit="row",
            desc="Indexing",
            file=self.stderr._out,
            disable=None,
        ) as bar:
            result = worker.drain(on_batch=lambda batch: bar.update(batch.done_rows))
        if result.outage:
            left = IndexOutbox.objects.pending().count()
            raise CommandError(
                f"The matcher became unreachable ({result.outage}). {left} rows stay "
                "in the outbox; `manage.py matcher_sync` sends them once it is back."
            )
        seconds = time.monotonic() - started
        message = (
            f"Reindexed in {seconds:.1f}s: {to_index} projects sent, {to_remove} "
            f"stale records removed, {result.upserted} indexed and {result.deleted} "
            "removed in total."
        )
        if result.failed_pages:
            self.stdout.write(
                self.style.WARNING(
                    f"{message} {result.failed_pages} pages failed; see "
                    "`manage.py matcher_status`."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(message))
