"""URLs of the owner portal for ICP filing, mounted at ``portal/filings/`` (see the package docstring)."""

from django.urls import URLPattern, path

from regdesk.filings.portal import views

app_name = "filings_portal"

urlpatterns: list[URLPattern] = [
    path("", views.filing_list, name="list"),
    path("new/", views.filing_new, name="new"),
    path("new/validate/", views.filing_new_validate, name="new_validate"),
    path("divisions/", views.division_options, name="divisions"),
    path("claims/", views.claim_request, name="claim_request"),
    path("<int:filing_id>/", views.filing_status, name="detail"),
    path("<int:filing_id>/owner/", views.step_owner, name="owner"),
    path("<int:filing_id>/owner/validate/", views.step_owner_validate, name="owner_validate"),
    path("<int:filing_id>/person/", views.step_person, name="person"),
    path("<int:filing_id>/person/validate/", views.step_person_validate, name="person_validate"),
    path("<int:filing_id>/websites/", views.step_websites, name="websites"),
    path("<int:filing_id>/websites/<int:position>/", views.step_website, name="website"),
    path("<int:filing_id>/websites/<int:position>/validate/", views.step_website_validate, name="website_validate"),
    path("<int:filing_id>/websites/<int:position>/remove/", views.step_website_remove, name="website_remove"),
    path("<int:filing_id>/access/", views.step_access, name="access"),
    path("<int:filing_id>/access/validate/", views.step_access_validate, name="access_validate"),
    path("<int:filing_id>/documents/", views.step_documents, name="documents"),
    path("<int:filing_id>/review/", views.step_review, name="review"),
    path("<int:filing_id>/reveal/", views.filing_reveal, name="reveal"),
    path("<int:filing_id>/submit/", views.filing_submit_view, name="submit"),
    path("<int:filing_id>/withdraw/", views.filing_withdraw_view, name="withdraw"),
    path("<int:filing_id>/correct/", views.filing_correct, name="correct"),
    path("<int:filing_id>/correct/validate/", views.filing_correct_validate, name="correct_validate"),
    path("<int:filing_id>/contact/sms/", views.contact_sms_confirm, name="sms_confirm"),
    path("<int:filing_id>/onsite/book/", views.onsite_book, name="onsite_book"),
    path("<int:filing_id>/onsite/cancel/", views.onsite_cancel, name="onsite_cancel"),
]
