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

Routing: a filing belongs to its owner's unit. An owner's own application goes to the unit that serves the owner's
region (``OrgUnit.served_regions``; the most precise match wins), else to the configured intake unit
(``REGDESK_ICP_INTAKE_UNIT``), else to the unit of the owner's account. Moving it elsewhere is the compliance
officer's (``services.routing.filing_reassign``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.permissions import (
    AnyUser,
    active_memberships,
    get_object_for_user_or_404,
    has_role,
    unit_ancestor_ids,
)
from regdesk.accounts.roles import Role
from regdesk.filings import config
from regdesk.filings.desk.access import desk_filing_visibility, desk_unit_ids
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Filing, Owner
from regdesk.filings.portal.permissions import own_filing_visibility
from regdesk.privacy.fields import PersonalValue
from regdesk.rules.icp.administrations import Administration, administration_of, owner_region, region_prefixes


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


def region_of_owner(owner: Owner) -> str | None:
    """The owner's most precise region (address, else certificate; ``rules.icp.administrations.owner_region``)."""
    number = owner.certificate_number
    return owner_region(
        province=owner.province_code,
        city=owner.city_code,
        county=owner.county_code,
        certificate_type=owner.certificate_type,
        certificate_number=number.reveal() if isinstance(number, PersonalValue) else None,
    )


def serving_unit(region: str | None) -> OrgUnit | None:
    """The active unit whose served regions cover ``region`` most precisely (a city's unit before its province's;
    between equals, the first by code); None when no unit serves it."""
    prefixes = region_prefixes(region or "")
    if not prefixes:
        return None
    best: tuple[int, str, OrgUnit] | None = None
    for unit in OrgUnit.objects.filter(active=True).exclude(served_regions="").order_by("code"):
        served = set(unit.served_region_codes)
        rank = next((position for position, prefix in enumerate(prefixes) if prefix in served), None)
        if rank is not None and (best is None or (rank, unit.code) < best[:2]):
            best = (rank, unit.code, unit)
    return best[2] if best is not None else None


def default_intake_unit() -> OrgUnit | None:
    """The configured intake unit (``REGDESK_ICP_INTAKE_UNIT``), if it names an active unit."""
    code = config.intake_unit()
    return OrgUnit.objects.filter(code=code, active=True).first() if code else None


def owner_unit_for(user: User, region: str | None) -> OrgUnit | None:
    """Where a website owner's own application goes: the unit serving ``region``, else the configured intake unit,
    else the unit of the owner's account; None for a user without the website-owner role."""
    unit = serving_unit(region) or default_intake_unit()
    if unit is not None:
        return unit
    membership = active_memberships(user).filter(role=Role.WEBSITE_OWNER).order_by("pk").first()
    return membership.unit if membership is not None else None


def intake_unit_for(user: User, unit: OrgUnit | None, *, region: str | None = None) -> OrgUnit:
    """The unit a new filing belongs to: the one asked for (a specialist must work there); for an owner's own
    application the unit that serves the owner's ``region`` (``owner_unit_for``); else the unit of the
    specialist's membership."""
    if unit is not None:
        if has_role(user, Role.SPECIALIST, unit=unit):
            return unit
        raise FilingRefused("role", _("You are not a registration specialist of that unit."))
    if has_role(user, Role.WEBSITE_OWNER):
        target = owner_unit_for(user, region)
        if target is not None:
            return target
    membership = active_memberships(user).filter(role=Role.SPECIALIST).order_by("pk").first()
    if membership is not None:
        return membership.unit
    raise FilingRefused("role", _("Only website owners and registration specialists may start a filing."))


def _memberships_over(unit: OrgUnit, role: str) -> Any:
    return Membership.objects.filter(
        role=role, active=True, unit__active=True, user__is_active=True, unit_id__in=unit_ancestor_ids(unit)
    )


def specialists_reach(unit: OrgUnit) -> bool:
    """Whether any active registration specialist works over ``unit`` (in it or above it), and so sees its
    filings in a queue and may act on them."""
    return bool(_memberships_over(unit, Role.SPECIALIST).exists())


def compliance_officers_over(unit: OrgUnit) -> list[User]:
    """The active compliance officers over ``unit`` (memberships in it or above it), each once, by id."""
    memberships = _memberships_over(unit, Role.COMPLIANCE_OFFICER).select_related("user").order_by("user_id")
    return list({membership.user_id: membership.user for membership in memberships}.values())


def may_reassign(user: AnyUser | None, filing: Filing, unit: OrgUnit) -> bool:
    """Whether the user may move the filing to ``unit``: a compliance officer over both its unit and ``unit``."""
    return has_role(user, Role.COMPLIANCE_OFFICER, unit=filing.owner.unit) and has_role(
        user, Role.COMPLIANCE_OFFICER, unit=unit
    )


def reviewing_administration(owner: Owner) -> Administration | None:
    """The Communications Administration that reviews the owner's filings and issues its record number: the one
    of the owner's province (备案地省管局), not of the provider's (接入地)."""
    return administration_of(region_of_owner(owner))


def routing_summary(filing: Filing) -> dict[str, Any]:
    """Where the filing is worked and who reviews it, for the desk and the API (names in the active language)."""
    owner = filing.owner
    administration = reviewing_administration(owner)
    english = (get_language() or "").startswith("en")
    return {
        "unit": owner.unit.code,
        "unit_name": owner.unit.name,
        "specialists_reach": specialists_reach(owner.unit),
        "administration": None
        if administration is None
        else {
            "province_code": administration.province_code,
            "abbreviation": administration.abbreviation,
            "name": administration.name_en if english else administration.name_zh,
        },
    }
