"""Demo data of remediation campaigns: one running campaign for the lines with incomplete registration data
(seed 004, group 2) sold under the demo provider. Idempotent: a campaign of that name is left alone.

The worker enrols the campaign's lines after the load (a task) and the campaign sweep takes their steps.
"""

from __future__ import annotations

from regdesk.accounts.models import OrgUnit
from regdesk.rules.realname import Group
from regdesk.subscribers.campaigns.services import Intervals, campaign_create, campaign_launch
from regdesk.subscribers.models.campaigns import Campaign, NoticeChannel

UNIT = "provider"
NAME = "2026年第四季度登记信息不全补登记"


def load() -> dict[str, int]:
    """Create and launch the demo campaign when it is missing; returns how many were created."""
    unit = OrgUnit.objects.filter(code=UNIT).first()
    if unit is None or Campaign.objects.filter(name=NAME).exists():
        return {"campaigns_created": 0}
    campaign = campaign_create(
        actor=None,
        unit=unit,
        name=NAME,
        group=Group.INCOMPLETE,
        notice_channel=NoticeChannel.SMS,
        intervals=Intervals.defaults(),
    )
    campaign_launch(actor=None, campaign=campaign)
    return {"campaigns_created": 1}
