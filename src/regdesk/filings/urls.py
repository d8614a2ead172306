"""Public pages of ICP filing, mounted at ``verify/`` (config/urls.py: ``path("verify/", include(...))``):

* ``/verify/<serial>``: the public verification page of an electronic certificate (nothing personal);
* ``/verify/<serial>/bazs.cert``: the signed certificate file itself;
* ``/verify/contact/<token>/``: the confirmation page of the e-mail link sent to a person in charge.
"""

from django.urls import path

from regdesk.filings import views

app_name = "filings"

urlpatterns = [
    path("contact/<str:token>/", views.contact_confirm, name="contact_confirm"),
    path("<str:serial>/bazs.cert", views.certificate_download, name="certificate_file"),
    path("<str:serial>", views.certificate_verify, name="verify"),
]
