"""Verifying the contact details of the person in charge before the on-site notice (seed 001, step 2).

* **E-mail link**: a signed token (``django.core.signing``, salted, time-stamped) naming the check and a random
  secret; only the secret's SHA-256 is stored. It works once, until it expires (``REGDESK_ICP_CONTACT_LINK_HOURS``,
  72 by default). Opening the link changes nothing; the person confirms with a button (``views``).
* **SMS code**: six random digits; only an HMAC of the code (keyed with the secret key and the check) is stored.
  It expires after ``REGDESK_ICP_SMS_CODE_MINUTES`` (10) and allows ``REGDESK_ICP_SMS_CODE_ATTEMPTS`` (5) tries.
* **Phone call**: the specialist may instead record a call with its outcome.

Sending a new link or code replaces the pending one of its channel. Checks belong to the current submission: data
corrected and submitted again is verified again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.filings import config
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import (
    CallOutcome,
    ContactChannel,
    ContactCheck,
    ContactCheckStatus,
    Filing,
    FilingState,
)
from regdesk.filings.notices import notify_owner, owner_email, owner_mobile
from regdesk.filings.permissions import is_filing_owner, require_specialist

if TYPE_CHECKING:
    from regdesk.accounts.models import User

TOKEN_SALT = "regdesk.filings.contact-link"  # noqa: S105 - a signing namespace, not a secret
# States in which the specialist verifies contacts: before the on-site notice (also after the regulator's return).
CHECK_STATES = (FilingState.SUBMITTED, FilingState.REGULATOR_RETURNED)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _code_hash(check_id: int, code: str) -> str:
    key = f"{settings.SECRET_KEY}:filings.contact-code".encode()
    return hmac.new(key, f"{check_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _checkable(filing: Filing) -> None:
    if filing.state not in CHECK_STATES:
        raise FilingRefused(
            "wrong_state", _("Contact details are verified after the submission, before the on-site notice.")
        )


def _supersede(filing: Filing, channel: str) -> None:
    ContactCheck.objects.filter(
        filing=filing, round=filing.submissions, channel=channel, status=ContactCheckStatus.PENDING
    ).update(status=ContactCheckStatus.SUPERSEDED)


def _audit(actor: User | None, check: ContactCheck, action: str, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=f"filing_contact.{action}",
        object_type="filings.contactcheck",
        object_id=check.pk,
        changes={"filing": check.filing_id, "channel": check.channel, "status": check.status, **changes},
        unit=check.filing.owner.unit,
    )


def contact_link_url(token: str) -> str:
    """The public address of the confirmation page of an e-mail link (``/verify/contact/<token>/``)."""
    base = config.public_base_url()
    try:
        path = reverse("filings:contact_confirm", kwargs={"token": token})
    except NoReverseMatch:  # the public pages are not mounted in this URL map: the documented path
        path = f"/verify/contact/{token}/"
    return f"{base}{path}"


def contact_email_link_send(*, actor: User, filing: Filing) -> ContactCheck:
    """E-mail a confirmation link to the person in charge (the first address of the e-mail field)."""
    require_specialist(actor, filing)
    _checkable(filing)
    if not owner_email(filing):
        raise FilingRefused("no_email", _("The person in charge has no e-mail address."))
    secret = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        _supersede(filing, ContactChannel.EMAIL)
        check = ContactCheck.objects.create(
            filing=filing,
            round=filing.submissions,
            channel=ContactChannel.EMAIL,
            secret_hash=_sha256(secret),
            expires_at=now + timedelta(hours=config.contact_link_hours()),
            created_by=actor,
            created_at=now,
        )
        token = signing.dumps({"c": check.pk, "s": secret}, salt=TOKEN_SALT, compress=True)
        notify_owner(
            filing,
            template="contact_email",
            key=f"contact:{check.pk}",
            context={
                "link": contact_link_url(token),
                "expires": check.expires_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
                if check.expires_at
                else "",
            },
        )
        _audit(actor, check, "email_send")
    return check


def _check_of_token(token: str) -> tuple[ContactCheck, str]:
    try:
        content = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(hours=config.contact_link_hours()))
        check_id, secret = int(content["c"]), str(content["s"])
    except signing.SignatureExpired:
        raise FilingRefused("link_expired", _("This link has expired. Ask the provider for a new one.")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FilingRefused("link_invalid", _("This link is not valid.")) from None
    check = (
        ContactCheck.objects.select_related("filing", "filing__owner__unit", "filing__case")
        .filter(pk=check_id, channel=ContactChannel.EMAIL)
        .first()
    )
    if check is None or not hmac.compare_digest(check.secret_hash, _sha256(secret)):
        raise FilingRefused("link_invalid", _("This link is not valid."))
    return check, secret


def _usable(check: ContactCheck) -> None:
    if check.status == ContactCheckStatus.CONFIRMED:
        raise FilingRefused("link_used", _("This link has already been used."))
    if check.status != ContactCheckStatus.PENDING or check.round != check.filing.submissions:
        raise FilingRefused("link_replaced", _("This link has been replaced by a newer one."))
    if check.expires_at is not None and check.expires_at <= timezone.now():
        raise FilingRefused("link_expired", _("This link has expired. Ask the provider for a new one."))


def contact_email_link_inspect(token: str) -> ContactCheck:
    """The pending check a link confirms (for the page that shows the confirm button); refuses like the
    confirmation would, and changes nothing."""
    check, _secret = _check_of_token(token)
    _usable(check)
    return check


def contact_email_link_confirm(*, token: str, actor: User | None = None) -> ContactCheck:
    """Confirm the e-mail address by the link's token (the public page's POST). Works once."""
    check, _secret = _check_of_token(token)
    with transaction.atomic():
        locked = (
            ContactCheck.objects.select_for_update(of=("self",))
            .select_related("filing", "filing__owner__unit")
            .get(pk=check.pk)
        )
        _usable(locked)
        locked.status = ContactCheckStatus.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        _audit(actor if actor is not None and actor.is_authenticated else None, locked, "email_confirm")
    return locked


def contact_sms_code_send(*, actor: User, filing: Filing) -> ContactCheck:
    """Send a six-digit code by SMS to the person in charge (the first mobile number)."""
    require_specialist(actor, filing)
    _checkable(filing)
    if not owner_mobile(filing):
        raise FilingRefused("no_mobile", _("The person in charge has no mobile number."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        _supersede(filing, ContactChannel.SMS)
        check = ContactCheck.objects.create(
            filing=filing,
            round=filing.submissions,
            channel=ContactChannel.SMS,
            expires_at=now + timedelta(minutes=config.sms_code_minutes()),
            max_attempts=config.sms_code_attempts(),
            created_by=actor,
            created_at=now,
        )
        check.secret_hash = _code_hash(check.pk, code)
        check.save(update_fields=["secret_hash"])
        from regdesk.cases.services import notice_queue

        mobile = owner_mobile(filing)
        assert mobile is not None  # noqa: S101 - checked above
        notice_queue(
            actor=actor,
            channel="sms",
            recipient=mobile,
            template="filings_contact_sms",
            context={"code": code, "minutes": config.sms_code_minutes(), "reference": str(filing)},
            idempotency_key=f"filings:{filing.pk}:contact:{check.pk}:sms",
            case=filing.case,
        )
        _audit(actor, check, "sms_send")
    return check


def contact_sms_code_confirm(*, actor: User, filing: Filing, code: str) -> ContactCheck:
    """Confirm the mobile number with the code the person received (entered by the owner in the portal, or by
    the specialist who hears it on the phone). A wrong code counts as an attempt; too many attempts or an expired
    code need a new code."""
    if not (is_filing_owner(actor, filing)):
        require_specialist(actor, filing)
    _checkable(filing)
    wrong = False
    with transaction.atomic():
        check = (
            ContactCheck.objects.select_for_update(of=("self",))
            .select_related("filing", "filing__owner__unit")
            .filter(filing=filing, round=filing.submissions, channel=ContactChannel.SMS)
            .order_by("-created_at", "-pk")
            .first()
        )
        if check is None or check.status == ContactCheckStatus.SUPERSEDED:
            raise FilingRefused("no_code", _("No code has been sent; send one first."))
        if check.status == ContactCheckStatus.CONFIRMED:
            return check
        if check.status == ContactCheckStatus.FAILED or check.attempts >= check.max_attempts:
            raise FilingRefused("code_attempts", _("Too many wrong codes; send a new code."))
        if check.expires_at is not None and check.expires_at <= timezone.now():
            raise FilingRefused("code_expired", _("The code has expired; send a new code."))
        entered = "".join((code or "").split())
        if (
            entered.isascii()
            and entered.isdigit()
            and hmac.compare_digest(check.secret_hash, _code_hash(check.pk, entered))
        ):
            check.status = ContactCheckStatus.CONFIRMED
            check.confirmed_at = timezone.now()
        else:
            wrong = True
            check.attempts += 1
            if check.attempts >= check.max_attempts:
                check.status = ContactCheckStatus.FAILED
        check.save(update_fields=["status", "confirmed_at", "attempts"])
        _audit(actor, check, "sms_confirm", attempts=check.attempts)
    if wrong:
        # The attempt is recorded (committed above) before the refusal.
        left = max(0, check.max_attempts - check.attempts)
        raise FilingRefused("code_wrong", _("The code is wrong; %(left)d attempts left.") % {"left": left})
    return check


def contact_phone_call_record(*, actor: User, filing: Filing, outcome: str, note: str = "") -> ContactCheck:
    """Record a phone call to the person in charge and what it established; ``note`` must not hold personal data
    (it is shown on the desk and kept in the audit trail's reference only)."""
    require_specialist(actor, filing)
    _checkable(filing)
    if outcome not in CallOutcome.values:
        raise FilingRefused("outcome", _("Choose the outcome of the call."))
    now = timezone.now()
    with transaction.atomic():
        check = ContactCheck.objects.create(
            filing=filing,
            round=filing.submissions,
            channel=ContactChannel.PHONE_CALL,
            status=ContactCheckStatus.CONFIRMED if outcome == CallOutcome.CONFIRMED else ContactCheckStatus.FAILED,
            outcome=outcome,
            note=note.strip()[:500],
            created_by=actor,
            created_at=now,
            confirmed_at=now if outcome == CallOutcome.CONFIRMED else None,
        )
        _audit(actor, check, "phone_call", outcome=outcome)
    return check
