"""Writes of real-name registration. Import services from here.

Counter registration, in order: ``reading_verify`` (a resident ID card on the reader) → ``registration_start``
(with ``identity=`` to capture the documents at once, or ``registration_identity_capture`` later) →
``registration_check`` (identity service, face match) → ``registration_decide`` (a supervisor, when held for
review) → ``registration_complete``. ``registration_refuse`` and ``registration_abandon`` end it early.
"""

from regdesk.subscribers.services.agreements import registration_signature_attach
from regdesk.subscribers.services.checks import registration_check, registration_decide
from regdesk.subscribers.services.completion import registration_complete
from regdesk.subscribers.services.documents import DocumentInput
from regdesk.subscribers.services.errors import LookupRefused, ReadingRefused, RegistrationRefused
from regdesk.subscribers.services.line_requests import LineRequest
from regdesk.subscribers.services.lines import HolderRecord, line_status_change, line_take_over
from regdesk.subscribers.services.lookups import (
    IdentityProof,
    line_dispute,
    line_dispute_decide,
    lookup_challenge_start,
    lookup_challenge_verify,
    proof_from_grant,
    proof_from_reading,
)
from regdesk.subscribers.services.outlets import agent_status_set, outlet_configure
from regdesk.subscribers.services.readers import (
    reader_deactivate,
    reader_enrol,
    reading_claim,
    reading_deliver,
    reading_document_type,
    reading_verify,
)
from regdesk.subscribers.services.registrations import (
    IdentityCapture,
    registration_abandon,
    registration_document_attach,
    registration_identity_capture,
    registration_refuse,
    registration_start,
)

__all__ = [
    "DocumentInput",
    "HolderRecord",
    "IdentityCapture",
    "IdentityProof",
    "LineRequest",
    "LookupRefused",
    "ReadingRefused",
    "RegistrationRefused",
    "agent_status_set",
    "line_dispute",
    "line_dispute_decide",
    "line_status_change",
    "line_take_over",
    "lookup_challenge_start",
    "lookup_challenge_verify",
    "outlet_configure",
    "proof_from_grant",
    "proof_from_reading",
    "reader_deactivate",
    "reader_enrol",
    "reading_claim",
    "reading_deliver",
    "reading_document_type",
    "reading_verify",
    "registration_abandon",
    "registration_check",
    "registration_complete",
    "registration_decide",
    "registration_document_attach",
    "registration_identity_capture",
    "registration_refuse",
    "registration_signature_attach",
    "registration_start",
]
