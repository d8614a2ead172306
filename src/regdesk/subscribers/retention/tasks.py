"""Background task of the retention purge (django-tasks). No arguments: nothing personal in the queue."""

from __future__ import annotations

from django_tasks import task

# A run removes at most this many lines; the task runs again until nothing is left, up to this many runs.
BATCH = 500
MAX_RUNS = 1000


@task()
def purge_expired_registrations() -> dict[str, int]:
    """Purge every expired registration record, in batches (``regdesk realname purge-expired --enqueue``)."""
    return purge_all(limit=BATCH)


def purge_all(*, limit: int = BATCH, max_runs: int = MAX_RUNS) -> dict[str, int]:
    """Run the purge batch after batch until the expired lines are all seen; the counts of all runs."""
    from regdesk.subscribers.retention.services import registration_data_purge

    totals: dict[str, int] = {}
    after = 0
    for _run in range(max_runs):
        outcome = registration_data_purge(actor=None, limit=limit, after_line_id=after)
        if outcome.record is not None:
            for kind, count in outcome.record.counts.items():
                totals[kind] = totals.get(kind, 0) + int(count)
            totals["skipped"] = totals.get("skipped", 0) + outcome.record.skipped
        if outcome.lines_scanned < limit:
            break
        after = outcome.last_line_id
    return totals
