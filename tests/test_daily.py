"""The daily housekeeping names commands that exist, with sub-commands their parsers accept, and signs the day's audit
checkpoint."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import transaction

from regdesk.audit.models import AuditCheckpoint, AuditEvent
from regdesk.audit.services import audit_record
from regdesk.daily import DAILY_COMMANDS, run_once


@pytest.mark.parametrize("command", DAILY_COMMANDS, ids=" ".join)
def test_daily_command_exists(command: tuple[str, ...]) -> None:
    name, *arguments = command
    app = get_commands()[name]
    parser = load_command_class(app, name).create_parser("regdesk", name)
    parser.parse_args(arguments)


@pytest.mark.django_db
def test_the_daily_run_ends_with_a_signed_audit_checkpoint() -> None:
    with transaction.atomic():
        audit_record(actor=None, action="thing.touch", object_type="thing", object_id=1)

    def in_process(command: tuple[str, ...]) -> int:
        try:
            call_command(*command, stdout=io.StringIO())
        except CommandError as error:
            return error.returncode
        return 0

    assert run_once(in_process) == 0
    checkpoint = AuditCheckpoint.objects.get()
    # The day's purges write audit events of their own; the checkpoint covers them too.
    assert checkpoint.event_count == AuditEvent.objects.count() >= 1
    assert checkpoint.head_hash == AuditEvent.objects.order_by("-sequence").values_list("hash", flat=True)[0]
