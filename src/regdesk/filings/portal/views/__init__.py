"""Views of the owner portal for ICP filing (see ``regdesk.filings.portal``)."""

from regdesk.filings.portal.views.application import (
    filing_new,
    filing_new_validate,
    step_access,
    step_access_validate,
    step_owner,
    step_owner_validate,
    step_person,
    step_person_validate,
    step_website,
    step_website_remove,
    step_website_validate,
    step_websites,
)
from regdesk.filings.portal.views.claims import claim_request
from regdesk.filings.portal.views.documents import filing_reveal, filing_submit_view, step_documents, step_review
from regdesk.filings.portal.views.onsite import onsite_book, onsite_cancel
from regdesk.filings.portal.views.status import (
    contact_sms_confirm,
    division_options,
    filing_correct,
    filing_correct_validate,
    filing_list,
    filing_status,
    filing_withdraw_view,
)

__all__ = [
    "claim_request",
    "contact_sms_confirm",
    "division_options",
    "filing_correct",
    "filing_correct_validate",
    "filing_list",
    "filing_new",
    "filing_new_validate",
    "filing_reveal",
    "filing_status",
    "filing_submit_view",
    "filing_withdraw_view",
    "onsite_book",
    "onsite_cancel",
    "step_access",
    "step_access_validate",
    "step_documents",
    "step_owner",
    "step_owner_validate",
    "step_person",
    "step_person_validate",
    "step_review",
    "step_website",
    "step_website_remove",
    "step_website_validate",
    "step_websites",
]
