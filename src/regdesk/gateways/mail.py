"""Mail (SMTP) through Django's e-mail backend, with a Message-ID derived from the idempotency key.

A repeated send of the same notice carries the same Message-ID, so a receiving system can tell the copies apart
from new messages. SMTP failures are classified like every other gateway error: 4xx replies and network errors
are transient, 5xx refusals permanent.
"""

from __future__ import annotations

import hashlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext_lazy as _

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError


def message_id_for(idempotency_key: str) -> str:
    """``<hex digest@sender domain>``: stable for one key, and free of whatever the key contains."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    domain = str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "regdesk.invalid"
    return f"<{digest}@{domain}>"


def _smtp_code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return max(codes) if codes else None
    code = getattr(error, "smtp_code", None)
    return int(code) if isinstance(code, int) else None


def send_mail_message(*, to: str, subject: str, body: str, idempotency_key: str) -> str:
    """Send one plain-text message; returns its Message-ID. Raises a classified ``GatewayError``."""
    message_id = message_id_for(idempotency_key)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=str(settings.DEFAULT_FROM_EMAIL),
        to=[to],
        headers={"Message-ID": message_id},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError):
        raise TransientGatewayError("smtp_unreachable", _("The mail server cannot be reached.")) from None
    except smtplib.SMTPException as error:
        code = _smtp_code(error)
        if code is not None and 400 <= code < 500:
            raise TransientGatewayError(
                f"smtp_{code}", _("The mail server deferred the message (%(code)s).") % {"code": code}
            ) from None
        raise PermanentGatewayError(
            f"smtp_{code or 'error'}", _("The mail server refused the message (%(code)s).") % {"code": code or "?"}
        ) from None
    except TimeoutError:
        raise TransientGatewayError("smtp_timeout", _("The mail server did not answer in time.")) from None
    except OSError:
        raise TransientGatewayError("smtp_unreachable", _("The mail server cannot be reached.")) from None
    return message_id
