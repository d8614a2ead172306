"""Writes of ICP filing. Import services from here.

Drafts and corrections (``drafts``), the application's scans and the audited read of its data (``application``), the
process's actions (``actions``), contact verification (``contacts``), on-site verification (``onsite``), the
regulator (``regulator``) and what follows an approval (``after_approval``).
"""

from regdesk.filings.services.actions import (
    filing_action,
    filing_onsite_notice_send,
    filing_onsite_verification_record,
    filing_reject,
    filing_return_for_changes,
    filing_submit,
    filing_withdraw,
)
from regdesk.filings.services.after_approval import certificate_issue, website_access_turn_on
from regdesk.filings.services.application import filing_data_open, filing_scan_upload
from regdesk.filings.services.booking import onsite_booking_cancel, onsite_booking_make
from regdesk.filings.services.claims import owner_claim_decide, owner_claim_request
from regdesk.filings.services.contacts import (
    contact_email_link_confirm,
    contact_email_link_inspect,
    contact_email_link_send,
    contact_phone_call_record,
    contact_sms_code_confirm,
    contact_sms_code_send,
)
from regdesk.filings.services.drafts import (
    filing_document_upload,
    filing_draft_create,
    filing_draft_update,
    filing_fields_correct,
    stored_data,
)
from regdesk.filings.services.onsite import (
    onsite_checklist_record,
    onsite_copy_store,
    onsite_form_generate,
    onsite_identity_check,
    onsite_photo_confirm,
    onsite_photo_take,
    onsite_registry_check,
)
from regdesk.filings.services.regulator import (
    filing_regulator_pending_record,
    filing_regulator_result_record,
    filing_regulator_return_record,
    filing_submit_to_regulator,
    filings_poll,
)

__all__ = [
    "certificate_issue",
    "contact_email_link_confirm",
    "contact_email_link_inspect",
    "contact_email_link_send",
    "contact_phone_call_record",
    "contact_sms_code_confirm",
    "contact_sms_code_send",
    "filing_action",
    "filing_data_open",
    "filing_document_upload",
    "filing_draft_create",
    "filing_draft_update",
    "filing_fields_correct",
    "filing_onsite_notice_send",
    "filing_onsite_verification_record",
    "filing_regulator_pending_record",
    "filing_regulator_result_record",
    "filing_regulator_return_record",
    "filing_reject",
    "filing_return_for_changes",
    "filing_scan_upload",
    "filing_submit",
    "filing_submit_to_regulator",
    "filing_withdraw",
    "filings_poll",
    "onsite_booking_cancel",
    "onsite_booking_make",
    "onsite_checklist_record",
    "onsite_copy_store",
    "onsite_form_generate",
    "onsite_identity_check",
    "onsite_photo_confirm",
    "onsite_photo_take",
    "onsite_registry_check",
    "owner_claim_decide",
    "owner_claim_request",
    "stored_data",
    "website_access_turn_on",
]
