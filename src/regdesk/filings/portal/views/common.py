"""Helpers shared by the portal's views: the acting user, the steps of the application and the forms of each part,
where an error's field is corrected, and the purposes of reading one's own data in full."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import User
from regdesk.filings.data import filing_data_from_json
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, Owner
from regdesk.filings.portal.fields import (
    ACCESS_FIELDS,
    OWNER_FIELDS,
    PERSON_FIELDS,
    WEBSITE_FIELDS,
    FieldSpec,
    message_of,
)
from regdesk.filings.portal.forms import SpecForm
from regdesk.filings.selectors import field_label
from regdesk.filings.services.drafts import set_path
from regdesk.filings.validation import Stage, check_filing_data
from regdesk.rules.icp import FieldError

# Purposes written to the audit trail when the owner's own data is opened in full.
PURPOSE_EDIT = "website owner edits their own application in the portal"
PURPOSE_CORRECT = "website owner corrects the fields returned for changes"
PURPOSE_SHOW = "website owner views their own application in full"

STEPS: tuple[tuple[str, str | Promise], ...] = (
    ("owner", pgettext_lazy("owner portal", "Owner")),
    ("person", pgettext_lazy("owner portal", "Person in charge")),
    ("websites", pgettext_lazy("owner portal", "Websites")),
    ("access", pgettext_lazy("owner portal", "Access")),
    ("documents", pgettext_lazy("owner portal", "Documents")),
    ("review", _("Review and submit")),
)
STEP_NAMES = [name for name, _label in STEPS]
NEXT_STEP = dict(zip(STEP_NAMES, [*STEP_NAMES[1:], "review"], strict=True))
_WEBSITE = re.compile(r"^websites\[(\d+)\]")


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the portal's views run behind owner_page
    return user


def step_url(filing: Filing | int, step: str) -> str:
    filing_id = filing if isinstance(filing, int) else filing.pk
    return reverse(f"filings_portal:{step}", kwargs={"filing_id": filing_id})


def website_url(filing: Filing | int, position: int) -> str:
    filing_id = filing if isinstance(filing, int) else filing.pk
    return reverse("filings_portal:website", kwargs={"filing_id": filing_id, "position": position})


def step_of_path(path: str) -> tuple[str, int | None]:
    """The step where the field at ``path`` is corrected (and the website's position for a website's page)."""
    if path.startswith("owner.person_in_charge"):
        return "person", None
    if path.startswith("owner"):
        return "owner", None
    found = _WEBSITE.match(path)
    if found is None:
        return "websites", None
    rest = path[found.end() :]
    if rest.startswith(".access"):
        return "access", None
    if rest.startswith(".pre_approvals") and rest.endswith((".document", ".document_id")):
        return "documents", None
    return "website", int(found[1])


@dataclass(frozen=True)
class Problem:
    """An error or warning of the rules with the page where it is corrected."""

    path: str
    label: str
    message: str
    url: str
    step_title: str


def problems(filing: Filing, findings: Sequence[FieldError]) -> list[Problem]:
    titles = dict(STEPS)
    result = []
    for finding in findings:
        step, position = step_of_path(finding.field)
        if step == "website" and position is not None:
            url, title = website_url(filing, position), gettext("Website %(number)d") % {"number": position + 1}
        else:
            url, title = step_url(filing, step), str(titles[step])
        result.append(
            Problem(
                path=finding.field,
                label=field_label(finding.field),
                message=message_of(finding),
                url=f"{url}?check=1",
                step_title=title,
            )
        )
    return result


# --------------------------------------------------------------------------------------------------------------
# The forms of each part


Editable = Callable[[str, FieldSpec], bool]


def _editable_for(base: str, editable: Editable | None) -> Callable[[FieldSpec], bool] | None:
    if editable is None:
        return None
    return lambda spec: editable(base, spec)


def owner_forms(
    document: Mapping[str, Any],
    *,
    data: Mapping[str, Any] | None = None,
    editable: Editable | None = None,
    display: Mapping[str, Any] | None = None,
) -> list[SpecForm]:
    return [
        SpecForm(
            OWNER_FIELDS,
            base="owner",
            document=document,
            display_document=display,
            data=data,
            prefix="owner",
            editable=_editable_for("owner", editable),
            title=str(pgettext_lazy("owner portal", "Owner")),
        )
    ]


def person_forms(
    document: Mapping[str, Any],
    *,
    data: Mapping[str, Any] | None = None,
    editable: Editable | None = None,
    display: Mapping[str, Any] | None = None,
) -> list[SpecForm]:
    base = "owner.person_in_charge"
    return [
        SpecForm(
            PERSON_FIELDS,
            base=base,
            document=document,
            display_document=display,
            data=data,
            prefix="person",
            editable=_editable_for(base, editable),
            title=str(pgettext_lazy("owner portal", "Person in charge")),
        )
    ]


def website_form(
    document: Mapping[str, Any],
    position: int,
    *,
    data: Mapping[str, Any] | None = None,
    editable: Editable | None = None,
    display: Mapping[str, Any] | None = None,
) -> SpecForm:
    base = f"websites[{position}]"
    return SpecForm(
        WEBSITE_FIELDS,
        base=base,
        document=document,
        display_document=display,
        data=data,
        prefix=f"website{position}",
        editable=_editable_for(base, editable),
        title=_website_title(document, position),
    )


def _website_title(document: Mapping[str, Any], position: int) -> str:
    """``Website 1 · name`` (the name once it is given)."""
    websites = document.get("websites") or []
    name = (websites[position] or {}).get("name") if position < len(websites) else None
    title = gettext("Website %(number)d") % {"number": position + 1}
    return f"{title} · {name}" if name else title


def access_forms(
    document: Mapping[str, Any],
    *,
    data: Mapping[str, Any] | None = None,
    editable: Editable | None = None,
    display: Mapping[str, Any] | None = None,
) -> list[SpecForm]:
    """One form per website: its first access (the portal edits one access per website; the desk may add more)."""
    forms = []
    for position, website in enumerate(document.get("websites") or []):
        base = f"websites[{position}].access[0]"
        forms.append(
            SpecForm(
                ACCESS_FIELDS,
                base=base,
                document=document,
                display_document=display,
                data=data,
                prefix=f"access{position}",
                editable=_editable_for(base, editable),
                title=str((website or {}).get("name") or gettext("Website %(number)d") % {"number": position + 1}),
            )
        )
    return forms


def merged_values(forms: Sequence[SpecForm]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for form in forms:
        values.update(form.json_values())
    return values


def candidate(document: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The filing's JSON form with ``values`` applied (what a save would store), for validation as one types."""
    result = copy.deepcopy(dict(document))
    for path, value in values.items():
        try:
            set_path(result, path, value)
        except KeyError:
            continue
    return result


def findings_of(
    document: Mapping[str, Any], *, filing: Filing | None, owner: Owner | None, stage: Stage = Stage.SUBMIT
) -> list[FieldError]:
    """Every rule's errors on a JSON form of the data (nothing is stored)."""
    try:
        parsed = filing_data_from_json(document)
    except FilingValidationError as error:
        return error.errors
    return check_filing_data(parsed, stage=stage, owner=owner, filing=filing).errors


def distribute(
    forms: Sequence[SpecForm], errors: Sequence[FieldError], *, skip_codes: frozenset[str] = frozenset()
) -> list[FieldError]:
    """Put each error under its field in the first form that has it; returns the errors no form has."""
    remaining = list(errors)
    for form in forms:
        remaining = form.add_rule_errors(remaining, skip_codes=skip_codes)
    return remaining
