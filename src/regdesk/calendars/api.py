"""JSON API of the calendars app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["calendars"])
