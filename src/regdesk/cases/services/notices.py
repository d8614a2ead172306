"""The notice outbox: queue a message in the caller's transaction, send it after commit, retry with backoff.

Templates are Django templates ``notices/<template>.subject.txt`` and ``notices/<template>.body.txt`` (e-mail) or
``notices/<template>.sms.txt`` (SMS), rendered in the default language (Chinese) with the notice's context.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases import config
from regdesk.cases.models import Case, Notice, NoticeChannel, NoticeStatus
from regdesk.cases.services.errors import NoticeRefused
from regdesk.gateways import config as gateway_config
from regdesk.gateways.errors import GatewayError, PermanentGatewayError
from regdesk.privacy.crypto import blind_index, decrypt_text, encrypt_text

if TYPE_CHECKING:
    from regdesk.accounts.models import User

RECIPIENT_ASSOCIATED_DATA = b"cases.notice.recipient"
CONTEXT_ASSOCIATED_DATA = b"cases.notice.context"
_PHONE = re.compile(r"^\+?[0-9]{5,20}$")


def _template_names(channel: str, template: str) -> list[str]:
    if channel == NoticeChannel.SMS:
        return [f"notices/{template}.sms.txt"]
    return [f"notices/{template}.subject.txt", f"notices/{template}.body.txt"]


def _normalised_recipient(channel: str, recipient: str) -> str:
    value = recipient.strip()
    if channel == NoticeChannel.SMS:
        value = "".join(value.split()).replace("-", "")
        if not _PHONE.match(value):
            raise NoticeRefused("recipient", _("The phone number is not valid."))
        return value
    try:
        validate_email(value)
    except ValidationError:
        raise NoticeRefused("recipient", _("The e-mail address is not valid.")) from None
    return value


def notice_queue(
    *,
    actor: User | None,
    channel: str,
    recipient: str,
    template: str,
    context: Mapping[str, Any],
    idempotency_key: str,
    case: Case | None = None,
) -> Notice:
    """Queue a notice, to be sent after the surrounding transaction commits.

    ``recipient`` (a phone number or e-mail address) and ``context`` are sealed; give the context only what the
    message needs. ``idempotency_key`` identifies the message for good: queuing the same key again returns the
    notice already queued and sends nothing more.
    """
    if channel not in NoticeChannel.values:
        raise NoticeRefused("channel", _("Unknown notice channel “%(channel)s”.") % {"channel": channel})
    if not idempotency_key or len(idempotency_key) > 200:
        raise NoticeRefused("idempotency_key", _("The idempotency key must be 1 to 200 characters."))
    value = _normalised_recipient(channel, recipient)
    try:
        for name in _template_names(channel, template):
            get_template(name)
    except TemplateDoesNotExist:
        raise NoticeRefused("template", _("Unknown notice template “%(template)s”.") % {"template": template}) from None
    try:
        context_json = json.dumps(dict(context), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        raise NoticeRefused("context", _("The notice context must be plain JSON data.")) from None

    with transaction.atomic():
        existing = Notice.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    case=case,
                    channel=channel,
                    recipient_sealed=encrypt_text(value, associated_data=RECIPIENT_ASSOCIATED_DATA),
                    recipient_index=blind_index(value, domain="phone" if channel == NoticeChannel.SMS else "email"),
                    template=template,
                    context_sealed=encrypt_text(context_json, associated_data=CONTEXT_ASSOCIATED_DATA),
                    idempotency_key=idempotency_key,
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            return Notice.objects.get(idempotency_key=idempotency_key)
        audit_record(
            actor=actor,
            action="notice.queue",
            object_type="cases.notice",
            object_id=notice.pk,
            changes={"channel": channel, "template": template, "case": case.pk if case is not None else None},
            unit=case.unit if case is not None else None,
        )
        notice_id = notice.pk
        transaction.on_commit(lambda: _enqueue_send(notice_id))
    return notice


def _enqueue_send(notice_id: int) -> None:
    from regdesk.cases.tasks import send_notice

    send_notice.enqueue(notice_id)


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    body: str


def render_notice(notice: Notice) -> RenderedNotice:
    """The message text, in the default language."""
    context = json.loads(decrypt_text(notice.context_sealed, associated_data=CONTEXT_ASSOCIATED_DATA))
    with translation.override(settings.LANGUAGE_CODE):
        if notice.channel == NoticeChannel.SMS:
            return RenderedNotice(
                subject="", body=render_to_string(f"notices/{notice.template}.sms.txt", context).strip()
            )
        subject = render_to_string(f"notices/{notice.template}.subject.txt", context)
        body = render_to_string(f"notices/{notice.template}.body.txt", context)
    return RenderedNotice(subject=" ".join(subject.split()), body=body.strip() + "\n")


def _retry_delay(attempts: int) -> timedelta:
    base = config.notice_retry_base_seconds()
    ceiling = config.notice_retry_max_seconds()
    return timedelta(seconds=min(ceiling, base * 2 ** max(0, attempts - 1)))


def _lease() -> timedelta:
    """How long a claimed notice is left alone: longer than every attempt of the adapter together."""
    timeout = gateway_config.timeout_seconds()
    attempts = gateway_config.attempts()
    return timedelta(seconds=max(60.0, 2 * timeout * attempts + 10))


def _send(notice: Notice) -> str:
    """Hand the notice to its gateway; returns the provider's message id."""
    from regdesk.gateways.mail import send_mail_message
    from regdesk.gateways.sms import get_sms_gateway

    recipient = decrypt_text(notice.recipient_sealed, associated_data=RECIPIENT_ASSOCIATED_DATA)
    try:
        rendered = render_notice(notice)
    except TemplateDoesNotExist:
        raise PermanentGatewayError("template", "the notice template is missing") from None
    if notice.channel == NoticeChannel.SMS:
        receipt = get_sms_gateway().send(to=recipient, text=rendered.body, idempotency_key=notice.idempotency_key)
        return receipt.message_id
    return send_mail_message(
        to=recipient, subject=rendered.subject, body=rendered.body, idempotency_key=notice.idempotency_key
    )


