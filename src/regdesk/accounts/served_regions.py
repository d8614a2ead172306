"""The regions a unit serves (``OrgUnit.served_regions``): GB/T 2260 codes of provinces or cities, as text.

Kept in a module of its own so that the model's validator and the services read the same rule.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from regdesk.rules import divisions
from regdesk.rules.icp.administrations import is_division_code

_SEPARATORS = re.compile(r"[\s,，、;；]+")


def served_region_tokens(text: str) -> list[str]:
    return [token for token in _SEPARATORS.split(text or "") if token]


def served_region_problem(token: str) -> str | None:
    """Why a token is not a province or city code, in the user's language; None when it is one."""
    if not is_division_code(token):
        return _("“%(code)s” is not an administrative division code (six digits, such as 510000).") % {"code": token}
    if not token.endswith("00"):
        return _("“%(code)s” is a county: give the code of its city or province.") % {"code": token}
    if divisions.lookup(token) is None:
        return _("“%(code)s” is not a known administrative division.") % {"code": token}
    return None


def parse_served_regions(text: str) -> tuple[str, ...]:
    """The valid codes of the text, each once, in order."""
    return tuple(dict.fromkeys(token for token in served_region_tokens(text) if served_region_problem(token) is None))


def validate_served_regions(text: str) -> None:
    """Refuse any entry that is not a province or city code (Django validator of the model field)."""
    problems = [problem for token in served_region_tokens(text) if (problem := served_region_problem(token))]
    if problems:
        raise ValidationError(problems, code="served_regions_invalid")


def normalised_served_regions(text: str) -> str:
    """The codes as stored: separated by single spaces."""
    return " ".join(parse_served_regions(text))
