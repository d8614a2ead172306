"""The project's URL map with the filings' public pages mounted as config/urls.py is asked to mount them."""

from django.urls import include, path

from regdesk.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("verify/", include("regdesk.filings.urls")), *project_urlpatterns]
