"""Access gates of ICP filing.

* A website owner (portal user) sees the filings of the owners whose portal user they are: the portal's gate
  (``portal.permissions.own_filing_visibility``).
* Staff see what the filings desk shows them: registration specialists, compliance officers and auditors, the
  filings of owners in their units and below (``desk.access.desk_filing_visibility``). Counter clerks, agents and
  administrators work elsewhere and see no filing.
* Everybody else — and anybody asking for a filing they may not see — gets "not found", exactly as for a filing that
  does not exist (``Http404``). The API sees exactly what the portal and the desk see, through these same gates.

Changing a filing's data: its owner's portal user (while the filing is a draft or returned for changes) or a
specialist over its unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import (
    AnyUser,
    active_memberships,
    get_object_for_user_or_404,
    has_role,
)
from regdesk.accounts.roles import Role
from regdesk.filings import config
from regdesk.filings.desk.access import desk_filing_visibility, desk_unit_ids
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Filing, Owner
from regdesk.filings.portal.permissions import own_filing_visibility


def _active(user: AnyUser | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return user


def filing_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``Filing`` querysets: the portal's (the user's own filings as owner) or the
    desk's (the filings of the units where the user holds a desk role)."""
    return own_filing_visibility(user) | desk_filing_visibility(user)


def owner_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``Owner`` querysets, by the same rule as filings."""
    return Q(portal_user=user) | Q(unit_id__in=desk_unit_ids(user))


def visible_filings(user: AnyUser | None) -> QuerySet[Filing]:
    active = _active(user)
    if active is None:
        return Filing.objects.none()
    return Filing.objects.filter(filing_visibility(active))


def get_filing_for_user_or_404(user: AnyUser | None, filing_id: Any) -> Filing:
    """The filing if the user may see it; ``Http404`` alike for missing and forbidden filings."""
    return get_object_for_user_or_404(
        Filing.objects.select_related("owner", "owner__unit", "case", "case__unit"),
        user,
        filing_id,
        visible=filing_visibility,
    )


def get_owner_for_user_or_404(user: AnyUser | None, owner_id: Any) -> Owner:
    return get_object_for_user_or_404(Owner.objects.select_related("unit"), user, owner_id, visible=owner_visibility)


def is_filing_owner(user: AnyUser | None, filing: Filing) -> bool:
    """Whether the user is the portal user of the filing's owner (and holds the website-owner role)."""
    active = _active(user)
    return (
        active is not None
        and filing.owner.portal_user_id == active.pk
        and has_role(active, Role.WEBSITE_OWNER, unit=filing.owner.unit)
    )


def is_specialist_for(user: AnyUser | None, filing: Filing) -> bool:
    """Whether the user is a registration specialist over the filing's unit."""
    return has_role(user, Role.SPECIALIST, unit=filing.owner.unit)


def require_specialist(user: AnyUser | None, filing: Filing) -> User:
    """The user, if a specialist over the filing's unit; ``FilingRefused("role")`` otherwise."""
    active = _active(user)
    if active is None or not is_specialist_for(active, filing):
        raise FilingRefused("role", _("Only a registration specialist of the filing's unit may do this."))
    return active


def require_editor(user: AnyUser | None, filing: Filing) -> User:
    """The user, if they may change the filing's data (its owner or a specialist); ``FilingRefused`` otherwise."""
    active = _active(user)
    if active is None or not (is_filing_owner(active, filing) or is_specialist_for(active, filing)):
        raise FilingRefused("role", _("You may not change this filing."))
    return active


def intake_unit_for(user: User, unit: OrgUnit | None) -> OrgUnit:
    """The unit a new filing belongs to: the one asked for (a specialist must work there), the configured intake
    unit for an owner's own application, else the unit of the specialist's membership."""
    if unit is not None:
        if has_role(user, Role.SPECIALIST, unit=unit):
            return unit
        raise FilingRefused("role", _("You are not a registration specialist of that unit."))
    if has_role(user, Role.WEBSITE_OWNER):
        code = config.intake_unit()
        intake = OrgUnit.objects.filter(code=code, active=True).first() if code else None
        if intake is not None:
            return intake
        membership = active_memberships(user).filter(role=Role.WEBSITE_OWNER).order_by("pk").first()
        if membership is not None:
            return membership.unit
    membership = active_memberships(user).filter(role=Role.SPECIALIST).order_by("pk").first()
    if membership is not None:
        return membership.unit
    raise FilingRefused("role", _("Only website owners and registration specialists may start a filing."))
