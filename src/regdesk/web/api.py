"""JSON API of the web app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["web"])
