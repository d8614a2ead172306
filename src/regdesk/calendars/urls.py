from django.urls import URLPattern, URLResolver, path

from regdesk.calendars import views

app_name = "calendars"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calendar_home, name="home"),
    path("<int:year>/", views.calendar_year, name="year"),
]
