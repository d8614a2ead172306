"""The line a registration is about: a new number (open, fixed installation) or an existing line (transfer, move,
re-registration), checked before the registration starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from regdesk.privacy.crypto import blind_index
from regdesk.subscribers.models import Line, LineKind, LineStatus, Payment, RealNameState, RegistrationKind
from regdesk.subscribers.models.lines import HELD_STATUSES
from regdesk.subscribers.rules import line_number_problem, normalise_line_number
from regdesk.subscribers.services.errors import RegistrationRefused

MAX_INSTALLATION_ADDRESS = 200


@dataclass(frozen=True)
class LineRequest:
    """The line a registration is about.

    ``open`` and ``fixed_install`` ask for a new line: ``line_kind`` (mobile or data card; fixed for an
    installation), ``payment``, ``number`` and, for a fixed line, ``installation_address``. ``transfer``,
    ``fixed_move`` and ``re_registration`` act on ``target_line`` (found with ``selectors.line_for_counter``); a
    move gives the new ``installation_address``.
    """

    line_kind: str = ""
    payment: str = ""
    number: str = ""
    installation_address: str = ""
    target_line: Line | None = None


def held_line(number_index: str) -> Line | None:
    """The line that holds this number now (not cancelled), if any."""
    return Line.objects.filter(number_index=number_index, status__in=HELD_STATUSES).first()


def line_fields(kind: str, request: LineRequest) -> dict[str, Any]:
    """The registration's line fields, or a refusal naming the field at fault."""
    address = " ".join(request.installation_address.split())
    if len(address) > MAX_INSTALLATION_ADDRESS:
        raise RegistrationRefused(
            "installation_address_invalid",
            _("The installation address has at most %(limit)s characters.") % {"limit": MAX_INSTALLATION_ADDRESS},
            field="line.installation_address",
        )
    if kind in (RegistrationKind.OPEN, RegistrationKind.FIXED_INSTALL):
        fixed = kind == RegistrationKind.FIXED_INSTALL
        line_kind = LineKind.FIXED if fixed else request.line_kind
        if not fixed and line_kind not in (LineKind.MOBILE, LineKind.DATA_CARD):
            raise RegistrationRefused(
                "line_kind_invalid", _("Choose a mobile line or a data card."), field="line.line_kind"
            )
        if request.payment not in Payment.values:
            raise RegistrationRefused("payment_invalid", _("Choose prepaid or postpaid."), field="line.payment")
        number = normalise_line_number(request.number)
        if line_number_problem(number, fixed=fixed) is not None:
            message = (
                _("A fixed number is 0, an area code and 7 or 8 digits.")
                if fixed
                else _("A mobile number has 11 digits and starts with 13 to 19.")
            )
            raise RegistrationRefused("number_invalid", message, field="line.number")
        if held_line(blind_index(number, domain="phone")) is not None:
            raise RegistrationRefused("number_taken", _("This number belongs to another line."), field="line.number")
        if fixed and not address:
            raise RegistrationRefused(
                "installation_address_missing", _("Enter the installation address."), field="line.installation_address"
            )
        return {
            "line_kind": line_kind,
            "payment": request.payment,
            "requested_number": number,
            "installation_address": address or None,
        }
    target = request.target_line
    if target is None:
        raise RegistrationRefused("line_missing", _("Find the line by its number first."), field="line.target_line")
    target = Line.objects.get(pk=target.pk)
    if target.status == LineStatus.CANCELLED:
        raise RegistrationRefused("line_cancelled", _("This line is cancelled."), field="line.target_line")
    if kind == RegistrationKind.TRANSFER and target.real_name_state != RealNameState.REGISTERED:
        raise RegistrationRefused(
            "line_not_registered",
            _("This line is not registered: register it to its user (re-registration) instead."),
            field="line.target_line",
        )
    if kind == RegistrationKind.RE_REGISTRATION and target.real_name_state == RealNameState.REGISTERED:
        raise RegistrationRefused(
            "line_registered",
            _("This line is registered already; a new holder needs a transfer."),
            field="line.target_line",
        )
    if kind == RegistrationKind.FIXED_MOVE:
        if target.kind != LineKind.FIXED:
            raise RegistrationRefused("line_not_fixed", _("Only a fixed line is moved."), field="line.target_line")
        if not address:
            raise RegistrationRefused(
                "installation_address_missing",
                _("Enter the new installation address."),
                field="line.installation_address",
            )
    return {
        "line_kind": target.kind,
        "payment": target.payment,
        "target_line": target,
        "installation_address": address or None,
    }
