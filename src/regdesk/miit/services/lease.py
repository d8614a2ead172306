"""The send lease on the counter row: one sender at a time, kept alive by a heartbeat while a call is in flight."""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta

from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone

from regdesk.miit.config import (
    send_heartbeat_seconds,
    send_lease_seconds,
)
from regdesk.miit.models import MiitSequence
from regdesk.miit.services.common import _counter

logger = logging.getLogger(__name__)


def _lease_seconds() -> float:
    """The send lease: short, because a live sender renews it (``_LeaseKeeper``) while its call is in flight."""
    return max(1.0, send_lease_seconds())


def _heartbeat_seconds(lease: float) -> float:
    # Renew well before the lease runs out, whatever the two settings say.
    return max(0.05, min(send_heartbeat_seconds(), lease / 3))


def _acquire_lease(seconds: float) -> str | None:
    token = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        _counter()
    taken = (
        MiitSequence.objects.filter(id=1)
        .filter(Q(send_lease_until__isnull=True) | Q(send_lease_until__lt=now))
        .update(send_lease_until=now + timedelta(seconds=seconds), send_lease_token=token)
    )
    return token if taken else None


def _renew_lease(token: str, seconds: float) -> bool:
    """Extend the lease if ``token`` still holds it; False when it was lost (it ran out and another took it)."""
    renewed = MiitSequence.objects.filter(id=1, send_lease_token=token).update(
        send_lease_until=timezone.now() + timedelta(seconds=seconds)
    )
    return renewed == 1


class _LeaseKeeper:
    """The sender's heartbeat: a thread that renews the send lease every few seconds while uploads go out, so that
    the lease can be short. A sender killed mid-call stops beating and its lease runs out after
    ``REGDESK_MIIT_SEND_LEASE_SECONDS``, instead of after the longest call it could have made.

    The thread has its own database connection (closed when it stops). ``lost`` turns true when a renewal finds the
    lease taken by another sender (ours ran out, e.g. the database was unreachable): the sender then stops before
    its next upload, so two senders never send in turn.
    """

    def __init__(self, token: str, lease: float) -> None:
        self.token = token
        self.lease = lease
        self.lost = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="miit-send-lease", daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        interval = _heartbeat_seconds(self.lease)
        try:
            while not self._stopping.wait(interval):
                try:
                    if not _renew_lease(self.token, self.lease):
                        self.lost = True
                        logger.warning("MIIT send lease lost; the sender stops after its current upload")
                        return
                except DatabaseError:
                    logger.warning("MIIT send lease not renewed (database error); trying again")
        finally:
            connections.close_all()  # this thread's connections only


def _release_lease(token: str) -> None:
    MiitSequence.objects.filter(id=1, send_lease_token=token).update(send_lease_until=None, send_lease_token="")
