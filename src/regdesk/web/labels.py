"""Labels for the codes that pages show: audit actions and the kinds of object they touch, roles, case states,
deadline clocks and the purposes recorded with reads of personal data.

The trail and the case kernel store codes (``personal_data.reveal``, ``specialist_review``) because codes stay
stable while wording changes; people read labels. A code with no label of its own is never shown bare: an audit
action falls back to the label of its kind of object, a state or a clock to a general word, and the page keeps the
code in a ``title`` for whoever needs it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from regdesk.accounts.roles import Role
from regdesk.cases.definitions import get_process

Label = str | Promise

# The kinds of object an audit event names (``AuditEvent.object_type``: ``app.model`` or a short name).
OBJECT_LABELS: dict[str, Label] = {
    "agent": pgettext_lazy("audit object", "Agent"),
    "agency_agreement": pgettext_lazy("audit object", "Agency agreement"),
    "agent_audit": pgettext_lazy("audit object", "Agent audit"),
    "api_token": pgettext_lazy("audit object", "API token"),
    "calendar_alert": pgettext_lazy("audit object", "Calendar alert"),
    "calendar_year": pgettext_lazy("audit object", "Holiday calendar"),
    "campaign": pgettext_lazy("audit object", "Remediation campaign"),
    "card_reader": pgettext_lazy("audit object", "ID card reader"),
    "card_reading": pgettext_lazy("audit object", "ID card reading"),
    "case": pgettext_lazy("audit object", "Case"),
    "certificate": pgettext_lazy("audit object", "Filing certificate"),
    "clock": pgettext_lazy("audit object", "Deadline"),
    "contact_point": pgettext_lazy("audit object", "Contact details"),
    "document": pgettext_lazy("audit object", "Document"),
    "filing": pgettext_lazy("audit object", "ICP filing"),
    "filing_contact": pgettext_lazy("audit object", "Contact check of a filing"),
    "filing_onsite": pgettext_lazy("audit object", "On-site verification"),
    "inspection_finding": pgettext_lazy("audit object", "Self-inspection finding"),
    "line": pgettext_lazy("audit object", "Line"),
    "line_import": pgettext_lazy("audit object", "Line import"),
    "line_lookup": pgettext_lazy("audit object", "One-ID lookup"),
    "line_registration": pgettext_lazy("audit object", "Line registration"),
    "login": pgettext_lazy("audit object", "Login"),
    "membership": pgettext_lazy("audit object", "Role assignment"),
    "miit_download": pgettext_lazy("audit object", "Regulator download"),
    "miit_upload": pgettext_lazy("audit object", "Regulator upload"),
    "notice": pgettext_lazy("audit object", "Notice"),
    "org_unit": pgettext_lazy("audit object", "Organisation unit"),
    "outlet": pgettext_lazy("audit object", "Outlet"),
    "personal_data": pgettext_lazy("audit object", "Personal data"),
    "process_version": pgettext_lazy("audit object", "Process version"),
    "realname_rate": pgettext_lazy("audit object", "Real-name rate"),
    "realname_report": pgettext_lazy("audit object", "Real-name rate report"),
    "retention": pgettext_lazy("audit object", "Retention"),
    "self_inspection": pgettext_lazy("audit object", "Self-inspection"),
    "task": pgettext_lazy("audit object", "Background task"),
    "totp": pgettext_lazy("audit object", "Authenticator"),
    "user": pgettext_lazy("audit object", "User"),
    "vault": pgettext_lazy("audit object", "Personal-data vault"),
    "website": pgettext_lazy("audit object", "Website"),
    # Model labels (app.model) that services record as the object type.
    "cases.case": pgettext_lazy("audit object", "Case"),
    "cases.clock": pgettext_lazy("audit object", "Deadline"),
    "cases.document": pgettext_lazy("audit object", "Document"),
    "cases.notice": pgettext_lazy("audit object", "Notice"),
    "cases.processversion": pgettext_lazy("audit object", "Process version"),
    "filings.contactcheck": pgettext_lazy("audit object", "Contact check of a filing"),
    "filings.filing": pgettext_lazy("audit object", "ICP filing"),
    "filings.filingcertificate": pgettext_lazy("audit object", "Filing certificate"),
    "filings.onsiteverification": pgettext_lazy("audit object", "On-site verification"),
    "filings.owner": pgettext_lazy("audit object", "Website owner"),
    "miit.upload": pgettext_lazy("audit object", "Regulator upload"),
    "miit.download": pgettext_lazy("audit object", "Regulator download"),
    "subscribers.agent": pgettext_lazy("audit object", "Agent"),
    "subscribers.campaign": pgettext_lazy("audit object", "Remediation campaign"),
    "subscribers.cardreader": pgettext_lazy("audit object", "ID card reader"),
    "subscribers.cardreading": pgettext_lazy("audit object", "ID card reading"),
    "subscribers.line": pgettext_lazy("audit object", "Line"),
    "subscribers.outletprofile": pgettext_lazy("audit object", "Outlet"),
    "subscribers.registration": pgettext_lazy("audit object", "Line registration"),
    "subscribers.selfinspection": pgettext_lazy("audit object", "Self-inspection"),
    "subscribers.importjob": pgettext_lazy("audit object", "Line import"),
}

AUDIT_ACTION_LABELS: dict[str, Label] = {
    "agency_agreement.document_open": pgettext_lazy("audit action", "Agency agreement opened"),
    "agency_agreement.record": pgettext_lazy("audit action", "Agency agreement recorded"),
    "agent.status": pgettext_lazy("audit action", "Agent status changed"),
    "agent_audit.close": pgettext_lazy("audit action", "Agent audit closed"),
    "agent_audit.finding": pgettext_lazy("audit action", "Agent audit finding recorded"),
    "agent_audit.start": pgettext_lazy("audit action", "Agent audit started"),
    "api_token.create": pgettext_lazy("audit action", "API token created"),
    "api_token.revoke": pgettext_lazy("audit action", "API token revoked"),
    "calendar_alert.open": pgettext_lazy("audit action", "Calendar alert raised"),
    "calendar_year.import": pgettext_lazy("audit action", "Holiday calendar imported"),
    "campaign.close": pgettext_lazy("audit action", "Campaign closed"),
    "campaign.configure": pgettext_lazy("audit action", "Campaign configured"),
    "campaign.create": pgettext_lazy("audit action", "Campaign created"),
    "campaign.launch": pgettext_lazy("audit action", "Campaign launched"),
    "card_reader.deactivate": pgettext_lazy("audit action", "ID card reader deactivated"),
    "card_reader.enrol": pgettext_lazy("audit action", "ID card reader enrolled"),
    "card_reading.refuse": pgettext_lazy("audit action", "ID card reading refused"),
    "card_reading.verify": pgettext_lazy("audit action", "ID card reading verified"),
    "case.assign": pgettext_lazy("audit action", "Case assigned"),
    "case.start": pgettext_lazy("audit action", "Case opened"),
    "case.transition": pgettext_lazy("audit action", "Case moved to another state"),
    "certificate.issue": pgettext_lazy("audit action", "Filing certificate issued"),
    "clock.pause": pgettext_lazy("audit action", "Deadline paused"),
    "clock.resume": pgettext_lazy("audit action", "Deadline resumed"),
    "clock.rung_fire": pgettext_lazy("audit action", "Deadline reminder fired"),
    "clock.start": pgettext_lazy("audit action", "Deadline started"),
    "clock.stop": pgettext_lazy("audit action", "Deadline stopped"),
    "contact_point.add": pgettext_lazy("audit action", "Contact details added"),
    "contact_point.remove": pgettext_lazy("audit action", "Contact details removed"),
    "contact_point.verify": pgettext_lazy("audit action", "Contact details verified"),
    "document.attach": pgettext_lazy("audit action", "Document attached"),
    "document.open": pgettext_lazy("audit action", "Document opened"),
    "filing.create": pgettext_lazy("audit action", "Filing application created"),
    "filing.data_open": pgettext_lazy("audit action", "Full filing data viewed"),
    "filing.lapse": pgettext_lazy("audit action", "Filing application lapsed"),
    "filing.owner_claim_decide": pgettext_lazy("audit action", "Claim of an owner on file decided"),
    "filing.owner_claim_request": pgettext_lazy("audit action", "Claim of an owner on file requested"),
    "filing.record_onsite_verification": pgettext_lazy("audit action", "On-site verification recorded"),
    "filing.record_regulator_result": pgettext_lazy("audit action", "Regulator's decision recorded"),
    "filing.record_regulator_return": pgettext_lazy("audit action", "Regulator's return recorded"),
    "filing.regulator_result": pgettext_lazy("audit action", "Regulator's result received"),
    "filing.reject": pgettext_lazy("audit action", "Filing application rejected"),
    "filing.return_for_changes": pgettext_lazy("audit action", "Filing application returned for changes"),
    "filing.scan_upload": pgettext_lazy("audit action", "Scanned document uploaded"),
    "filing.send_onsite_notice": pgettext_lazy("audit action", "On-site verification notice sent"),
    "filing.submit": pgettext_lazy("audit action", "Filing application submitted"),
    "filing.submit_to_regulator": pgettext_lazy(
        "audit action", "Filing submitted to the Communications Administration"
    ),
    "filing.update": pgettext_lazy("audit action", "Filing application changed"),
    "filing.withdraw": pgettext_lazy("audit action", "Filing application withdrawn"),
    "filing_contact.email_confirm": pgettext_lazy("audit action", "E-mail address confirmed"),
    "filing_contact.email_send": pgettext_lazy("audit action", "Confirmation e-mail sent"),
    "filing_contact.phone_call": pgettext_lazy("audit action", "Telephone check recorded"),
    "filing_contact.sms_confirm": pgettext_lazy("audit action", "Mobile number confirmed"),
    "filing_contact.sms_send": pgettext_lazy("audit action", "Verification SMS sent"),
    "filing_onsite.booking": pgettext_lazy("audit action", "On-site appointment booked"),
    "filing_onsite.booking_cancel": pgettext_lazy("audit action", "On-site appointment cancelled"),
    "filing_onsite.checklist": pgettext_lazy("audit action", "Original documents checked"),
    "filing_onsite.copy": pgettext_lazy("audit action", "Copy of a document kept"),
    "filing_onsite.form": pgettext_lazy("audit action", "Verification form generated"),
    "filing_onsite.identity_check": pgettext_lazy("audit action", "Identity checked"),
    "filing_onsite.photo": pgettext_lazy("audit action", "Photo taken"),
    "filing_onsite.photo_confirm": pgettext_lazy("audit action", "Photo confirmed"),
    "filing_onsite.registry_check": pgettext_lazy("audit action", "Enterprise registry checked"),
    "inspection_finding.close": pgettext_lazy("audit action", "Self-inspection finding closed"),
    "line.dispute": pgettext_lazy("audit action", "Line disputed"),
    "line.dispute_decide": pgettext_lazy("audit action", "Line dispute decided"),
    "line.provisioning": pgettext_lazy("audit action", "Line service switched"),
    "line.status": pgettext_lazy("audit action", "Line status changed"),
    "line.take_over": pgettext_lazy("audit action", "Line transferred to a new holder"),
    "line_import.batch": pgettext_lazy("audit action", "Batch of lines imported"),
    "line_import.classify": pgettext_lazy("audit action", "Imported lines classified"),
    "line_import.create": pgettext_lazy("audit action", "Line import started"),
    "line_import.done": pgettext_lazy("audit action", "Line import finished"),
    "line_import.failed": pgettext_lazy("audit action", "Line import failed"),
    "line_import.queued": pgettext_lazy("audit action", "Line import queued"),
    "line_import.running": pgettext_lazy("audit action", "Line import running"),
    "line_lookup.challenge": pgettext_lazy("audit action", "One-ID lookup code sent"),
    "line_lookup.code_refused": pgettext_lazy("audit action", "One-ID lookup code refused"),
    "line_lookup.grant": pgettext_lazy("audit action", "One-ID lookup granted"),
    "line_lookup.list": pgettext_lazy("audit action", "One-ID lookup results shown"),
    "line_registration.abandon": pgettext_lazy("audit action", "Line registration abandoned"),
    "line_registration.capture": pgettext_lazy("audit action", "Identity captured for a line registration"),
    "line_registration.check": pgettext_lazy("audit action", "Line registration checked"),
    "line_registration.complete": pgettext_lazy("audit action", "Line registration completed"),
    "line_registration.decide": pgettext_lazy("audit action", "Line registration decided by a supervisor"),
    "line_registration.refuse": pgettext_lazy("audit action", "Line registration refused"),
    "line_registration.start": pgettext_lazy("audit action", "Line registration started"),
    "login.fail": pgettext_lazy("audit action", "Login failed"),
    "login.succeed": pgettext_lazy("audit action", "Logged in"),
    "membership.grant": pgettext_lazy("audit action", "Role granted"),
    "membership.revoke": pgettext_lazy("audit action", "Role revoked"),
    "miit_download.acknowledge": pgettext_lazy("audit action", "Regulator download acknowledged"),
    "miit_download.fetch": pgettext_lazy("audit action", "Regulator download fetched"),
    "miit_upload.export": pgettext_lazy("audit action", "Regulator uploads exported"),
    "miit_upload.prepare": pgettext_lazy("audit action", "Regulator upload prepared"),
    "miit_upload.purge": pgettext_lazy("audit action", "Regulator upload purged"),
    "miit_upload.send": pgettext_lazy("audit action", "Regulator upload sent"),
    "notice.deliver": pgettext_lazy("audit action", "Notice delivered"),
    "notice.queue": pgettext_lazy("audit action", "Notice queued"),
    "org_unit.create": pgettext_lazy("audit action", "Organisation unit created"),
    "outlet.configure": pgettext_lazy("audit action", "Outlet configured"),
    "personal_data.reveal": pgettext_lazy("audit action", "Personal data revealed"),
    "personal_data.reveal_refused": pgettext_lazy("audit action", "Reveal of personal data refused"),
    "process_version.record": pgettext_lazy("audit action", "Process version recorded"),
    "realname_rate.snapshot": pgettext_lazy("audit action", "Real-name rate recorded"),
    "realname_report.export": pgettext_lazy("audit action", "Real-name rate report exported"),
    "retention.purge": pgettext_lazy("audit action", "Data past its retention period deleted"),
    "self_inspection.run": pgettext_lazy("audit action", "Self-inspection run"),
    "task.reap": pgettext_lazy("audit action", "Lost background task marked failed"),
    "totp.enrol_confirm": pgettext_lazy("audit action", "Authenticator confirmed"),
    "totp.enrol_start": pgettext_lazy("audit action", "Authenticator set-up started"),
    "totp.reset": pgettext_lazy("audit action", "Authenticator reset"),
    "totp.verify": pgettext_lazy("audit action", "Authenticator code verified"),
    "user.create": pgettext_lazy("audit action", "User created"),
    "user.grant_admin_site": pgettext_lazy("audit action", "Configuration site opened to the user"),
    "user.set_password": pgettext_lazy("audit action", "Password set"),
    "vault.key_add": pgettext_lazy("audit action", "Encryption key added"),
    "vault.reencrypt": pgettext_lazy("audit action", "Personal data re-encrypted"),
    "website.access_on": pgettext_lazy("audit action", "Website access switched on"),
}

# States of every process on the kernel (filings, line registrations, disputes, remediation, findings).
STATE_LABELS: dict[str, Label] = {
    "abandoned": pgettext_lazy("case state", "abandoned"),
    "approved": pgettext_lazy("case state", "approved"),
    "awaiting_onsite": pgettext_lazy("case state", "awaiting on-site verification"),
    "awaiting_supervisor": pgettext_lazy("case state", "awaiting a supervisor"),
    "cancelled": pgettext_lazy("case state", "cancelled"),
    "checks_passed": pgettext_lazy("case state", "checks passed"),
    "closed": pgettext_lazy("case state", "closed"),
    "confirmed": pgettext_lazy("case state", "confirmed"),
    "draft": pgettext_lazy("case state", "draft"),
    "identity_captured": pgettext_lazy("case state", "identity captured"),
    "in_progress": pgettext_lazy("case state", "in progress"),
    "lapsed": pgettext_lazy("case state", "lapsed"),
    "needs_changes": pgettext_lazy("case state", "returned for changes"),
    "notified": pgettext_lazy("case state", "notified"),
    "one_way_suspended": pgettext_lazy("case state", "outgoing service suspended"),
    "open": pgettext_lazy("case state", "open"),
    "refused": pgettext_lazy("case state", "refused"),
    "registered": pgettext_lazy("case state", "registered"),
    "regulator_returned": pgettext_lazy("case state", "returned by the regulator"),
    "rejected": pgettext_lazy("case state", "rejected"),
    "reminded": pgettext_lazy("case state", "reminded"),
    "started": pgettext_lazy("case state", "started"),
    "submitted": pgettext_lazy("case state", "awaiting review"),
    "submitted_to_regulator": pgettext_lazy("case state", "with the regulator"),
    "two_way_suspended": pgettext_lazy("case state", "all service suspended"),
    "verified": pgettext_lazy("case state", "verified on site"),
    "withdrawn": pgettext_lazy("case state", "withdrawn"),
}

# Stated purposes the system records itself (a person's own words are shown as written).
PURPOSE_LABELS: dict[str, Label] = {
    "Compare the ID card's photo with the person at the counter (real-name registration)": pgettext_lazy(
        "purpose", "Compare the ID card's photo with the person at the counter (real-name registration)"
    ),
    "Compare the counter photo with the ID card's photo (real-name registration)": pgettext_lazy(
        "purpose", "Compare the counter photo with the ID card's photo (real-name registration)"
    ),
    "bulk export of the real-name rate (aggregate data, no personal data)": pgettext_lazy(
        "purpose", "bulk export of the real-name rate (aggregate data, no personal data)"
    ),
    "export of sent uploads": pgettext_lazy("purpose", "export of sent uploads"),
    "on-site verification of the ICP filing": pgettext_lazy("purpose", "on-site verification of the ICP filing"),
    "on-site verification: the specialist checks the photo just taken": pgettext_lazy(
        "purpose", "on-site verification: the specialist checks the photo just taken"
    ),
    "one-ID lookup for the holder": pgettext_lazy("purpose", "one-ID lookup for the holder"),
    "retention period of real-name registration data ended": pgettext_lazy(
        "purpose", "retention period of real-name registration data ended"
    ),
    "submission of the filing to the Communications Administration": pgettext_lazy(
        "purpose", "submission of the filing to the Communications Administration"
    ),
    "website owner corrects the fields returned for changes": pgettext_lazy(
        "purpose", "website owner corrects the fields returned for changes"
    ),
    "website owner edits their own application in the portal": pgettext_lazy(
        "purpose", "website owner edits their own application in the portal"
    ),
    "website owner views their own application in full": pgettext_lazy(
        "purpose", "website owner views their own application in full"
    ),
}


def object_label(object_type: str) -> str:
    """The kind of object an audit event names, in words; an unknown kind reads "other record"."""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else _("other record")


def audit_action_label(action: str) -> str:
    """An audit action in words. An action without a label of its own reads as its kind of object plus
    "other action", so that a new action never shows its code."""
    label = AUDIT_ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    subject = action.split(".", 1)[0]
    if subject in OBJECT_LABELS:
        return _("%(subject)s: other action") % {"subject": OBJECT_LABELS[subject]}
    return _("other action")


def role_label(role: str) -> str:
    """A role value (``counter_clerk``) in words; an event recorded without a role shows a dash."""
    if not role:
        return "—"
    try:
        return str(Role(role).label)
    except ValueError:
        return _("other role")


def state_label(state: str) -> str:
    """A case state in words."""
    label = STATE_LABELS.get(state)
    return str(label) if label is not None else _("other state")


def clock_label(process_key: str, process_version: int, name: str) -> str:
    """A clock's label from its case's process definition (``ClockDefinition.label``)."""
    try:
        label = get_process(process_key, process_version).clock(name).label
    except (LookupError, KeyError):
        label = ""
    return str(label) if label else pgettext("clock", "deadline")


def purpose_label(purpose: str) -> str:
    """A recorded purpose: the system's own in the reader's language, a person's own as they wrote it."""
    label = PURPOSE_LABELS.get(purpose)
    return str(label) if label is not None else purpose
