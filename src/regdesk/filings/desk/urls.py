"""The filings desk, mounted at ``desk/filings/`` (config/urls.py: ``path("desk/filings/", include(...))``)."""

from django.urls import URLPattern, URLResolver, path

from regdesk.filings.desk.views import appointments, claims, contacts, filing, onsite, queue, routing

app_name = "filings_desk"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.queue, name="queue"),
    path("fetch-results/", queue.fetch_results, name="fetch_results"),
    path("claims/", claims.claim_list, name="claims"),
    path("claims/<int:claim_id>/decide/", claims.claim_decide, name="claim_decide"),
    path("appointments/", appointments.appointments, name="appointments"),
    path("<int:filing_id>/", filing.filing_page, name="filing"),
    path("<int:filing_id>/reveal/", filing.reveal, name="reveal"),
    path("<int:filing_id>/documents/<int:document_id>/open/", filing.open_document, name="document_open"),
    path("<int:filing_id>/actions/<slug:name>/", filing.action, name="action"),
    path("<int:filing_id>/return-row/", filing.return_row, name="return_row"),
    path("<int:filing_id>/reassign/", routing.reassign, name="reassign"),
    path("<int:filing_id>/contacts/email/", contacts.email_send, name="contact_email"),
    path("<int:filing_id>/contacts/sms/", contacts.sms_send, name="contact_sms"),
    path("<int:filing_id>/contacts/sms/confirm/", contacts.sms_confirm, name="contact_sms_confirm"),
    path("<int:filing_id>/contacts/call/", contacts.phone_call, name="contact_call"),
    path("<int:filing_id>/onsite/", onsite.onsite_screen, name="onsite"),
    path("<int:filing_id>/onsite/checklist/", onsite.checklist, name="onsite_checklist"),
    path("<int:filing_id>/onsite/identity/", onsite.identity_check, name="onsite_identity"),
    path("<int:filing_id>/onsite/registry/", onsite.registry_check, name="onsite_registry"),
    path("<int:filing_id>/onsite/copies/", onsite.copy_store, name="onsite_copy"),
    path("<int:filing_id>/onsite/photo/", onsite.photo_take, name="onsite_photo"),
    path("<int:filing_id>/onsite/photo/preview/", onsite.photo_preview, name="onsite_photo_preview"),
    path("<int:filing_id>/onsite/photo/confirm/", onsite.photo_confirm, name="onsite_photo_confirm"),
    path("<int:filing_id>/onsite/form/", onsite.form_generate, name="onsite_form"),
    path("<int:filing_id>/onsite/record/", onsite.record, name="onsite_record"),
]
