from django.urls import URLPattern, URLResolver, path

from regdesk.privacy import views

app_name = "privacy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("dictionary", views.data_dictionary, name="dictionary"),
    path("dictionary/", views.data_dictionary),
]
