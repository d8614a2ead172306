"""The application in steps (新增备案): owner → person in charge → websites → access, each saved into the draft.

Every step page has a validation address that htmx calls as the owner types: it applies the form's values to the
stored data in memory, runs the backend's rules and answers with each field's errors (out-of-band swaps); nothing is
stored. Saving goes through ``filing_draft_create`` (the first step of a new filing) and ``filing_fields_correct``
(every later save: only this step's fields change). A filing that is no longer a draft is not edited here: a
returned one is corrected on its correction page, any other shows its status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regdesk.cases.services import CaseRefused
from regdesk.filings import config
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.portal.claims import ServingUnit, serving_unit_for_certificate
from regdesk.filings.portal.forms import SpecForm
from regdesk.filings.portal.permissions import get_own_filing_or_404
from regdesk.filings.portal.start import INDIVIDUAL_NATURE, Answers, StartForm, answers_of, asked
from regdesk.filings.portal.views.common import (
    NEXT_STEP,
    PLANNED_WEBSITES,
    PURPOSE_EDIT,
    STEPS,
    access_forms,
    candidate,
    current_user,
    distribute,
    findings_of,
    is_empty,
    merged_values,
    owner_forms,
    person_forms,
    problems,
    save_keeping_valid,
    step_url,
    stepper,
    website_form,
    website_url,
)
from regdesk.filings.services import filing_data_open, filing_draft_create, filing_fields_correct, stored_data
from regdesk.rules.icp import FieldError
from regdesk.web.views import owner_page

FormsBuilder = Callable[..., list[SpecForm]]
PERSON_KEYS = ("name", "document_type", "document_number", "office_phone", "mobile", "email")
# As one types, "this field is required" would greet every empty field: missing values wait for the review.
AS_YOU_TYPE_SKIPPED = frozenset({"required"})


def _editable_filing(request: HttpRequest, filing_id: int) -> Filing | HttpResponseRedirect:
    """The owner's draft; a returned filing goes to its correction page, any other to its status page."""
    filing = get_own_filing_or_404(request.user, filing_id)
    if filing.state == FilingState.DRAFT:
        return filing
    if filing.state == FilingState.NEEDS_CHANGES:
        return HttpResponseRedirect(reverse("filings_portal:correct", kwargs={"filing_id": filing.pk}))
    messages.info(request, _("This application has been submitted and can no longer be edited."))
    return HttpResponseRedirect(reverse("filings_portal:detail", kwargs={"filing_id": filing.pk}))


