"""Background tasks of remediation campaigns (django-tasks). Arguments are ids only: no personal data."""

from __future__ import annotations

from django_tasks import task

from regdesk.subscribers.models import Campaign


@task()
def enrol_campaign(campaign_id: int) -> int:
    """Enrol a launched campaign's lines, chunk by chunk, until none is left."""
    from regdesk.subscribers.campaigns.services import campaign_enrol

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    total = 0
    while campaign is not None:
        enrolled = campaign_enrol(campaign=campaign)
        if not enrolled:
            break
        total += enrolled
    return total


@task()
def send_provisioning_command(command_id: int) -> str:
    """Send one line-service command to the network (retries come back through the campaign sweep)."""
    from regdesk.subscribers.campaigns.services import provisioning_command_send

    return str(provisioning_command_send(command_id=command_id).status)


@task()
def sweep_campaigns() -> dict[str, int]:
    """Take the due steps of running campaigns (``regdesk campaign sweep --loop`` runs this periodically)."""
    from regdesk.subscribers.campaigns.services import campaign_sweep

    report = campaign_sweep()
    return {"fired": len(report.fired), "refused": report.refused, "commands": report.commands}
