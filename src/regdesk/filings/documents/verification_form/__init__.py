"""The verification form (网站备案信息真实性核验单, "Authenticity Verification of the Website Registration
Information").

After verifying the owner, the provider fills in the form in duplicate (工信部电管〔2010〕64号; seed 001, step 5):
one copy for its records, one bearing its seal for the Communications Administration. `render_verification_form`
makes both copies as one PDF from a `VerificationFormData`.
"""

from regdesk.filings.documents.verification_form.data import (
    DEFAULT_STATEMENT_EN,
    DEFAULT_STATEMENT_ZH,
    CheckOutcome,
    FormOwner,
    FormPerson,
    FormWebsite,
    OriginalsSeen,
    RecordCheck,
    RecordSource,
    VerificationFormData,
    VerificationMethod,
    validate_form_data,
)
from regdesk.filings.documents.verification_form.layout import COPY_MARKS, TITLE, render_verification_form

__all__ = [
    "COPY_MARKS",
    "DEFAULT_STATEMENT_EN",
    "DEFAULT_STATEMENT_ZH",
    "TITLE",
    "CheckOutcome",
    "FormOwner",
    "FormPerson",
    "FormWebsite",
    "OriginalsSeen",
    "RecordCheck",
    "RecordSource",
    "VerificationFormData",
    "VerificationMethod",
    "render_verification_form",
    "validate_form_data",
]
