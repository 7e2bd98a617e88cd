import signal
import threading

from django.core.management.base import BaseCommand

from bm_matching.worker import OutboxWorker


class Command(BaseCommand):
    help = (
        "Send pending index changes (the outbox) to the matcher service. Runs until "
        "stopped; with --once, sends what is due and exits. Starting it before the "
        "matcher is up is fine: rows stay pending and it retries with backoff."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Send everything that is due now, then exit (non-zero if the matcher "
            "could not be reached).",
        )
        parser.add_argument(
            "--no-reconcile",
            action="store_false",
            dest="reconcile",
            help="Do not compare the matcher with the live projects at start-up "
            "(by default what is missing or stale is queued once the matcher answers).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Outbox rows per round (default: BM_MATCHING['BATCH_SIZE']).",
        )

    def handle(self, *args, **options):
        worker = OutboxWorker(batch_size=options["batch_size"])
        if options["once"]:
            result = worker.drain()
            self.stdout.write(
                f"{result.rows} outbox rows: {result.upserted} indexed, "
                f"{result.deleted} removed, {result.failed_pages} pages failed."
            )
            if result.outage:
                self.stderr.write(
                    self.style.ERROR(f"Matcher unavailable: {result.outage}")
                )
                raise SystemExit(1)
            return

        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write("matcher_sync: sending index changes to the matcher.")
        worker.run(stop, log=self._log, reconcile=options["reconcile"])
        self.stdout.write("matcher_sync: stopped.")

    def _log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
