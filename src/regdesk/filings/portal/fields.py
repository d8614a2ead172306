"""The fields of the application, step by step: what each form field is, where it lives in the filing data
(``regdesk.filings.data``: the same paths as the rules' errors and the per-field returns), how a form value becomes
its JSON value and back, and how it is shown read-only.

A field's ``key`` is its path below the form's base (``certificate.number`` under ``owner``); its absolute path is
``owner.certificate.number``, which is also what the rules name in their errors and the specialist in a return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regdesk.filings import config
from regdesk.filings.data import path_covers
from regdesk.filings.portal import choices
from regdesk.rules.icp import FieldError

Kind = Literal["text", "textarea", "select", "checkboxes", "lines", "ip_ranges", "division", "location", "approvals"]
_ITEM = re.compile(r"^\[(\d+)\]")
_IP_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|～|至)\s*")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its path below the form's base, label, kind and help."""

    key: str
    label: str | Promise
    kind: Kind = "text"
    choices: Callable[[], Any] | None = None
    help_text: str | Promise = ""
    input_mode: str = ""
    autocomplete: str = ""
    # Division fields: the level, and the key of the field whose value is the parent code.
    level: str = ""
    parent: str = ""
    # Read-only pages show a code table's name for the code (``natures``, ``languages``, ...).
    table: str = ""

    @property
    def name(self) -> str:
        """The form field's name (dots are awkward in CSS selectors and ids)."""
        return self.key.replace(".", "-")


def join(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _networks_text() -> str:
    networks = config.provider_networks()
    return "、".join(networks) if networks else gettext("none configured yet (ask the provider's specialist)")


# The provider's networks as of the moment a page shows the hint (the setting may change while the process runs).
_provider_networks_text = lazy(_networks_text, str)


# --------------------------------------------------------------------------------------------------------------
# The fields of each step

OWNER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("nature", _("Nature of the owner"), "select", choices.nature_choices, table="natures",
              help_text=_("Choose “Individual” when you file as a private person.")),
    FieldSpec("name", _("Name of the owner"),
              help_text=_("The full name on the certificate: an organisation's registered name, or your own name "
                          "as an individual. Never a domain or a website's name.")),
    FieldSpec("certificate.type", pgettext_lazy("owner portal", "Certificate type"), "select",
              choices.certificate_type_choices, table="certificate_types",
              help_text=_("An enterprise presents its business licence; an individual the resident identity card.")),
    FieldSpec("certificate.number", pgettext_lazy("owner portal", "Certificate number"), autocomplete="off",
              help_text=_("For example the 18-character unified social credit code.")),
    FieldSpec("certificate.address", pgettext_lazy("owner portal", "Address on the certificate")),
    FieldSpec("address.province", _("Province"), "division", level="province"),
    FieldSpec("address.city", _("City"), "division", level="city", parent="address.province"),
    FieldSpec("address.county", _("County or district"), "division", level="county", parent="address.city"),
    FieldSpec("address.detail", pgettext_lazy("owner portal", "Postal address"),
              help_text=_("The full address where mail reaches you, in the same province as the certificate.")),
    FieldSpec("investor", pgettext_lazy("owner portal", "Investor or superior unit"),
              help_text=_("An enterprise's main investor, or the unit an organisation reports to.")),
    FieldSpec("remarks", _("Remarks"), "textarea"),
)  # fmt: skip

# The owner's fields as the first questions shape them (``regdesk.filings.portal.start``): an individual sees the
# individual nature, the personal documents and the hints for a person, and no investor; an organisation sees the
# organisations' natures and certificates. A draft whose kind is not known yet shows every field.
_OWNER_BY_KEY = {spec.key: spec for spec in OWNER_FIELDS}
INDIVIDUAL_OWNER_FIELDS: tuple[FieldSpec, ...] = (
    replace(_OWNER_BY_KEY["nature"], choices=choices.individual_nature_choices,
            help_text=_("A personal filing has the nature “Individual”.")),
    replace(_OWNER_BY_KEY["name"], label=pgettext_lazy("owner portal", "Your full name"),
            help_text=_("Exactly as on your identity document.")),
    replace(_OWNER_BY_KEY["certificate.type"], label=pgettext_lazy("owner portal", "Identity document"),
            choices=choices.person_document_type_choices,
            help_text=_("Residents of the mainland choose the resident identity card; residents of Hong Kong, Macau "
                        "and Taiwan and foreigners choose the document they hold.")),
    replace(_OWNER_BY_KEY["certificate.number"], label=_("Identity document number"),
            help_text=_("A resident identity card number has 18 characters; the last one may be X.")),
    replace(_OWNER_BY_KEY["certificate.address"], label=pgettext_lazy("owner portal", "Address on the identity "
                                                                                      "document")),
    _OWNER_BY_KEY["address.province"],
    _OWNER_BY_KEY["address.city"],
    _OWNER_BY_KEY["address.county"],
    replace(_OWNER_BY_KEY["address.detail"],
            help_text=_("The full address where mail reaches you, in the province you chose.")),
    _OWNER_BY_KEY["remarks"],
)  # fmt: skip
ORGANISATION_OWNER_FIELDS: tuple[FieldSpec, ...] = (
    replace(_OWNER_BY_KEY["nature"], choices=choices.organisation_nature_choices,
            help_text=_("The kind of organisation on its certificate: an enterprise chooses “Enterprise”. The "
                        "certificate types below follow this choice.")),
    replace(_OWNER_BY_KEY["name"], label=pgettext_lazy("owner portal", "Name of the organisation"),
            help_text=_("The full registered name on the certificate, such as 成都某某科技有限公司. Never a domain "
                        "or a website's name.")),
    replace(_OWNER_BY_KEY["certificate.type"], choices=choices.organisation_certificate_type_choices,
            help_text=_("An enterprise presents its business licence; other organisations the registration "
                        "certificate of their kind.")),
    *(spec for spec in OWNER_FIELDS if spec.key not in ("nature", "name", "certificate.type")),
)  # fmt: skip


