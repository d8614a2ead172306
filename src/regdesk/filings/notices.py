"""Messages to the owner's person in charge, through the kernel's outbox (sent after commit, retried).

The e-mail address and mobile number are the person in charge's (the first of each field); the context carries
only what the message says (reference, website names, dates, reasons) — it is sealed in the outbox all the same.
Templates live in ``templates/notices/filings_<name>.{subject,body,sms}.txt``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regdesk.cases.services import notice_queue
from regdesk.filings import config
from regdesk.filings.models import Filing
from regdesk.privacy.fields import PersonalValue
from regdesk.rules.icp import mobile_numbers


def _first(value: PersonalValue | None, *, phone: bool = False) -> str | None:
    if value is None:
        return None
    text = value.reveal()
    if phone:
        numbers = [number for number in mobile_numbers(text) if number]
        return numbers[0] if numbers else None
    parts = [part.strip() for part in text.replace("；", ";").split(";") if part.strip()]
    return parts[0] if parts else None


def owner_email(filing: Filing) -> str | None:
    return _first(filing.owner.person_email)


def owner_mobile(filing: Filing) -> str | None:
    return _first(filing.owner.person_mobile, phone=True)


def base_context(filing: Filing) -> dict[str, Any]:
    """What every owner notice may show: the reference, the owner's public name, the websites' names, the portal."""
    return {
        "reference": filing.case.reference if filing.case is not None else "",
        "websites": [website.name for website in filing.websites.all() if website.name],
        "portal_url": f"{config.public_base_url()}/portal/",
        "provider": config.provider_name(),
    }


def notify_owner(
    filing: Filing,
    *,
    template: str,
    key: str,
    context: Mapping[str, Any] | None = None,
    sms: bool = False,
) -> int:
    """Queue the e-mail ``filings_<template>`` (and the SMS when ``sms``) to the person in charge. ``key`` makes
    the message unique (an event id, a rung): queuing it again sends nothing more. Returns how many were queued."""
    full = {**base_context(filing), **(context or {})}
    queued = 0
    email = owner_email(filing)
    if email:
        notice_queue(
            actor=None,
            channel="email",
            recipient=email,
            template=f"filings_{template}",
            context=full,
            idempotency_key=f"filings:{filing.pk}:{key}:email",
            case=filing.case,
        )
        queued += 1
    mobile = owner_mobile(filing) if sms else None
    if mobile:
        notice_queue(
            actor=None,
            channel="sms",
            recipient=mobile,
            template=f"filings_{template}",
            context=full,
            idempotency_key=f"filings:{filing.pk}:{key}:sms",
            case=filing.case,
        )
        queued += 1
    return queued
