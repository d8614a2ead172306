"""The refusal of the supervision services (agents, retention, self-inspection)."""

from __future__ import annotations

from regdesk.subscribers.services.errors import RegistrationRefused


class SupervisionRefused(RegistrationRefused):
    """A supervision service refused a request and changed nothing (code, translated message, field, status)."""
