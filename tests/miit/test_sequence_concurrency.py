"""Sequence numbers stay 1..N without gaps or duplicates when many specialists prepare uploads at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from pytest_django import Settings

from regdesk.miit.models import MiitSequence, MiitUpload
from regdesk.miit.services import miit_upload_prepare
from tests.miit.samples import complete_filing

WRITERS = 8
UPLOADS_PER_WRITER = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_prepares_get_consecutive_numbers(settings: Settings) -> None:
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = False
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(UPLOADS_PER_WRITER):
                owner = 1000 + number * 100 + index
                miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(owner, owner + 50000)])
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
    total = WRITERS * UPLOADS_PER_WRITER
    sequences = list(MiitUpload.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert MiitSequence.objects.get(id=1).last_allocated == total
    owners = [keys[0] for keys in MiitUpload.objects.values_list("record_keys", flat=True)]
    assert len(set(owners)) == total
