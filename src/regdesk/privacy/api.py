"""JSON API of the privacy app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["privacy"])
