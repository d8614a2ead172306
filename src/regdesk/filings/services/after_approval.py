"""After the regulator's approval: record numbers, electronic certificates, access, and the owner's e-mail.

Register first, access later (先备案后接入): ``website_access_turn_on`` refuses a website without a record number,
whoever calls it; after an approval it runs as a task once the approval has committed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.filings import config
from regdesk.filings.documents import certificate
from regdesk.filings.documents.errors import CertificateError
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import AccessStatus, Filing, FilingCertificate, Website
from regdesk.rules.icp import RecordNumberError, parse_record_number

if TYPE_CHECKING:
    from regdesk.accounts.models import User
    from regdesk.cases.models import CaseEvent

logger = logging.getLogger(__name__)


def filing_approval_apply(*, filing: Filing, payload: Mapping[str, Any], event: CaseEvent) -> None:
    """Effect of ``record_regulator_result``, in its transaction: the record numbers on the owner and on each
    website, a certificate per website, the owner's e-mail, and — after commit — access through provisioning."""
    from regdesk.filings.notices import notify_owner

    owner = filing.owner
    owner.record_number = str(payload["owner_record_number"])
    owner.province_record_id = payload.get("province_owner_id")
    owner.save(update_fields=["record_number", "province_record_id", "updated_at"])
    numbers: Mapping[str, str] = payload["website_record_numbers"]
    province_ids: Mapping[str, int] = payload.get("province_website_ids") or {}
    websites = list(filing.websites.all())
    for website in websites:
        website.record_number = str(numbers.get(str(website.pk), ""))
        website.province_record_id = province_ids.get(str(website.pk))
        website.save(update_fields=["record_number", "province_record_id", "updated_at"])
    filing.approved_at = timezone.now()
    filing.regulator_result_at = filing.approved_at
    filing.regulator_opinion = str(payload.get("opinion") or filing.regulator_opinion)
    filing.regulator_codes = filing.regulator_codes or [{"code": 1001, "description": "管局审核通过"}]
    filing.save(
        update_fields=["approved_at", "regulator_result_at", "regulator_opinion", "regulator_codes", "updated_at"]
    )
    for website in websites:
        if not website.record_number:
            continue
        try:
            with transaction.atomic():
                certificate_issue(actor=None, website=website)
        except (CertificateError, ImproperlyConfigured, FilingRefused) as error:
            # The approval must be recorded whatever happens to the certificate (a refused handler would leave the
            # province's file unacknowledged, and the approval unrecorded); the desk issues it again later.
            logger.error(
                "certificate of website %s not issued: %s", website.pk, getattr(error, "code", "configuration")
            )
    notify_owner(
        filing,
        template="approved",
        key=f"event:{event.pk}",
        context={
            "owner_record_number": owner.record_number,
            "website_numbers": [{"name": site.name, "number": site.record_number} for site in websites],
        },
    )
    website_ids = [website.pk for website in websites if website.record_number]
    transaction.on_commit(lambda: _queue_access(website_ids))


def _queue_access(website_ids: list[int]) -> None:
    from regdesk.filings.tasks import turn_on_access

    for website_id in website_ids:
        turn_on_access.enqueue(website_id)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def website_access_turn_on(*, actor: User | None, website: Website) -> Website:
    """Give the filed website access through the provisioning system (its domains and IP ranges).

    Refused (``FilingRefused("not_filed")``) for a website without a record number. The request carries an
    idempotency key per website and record number, so a repeat after a lost answer acts once. Gateway failures
    are raised (``GatewayError``; transient ones may be retried) and change nothing here.
    """
    if not website.record_number:
        raise FilingRefused(
            "not_filed",
            _("Register first, access later: the website has no record number, so it gets no access."),
        )
    from regdesk.gateways.provisioning import get_provisioning_gateway

    domains = [domain.ascii_name or domain.name for domain in website.domains.all()]
    ranges = [(item.start, item.end) for access in website.accesses.all() for item in access.ip_ranges.all()]
    receipt = get_provisioning_gateway().website_access(
        website_ref=f"icp-website-{website.pk}",
        domains=domains,
        ip_ranges=ranges,
        enabled=True,
        # One key per website and record number (ASCII only: the number's characters are hashed).
        idempotency_key=f"filings:website:{website.pk}:access:on:{_digest(website.record_number)}",
    )
    with transaction.atomic():
        locked = Website.objects.select_for_update(of=("self",)).select_related("owner__unit").get(pk=website.pk)
        locked.access_status = AccessStatus.ON
        locked.access_changed_at = receipt.applied_at
        locked.save(update_fields=["access_status", "access_changed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="website.access_on",
            object_type="filings.website",
            object_id=locked.pk,
            changes={"record_number": locked.record_number, "receipt": receipt.receipt_id, "changed": receipt.changed},
            unit=locked.owner.unit,
        )
    website.access_status, website.access_changed_at = locked.access_status, locked.access_changed_at
    return locked


def certificate_issue(*, actor: User | None, website: Website) -> FilingCertificate:
    """Issue the electronic certificate (``bazs.cert``) of a filed website, signed with the provider's Ed25519
    key, linking to the public page ``<REGDESK_PUBLIC_BASE_URL>/verify/<serial>``. The owner's name appears for
    an organisation only (an individual's name is personal data)."""
    if not website.record_number:
        raise FilingRefused("not_filed", _("A certificate is issued for a filed website only."))
    try:
        parse_record_number(website.record_number)
    except RecordNumberError:
        raise FilingRefused("record_number", _("The website's record number is not in the official format.")) from None
    owner = website.owner
    key = config.certificate_signing_key()
    serial = certificate.new_serial()
    issued_at = timezone.now()
    payload = certificate.CertificatePayload(
        serial=serial,
        record_number=website.record_number,
        website_name=website.name,
        domains=tuple(domain.name for domain in website.domains.all()),
        owner_kind=certificate.OwnerKind.INDIVIDUAL if owner.is_individual else certificate.OwnerKind.ORGANISATION,
        owner_name=None if owner.is_individual else owner.public_name,
        provider_name=config.provider_name(),
        issued_at=issued_at,
        verification_url=certificate.verification_url(config.public_base_url(), serial),
    )
    content = certificate.issue(payload, key)
    with transaction.atomic():
        issued = FilingCertificate.objects.create(
            serial=serial,
            website=website,
            record_number=website.record_number,
            content=content.decode("utf-8"),
            key_fingerprint=certificate.public_key_fingerprint(key),
            issued_at=issued_at,
        )
        audit_record(
            actor=actor,
            action="certificate.issue",
            object_type="filings.filingcertificate",
            object_id=issued.pk,
            changes={"serial": serial, "record_number": website.record_number, "website": website.pk},
            unit=owner.unit,
        )
    return issued
