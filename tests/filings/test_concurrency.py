"""PostgreSQL: concurrent submissions. One owner never has two operations in flight; the upload sequence has no gap
and no duplicate whatever the number of specialists submitting at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import IN_FLIGHT_STATES, Filing, FilingState
from regdesk.filings.services import filing_submit, filing_submit_to_regulator
from regdesk.miit.models import MiitSequence, MiitUpload
from tests.filings.builders import World, draft, verified
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run the calls at the same moment, each in its own thread and database connection."""
    start = threading.Barrier(len(calls))
    results: list[object] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            result = call()
            with lock:
                results.append(result)
        except BaseException as error:  # reported by the main thread
            with lock:
                failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def _submitting(world: World, filing: Filing) -> Callable[[], Filing]:
    def submit() -> Filing:
        return filing_submit(actor=world.owner, filing=filing)

    return submit


def _to_regulator(world: World, filing: Filing) -> Callable[[], Filing]:
    def submit() -> Filing:
        return filing_submit_to_regulator(actor=world.specialist, filing=filing)

    return submit


def test_two_operations_submitted_for_one_owner_at_once_one_succeeds(world: World) -> None:
    assert connection.vendor == "postgresql"
    for _round in range(3):
        first, second = draft(world), draft(world)
        assert first.owner_id == second.owner_id
        results, failures = _race([_submitting(world, first), _submitting(world, second)])
        assert len(results) == 1, failures
        [failure] = failures
        assert isinstance(failure, FilingRefused)
        assert failure.code == "operation_in_flight"
        in_flight = Filing.objects.filter(owner_id=first.owner_id, state__in=[str(state) for state in IN_FLIGHT_STATES])
        assert in_flight.count() == 1
        assert Filing.objects.filter(pk__in=[first.pk, second.pk], state=FilingState.DRAFT).count() == 1
        # End the round's operation so that the next round starts from two drafts again.
        from regdesk.filings.services import filing_withdraw

        filing_withdraw(actor=world.owner, filing=in_flight.get())


def test_concurrent_submissions_to_the_regulator_number_uploads_without_gap_or_duplicate(
    world: World, use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> None:
    assert connection.vendor == "postgresql"
    filings = [verified(world, index) for index in range(6)]
    results, failures = _race([_to_regulator(world, filing) for filing in filings])
    assert failures == []
    assert len(results) == len(filings)
    sequences = sorted(MiitUpload.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(filings) + 1))
    assert MiitSequence.objects.get(id=1).last_allocated == len(filings)
    related = sorted(MiitUpload.objects.values_list("related", flat=True))
    assert related == sorted(f"filings.filing:{filing.pk}" for filing in filings)
    assert Filing.objects.filter(state=FilingState.SUBMITTED_TO_REGULATOR).count() == len(filings)