def owner_fields(kind: str | None) -> tuple[FieldSpec, ...]:
    """The owner's fields for an ``individual``, an ``organisation`` or a kind not known yet (``None``)."""
    if kind == "individual":
        return INDIVIDUAL_OWNER_FIELDS
    if kind == "organisation":
        return ORGANISATION_OWNER_FIELDS
    return OWNER_FIELDS


PERSON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", _("Full name"), autocomplete="name"),
    FieldSpec("document_type", pgettext_lazy("owner portal", "ID type"), "select", choices.person_document_type_choices,
              table="certificate_types"),
    FieldSpec("document_number", _("Identity document number"), autocomplete="off"),
    FieldSpec("office_phone", pgettext_lazy("owner portal", "Office phone"), input_mode="tel",
              help_text=_("Area code and number, such as 010-12345678; required for organisations. Separate "
                          "several numbers with “;”.")),
    FieldSpec("mobile", pgettext_lazy("owner portal", "Mobile"), input_mode="tel", autocomplete="tel",
              help_text=_("11 digits. The provider sends the verification code to this number.")),
    FieldSpec("email", pgettext_lazy("owner portal", "E-mail"), input_mode="email", autocomplete="email",
              help_text=_("The provider sends the confirmation link and every notice to this address.")),
)  # fmt: skip

WEBSITE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", _("Website name"),
              help_text=_("At least three Chinese characters, related to the owner and to the website's content; "
                          "not a domain, not only letters or digits.")),
    FieldSpec("domains", pgettext_lazy("owner portal", "Domains"), "lines",
              help_text=_("One registrable domain per line, such as example.cn (without www). The domain must be "
                          "registered in the owner's name.")),
    FieldSpec("homepage_url", _("Homepage URL"), input_mode="url",
              help_text=_("The address of the homepage, with one of the domains above, such as "
                          "https://www.example.cn/.")),
    FieldSpec("service_contents", _("Service content"), "checkboxes", choices.service_content_choices,
              table="service_contents"),
    FieldSpec("languages", pgettext_lazy("owner portal", "Languages"), "checkboxes", choices.language_choices,
              table="languages"),
    FieldSpec("pre_approvals", _("Content that needs an approval (pre-approval)"), "approvals",
              help_text=_("Websites offering news, publishing, education, medical and health care, drugs and "
                          "medical devices, culture, radio, film and television programmes, bulletin boards or "
                          "religious information need the approval of the competent authority before the filing. "
                          "Tick each such content and give the approval's number; the scan is uploaded with the "
                          "documents.")),
    *(FieldSpec(join("person_in_charge", spec.key), spec.label, spec.kind, spec.choices, spec.help_text,
                spec.input_mode, spec.autocomplete, table=spec.table) for spec in PERSON_FIELDS),
    FieldSpec("remarks", _("Remarks"), "textarea"),
)  # fmt: skip

ACCESS_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("method", _("Access method"), "select", choices.access_method_choices, table="access_methods",
              help_text=_("The product you use: virtual hosting, server colocation, a dedicated line.")),
    FieldSpec("server_location", _("Server location"), "location", choices.server_location_choices,
              help_text=_("The province or city of the data centre.")),
    FieldSpec("ip_ranges", _("IP addresses of the website"), "ip_ranges",
              help_text=format_lazy(
                  _("The public addresses the provider assigned to your service, as shown in its console: one "
                    "address, or one range written as first - last, per line. Only addresses in the provider's "
                    "networks are accepted: {networks}."),
                  networks=_provider_networks_text())),
)  # fmt: skip


# --------------------------------------------------------------------------------------------------------------
# Form values ⇄ JSON values


def _text(value: Any) -> str | None:
    text = str(value or "").strip()
    return text or None


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]+", str(value or "")) if line.strip()]


