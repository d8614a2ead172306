"""JSON API of the audit app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["audit"])
