"""What the process's guards ask about a filing, as plain reads (shared by the guards, selectors and services)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from regdesk.cases.models import Case
from regdesk.filings.models import (
    IN_FLIGHT_STATES,
    Attachment,
    AttachmentKind,
    CheckOutcome,
    ContactChannel,
    ContactCheck,
    ContactCheckStatus,
    Filing,
    OnsiteVerification,
)

# The originals the specialist must have seen (OriginalsSeen of the verification form).
REQUIRED_ORIGINALS = ("owner_certificate", "person_in_charge_id", "website_person_in_charge_ids", "domain_certificates")


def filing_of(case: Case) -> Filing:
    """The filing run by ``case``."""
    return Filing.objects.select_related("owner").get(case=case)


def other_operation_in_flight(filing: Filing) -> Filing | None:
    """Another operation of the same owner that is in flight (province code 1003 refuses two at once)."""
    return (
        Filing.objects.filter(owner_id=filing.owner_id, state__in=[str(state) for state in IN_FLIGHT_STATES])
        .exclude(pk=filing.pk)
        .select_related("case")
        .first()
    )


def confirmed_channels(filing: Filing) -> set[str]:
    """The channels through which the person in charge's contact details were confirmed in this submission."""
    return set(
        ContactCheck.objects.filter(
            filing=filing, round=filing.submissions, status=ContactCheckStatus.CONFIRMED
        ).values_list("channel", flat=True)
    )


def contacts_verified(filing: Filing) -> bool:
    """Both the e-mail link and the SMS code were confirmed, or the specialist reached the person in charge by
    phone and recorded it (seed 001, step 2: "verifying contact information by phone, email or other methods")."""
    channels = confirmed_channels(filing)
    return ContactChannel.PHONE_CALL in channels or {ContactChannel.EMAIL, ContactChannel.SMS} <= channels


def current_verification(filing: Filing) -> OnsiteVerification | None:
    if filing.onsite_rounds == 0:
        return None
    return OnsiteVerification.objects.filter(filing=filing, round=filing.onsite_rounds).first()


def current_attachments(filing: Filing) -> list[Attachment]:
    """The materials stored during the current on-site verification."""
    return list(Attachment.objects.filter(filing=filing, onsite_round=filing.onsite_rounds).select_related("document"))


def _same_person(filing: Filing) -> set[int]:
    """Websites whose person in charge is the owner's person in charge (one set of ID copies serves both)."""
    owner = filing.owner
    if not owner.person_document_number_index:
        return set()
    return set(
        filing.websites.filter(
            person_document_type=owner.person_document_type,
            person_document_number_index=owner.person_document_number_index,
        ).values_list("pk", flat=True)
    )


def required_copies(filing: Filing) -> list[tuple[str, int | None]]:
    """The copies the on-site verification keeps, as (attachment kind, website id or None): both sides of the
    person in charge's ID, the owner's certificate (not for individuals), and per website its domain certificate
    and — unless its person in charge is the owner's — both sides of that person's ID."""
    needed: list[tuple[str, int | None]] = [
        (AttachmentKind.OWNER_PERSON_ID_FRONT, None),
        (AttachmentKind.OWNER_PERSON_ID_BACK, None),
    ]
    if not filing.owner.is_individual:
        needed.append((AttachmentKind.OWNER_CERTIFICATE, None))
    same = _same_person(filing)
    for website in filing.websites.all():
        needed.append((AttachmentKind.DOMAIN_CERTIFICATE, website.pk))
        if website.pk not in same:
            needed += [
                (AttachmentKind.WEBSITE_PERSON_ID_FRONT, website.pk),
                (AttachmentKind.WEBSITE_PERSON_ID_BACK, website.pk),
            ]
    return needed


def onsite_missing(filing: Filing) -> list[str]:
    """What the on-site verification still lacks, each as a translated sentence (empty when complete)."""
    verification = current_verification(filing)
    if verification is None:
        return [_("No on-site verification has been started.")]
    missing: list[str] = []
    originals = verification.originals or {}
    websites = list(filing.websites.all())
    needs_approvals = any(website.pre_approvals.exists() for website in websites)
    names = [*REQUIRED_ORIGINALS, *(["pre_approvals"] if needs_approvals else [])]
    if not all(originals.get(name) is True for name in names):
        missing.append(_("The checklist of originals seen is not complete."))
    if verification.identity_outcome != CheckOutcome.CONSISTENT:
        missing.append(_("The identity check of the person in charge has not confirmed the identity."))
    if verification.registry_outcome not in (CheckOutcome.CONSISTENT, CheckOutcome.NOT_APPLICABLE):
        missing.append(_("The enterprise registry check has not confirmed the owner."))
    kinds: dict[tuple[str, int | None], int] = {}
    for attachment in current_attachments(filing):
        key = (attachment.kind, attachment.website_id)
        kinds[key] = kinds.get(key, 0) + 1
    if any(key not in kinds for key in required_copies(filing)):
        missing.append(
            _(
                "Copies of the certificate, the ID documents (both sides) and the domain certificates are not all "
                "stored."
            )
        )
    if (AttachmentKind.PHOTO_ORIGINAL, None) not in kinds or (AttachmentKind.PHOTO_UPLOAD, None) not in kinds:
        missing.append(_("The photo of the person in charge has not been taken."))
    elif not verification.photo_confirmed:
        missing.append(_("Nobody has confirmed that the photo shows the person on the ID."))
    if verification.form_document_id is None:
        missing.append(_("The verification form has not been generated."))
    return missing
