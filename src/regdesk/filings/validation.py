"""Every rule of DOMAIN.md §1.3 on a filing's data: the ICP rules, the provider's filed networks, the documents,
and the rules across owners (one mobile number per owner; a website's person in charge for unrelated owners),
which look existing data up through blind indexes only.

A draft may be incomplete: ``Stage.DRAFT`` lets missing values pass (and nothing else); ``Stage.SUBMIT`` refuses
every error. Warnings never refuse: a person looks at them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from regdesk.cases.models import Document
from regdesk.filings import config
from regdesk.filings.data import FilingData, to_rules
from regdesk.filings.errors import field_error
from regdesk.filings.models import IN_FLIGHT_STATES, ContactMobile, Filing, FilingState, Owner, Website
from regdesk.privacy.fields import blind_lookup
from regdesk.rules import divisions, icp
from regdesk.rules.icp import FieldError
from regdesk.rules.icp.result import finding as rule_finding
from regdesk.rules.identity.common import today_in_china

# Rule codes that only say something is missing; a draft may lack it.
MISSING_CODES = frozenset({"required", "pre_approval_missing", "website_name_needs_approval"})
# Owners whose contacts count for the rules across owners: filed ones and those with an operation in flight.
HOLDING_STATES = (*IN_FLIGHT_STATES, FilingState.APPROVED)


class Stage(enum.Enum):
    DRAFT = "draft"
    SUBMIT = "submit"


@dataclass(frozen=True)
class Findings:
    errors: list[FieldError]
    warnings: list[FieldError]


def rule_configuration() -> icp.RuleConfiguration:
    """The rules' data with the provider's filed networks from ``REGDESK_ICP_PROVIDER_NETWORKS``."""
    return icp.load_rule_configuration(provider_networks=config.provider_networks())


def _document_sizes(filing: Filing | None, data: FilingData) -> tuple[dict[int, int], list[FieldError]]:
    """Sizes of the pre-approval documents the data names, and errors for documents not on the filing's case."""
    wanted = {
        approval.document_id: f"websites[{index}].pre_approvals[{position}].document"
        for index, website in enumerate(data.websites)
        for position, approval in enumerate(website.pre_approvals)
        if approval.document_id is not None
    }
    sizes: dict[int, int] = {}
    if wanted and filing is not None and filing.case_id is not None:
        sizes = dict(
            Document.objects.filter(case_id=filing.case_id, pk__in=list(wanted), kind="pre_approval").values_list(
                "pk", "size"
            )
        )
    errors = [field_error(path, "document_missing") for document, path in wanted.items() if document not in sizes]
    return sizes, errors


def _server_locations(data: FilingData, stage: Stage) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, website in enumerate(data.websites):
        for position, access in enumerate(website.access):
            path = f"websites[{index}].access[{position}].server_location"
            value = (access.server_location or "").strip()
            if not value:
                if stage is Stage.SUBMIT:
                    errors.append(rule_finding(path, "required"))
                continue
            if not (len(value) == 6 and value.isascii() and value.isdigit()) or divisions.lookup(value) is None:
                errors.append(field_error(path, "server_location_invalid"))
    return errors


def _holders(owner: Owner | None) -> Iterable[int]:
    """Ids of owners whose contacts count (filed, or with an operation in flight), this owner excepted."""
    owners = Filing.objects.filter(state__in=[str(state) for state in HOLDING_STATES]).values_list(
        "owner_id", flat=True
    )
    if owner is not None and owner.pk is not None:
        owners = owners.exclude(owner_id=owner.pk)
    return owners


def _across_owners(data: FilingData, owner: Owner | None) -> list[FieldError]:
    """One mobile number belongs to one owner; a website's person in charge serves no unrelated owner."""
    owner_key = owner.pk if owner is not None else None
    holders = set(_holders(owner))
    errors: list[FieldError] = []
    people = [("owner.person_in_charge.mobile", data.owner.person_in_charge.mobile)] + [
        (f"websites[{index}].person_in_charge.mobile", website.person_in_charge.mobile)
        for index, website in enumerate(data.websites)
    ]
    for path, mobile in people:
        existing: dict[str, set[int | None]] = {}
        for number in icp.mobile_numbers(mobile):
            if not number:
                continue
            found = blind_lookup(ContactMobile.objects.filter(owner_id__in=holders), "number", number)
            existing[number] = set(found.values_list("owner_id", flat=True))
        errors += icp.check_mobile_ownership(path, owner_key, mobile, existing)
    tables = icp.default_code_tables()
    today = today_in_china()
    for index, website in enumerate(data.websites):
        person = website.person_in_charge
        key = icp.person_identity_key(person.document_type, person.document_number, tables=tables, today=today)
        if key is None:
            continue
        document_type, number = key.split(":", 1)
        others = blind_lookup(
            Website.objects.filter(owner_id__in=holders, person_document_type=int(document_type)),
            "person_document_number",
            number,
        )
        errors += icp.check_website_person_owners(
            f"websites[{index}].person_in_charge", owner_key, set(others.values_list("owner_id", flat=True))
        )
    return errors


def check_filing_data(
    data: FilingData, *, stage: Stage, owner: Owner | None = None, filing: Filing | None = None
) -> Findings:
    """Every rule on the data. ``owner`` and ``filing`` are the stored ones being changed (None for a new one)."""
    sizes, document_errors = _document_sizes(filing, data)
    findings = icp.check_filing(
        to_rules(data, document_size=sizes.get), configuration=rule_configuration(), today=today_in_china()
    )
    findings += document_errors
    findings += _server_locations(data, stage)
    findings += _across_owners(data, owner)
    errors = [finding for finding in findings if finding.is_error]
    if stage is Stage.DRAFT:
        errors = [error for error in errors if error.code not in MISSING_CODES]
    warnings = [finding for finding in findings if not finding.is_error]
    return Findings(errors=errors, warnings=warnings)
