"""The questions that decide the application's form, asked before anything else (as a cloud console's filing
wizard does): who runs the websites (an individual or an organisation), in which province the owner is (its
communications administration reviews the filing), and how many websites are filed.

The answers shape what follows: the owner's step offers only the natures, certificate types and hints of that kind
of owner, starts in that province, and an individual's person in charge is the individual themselves. Nothing is
stored by answering: the answers travel with the owner's form until it creates the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.filings.portal import choices

INDIVIDUAL = "individual"
ORGANISATION = "organisation"
# The individual nature's code in the MIIT table of natures (单位性质 5, 个人).
INDIVIDUAL_NATURE = "5"
MAX_WEBSITES = 20
PREFIX = "start"


def _provinces() -> list[tuple[str, str]]:
    return choices.division_children("")


class StartForm(forms.Form):
    """The first questions. Every error names the question and what to do."""

    kind = forms.ChoiceField(
        label=_("Who runs the websites?"),
        choices=[
            (
                ORGANISATION,
                _("An organisation: an enterprise, a public institution, a government body, an association"),
            ),
            (INDIVIDUAL, _("An individual: a private person filing a personal website")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether an organisation or an individual runs the websites."),
            "invalid_choice": _("Choose whether an organisation or an individual runs the websites."),
        },
    )
    province = forms.ChoiceField(
        label=_("In which province is the owner registered?"),
        help_text=_(
            "The province of the business licence, or of the individual's residence: the communications "
            "administration of that province reviews the filing and its record number carries the province's "
            "abbreviation."
        ),
        choices=_provinces,
        error_messages={
            "required": _("Choose the province of the owner."),
            "invalid_choice": _("Choose the province of the owner from the list."),
        },
    )
    websites = forms.IntegerField(
        label=pgettext_lazy("owner portal", "How many websites do you file?"),
        help_text=_("Count each website separately, even when they share a server. You can add more later."),
        min_value=1,
        max_value=MAX_WEBSITES,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the number of websites, such as 1."),
            "invalid": _("Enter the number of websites as a whole number, such as 1."),
            "min_value": _("File at least one website."),
            "max_value": _("At most %(limit_value)s websites in one application: file the others afterwards."),
        },
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, prefix=PREFIX, **kwargs)


@dataclass(frozen=True)
class Answers:
    kind: str
    province: str
    websites: int

    @property
    def individual(self) -> bool:
        return self.kind == INDIVIDUAL

    def hidden_fields(self) -> dict[str, str]:
        """The answers as the owner's form carries them (``start-kind`` …) until the draft is created."""
        return {
            f"{PREFIX}-kind": self.kind,
            f"{PREFIX}-province": self.province,
            f"{PREFIX}-websites": str(self.websites),
        }

    def document(self) -> dict[str, Any]:
        """The starting JSON form of the new filing: the individual's nature and the owner's province."""
        owner: dict[str, Any] = {"address": {"province": self.province}}
        if self.individual:
            owner["nature"] = INDIVIDUAL_NATURE
        return {"owner": owner, "websites": []}


def answers_of(form: StartForm) -> Answers | None:
    """The answers of a valid form, else ``None`` (the form then carries its errors)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return Answers(kind=str(data["kind"]), province=str(data["province"]), websites=int(data["websites"]))


def asked(data: Any) -> bool:
    """Whether ``data`` (a query or a form) carries any answer at all (else the questions are asked afresh)."""
    return any(key.startswith(f"{PREFIX}-") for key in data)


def kind_of(document: Any) -> str | None:
    """The kind of owner a stored or starting application is for: from its nature, else unknown (``None``)."""
    nature = str(((document or {}).get("owner") or {}).get("nature") or "")
    if not nature:
        return None
    return INDIVIDUAL if nature == INDIVIDUAL_NATURE else ORGANISATION
