"""Words that several apps translate differently are asked for with a context, so each page shows its own.

Django merges the apps' catalogues into one and the first app wins a message id that several translate: a label
asked for without a context may show another part's word (关闭 for a follow-up's 办结, 身份证号码 on a filing whose
person in charge may hold a passport).
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from regdesk.audit.forms import AuditFilterForm
from regdesk.filings.desk.routing import ReassignForm
from regdesk.filings.selectors import FIELD_LABELS


@pytest.fixture(autouse=True)
def _chinese() -> object:
    with translation.override("zh-hans"):
        yield


def test_the_audit_filter_names_the_action_as_the_audit_table_does() -> None:
    assert str(AuditFilterForm().fields["action"].label) == "操作"


def test_a_filing_names_any_identity_document_number() -> None:
    assert str(FIELD_LABELS["document_number"]) == "证件号码"


def test_a_reassignment_asks_for_its_reason_in_the_desk_s_words() -> None:
    assert str(ReassignForm(units=[]).fields["reason"].label) == "理由"


def test_a_follow_up_is_closed_as_a_case_is() -> None:
    rendered = Template('{% load i18n %}{% translate "Close" context "self-inspection follow-up" %}').render(Context())
    assert rendered == "办结"
