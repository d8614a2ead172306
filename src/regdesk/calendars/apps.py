from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "regdesk.calendars"
    label = "calendars"
