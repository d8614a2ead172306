"""Models of real-name registration. The data dictionary entries come first: the encrypted fields need them."""

from regdesk.subscribers import personal_data  # noqa: F401  - declares the personal fields before the models
from regdesk.subscribers.models.agency import AgencyAgreement, AgentAudit, AgentAuditItem, AuditFinding
from regdesk.subscribers.models.campaigns import (
    BillingEventKind,
    Campaign,
    CampaignLetter,
    CampaignLine,
    CampaignStatus,
    CommandStatus,
    IntervalUnit,
    LineBillingEvent,
    NoticeChannel,
    ProvisioningCommand,
    Stage,
)
from regdesk.subscribers.models.imports import ImportFormat, ImportJob, ImportRowError, ImportStatus, LineRecord
from regdesk.subscribers.models.inspections import FindingSeverity, InspectionFinding, SelfInspection
from regdesk.subscribers.models.lines import (
    ActingParty,
    Line,
    LineKind,
    LineStatus,
    Payment,
    RealNameState,
    RegistrationEvent,
    RegistrationKind,
    Subscriber,
    SubscriberIdentity,
    SubscriberKind,
)
from regdesk.subscribers.models.lookups import LineDispute, LookupChallenge, LookupGrant
from regdesk.subscribers.models.outlets import Agent, AgentStatus, CardReader, Channel, OutletProfile
from regdesk.subscribers.models.purges import PurgeRecord
from regdesk.subscribers.models.rate_snapshots import RealNameRateSnapshot
from regdesk.subscribers.models.readings import CardReading
from regdesk.subscribers.models.registrations import Registration

__all__ = [
    "ActingParty",
    "AgencyAgreement",
    "Agent",
    "AgentAudit",
    "AgentAuditItem",
    "AgentStatus",
    "AuditFinding",
    "BillingEventKind",
    "Campaign",
    "CampaignLetter",
    "CampaignLine",
    "CampaignStatus",
    "CardReader",
    "CardReading",
    "Channel",
    "CommandStatus",
    "FindingSeverity",
    "ImportFormat",
    "ImportJob",
    "ImportRowError",
    "ImportStatus",
    "InspectionFinding",
    "IntervalUnit",
    "Line",
    "LineBillingEvent",
    "LineDispute",
    "LineKind",
    "LineRecord",
    "LineStatus",
    "LookupChallenge",
    "LookupGrant",
    "NoticeChannel",
    "OutletProfile",
    "Payment",
    "ProvisioningCommand",
    "PurgeRecord",
    "RealNameRateSnapshot",
    "RealNameState",
    "Registration",
    "RegistrationEvent",
    "RegistrationKind",
    "SelfInspection",
    "Stage",
    "Subscriber",
    "SubscriberIdentity",
    "SubscriberKind",
]
