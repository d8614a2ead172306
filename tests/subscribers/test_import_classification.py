"""The classification rules of ``regdesk.rules.realname`` (pure: no database), and the bridge to the identity
rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.identity.checksums import mod_11_2_check
from regdesk.rules.realname import (
    GROUP_ORDER,
    Group,
    Reason,
    RecordedHolder,
    classify,
    is_agent_name,
    is_placeholder_name,
    looks_like_organisation,
)
from regdesk.subscribers.imports.classification import check_document, classify_holder

BODY = "11010519800101001"
VALID_ID = BODY + mod_11_2_check(BODY)
WRONG_ID = BODY + ("0" if VALID_ID[-1] != "0" else "1")


def holder(**changes: object) -> RecordedHolder:
    values: dict[str, object] = {
        "document_type": "resident_id",
        "document_number": VALID_ID,
        "name": "王小明",
        "address": "北京市朝阳区建国路1号",
        "document_valid": True,
    }
    return RecordedHolder(**{**values, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["临时账户", "临时用户", "测试", "未知", "某某", "xxx", "Unknown", "***", "12345", "王先生"]
)
def test_placeholder_names(name: str) -> None:
    assert is_placeholder_name(name)
    assert classify(holder(name=name)).group == Group.TEMPORARY_ACCOUNT


@pytest.mark.parametrize("name", ["某某代办", "张三代办", "李四代理"])
def test_an_agents_name_is_a_temporary_account(name: str) -> None:
    assert is_agent_name(name)
    result = classify(holder(name=name))
    assert (result.group, result.reasons) == (Group.TEMPORARY_ACCOUNT, (Reason.AGENT_NAME,))


@pytest.mark.parametrize("name", ["王小明", "欧阳娜娜", "阿依古丽·买买提", "李中心"])
def test_ordinary_names_are_names(name: str) -> None:
    assert not is_placeholder_name(name)
    assert not is_agent_name(name)
    assert not looks_like_organisation(name)
    assert classify(holder(name=name)).registered


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"document_type": ""}, Reason.DOCUMENT_TYPE_MISSING),
        ({"document_number": "  "}, Reason.DOCUMENT_NUMBER_MISSING),
        ({"name": ""}, Reason.NAME_MISSING),
        ({"address": None}, Reason.ADDRESS_MISSING),
    ],
)
def test_missing_data_is_incomplete(changes: dict[str, object], reason: Reason) -> None:
    result = classify(holder(**changes))
    assert result.group == Group.INCOMPLETE
    assert reason in result.reasons


def test_an_invalid_number_is_its_own_group() -> None:
    result = classify(holder(document_number=WRONG_ID, document_valid=False))
    assert (result.group, result.reasons) == (Group.INVALID_DOCUMENT, (Reason.DOCUMENT_INVALID,))


def test_the_holder_flag_and_a_confirmed_dispute_mean_someone_else_uses_the_line() -> None:
    assert classify(holder(owner_not_user=True)).group == Group.OWNER_NOT_USER
    assert classify(holder(dispute_confirmed=True)).reasons == (Reason.DISPUTE_CONFIRMED,)


def test_unit_lines_and_unit_names_on_personal_lines() -> None:
    assert classify(holder(unit_line=True)).group == Group.UNIT_NAME
    assert classify(holder(name="华信科技有限公司")).reasons == (Reason.ORGANISATION_NAME,)
    # An organisation holding its own line under its own name is not a unit name on a personal line.
    assert classify(holder(holder_kind="organisation", name="华信科技有限公司")).registered


def test_the_order_of_the_groups_decides_a_line_with_several_problems() -> None:
    result = classify(holder(name="临时账户", unit_line=True, address="", document_valid=False))
    assert result.group == Group.TEMPORARY_ACCOUNT
    assert set(result.reasons) >= {Reason.PLACEHOLDER_NAME, Reason.UNIT_LINE, Reason.ADDRESS_MISSING}
    assert classify(holder(owner_not_user=True, address="")).group == Group.OWNER_NOT_USER
    assert GROUP_ORDER[0] == Group.TEMPORARY_ACCOUNT


def test_a_registration_at_a_counter_since_supersedes_the_record() -> None:
    result = classify(holder(name="临时账户", registered_since=True))
    assert (result.group, result.reasons) == (Group.REGISTERED, ())


@given(
    name=st.text(max_size=20),
    address=st.text(max_size=20),
    number=st.text(max_size=20),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_every_holder_gets_exactly_one_group_that_its_reasons_explain(
    name: str, address: str, number: str, flags: tuple[bool, bool, bool]
) -> None:
    result = classify(
        holder(name=name, address=address, document_number=number, unit_line=flags[0], owner_not_user=flags[1])
    )
    assert result.group in Group
    assert (result.group == Group.REGISTERED) == (not result.reasons)


def test_document_checks_use_the_identity_rules() -> None:
    assert check_document("individual", "resident_id", VALID_ID).valid is True
    assert check_document("individual", "resident_id", WRONG_ID).valid is False
    assert check_document("individual", "uscc", VALID_ID).kind_ok is False
    assert check_document("individual", "no_such_document", "123").valid is False
    # A passport number without its machine-readable zone cannot be checked, and is not held against the line.
    assert check_document("individual", "passport", "E12345678").valid is None
    assert check_document("individual", "", "").valid is None


def test_the_bridge_classifies_a_wrong_kind_of_document_as_invalid() -> None:
    classification, _check = classify_holder(
        holder_kind="individual",
        document_type="uscc",
        document_number="91110000100000000X",
        name="王小明",
        address="北京",
        unit_line=False,
        owner_not_user=False,
    )
    assert (classification.group, classification.reasons) == (Group.INVALID_DOCUMENT, (Reason.DOCUMENT_WRONG_KIND,))
