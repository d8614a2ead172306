"""Models of ICP filing. Rows change only through ``regdesk.filings.services``."""

# The data dictionary must know the personal fields before the models that seal them are defined.
from regdesk.filings import personal_data  # noqa: F401  # isort: skip
from regdesk.filings.models.booking import BookingState, OnsiteBooking, OnsiteOffice, OnsiteSlot, Weekday
from regdesk.filings.models.checks import (
    CallOutcome,
    CheckOutcome,
    ContactChannel,
    ContactCheck,
    ContactCheckStatus,
    OnsiteVerification,
)
from regdesk.filings.models.claims import OwnerClaim, OwnerClaimState
from regdesk.filings.models.filing import (
    IN_FLIGHT_STATES,
    TERMINAL_STATES,
    Attachment,
    AttachmentKind,
    ContactMobile,
    Filing,
    FilingCertificate,
    FilingState,
)
from regdesk.filings.models.owner import Owner, OwnerKind
from regdesk.filings.models.website import AccessStatus, Domain, IpRange, PreApproval, Website, WebsiteAccess

__all__ = [
    "IN_FLIGHT_STATES",
    "TERMINAL_STATES",
    "AccessStatus",
    "Attachment",
    "AttachmentKind",
    "BookingState",
    "CallOutcome",
    "CheckOutcome",
    "ContactChannel",
    "ContactCheck",
    "ContactCheckStatus",
    "ContactMobile",
    "Domain",
    "Filing",
    "FilingCertificate",
    "FilingState",
    "IpRange",
    "OnsiteBooking",
    "OnsiteOffice",
    "OnsiteSlot",
    "OnsiteVerification",
    "Owner",
    "OwnerClaim",
    "OwnerClaimState",
    "OwnerKind",
    "PreApproval",
    "Website",
    "WebsiteAccess",
    "Weekday",
]
