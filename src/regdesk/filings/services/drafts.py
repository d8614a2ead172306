"""Creating and changing a filing's data: drafts, corrections of returned fields, documents of the application.

A draft may be incomplete, but never wrong: a value that breaks a rule is refused with its field's error and
nothing is saved (``FilingValidationError``); missing values wait for the submission. While a filing is returned
for changes (``needs_changes``), only the returned fields may change.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.models import Document
from regdesk.cases.services import DocumentRefused, case_start, document_attach
from regdesk.filings.data import (
    AccessData,
    AddressData,
    CertificateData,
    FilingData,
    IpRangeData,
    OwnerData,
    PersonData,
    PreApprovalData,
    WebsiteData,
    filing_data_from_json,
    flatten,
    known_paths,
    path_covers,
)
from regdesk.filings.errors import FilingRefused, FilingValidationError, field_error
from regdesk.filings.models import (
    IN_FLIGHT_STATES,
    ContactMobile,
    Domain,
    Filing,
    FilingState,
    IpRange,
    Owner,
    OwnerKind,
    PreApproval,
    Website,
    WebsiteAccess,
)
from regdesk.filings.permissions import intake_unit_for, is_filing_owner, require_editor
from regdesk.filings.process import PROCESS_KEY
from regdesk.filings.validation import Stage, check_filing_data
from regdesk.privacy.fields import BlindIndexField, PersonalValue
from regdesk.rules import icp
from regdesk.rules.icp import FieldError
from regdesk.rules.icp.administrations import owner_region
from regdesk.rules.icp.certificates import check_certificate_number
from regdesk.rules.icp.codes import check_code, parse_code
from regdesk.rules.identity.common import today_in_china

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

EDITABLE_STATES = (FilingState.DRAFT, FilingState.NEEDS_CHANGES)
# Documents an applicant supplies with the application (the on-site materials are stored by the specialist).
APPLICATION_DOCUMENT_KINDS = frozenset({"pre_approval"})
_INDEX = re.compile(r"^(?P<name>[a-z_]+)\[(?P<index>\d+)\]$")


# --------------------------------------------------------------------------------------------------------------
# Reading the stored data back


def _plain(value: PersonalValue | None) -> str | None:
    return value.reveal() if value is not None else None


def _code_text(value: str) -> str | None:
    return value or None


def stored_data(filing: Filing) -> FilingData:
    """The filing's data as stored, personal values revealed (for the rules, the mapping and the forms; callers
    that show it to a person go through the selectors, which mask it)."""
    owner = filing.owner
    websites = []
    for website in filing.websites.prefetch_related("domains", "pre_approvals", "accesses__ip_ranges"):
        websites.append(
            WebsiteData(
                name=website.name or None,
                homepage_url=website.homepage_url or None,
                domains=tuple(domain.name for domain in website.domains.all()),
                service_contents=tuple(website.service_contents),
                languages=tuple(website.languages),
                content_categories=tuple(website.content_categories),
                pre_approvals=tuple(
                    PreApprovalData(
                        type=approval.type, number=approval.number or None, document_id=approval.document_id
                    )
                    for approval in website.pre_approvals.all()
                ),
                person_in_charge=PersonData(
                    name=_plain(website.person_name),
                    document_type=website.person_document_type,
                    document_number=_plain(website.person_document_number),
                    office_phone=_plain(website.person_office_phone),
                    mobile=_plain(website.person_mobile),
                    email=_plain(website.person_email),
                ),
                access=tuple(
                    AccessData(
                        method=access.method,
                        server_location=access.server_location or None,
                        ip_ranges=tuple(
                            IpRangeData(start=item.start or None, end=item.end or None)
                            for item in access.ip_ranges.all()
                        ),
                    )
                    for access in website.accesses.all()
                ),
                remarks=website.remarks or None,
            )
        )
    return FilingData(
        owner=OwnerData(
            name=_plain(owner.name),
            nature=owner.nature,
            certificate=CertificateData(
                type=owner.certificate_type,
                number=_plain(owner.certificate_number),
                address=_plain(owner.certificate_address),
            ),
            address=AddressData(
                province=_code_text(owner.province_code),
                city=_code_text(owner.city_code),
                county=_code_text(owner.county_code),
                detail=_plain(owner.postal_address),
            ),
            investor=_plain(owner.investor),
            person_in_charge=PersonData(
                name=_plain(owner.person_name),
                document_type=owner.person_document_type,
                document_number=_plain(owner.person_document_number),
                office_phone=_plain(owner.person_office_phone),
                mobile=_plain(owner.person_mobile),
                email=_plain(owner.person_email),
            ),
            reporting_mode=owner.reporting_mode,
            remarks=owner.remarks or None,
            national_level=owner.national_level,
            aliases=tuple(owner.aliases or ()),
        ),
        websites=tuple(websites),
    )


# --------------------------------------------------------------------------------------------------------------
# Writing


def _text(value: str | None) -> str | None:
    """Personal text as stored: trimmed, ``None`` when empty (an empty sealed value would show as a mask)."""
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def _code(value: int | str | None) -> int | None:
    try:
        return parse_code(value)
    except ValueError:  # refused by the rules before anything is stored
        return None


def _division(value: int | str | None) -> str:
    code = _code(value)
    return str(code) if code is not None else ""


def _document_number(document_type: int | str | None, number: str | None) -> str | None:
    """The number in its normalised form when it is valid for its type (so that blind indexes match)."""
    text = _text(number)
    if text is None:
        return None
    certificate_type, problems = check_code("", document_type, icp.default_code_tables().certificate_types)
    if certificate_type is None or problems:
        return text
    checked = check_certificate_number("", certificate_type, text, today=today_in_china())
    return checked.normalized or text


def _is_individual(data: OwnerData) -> bool:
    tables = icp.default_code_tables()
    nature, _problems = check_code("", data.nature, tables.natures, required=False)
    if nature is not None:
        return nature.is_individual
    certificate_type, _problems = check_code("", data.certificate.type, tables.certificate_types, required=False)
    return certificate_type is not None and certificate_type.holder == "person"


def _store_person(target: Owner | Website, person: PersonData) -> None:
    target.person_name = _text(person.name)
    target.person_document_type = _code(person.document_type)
    target.person_document_number = _document_number(person.document_type, person.document_number)
    target.person_office_phone = _text(person.office_phone)
    target.person_mobile = _text(person.mobile)
    target.person_email = _text(person.email)


def _store_owner(owner: Owner, data: OwnerData) -> None:
    individual = _is_individual(data)
    owner.kind = OwnerKind.INDIVIDUAL if individual else OwnerKind.ORGANISATION
    owner.name = _text(data.name)
    owner.public_name = "" if individual else (data.name or "").strip()[:255]
    owner.nature = _code(data.nature)
    owner.certificate_type = _code(data.certificate.type)
    owner.certificate_number = _document_number(data.certificate.type, data.certificate.number)
    owner.certificate_address = _text(data.certificate.address)
    owner.province_code = _division(data.address.province)
    owner.city_code = _division(data.address.city)
    owner.county_code = _division(data.address.county)
    owner.postal_address = _text(data.address.detail)
    owner.investor = _text(data.investor)
    _store_person(owner, data.person_in_charge)
    owner.reporting_mode = _code(data.reporting_mode)
    owner.remarks = (data.remarks or "").strip()
    owner.national_level = data.national_level
    owner.aliases = [alias.strip() for alias in data.aliases if alias.strip()]
    owner.save()


def _store_website(website: Website, data: WebsiteData) -> None:
    website.name = (data.name or "").strip()
    website.homepage_url = (data.homepage_url or "").strip()
    website.service_contents = [code for code in (_code(value) for value in data.service_contents) if code is not None]
    website.languages = [code for code in (_code(value) for value in data.languages) if code is not None]
    website.content_categories = [
        code for code in (_code(value) for value in data.content_categories) if code is not None
    ]
    _store_person(website, data.person_in_charge)
    website.remarks = (data.remarks or "").strip()
    website.save()
    website.domains.all().delete()
    for position, text in enumerate(data.domains):
        try:
            parsed = icp.parse_domain(text)
            ascii_name, registrable = parsed.ascii, parsed.registrable or ""
        except icp.DomainSyntaxError:
            ascii_name, registrable = "", ""
        Domain.objects.create(
            website=website, position=position, name=text.strip(), ascii_name=ascii_name, registrable=registrable
        )
    website.pre_approvals.all().delete()
    for position, approval in enumerate(data.pre_approvals):
        PreApproval.objects.create(
            website=website,
            position=position,
            type=_code(approval.type),
            number=(approval.number or "").strip(),
            document_id=approval.document_id,
        )
    website.accesses.all().delete()
    for position, access in enumerate(data.access):
        stored = WebsiteAccess.objects.create(
            website=website,
            position=position,
            method=_code(access.method),
            server_location=(access.server_location or "").strip(),
        )
        for index, item in enumerate(access.ip_ranges):
            IpRange.objects.create(
                access=stored, position=index, start=(item.start or "").strip(), end=(item.end or "").strip()
            )


def _store_contact_mobiles(owner: Owner, data: FilingData) -> None:
    """The owner's mobile numbers: its person in charge's and those of the persons in charge of all its websites
    (an owner's later filings add websites beside the earlier ones)."""
    numbers: list[str] = []
    mobiles = [data.owner.person_in_charge.mobile]
    mobiles += [_plain(site.person_mobile) for site in Website.objects.filter(owner=owner)]
    for mobile in mobiles:
        for number in icp.mobile_numbers(mobile):
            if number and number not in numbers:
                numbers.append(number)
    ContactMobile.objects.filter(owner=owner).delete()
    for number in numbers:
        ContactMobile.objects.create(owner=owner, number=number)


def _store(filing: Filing, data: FilingData) -> None:
    owner = filing.owner
    _store_owner(owner, data.owner)
    existing = list(filing.websites.order_by("position", "pk"))
    for position, website_data in enumerate(data.websites):
        website = existing[position] if position < len(existing) else Website(owner=owner, filing=filing)
        website.position = position
        _store_website(website, website_data)
    for surplus in existing[len(data.websites) :]:
        surplus.domains.all().delete()
        surplus.pre_approvals.all().delete()
        surplus.accesses.all().delete()
        surplus.attachments.update(website=None)
        surplus.delete()
    _store_contact_mobiles(owner, data)


def _parsed(data: FilingData | Mapping[str, Any]) -> FilingData:
    return data if isinstance(data, FilingData) else filing_data_from_json(data)


def _validated(data: FilingData, *, owner: Owner | None, filing: Filing | None) -> None:
    findings = check_filing_data(data, stage=Stage.DRAFT, owner=owner, filing=filing)
    if findings.errors:
        raise FilingValidationError(findings.errors)


def _certificate_index(data: OwnerData) -> tuple[int, str] | None:
    """The certificate type and the blind index of its normalised number, when both are given."""
    certificate_type = _code(data.certificate.type)
    number = _document_number(data.certificate.type, data.certificate.number)
    if certificate_type is None or number is None:
        return None
    index = Owner._meta.get_field("certificate_number_index")
    assert isinstance(index, BlindIndexField)  # noqa: S101 - declared on the model
    return certificate_type, index.index_of(number)


def _owner_of_certificate(data: OwnerData, *, exclude: Owner | None = None) -> Owner | None:
    """The owner already registered with this certificate (one owner record per certificate), locked."""
    key = _certificate_index(data)
    if key is None:
        return None
    owners = Owner.objects.select_for_update().filter(certificate_type=key[0], certificate_number_index=key[1])
    if exclude is not None:
        owners = owners.exclude(pk=exclude.pk)
    return owners.first()


def owner_of_certificate(certificate_type: int | str | None, certificate_number: str | None) -> Owner | None:
    """The owner registered with this certificate (the number in any accepted spelling), locked; ``None`` if no
    owner holds it. Runs inside the caller's transaction."""
    return _owner_of_certificate(
        OwnerData(certificate=CertificateData(type=certificate_type, number=certificate_number))
    )


def _may_file_again(actor: User, owner: Owner, owner_user: User | None) -> None:
    """A new filing for an owner already registered: by its portal user or a specialist of its unit, for an owner
    not filed yet (a filed owner adds websites with another operation) and with no operation in progress (whose
    data would change under it)."""
    from regdesk.accounts.permissions import has_role
    from regdesk.accounts.roles import Role

    specialist = has_role(actor, Role.SPECIALIST, unit=owner.unit)
    if not (owner.portal_user_id == actor.pk or specialist) or (
        owner_user is not None and owner.portal_user_id not in (owner_user.pk, None)
    ):
        raise FilingRefused(
            "owner_registered",
            _("This owner is already registered through another account; the provider's specialist can help."),
        )
    if owner.record_number:
        raise FilingRefused(
            "owner_filed", _("This owner is already filed; a new website is added to its record, not filed anew.")
        )
    if Filing.objects.filter(owner=owner, state__in=[str(state) for state in IN_FLIGHT_STATES]).exists():
        raise FilingRefused(
            "operation_in_flight",
            _("The owner has an operation in progress: its data cannot change until that operation ends."),
        )


def filing_draft_create(
    *,
    actor: User,
    data: FilingData | Mapping[str, Any],
    unit: OrgUnit | None = None,
    portal_user: User | None = None,
) -> Filing:
    """Start a new filing (新增备案, XZBA) as a draft, with a new owner and the owner's websites.

    ``actor`` is a website owner (the owner's portal user; the filing goes to the unit that serves the owner's
    region, else the intake unit ``REGDESK_ICP_INTAKE_UNIT``: ``permissions.intake_unit_for``) or a specialist
    entering it from the owner's form (``unit``: one of theirs; ``portal_user``: the owner's portal account, if any,
    so that the owner follows it in the portal). ``data`` is a ``FilingData`` or its JSON form. Refuses a value
    that breaks a rule (``FilingValidationError``, nothing saved); missing values are allowed until the submission.
    Opens the case of process ``icp.new_filing``.
    """
    from regdesk.accounts.permissions import has_role
    from regdesk.accounts.roles import Role

    parsed = _parsed(data)
    address = parsed.owner.address
    region = owner_region(
        province=_division(address.province),
        city=_division(address.city),
        county=_division(address.county),
        certificate_type=_code(parsed.owner.certificate.type),
        certificate_number=parsed.owner.certificate.number,
    )
    target_unit = intake_unit_for(actor, unit, region=region)
    specialist = has_role(actor, Role.SPECIALIST, unit=target_unit)
    if portal_user is not None and not (specialist and has_role(portal_user, Role.WEBSITE_OWNER)):
        raise FilingRefused("role", _("Only a specialist may name the owner's portal account, a website owner's."))
    owner_user = portal_user if specialist else actor
    try:
        return _create(actor=actor, parsed=parsed, target_unit=target_unit, owner_user=owner_user)
    except IntegrityError:
        # Another application registered the same owner at this very moment (one owner record per certificate).
        raise FilingRefused(
            "owner_registered",
            _("Another application for this owner was started at the same moment; open that one instead."),
        ) from None


def _create(*, actor: User, parsed: FilingData, target_unit: OrgUnit, owner_user: User | None) -> Filing:
    with transaction.atomic():
        existing = _owner_of_certificate(parsed.owner)
        if existing is not None:
            _may_file_again(actor, existing, owner_user)
            owner = existing
        else:
            owner = Owner(unit=target_unit, portal_user=owner_user)
        _validated(parsed, owner=existing, filing=None)
        _store_owner(owner, parsed.owner)
        filing = Filing.objects.create(owner=owner, created_by=actor)
        case = case_start(actor=actor, process_key=PROCESS_KEY, unit=owner.unit, subject=filing)
        filing.case = case
        filing.save(update_fields=["case", "updated_at"])
        _store(filing, parsed)
        audit_record(
            actor=actor,
            action="filing.create",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={
                "case": case.reference,
                "owner": owner.pk,
                "owner_known": existing is not None,
                "websites": len(parsed.websites),
            },
            unit=owner.unit,
        )
        from regdesk.filings.services.routing import unreachable_filing_alert

        unreachable_filing_alert(filing=filing)
    return filing


def _changed_paths(before: FilingData, after: FilingData) -> list[str]:
    old, new = flatten(before.to_json()), flatten(after.to_json())
    return sorted(path for path in set(old) | set(new) if old.get(path, _MISSING) != new.get(path, _MISSING))


_MISSING = object()


def _refuse_unreturned(filing: Filing, changed: list[str]) -> None:
    returned = list(filing.returned_fields or {})
    outside = [path for path in changed if not any(path_covers(field, path) for field in returned)]
    if outside:
        raise FilingValidationError([field_error(path, "not_returned") for path in outside])


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related("owner", "case").get(pk=filing.pk)


def filing_draft_update(*, actor: User, filing: Filing, data: FilingData | Mapping[str, Any]) -> Filing:
    """Replace the filing's data (owner, websites and everything under them) while it is a draft or returned for
    changes. While returned, only the returned fields may differ from what is stored (each other change is refused
    with ``not_returned`` at its path). Same validation as ``filing_draft_create``; nothing is saved on refusal."""
    require_editor(actor, filing)
    parsed = _parsed(data)
    with transaction.atomic():
        locked = _locked(filing)
        if locked.state not in EDITABLE_STATES:
            raise FilingRefused(
                "wrong_state", _("The filing can be changed only while it is a draft or returned for changes.")
            )
        before = stored_data(locked)
        changed = _changed_paths(before, parsed)
        if locked.state == FilingState.NEEDS_CHANGES:
            _refuse_unreturned(locked, changed)
        if _owner_of_certificate(parsed.owner, exclude=locked.owner) is not None:
            raise FilingValidationError([field_error("owner.certificate.number", "owner_elsewhere")])
        others = Filing.objects.filter(owner=locked.owner, state__in=[str(state) for state in IN_FLIGHT_STATES])
        if any(path.startswith("owner.") for path in changed) and others.exclude(pk=locked.pk).exists():
            raise FilingRefused(
                "operation_in_flight",
                _("The owner has an operation in progress: its data cannot change until that operation ends."),
            )
        _validated(parsed, owner=locked.owner, filing=locked)
        _store(locked, parsed)
        locked.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            action="filing.update",
            object_type="filings.filing",
            object_id=locked.pk,
            changes={"fields": changed[:200], "state": locked.state},
            role="website_owner" if is_filing_owner(actor, locked) else "specialist",
            unit=locked.owner.unit,
        )
    filing.refresh_from_db()
    return locked


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at ``path`` (``websites[0].domains[1]``) in a JSON form; a list grows by one at its end."""
    parts = path.split(".")
    current: Any = document
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        match = _INDEX.match(part)
        if match is None:
            if not isinstance(current, dict) or not re.fullmatch(r"[a-z_]+", part):
                raise KeyError(path)
            if last:
                current[part] = value
                return
            current = current.setdefault(part, {})
            continue
        name, index = match["name"], int(match["index"])
        if not isinstance(current, dict):
            raise KeyError(path)
        items = current.setdefault(name, [])
        if not isinstance(items, list) or index > len(items):
            raise KeyError(path)
        if index == len(items):
            items.append({} if not last else value)
        if last:
            items[index] = value
            return
        current = items[index]


def filing_fields_correct(*, actor: User, filing: Filing, values: Mapping[str, Any]) -> Filing:
    """Change single fields by path (``{"websites[0].name": "新名称"}``): what the portal sends when the owner
    corrects the fields returned for changes. A ``None`` value empties a field; a list path takes a whole list."""
    document = copy.deepcopy(stored_data(filing).to_json())
    errors: list[FieldError] = []
    for path, value in values.items():
        try:
            set_path(document, str(path), value)
        except KeyError:
            errors.append(field_error(str(path), "unknown_field"))
    if errors:
        raise FilingValidationError(errors)
    return filing_draft_update(actor=actor, filing=filing, data=document)


def return_reason_errors(filing: Filing, reasons: Any) -> list[FieldError]:
    """What is wrong with the per-field reasons of a return (``{field path: reason}``): none given, a path that
    names no field of the filing, an empty reason."""
    if not isinstance(reasons, Mapping) or not reasons:
        return [field_error("reasons", "return_fields_required")]
    paths = known_paths(stored_data(filing)) | {"owner", "websites"}
    errors: list[FieldError] = []
    for path, reason in reasons.items():
        if str(path) not in paths:
            errors.append(field_error(f"reasons.{path}", "return_field_unknown"))
        elif not isinstance(reason, str) or not reason.strip():
            errors.append(field_error(f"reasons.{path}", "return_reason_required"))
    return errors


def filing_document_upload(
    *, actor: User, filing: Filing, kind: str, filename: str, content: bytes | File[Any]
) -> Document:
    """Attach a document the application needs (the scan of a pre-approval) to the filing's case; the returned
    document's id goes into ``pre_approvals[n].document_id``. Refusals (type, size) raise ``FilingValidationError``
    at the field ``document``."""
    require_editor(actor, filing)
    if kind not in APPLICATION_DOCUMENT_KINDS:
        raise FilingRefused("kind", _("This kind of document is stored during the on-site verification."))
    if filing.state not in EDITABLE_STATES or filing.case is None:
        raise FilingRefused(
            "wrong_state", _("Documents can be added only while the filing is a draft or returned for changes.")
        )
    try:
        with transaction.atomic():
            document = document_attach(actor=actor, case=filing.case, kind=kind, filename=filename, content=content)
    except DocumentRefused as refused:
        raise FilingValidationError(
            [FieldError(field="document", code=refused.code, message_zh=refused.message, message_en=refused.message)]
        ) from None
    return document
