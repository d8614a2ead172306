"""JSON API of the gateways app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["gateways"])
