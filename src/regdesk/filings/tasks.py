"""Background tasks of ICP filing (django-tasks). Arguments are ids only: no personal data in the queue."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from regdesk.filings import config
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Website
from regdesk.gateways.errors import GatewayError


@task()
def turn_on_access(website_id: int) -> str:
    """Turn a filed website's access on (after its approval). A transient failure of the provisioning system
    queues another attempt later; a refusal (no record number, a permanent error) is left for the desk."""
    from regdesk.filings.services.after_approval import website_access_turn_on

    website = Website.objects.filter(pk=website_id).first()
    if website is None:
        return "missing"
    try:
        website_access_turn_on(actor=None, website=website)
    except FilingRefused as refused:
        return refused.code
    except GatewayError as error:
        if error.transient:
            retry_at = timezone.now() + timedelta(seconds=config.access_retry_seconds())
            turn_on_access.using(run_after=retry_at).enqueue(website_id)
            return "retry"
        return error.code
    return "on"


@task()
def poll_regulator() -> int:
    """Fetch and handle the province's downloads (review results); ``regdesk filings poll --loop`` runs it."""
    from regdesk.filings.services.regulator import filings_poll

    return filings_poll()