def notice_deliver(*, notice_id: int, now: datetime | None = None) -> Notice:
    """Attempt to send one queued notice whose time has come (called by the ``send_notice`` task).

    The notice is first *claimed* with a conditional update that moves ``next_attempt_at`` past the attempt (a
    lease), so that a second sender finds nothing to do; the network call then runs outside any transaction
    (no row or database lock is held while a gateway is slow), and the outcome is written with its audit event:
    sent; transient failure → queued again after an exponential backoff; permanent failure, or the last allowed
    attempt → failed, with a non-personal reason.
    """
    now = now or timezone.now()
    claimed = Notice.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), pk=notice_id, status=NoticeStatus.QUEUED
    ).update(next_attempt_at=now + _lease(), attempts=F("attempts") + 1, updated_at=now)
    notice = Notice.objects.get(pk=notice_id)
    if not claimed:
        return notice
    error: GatewayError | None = None
    provider_id = ""
    try:
        provider_id = _send(notice)
    except GatewayError as raised:
        error = raised
    max_attempts = config.notice_max_attempts()
    finished = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if error is None:
            notice.status = NoticeStatus.SENT
            notice.sent_at = finished
            notice.provider_message_id = provider_id[:200]
            notice.last_error = ""
            notice.next_attempt_at = None
        elif error.transient and notice.attempts < max_attempts:
            notice.last_error = str(error)[:300]
            notice.next_attempt_at = finished + _retry_delay(notice.attempts)
        else:
            notice.status = NoticeStatus.FAILED
            notice.last_error = str(error)[:300]
            notice.next_attempt_at = None
        notice.save(
            update_fields=["status", "sent_at", "provider_message_id", "last_error", "next_attempt_at", "updated_at"]
        )
        audit_record(
            actor=None,
            action="notice.deliver",
            object_type="cases.notice",
            object_id=notice.pk,
            changes={
                "status": notice.status,
                "attempts": notice.attempts,
                "error": error.code if error is not None else "",
            },
        )
    return notice


def notices_due(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of queued notices whose next attempt is due (new ones whose task was lost, retries, expired leases)."""
    now = now or timezone.now()
    return list(
        Notice.objects.filter(status=NoticeStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