def _page(
    request: HttpRequest,
    *,
    filing: Filing | None,
    step: str,
    forms: Sequence[SpecForm],
    template: str = "filings/portal/step.html",
    others: Sequence[Any] = (),
    refusal: str = "",
    extra: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    has_errors = bool(others or refusal or any(form.has_rule_errors for form in forms))
    context = {
        "filing": filing,
        "step": step,
        "steps": stepper(filing, step, current_has_errors=has_errors),
        "forms": forms,
        "step_title": dict(STEPS).get(step, ""),
        "show_titles": step == "access",
        "others": problems(filing, others) if filing is not None else [],
        "refusal": refusal,
        "form_action": request.path,
        "validate_url": request.path.rstrip("/") + "/validate/",
        **(extra or {}),
    }
    if step == "access":
        context["provider_networks"] = config.provider_networks()
    return render(request, template, context, status=status)


def _validation(
    request: HttpRequest,
    forms: Sequence[SpecForm],
    *,
    filing: Filing | None = None,
    step: str = "",
    findings: Sequence[FieldError] | None = None,
) -> HttpResponse:
    """Each field's errors as one types, and the stepper marked from the same findings (out-of-band swaps)."""
    context: dict[str, Any] = {"forms": forms}
    if step:
        has_errors = any(form.has_rule_errors for form in forms)
        if filing is not None:
            context["steps"] = stepper(filing, step, findings=findings, current_has_errors=has_errors)
        else:
            context["steps"] = stepper(None, step, current_has_errors=has_errors)
        context["filing"] = filing
    return render(request, "filings/portal/_validation.html", context)


def _next(request: HttpRequest, filing: Filing, step: str) -> HttpResponseRedirect:
    if request.POST.get("go") == "next":
        return HttpResponseRedirect(step_url(filing, NEXT_STEP[step]))
    messages.success(request, _("Your draft has been saved."))
    return HttpResponseRedirect(request.path)


def _checked(filing: Filing, forms: Sequence[SpecForm]) -> None:
    """``?check=1`` (links from the review): show every error of the stored data, missing values included."""
    distribute(forms, findings_of(stored_data(filing).to_json(), filing=filing, owner=filing.owner))


# --------------------------------------------------------------------------------------------------------------
# A new filing: its first step creates the draft


# The owner's answers to the first questions: kept by a new draft's form, not typed into it.
PRESET_KEYS = frozenset({"owner.reporting_mode", "owner.nature", "owner.address.province"})


def _start_page(request: HttpRequest, form: StartForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "filings/portal/start.html",
        {"form": form, "steps": stepper(None, "owner")},
        status=status,
    )


def _new_page(
    request: HttpRequest,
    answers: Answers,
    forms: Sequence[SpecForm],
    *,
    refusal: str = "",
    notice: str = "",
    claim: ServingUnit | None = None,
    status: int = 200,
) -> HttpResponse:
    extra = {"answers": answers, "hidden_answers": answers.hidden_fields(), "notice": notice, "claim": claim}
    if claim is not None and forms:
        values = forms[0].json_values()
        extra["claim_certificate_type"] = values.get("owner.certificate.type") or ""
        extra["claim_certificate_number"] = values.get("owner.certificate.number") or ""
    return _page(request, filing=None, step="owner", forms=forms, refusal=refusal, extra=extra, status=status)


@owner_page
@require_http_methods(["GET", "POST"])
def filing_new(request: HttpRequest) -> HttpResponse:
    """A new filing (新增备案): first the questions that decide the form (``start``), then the owner's step, whose
    first save creates the draft. A save keeps every valid field, so one invalid field loses nothing else; a save
    with nothing typed creates nothing."""
    source = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and request.GET.get("change"):
        # "Change the answers": the questions again, with the answers given.
        answered = StartForm(request.GET)
        initial = answered.cleaned_data if answered.is_valid() else {}
        return _start_page(request, StartForm(initial=initial))
    start = StartForm(source if asked(source) else None)
    answers = answers_of(start) if start.is_bound else None
    if answers is None:
        return _start_page(request, start, status=422 if start.is_bound else 200)
    document = answers.document()
    if request.method != "POST":
        return _new_page(request, answers, owner_forms(document, kind=answers.kind))
    forms = owner_forms(document, data=request.POST, kind=answers.kind)
    # The provider reports the filing (报备方式 1): owners no longer file on the MIIT site themselves (seed 000).
    values = {**merged_values(forms), "owner.reporting_mode": 1}
    values.setdefault("owner.address.province", answers.province)
    if answers.individual:
        values["owner.nature"] = INDIVIDUAL_NATURE
    if is_empty(values, ignore=PRESET_KEYS):
        return _new_page(
            request, answers, forms, notice=_("Nothing was saved: fill in at least one field."), status=422
        )
    user = current_user(request)

    def create(kept: Mapping[str, Any]) -> Filing:
        return filing_draft_create(actor=user, data=candidate(document, kept))

    try:
        filing, errors = save_keeping_valid(create, values, ignore=PRESET_KEYS)
    except CaseRefused as refused:
        claim = None
        if refused.code == "owner_registered":
            claim = serving_unit_for_certificate(
                values.get("owner.certificate.type"), values.get("owner.certificate.number")
            )
        return _new_page(request, answers, forms, refusal=refused.message, claim=claim, status=409)
    if filing is not None:
        request.session.setdefault(PLANNED_WEBSITES, {})[str(filing.pk)] = answers.websites
        request.session.modified = True
    if errors:
        distribute(forms, errors)
        if filing is None:
            return _new_page(request, answers, forms, status=422)
        # The draft exists now: its owner step shows what is still wrong, and the next save goes there.
        messages.warning(request, _("The draft has been created with the valid fields; correct the fields marked."))
        extra = {"form_action": step_url(filing, "owner")}
        return _page(request, filing=filing, step="owner", forms=forms, extra=extra, status=422)
    assert filing is not None  # noqa: S101 - no errors means the draft was created
    if request.POST.get("go") == "next":
        return HttpResponseRedirect(step_url(filing, "person"))
    messages.success(request, _("Your draft has been saved."))
    return HttpResponseRedirect(step_url(filing, "owner"))


@owner_page
@require_POST
def filing_new_validate(request: HttpRequest) -> HttpResponse:
    start = StartForm(request.POST)
    answers = answers_of(start)
    document = answers.document() if answers is not None else {"owner": {}, "websites": []}
    forms = owner_forms(document, data=request.POST, kind=answers.kind if answers is not None else None)
    values = {**merged_values(forms), "owner.reporting_mode": 1}
    if answers is not None and answers.individual:
        values["owner.nature"] = INDIVIDUAL_NATURE
    errors = findings_of(candidate(document, values), filing=None, owner=None)
    distribute(forms, errors, skip_codes=AS_YOU_TYPE_SKIPPED)
    return _validation(request, forms, step="owner")


# --------------------------------------------------------------------------------------------------------------
# Steps of a draft


def _step(request: HttpRequest, filing_id: int, step: str, builder: FormsBuilder, **options: Any) -> HttpResponse:
    found = _editable_filing(request, filing_id)
    if isinstance(found, HttpResponseRedirect):
        return found
    filing = found
    user = current_user(request)
    if request.method != "POST":
        document = filing_data_open(actor=user, filing=filing, purpose=PURPOSE_EDIT).to_json()
        forms = builder(document, **options)
        if request.GET.get("check"):
            _checked(filing, forms)
        return _page(request, filing=filing, step=step, forms=forms)
    stored = stored_data(filing).to_json()
    forms = builder(stored, data=request.POST, **options)

    def save(kept: Mapping[str, Any]) -> Filing:
        return filing_fields_correct(actor=user, filing=filing, values=kept)

    try:
        saved, errors = save_keeping_valid(save, merged_values(forms), stored=stored)
    except CaseRefused as refused:
        return _page(request, filing=filing, step=step, forms=forms, refusal=refused.message, status=409)
    if errors:
        others = distribute(forms, errors)
        if saved is not None:
            messages.warning(request, _("The valid fields have been saved; correct the fields marked."))
        return _page(request, filing=filing, step=step, forms=forms, others=others, status=422)
    return _next(request, filing, step)


def _step_validate(request: HttpRequest, filing_id: int, step: str, builder: FormsBuilder) -> HttpResponse:
    filing = get_own_filing_or_404(request.user, filing_id)
    stored = stored_data(filing).to_json()
    forms = builder(stored, data=request.POST)
    errors = findings_of(candidate(stored, merged_values(forms)), filing=filing, owner=filing.owner)
    distribute(forms, errors, skip_codes=AS_YOU_TYPE_SKIPPED)
    return _validation(request, forms, filing=filing, step=step, findings=errors)


@owner_page
@require_http_methods(["GET", "POST"])
def step_owner(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step(request, filing_id, "owner", owner_forms)


@owner_page
@require_POST
def step_owner_validate(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step_validate(request, filing_id, "owner", owner_forms)


def _person_forms_for_owner(document: Mapping[str, Any], **options: Any) -> list[SpecForm]:
    """An individual is their own person in charge: an empty form starts with the owner's name and ID."""
    owner = dict(document.get("owner") or {})
    person = dict(owner.get("person_in_charge") or {})
    certificate = owner.get("certificate") or {}
    if str(owner.get("nature") or "") == "5" and not any(person.values()):
        person.update(
            name=owner.get("name"), document_type=certificate.get("type"), document_number=certificate.get("number")
        )
        document = {**document, "owner": {**owner, "person_in_charge": person}}
    return person_forms(document, **options)


@owner_page
@require_http_methods(["GET", "POST"])
def step_person(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step(request, filing_id, "person", _person_forms_for_owner)


@owner_page
@require_POST
def step_person_validate(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step_validate(request, filing_id, "person", person_forms)


@owner_page
@require_http_methods(["GET", "POST"])
def step_access(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step(request, filing_id, "access", access_forms)


@owner_page
@require_POST
def step_access_validate(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _step_validate(request, filing_id, "access", access_forms)


# --------------------------------------------------------------------------------------------------------------
# Websites


@owner_page
@require_http_methods(["GET"])
def step_websites(request: HttpRequest, filing_id: int) -> HttpResponse:
    """The websites of the application, each with its domains; add, edit, remove the last one."""
    found = _editable_filing(request, filing_id)
    if isinstance(found, HttpResponseRedirect):
        return found
    filing = found
    websites = list(filing.websites.prefetch_related("domains").order_by("position", "pk"))
    planned = int((request.session.get(PLANNED_WEBSITES) or {}).get(str(filing.pk)) or 0)
    return render(
        request,
        "filings/portal/websites.html",
        {
            "filing": filing,
            "step": "websites",
            "steps": stepper(filing, "websites"),
            "websites": websites,
            "planned": planned,
            "still_to_add": max(planned - len(websites), 0),
        },
    )


def _same_person(document: Mapping[str, Any], position: int) -> bool:
    """Whether the website's person in charge is the owner's (or not given yet, as for a new website)."""
    owner_person = (document.get("owner") or {}).get("person_in_charge") or {}
    websites = document.get("websites") or []
    if position >= len(websites):
        return True
    person = (websites[position] or {}).get("person_in_charge") or {}
    if not any(person.get(key) for key in PERSON_KEYS):
        return True
    return all(str(person.get(key) or "") == str(owner_person.get(key) or "") for key in PERSON_KEYS)


def _website_values(request: HttpRequest, form: SpecForm, stored: Mapping[str, Any], position: int) -> dict[str, Any]:
    values = form.json_values()
    if request.POST.get("same_as_owner"):
        owner_person = (stored.get("owner") or {}).get("person_in_charge") or {}
        for key in PERSON_KEYS:
            values[f"websites[{position}].person_in_charge.{key}"] = owner_person.get(key)
    return values


def _website_position(filing: Filing, position: int) -> int | None:
    """The position, if it names a website of the filing or the next one to add."""
    count = filing.websites.count()
    return position if 0 <= position <= count else None


@owner_page
@require_http_methods(["GET", "POST"])
def step_website(request: HttpRequest, filing_id: int, position: int) -> HttpResponse:
    """One website: name, domains, homepage, service content, languages, pre-approvals, its person in charge."""
    found = _editable_filing(request, filing_id)
    if isinstance(found, HttpResponseRedirect):
        return found
    filing = found
    if _website_position(filing, position) is None:
        return HttpResponseRedirect(step_url(filing, "websites"))
    user = current_user(request)
    extra: dict[str, Any] = {"position": position, "template_step": "website"}
    if request.method != "POST":
        document = filing_data_open(actor=user, filing=filing, purpose=PURPOSE_EDIT).to_json()
        if position >= len(document.get("websites") or []):
            document["websites"] = [*(document.get("websites") or []), {"languages": [1]}]
        form = website_form(document, position)
        if request.GET.get("check"):
            _checked(filing, [form])
        extra["same_as_owner"] = _same_person(document, position)
        return _page(request, filing=filing, step="websites", forms=[form], template="filings/portal/website.html",
                     extra=extra)  # fmt: skip
    stored = stored_data(filing).to_json()
    form = website_form(stored, position, data=request.POST)
    extra["same_as_owner"] = bool(request.POST.get("same_as_owner"))
    adding = position >= len(stored.get("websites") or [])
    if adding and is_empty(form.json_values(), ignore=frozenset({f"websites[{position}].languages"})):
        # An empty form adds no website (the language is ticked in advance, so it does not count).
        extra["notice"] = _("Nothing was saved: fill in at least the website's name or a domain.")
        return _page(request, filing=filing, step="websites", forms=[form], template="filings/portal/website.html",
                     extra=extra, status=422)  # fmt: skip
    values = _website_values(request, form, stored, position)

    def save(kept: Mapping[str, Any]) -> Filing:
        return filing_fields_correct(actor=user, filing=filing, values=kept)

    try:
        saved, errors = save_keeping_valid(save, values, stored=stored)
    except CaseRefused as refused:
        return _page(request, filing=filing, step="websites", forms=[form], refusal=refused.message,
                     template="filings/portal/website.html", extra=extra, status=409)  # fmt: skip
    if errors:
        others = distribute([form], errors)
        if saved is not None:
            messages.warning(request, _("The valid fields have been saved; correct the fields marked."))
        return _page(request, filing=filing, step="websites", forms=[form], others=others,
                     template="filings/portal/website.html", extra=extra, status=422)  # fmt: skip
    if request.POST.get("go") == "next":
        return HttpResponseRedirect(step_url(filing, "websites"))
    messages.success(request, _("Your draft has been saved."))
    return HttpResponseRedirect(website_url(filing, position))


@owner_page
@require_POST
def step_website_validate(request: HttpRequest, filing_id: int, position: int) -> HttpResponse:
    filing = get_own_filing_or_404(request.user, filing_id)
    stored = stored_data(filing).to_json()
    if _website_position(filing, position) is None:
        return _validation(request, [])
    form = website_form(stored, position, data=request.POST)
    values = _website_values(request, form, stored, position)
    errors = findings_of(candidate(stored, values), filing=filing, owner=filing.owner)
    distribute([form], errors, skip_codes=AS_YOU_TYPE_SKIPPED)
    return _validation(request, [form], filing=filing, step="websites", findings=errors)


@owner_page
@require_POST
def step_website_remove(request: HttpRequest, filing_id: int, position: int) -> HttpResponse:
    """Remove the last website of the draft (websites keep their places: the scans of a website follow its
    place, so only the last one is removed)."""
    found = _editable_filing(request, filing_id)
    if isinstance(found, HttpResponseRedirect):
        return found
    filing = found
    stored = stored_data(filing).to_json()
    websites = list(stored.get("websites") or [])
    if position != len(websites) - 1:
        messages.error(request, _("Only the last website can be removed."))
        return HttpResponseRedirect(step_url(filing, "websites"))
    try:
        filing_fields_correct(actor=current_user(request), filing=filing, values={"websites": websites[:-1]})
    except (FilingValidationError, CaseRefused) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The website has been removed from the application."))
    return HttpResponseRedirect(step_url(filing, "websites"))
