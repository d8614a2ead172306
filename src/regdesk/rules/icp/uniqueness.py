"""Contact rules across owners (DOMAIN.md §1.3): one mobile number belongs to one owner; a person cannot be
website person in charge for several unrelated owners.

The functions are pure: the caller looks up the existing data (through blind indexes, never by the clear value)
and passes what it found. Owners are named by whatever key the caller uses (a primary key, a province id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Mapping

from regdesk.rules.icp.certificates import PERSON_NUMBER_MAX_LENGTH, check_certificate_number
from regdesk.rules.icp.codes import CodeTables, check_code
from regdesk.rules.icp.contacts import normalize_mobile
from regdesk.rules.icp.result import FieldError, finding
from regdesk.rules.icp.text import split_values


def mobile_numbers(value: str | None) -> list[str]:
    """The normalised mobile numbers of a Fzr_sjhm field, in the form to look up (digits, no country code)."""
    return [normalize_mobile(part) for part in split_values(value or "")]


def person_identity_key(
    document_type: int | str | None, document_number: str | None, *, tables: CodeTables, today: dt.date
) -> str | None:
    """``"<type>:<normalised number>"`` of a person's identity document, the key to look a person up by; None
    when the type or the number is not valid."""
    certificate_type, problems = check_code("", document_type, tables.certificate_types)
    if certificate_type is None or problems:
        return None
    checked = check_certificate_number(
        "", certificate_type, document_number, today=today, max_length=PERSON_NUMBER_MAX_LENGTH
    )
    if checked.normalized is None:
        return None
    return f"{certificate_type.code}:{checked.normalized}"


def check_mobile_ownership(
    field: str, owner: Hashable, mobile: str | None, existing: Mapping[str, Collection[Hashable]]
) -> list[FieldError]:
    """DOMAIN.md §1.3: each mobile number of the candidate owner's contacts may belong to no other owner.
    ``existing`` maps a normalised number to the owners whose contacts already hold it."""
    for number in mobile_numbers(mobile):
        holders = existing.get(number, ())
        if any(holder != owner for holder in holders):
            return [finding(field, "mobile_used_by_other_owner")]
    return []


def check_website_person_owners(
    field: str,
    owner: Hashable,
    owners_of_person: Collection[Hashable],
    *,
    related_owners: Collection[Hashable] = (),
) -> list[FieldError]:
    """DOMAIN.md §1.3: the person proposed as website person in charge of ``owner`` may already be website
    person in charge only for this owner or owners related to it (``related_owners``: a group the caller
    knows, such as a parent company and its subsidiaries). ``owners_of_person`` are the owners whose websites
    already have this person in charge."""
    if any(other != owner and other not in related_owners for other in owners_of_person):
        return [finding(field, "person_in_charge_for_unrelated_owners")]
    return []
