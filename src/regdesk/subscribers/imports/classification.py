"""The bridge between a recorded holder and the pure rules: document checks (``regdesk.rules.identity``) and the
classification (``regdesk.rules.realname``), and the registration state a group gives a line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regdesk.rules.identity import validate
from regdesk.rules.realname import Classification, Group, RecordedHolder, classify
from regdesk.subscribers.models import RealNameState
from regdesk.subscribers.rules import (
    INDIVIDUAL_DOCUMENTS,
    ORGANISATION_DOCUMENTS,
    VALIDATOR_OF,
    DocumentType,
)

# An invalid document number is no registration: the line is treated as one with incomplete data (the closest of
# the line's registration states; the finer group stays on the line's record).
REAL_NAME_STATE_OF: dict[Group, str] = {
    Group.REGISTERED: RealNameState.REGISTERED,
    Group.TEMPORARY_ACCOUNT: RealNameState.TEMPORARY_ACCOUNT,
    Group.INCOMPLETE: RealNameState.INCOMPLETE,
    Group.OWNER_NOT_USER: RealNameState.OWNER_NOT_USER,
    Group.UNIT_NAME: RealNameState.UNIT_NAME,
    Group.INVALID_DOCUMENT: RealNameState.INCOMPLETE,
}
# Earlier systems kept a passport's number, not its machine-readable zone: such a number cannot be checked, and it
# is not held against the line.
_PLAIN_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")


@dataclass(frozen=True)
class DocumentCheck:
    """``valid`` is ``None`` when there is nothing to check; ``normalized`` is set for a valid number."""

    valid: bool | None
    kind_ok: bool
    normalized: str | None


def check_document(holder_kind: str, document_type: str, number: str) -> DocumentCheck:
    """The identity rules' verdict on a recorded document (MIIT Order No. 25 arts. 7 and 8 for the documents each
    kind of holder may show; DOMAIN.md §3 for the checks)."""
    if not document_type or not number:
        return DocumentCheck(valid=None, kind_ok=True, normalized=None)
    try:
        kind = DocumentType(document_type)
    except ValueError:
        return DocumentCheck(valid=False, kind_ok=True, normalized=None)
    allowed = ORGANISATION_DOCUMENTS if holder_kind == "organisation" else INDIVIDUAL_DOCUMENTS
    if kind not in allowed:
        return DocumentCheck(valid=None, kind_ok=False, normalized=None)
    compact = "".join(number.split()).upper()
    if kind == DocumentType.PASSPORT and _PLAIN_PASSPORT.match(compact):
        return DocumentCheck(valid=None, kind_ok=True, normalized=compact)
    result = validate(VALIDATOR_OF[kind], number)
    if result.valid and result.normalized:
        return DocumentCheck(valid=True, kind_ok=True, normalized=result.normalized)
    return DocumentCheck(valid=False, kind_ok=True, normalized=None)


def classify_holder(
    *,
    holder_kind: str,
    document_type: str,
    document_number: str,
    name: str,
    address: str,
    unit_line: bool,
    owner_not_user: bool,
    dispute_confirmed: bool = False,
    registered_since: bool = False,
) -> tuple[Classification, DocumentCheck]:
    check = check_document(holder_kind, document_type, document_number)
    holder = RecordedHolder(
        holder_kind=holder_kind,
        document_type=document_type,
        document_number=document_number,
        name=name,
        address=address,
        document_valid=check.valid,
        document_kind_ok=check.kind_ok,
        unit_line=unit_line,
        owner_not_user=owner_not_user,
        dispute_confirmed=dispute_confirmed,
        registered_since=registered_since,
    )
    return classify(holder), check
