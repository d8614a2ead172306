"""Choices of the portal's forms, in the active language: the MIIT code tables (``regdesk.rules.icp.codes``) and the
GB/T 2260 divisions (``regdesk.rules.divisions``), current codes only — an applicant chooses among places that
exist today, while the rules still read abolished codes in old identity numbers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from regdesk.rules import divisions
from regdesk.rules.icp import CodeEntry, default_code_tables

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, str | Choices]]


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def entry_name(entry: CodeEntry) -> str:
    return entry.name_en if english() else entry.name_zh


def _choices(entries: Iterable[CodeEntry], *, blank: bool = True) -> Choices:
    options = [(str(entry.code), entry_name(entry)) for entry in entries]
    return [("", _("— choose —")), *options] if blank else options


def nature_choices() -> Choices:
    return _choices(default_code_tables().natures)


def certificate_type_choices() -> Choices:
    return _choices(default_code_tables().certificate_types)


def individual_nature_choices() -> Choices:
    """The individual nature alone (an individual's application has no other)."""
    return _choices((entry for entry in default_code_tables().natures if entry.is_individual), blank=False)


def organisation_nature_choices() -> Choices:
    return _choices(entry for entry in default_code_tables().natures if not entry.is_individual)


def organisation_certificate_type_choices() -> Choices:
    """An organisation's certificates (a personal identity document is never an organisation's)."""
    return _choices(entry for entry in default_code_tables().certificate_types if entry.holder == "organisation")


def certificate_natures() -> dict[str, str]:
    """Certificate type code → the nature codes that may present it, space-separated (empty: any nature); the
    owner's form hides the types that do not fit the chosen nature (static/filings/portal.js)."""
    return {
        str(entry.code): " ".join(str(code) for code in sorted(entry.natures))
        for entry in default_code_tables().certificate_types
    }


def person_document_type_choices() -> Choices:
    """Identity documents of a person (a person in charge never presents an organisation's certificate)."""
    return _choices(entry for entry in default_code_tables().certificate_types if entry.holder == "person")


def service_content_choices() -> Choices:
    return _choices(default_code_tables().service_contents, blank=False)


def language_choices() -> Choices:
    return _choices(default_code_tables().languages, blank=False)


def access_method_choices() -> Choices:
    return _choices(default_code_tables().access_methods)


def pre_approval_types() -> list[CodeEntry]:
    return list(default_code_tables().pre_approval_types)


def code_label(table: str, code: object) -> str:
    """The name of ``code`` in the code table ``table`` (``natures``, ``languages``, ...), or the code itself."""
    try:
        number = int(str(code))
    except ValueError:
        return str(code)
    entry = getattr(default_code_tables(), table).get(number)
    return entry_name(entry) if entry is not None else str(code)


# --------------------------------------------------------------------------------------------------------------
# Divisions


@lru_cache(maxsize=1)
def _division_tree() -> dict[str, list[tuple[str, str]]]:
    """Parent code → current children ``(code, name)``: ``""`` → provinces, a province → its cities (with the
    grouping rows such as 市辖区 that stand for a municipality's districts), a city → its counties."""
    table = divisions.load_table()
    current = {code: division for code, division in table.divisions.items() if table.is_current(division)}
    city_prefixes = {code[:4] for code in current}
    tree: dict[str, list[tuple[str, str]]] = {"": []}
    for code, division in sorted(table.divisions.items()):
        if code.endswith("0000"):
            if code in current:
                tree[""].append((code, division.name))
        elif code.endswith("00"):
            grouping = division.name in divisions.GROUPING_NAMES and code[:4] in city_prefixes
            if code in current or grouping:
                tree.setdefault(code[:2] + "0000", []).append((code, division.name))
        elif code in current:
            tree.setdefault(code[:4] + "00", []).append((code, division.name))
    return tree


def division_children(parent: str) -> Choices:
    """The current divisions under ``parent`` (``""``: the provinces), with a blank choice first."""
    return [("", _("— choose —")), *_division_tree().get(parent, [])]


def division_name(code: object) -> str:
    """``name (code)`` of a division, or the code when it is unknown."""
    text = str(code or "")
    division = divisions.lookup(text) if text else None
    return f"{division.name} ({text})" if division is not None else text


def server_location_choices() -> GroupedChoices:
    """Where the servers are: a province, or one of its cities, grouped by province."""
    tree = _division_tree()
    grouped: GroupedChoices = [("", _("— choose —"))]
    for province, name in tree[""]:
        cities = [(code, f"{name} {city}") for code, city in tree.get(province, [])]
        grouped.append((name, [(province, name), *cities]))
    return grouped
