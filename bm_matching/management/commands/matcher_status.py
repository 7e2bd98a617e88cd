from django.core.management.base import BaseCommand
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.timesince import timesince

from bm_matching.clients import MatcherUnavailable, get_client
from bm_matching.conf import get_setting
from bm_matching.models import IndexOutbox, SearchFeedback
from bm_matching.sync import compare, queue_repair
from bm_matching.worker import OutboxWorker

SAMPLE = 10


class Command(BaseCommand):
    help = (
        "Show the index outbox (backlog, lag, failing rows) and the difference "
        "between the projects the CMS has live and the records the matcher holds. "
        "With --repair, queue and send what is missing or stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Queue the missing and stale projects and send them now.",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        self._outbox(now)
        client = get_client()
        url = get_setting("MATCHER_URL")
        try:
            health = client.health()
            drift = compare(client)
        except MatcherUnavailable as exc:
            self.stdout.write(
                self.style.ERROR(f"Matcher at {url}: unreachable ({exc}).")
            )
            return
        self.stdout.write(
            f"Matcher at {url}: {health.get('status')}, model {health.get('model')}, "
            f"{health.get('records')} records, {health.get('feedback', 0)} search "
            "feedback events."
        )
        self.stdout.write(
            f"Live projects in the CMS: {drift.live}; page records in the matcher: "
            f"{drift.indexed}"
            + (
                f" (and {drift.foreign} records of other clients)"
                if drift.foreign
                else ""
            )
            + "."
        )
        if drift.in_flight:
            self.stdout.write(f"Settled by pending outbox rows: {drift.in_flight}.")
        if drift.in_sync:
            self.stdout.write(self.style.SUCCESS("In sync."))
            return
        if not drift.drifting:
            self.stdout.write(self.style.WARNING(_still_pending(drift.pending)))
            return
        self.stdout.write(
            self.style.WARNING(
                f"Drift: {len(drift.missing)} live projects missing from the matcher "
                f"{_sample(drift.missing)}, {len(drift.stale)} records the matcher "
                f"should not hold {_sample(drift.stale)}."
            )
        )
        if not options["repair"]:
            self.stdout.write("Run with --repair to fix it.")
            return
        queued = queue_repair(drift)
        result = OutboxWorker(client).drain()
        if result.outage:
            self.stdout.write(
                self.style.ERROR(
                    f"Queued {queued} rows, but the matcher became unreachable "
                    f"({result.outage}); matcher_sync sends them once it is back."
                )
            )
            return
        after = compare(client)
        style = self.style.SUCCESS if after.in_sync else self.style.WARNING
        if after.in_sync:
            verdict = "In sync."
        elif after.drifting:
            verdict = "Still drifting; see above."
        else:
            verdict = _still_pending(after.pending)
        self.stdout.write(
            style(
                f"Repaired: {result.upserted} indexed, {result.deleted} removed. "
                + verdict
            )
        )

    def _outbox(self, now):
        stats = IndexOutbox.objects.aggregate(
            pending=Count("id", filter=Q(done_at__isnull=True)),
            due=Count("id", filter=Q(done_at__isnull=True, next_attempt_at__lte=now)),
            failing=Count("id", filter=Q(done_at__isnull=True, attempts__gt=0)),
            oldest=Min("created_at", filter=Q(done_at__isnull=True)),
            last_done=Max("done_at"),
        )
        lag = (
            f"oldest pending row is {timesince(stats['oldest'], now)} old"
            if stats["oldest"]
            else "no lag"
        )
        self.stdout.write(
            f"Outbox: {stats['pending']} pending ({stats['due']} due, "
            f"{stats['failing']} retrying after errors); {lag}."
        )
        if stats["last_done"]:
            self.stdout.write(
                f"Last change sent {timesince(stats['last_done'], now)} ago."
            )
        feedback = SearchFeedback.objects.aggregate(
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            pending=Count("id", filter=Q(sent_at__isnull=True)),
            learning=Count(
                "id",
                filter=Q(sent_at__isnull=False, signal__in=["partnership", "import"]),
            ),
        )
        self.stdout.write(
            f"Search feedback: {feedback['sent']} sent ({feedback['learning']} "
            f"partnership requests and imports that adapt learns from), "
            f"{feedback['pending']} pending."
        )
        failing = (
            IndexOutbox.objects.pending()
            .filter(attempts__gt=0)
            .order_by("-attempts", "id")[:5]
        )
        for row in failing:
            self.stdout.write(
                f"  page {row.page_id}: {row.attempts} attempts, next in "
                f"{max(0, int((row.next_attempt_at - now).total_seconds()))}s: "
                f"{row.last_error[:200]}"
            )


def _still_pending(rows: int) -> str:
    # Not "in sync": the matcher has not got these changes yet.
    return (
        f"No drift, but not in sync yet: {rows} outbox rows are still pending; "
        "matcher_sync sends them."
    )


def _sample(ids):
    if not ids:
        return ""
    shown = ", ".join(str(i) for i in ids[:SAMPLE])
    return f"(page ids {shown}{', ...' if len(ids) > SAMPLE else ''})"
