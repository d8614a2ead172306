"""Alerts of the adapter to the compliance officers (合规), through the kernel's notice outbox.

A downloaded file the adapter cannot read is acknowledged (the province would otherwise offer it forever and the
files behind it would never arrive), so a person must learn of it and ask the province for its content: every
active compliance officer of a top organisation unit (the provider as a whole) with an e-mail address gets one
message per file. The message names the file and the reason, never its content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from regdesk.accounts.models import Membership
from regdesk.accounts.roles import Role
from regdesk.cases.services.notices import notice_queue

if TYPE_CHECKING:
    from regdesk.miit.models import MiitDownload

DOWNLOAD_INVALID_TEMPLATE = "miit_download_invalid"


def alert_download_invalid(*, download: MiitDownload) -> int:
    """Queue the alert about an invalid download (in the caller's transaction); returns how many were queued."""
    memberships = (
        Membership.objects.filter(
            role=Role.COMPLIANCE_OFFICER,
            active=True,
            unit__active=True,
            unit__parent__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    officers = {membership.user_id: membership.user for membership in memberships}
    received_at = timezone.localtime(download.received_at).strftime("%Y-%m-%d %H:%M")
    for officer in officers.values():
        notice_queue(
            actor=None,
            channel="email",
            recipient=officer.email,
            template=DOWNLOAD_INVALID_TEMPLATE,
            context={
                "file_name": download.file_name,
                "received_at": received_at,
                "reasons": list(download.problems[:5]),
            },
            idempotency_key=f"miit.download:{download.pk}:invalid:user:{officer.pk}",
        )
    return len(officers)
