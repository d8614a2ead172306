"""The counter pages, mounted at /desk/subscribers/counter/ (``regdesk.subscribers.urls``)."""

from django.urls import URLPattern, URLResolver, path

from regdesk.subscribers.counter import agent, agreement, home, lookup, registration, review

app_name = "subscribers_counter"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", home.counter_index, name="index"),
    path("review/", home.review_list, name="review"),
    path("outlets/<str:outlet_code>/", home.outlet_home, name="outlet"),
    path("outlets/<str:outlet_code>/registrations/", home.registration_new, name="start"),
    path("outlets/<str:outlet_code>/reader", agent.reader_choose, name="reader_choose"),
    path("reader-agent/readings", agent.agent_readings, name="agent_readings"),
    path("outlets/<str:outlet_code>/lookup/", lookup.lookup, name="lookup"),
    path("outlets/<str:outlet_code>/lookup/finish", lookup.lookup_finish, name="lookup_finish"),
    path("outlets/<str:outlet_code>/lookup/disputes", lookup.lookup_dispute, name="lookup_dispute"),
    path("registrations/<int:registration_id>/", registration.registration_detail, name="registration"),
    path(
        "registrations/<int:registration_id>/readings/<str:slot>",
        registration.reading_add,
        name="reading_add",
    ),
    path(
        "registrations/<int:registration_id>/readings/<str:slot>/wait",
        agent.reading_wait,
        name="reading_wait",
    ),
    path(
        "registrations/<int:registration_id>/readings/<str:slot>/discard",
        registration.reading_discard,
        name="reading_discard",
    ),
    path("registrations/<int:registration_id>/identity", registration.identity_capture, name="identity"),
    path("registrations/<int:registration_id>/documents", registration.document_add, name="document"),
    path("registrations/<int:registration_id>/checks", registration.checks_run, name="check"),
    path("registrations/<int:registration_id>/refusal", registration.refuse, name="refuse"),
    path("registrations/<int:registration_id>/completion", registration.complete, name="complete"),
    path("registrations/<int:registration_id>/abandonment", registration.abandon, name="abandon"),
    path("registrations/<int:registration_id>/decision", review.decide, name="decide"),
    path("registrations/<int:registration_id>/form.pdf", agreement.form_pdf, name="form_pdf"),
    path("registrations/<int:registration_id>/signature", agreement.signature_add, name="signature"),
]
