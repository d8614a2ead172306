"""Helpers shared by the portal's views: the acting user, the steps of the application and the forms of each part,
where an error's field is corrected, and the purposes of reading one's own data in full."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import User
from regdesk.filings.data import filing_data_from_json, path_covers
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, Owner
from regdesk.filings.portal.fields import (
    ACCESS_FIELDS,
    PERSON_FIELDS,
    WEBSITE_FIELDS,
    FieldSpec,
    message_of,
    owner_fields,
    value_at,
)
from regdesk.filings.portal.forms import SpecForm
from regdesk.filings.portal.selectors import scan_slots
from regdesk.filings.portal.start import kind_of
from regdesk.filings.selectors import field_label
from regdesk.filings.services.drafts import set_path, stored_data
from regdesk.filings.validation import MISSING_CODES, Stage, check_filing_data
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


def missing_scan_count(filing: Filing) -> int:
    return sum(1 for slot in scan_slots(filing) if slot.document is None)


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
# The stepper: where each step stands


STEP_DONE = "done"
STEP_INCOMPLETE = "incomplete"
STEP_ERROR = "error"
STEP_NOT_STARTED = "not_started"
STEP_STATUS_LABELS: dict[str, str | Promise] = {
    STEP_DONE: pgettext_lazy("application step", "complete"),
    STEP_INCOMPLETE: pgettext_lazy("application step", "incomplete"),
    STEP_ERROR: pgettext_lazy("application step", "has errors"),
    STEP_NOT_STARTED: pgettext_lazy("application step", "not started"),
}


@dataclass(frozen=True)
class StepMark:
    """One step in the stepper: its address part, label and status (``done``, ``incomplete``, ``error``,
    ``not_started``); the review step has none."""

    name: str
    label: str | Promise
    status: str
    current: bool

    @property
    def status_label(self) -> str:
        return str(STEP_STATUS_LABELS.get(self.status, ""))


def step_statuses(findings: Sequence[FieldError], *, missing_scans: int = 0) -> dict[str, str]:
    """Each step's status from the rules' findings on the stored data (missing values included): an error that is
    more than a missing value marks its step ``error``, a missing value alone ``incomplete``."""
    statuses = {name: STEP_DONE for name in STEP_NAMES if name != "review"}
    for finding in findings:
        if not finding.is_error:
            continue
        step, _position = step_of_path(finding.field)
        step = "websites" if step == "website" else step
        if step not in statuses:
            continue
        if finding.code in MISSING_CODES:
            if statuses[step] != STEP_ERROR:
                statuses[step] = STEP_INCOMPLETE
        else:
            statuses[step] = STEP_ERROR
    if missing_scans and statuses["documents"] == STEP_DONE:
        statuses["documents"] = STEP_INCOMPLETE
    return statuses


def stepper(
    filing: Filing | None,
    current: str,
    *,
    findings: Sequence[FieldError] | None = None,
    current_has_errors: bool = False,
) -> list[StepMark]:
    """The steps with their marks, as the owner goes: from every rule on the stored draft (``findings`` when the
    caller has them already), the page being shown marked ``error`` when its form has errors not saved yet. A new
    application (no draft yet) has every step not started."""
    if filing is None:
        statuses = dict.fromkeys(STEP_NAMES, STEP_NOT_STARTED)
    else:
        if findings is None:
            document = stored_data(filing).to_json()
            findings = findings_of(document, filing=filing, owner=filing.owner)
        statuses = step_statuses(findings, missing_scans=missing_scan_count(filing))
    if current_has_errors and current in statuses:
        statuses[current] = STEP_ERROR
    return [
        StepMark(name=name, label=label, status=statuses.get(name, ""), current=name == current)
        for name, label in STEPS
    ]


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
    kind: str | None = None,
) -> list[SpecForm]:
    """The owner's form, its fields shaped by the kind of owner (``kind``: the first questions' answer; else the
    stored nature)."""
    return [
        SpecForm(
            owner_fields(kind or kind_of(document)),
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


# --------------------------------------------------------------------------------------------------------------
# Saving a step: what is valid is kept

# The session's record of how many websites the owner said they file, by draft (the first questions).
PLANNED_WEBSITES = "filings_portal_planned_websites"
# Each round drops the values that errors name; rules across fields may name another value once the first is gone.
SAVE_ROUNDS = 4
Saved = TypeVar("Saved")


def _is_blank(value: Any) -> bool:
    if isinstance(value, Mapping):
        return all(_is_blank(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_is_blank(item) for item in value)
    return value is None or (isinstance(value, str) and not value.strip())


def is_empty(values: Mapping[str, Any], *, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether the owner typed nothing: every value blank, the preset ones (``ignore``) aside."""
    return all(_is_blank(value) for path, value in values.items() if path not in ignore)


def _named(path: str, errors: Sequence[FieldError]) -> bool:
    """Whether an error is about the value at ``path`` (inside it, or about a part that holds it)."""
    return any(path_covers(path, error.field) or path_covers(error.field, path) for error in errors)


def _same(left: Any, right: Any) -> bool:
    """Whether a form's JSON value equals a stored one (codes may arrive as text or numbers, blanks as ``None``)."""
    if _is_blank(left) and _is_blank(right):
        return True
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return all(_same(left.get(key), right.get(key)) for key in {*left, *right})
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return str(left).strip() == str(right).strip()


def unchanged(values: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """Whether every value equals what the stored JSON form holds at its path (a save would change nothing)."""
    return all(_same(value, value_at(stored, path)) for path, value in values.items())


def save_keeping_valid(
    save: Callable[[Mapping[str, Any]], Saved],
    values: Mapping[str, Any],
    *,
    stored: Mapping[str, Any] | None = None,
    ignore: frozenset[str] = frozenset(),
) -> tuple[Saved | None, list[FieldError]]:
    """Save ``values``; when the rules refuse some, save the others without them.

    Returns what ``save`` returned (``None`` when nothing was saved: every typed value was refused, or what is left
    equals the ``stored`` data) and the errors of the refused values, to show under their fields with the owner's
    input kept. Refusals of the request as a whole (``CaseRefused`` other than a validation error) are raised.
    """
    pending = dict(values)
    reported: list[FieldError] = []
    for _round in range(SAVE_ROUNDS):
        if reported and (is_empty(pending, ignore=ignore) or (stored is not None and unchanged(pending, stored))):
            return None, reported
        try:
            return save(pending), reported
        except FilingValidationError as error:
            reported += [item for item in error.errors if item not in reported]
            refused = [path for path in pending if _named(path, error.errors)]
            if not refused:
                return None, reported
            for path in refused:
                del pending[path]
    return None, reported