def _ip_ranges(value: Any) -> list[dict[str, str | None]]:
    ranges: list[dict[str, str | None]] = []
    for line in _lines(value):
        parts = _IP_SEPARATOR.split(line, maxsplit=1)
        start = parts[0].strip() or None
        end = parts[1].strip() if len(parts) > 1 and parts[1].strip() else start
        ranges.append({"start": start, "end": end})
    return ranges


def json_value(spec: FieldSpec, raw: Any) -> Any:
    """The JSON value of a form value (``raw``: a string, or a list for check boxes)."""
    if spec.kind == "checkboxes":
        values = raw if isinstance(raw, list | tuple) else ([raw] if raw else [])
        return [str(item) for item in values if str(item).strip()]
    if spec.kind == "lines":
        return _lines(raw)
    if spec.kind == "ip_ranges":
        return _ip_ranges(raw)
    return _text(raw)


def initial_value(spec: FieldSpec, value: Any) -> Any:
    """The form's initial value for a JSON value."""
    if spec.kind == "checkboxes":
        return [str(item) for item in value or []]
    if spec.kind == "lines":
        return "\n".join(str(item) for item in value or [])
    if spec.kind == "ip_ranges":
        lines = []
        for item in value or []:
            start, end = (item or {}).get("start") or "", (item or {}).get("end") or ""
            lines.append(start if not end or end == start else f"{start} - {end}")
        return "\n".join(lines)
    return "" if value is None else str(value)


def value_at(document: Any, path: str) -> Any:
    """The value at ``path`` (``websites[0].domains``) of a JSON form, ``None`` where it is missing."""
    current = document
    for segment in path.split("."):
        name, _bracket, rest = segment.partition("[")
        if not isinstance(current, Mapping):
            return None
        current = current.get(name)
        for index in re.findall(r"(\d+)\]", "[" + rest) if rest else []:
            if not isinstance(current, list) or int(index) >= len(current):
                return None
            current = current[int(index)]
    return current


# --------------------------------------------------------------------------------------------------------------
# Errors


def message_of(error: FieldError) -> str:
    return error.message_en if choices.english() else error.message_zh


def matches(path: str, field_path: str) -> str | None:
    """``None`` when the error at ``path`` is not about the field at ``field_path``; else what follows the field's
    path (``[1]`` for the second domain of a list, ``""`` for the field itself)."""
    if path == field_path:
        return ""
    if path.startswith((field_path + ".", field_path + "[")):
        return path[len(field_path) :]
    return None


def item_message(rest: str, message: str) -> str:
    """A list item's error says which item (``第2项：…``)."""
    found = _ITEM.match(rest)
    if found is None:
        return message
    return gettext("Item %(number)d: %(message)s") % {"number": int(found[1]) + 1, "message": message}


def approval_paths(base: str) -> tuple[str, str]:
    return join(base, "pre_approvals"), join(base, "content_categories")


def spec_matches(spec: FieldSpec, base: str, path: str) -> str | None:
    """What follows the field's path in ``path`` when the error is about the field (see ``matches``)."""
    if spec.kind == "approvals":
        for field_path in approval_paths(base):
            rest = matches(path, field_path)
            if rest is not None:
                return rest
        return None
    return matches(path, join(base, spec.key))


def editable(spec: FieldSpec, base: str, returned: Sequence[str]) -> bool:
    """Whether a returned path covers the field, or lies inside it (one domain of the list of domains)."""
    paths = approval_paths(base) if spec.kind == "approvals" else (join(base, spec.key),)
    return any(path_covers(item, path) or path_covers(path, item) for item in returned for path in paths)


# --------------------------------------------------------------------------------------------------------------
# Read-only display


def display_value(spec: FieldSpec, value: Any, *, website: Mapping[str, Any] | None = None) -> str:
    """A value as the read-only pages show it (personal values arrive masked from the selectors)."""
    if spec.kind == "approvals":
        approvals = (website or {}).get("pre_approvals") or []
        categories = {str(code) for code in (website or {}).get("content_categories") or []}
        names = []
        for approval in approvals:
            label = choices.code_label("pre_approval_types", approval.get("type"))
            names.append(f"{label} {approval.get('number') or ''}".strip())
            categories.discard(str(approval.get("type")))
        names += [choices.code_label("pre_approval_types", code) for code in sorted(categories)]
        return "；".join(names)
    if value in (None, "", []):
        return ""
    if spec.kind in ("division", "location"):
        return choices.division_name(value)
    if spec.kind == "checkboxes":
        return "、".join(choices.code_label(spec.table, code) for code in value)
    if spec.kind == "lines":
        return "、".join(str(item) for item in value)
    if spec.kind == "ip_ranges":
        return "；".join(line for line in str(initial_value(spec, value)).split("\n") if line)
    if spec.table:
        return choices.code_label(spec.table, value)
    return str(value)
