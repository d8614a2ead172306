"""The chain stays linear when many writers append at once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from regdesk.audit.models import AuditEvent
from regdesk.audit.services import audit_record
from regdesk.audit.verification import verify_chain

WRITERS = 8
EVENTS_PER_WRITER = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_linear_chain() -> None:
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(EVENTS_PER_WRITER):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action="thing.touch",
                        object_type="writer",
                        object_id=f"{number}-{index}",
                    )
        except BaseException as error:  # the main thread reports it
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = WRITERS * EVENTS_PER_WRITER
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("previous_hash").distinct().count() == total
    result = verify_chain()
    assert result.intact, result.explanation()
    assert result.count == total
