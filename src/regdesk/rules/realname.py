"""Classification of existing lines for real-name remediation (未实名老用户补登记), as pure functions.

Every line an operator took over from an earlier system is either properly registered or falls into one of the
four groups of unregistered lines that the operators and MIIT name (seed 004; DOMAIN.md §2), or has a document
number that fails its check, which the stricter reading treats as no registration at all:

1. ``temporary_account``: the holder's name is "临时账户", "某某代办" or another placeholder;
2. ``incomplete``: the document type or number, the name or the address is missing;
3. ``owner_not_user``: the registered holder is not the actual user (known to the operator or confirmed in a
   dispute);
4. ``unit_name``: a group (unit) line registered under the unit's or the handler's name;
5. ``invalid_document``: a document number that the identity rules reject (``regdesk.rules.identity``).

A line can show several problems; ``classify`` returns them all (as reason codes) and picks the group by a fixed
order (``GROUP_ORDER``): the group decides which remediation campaign the line goes to. No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Group(StrEnum):
    """The outcome of the classification of one line."""

    REGISTERED = "registered"
    # Seed 004, group 1: 机主姓名为"临时账户", 用户名一项中显示为"某某代办"的临时卡.
    TEMPORARY_ACCOUNT = "temporary_account"
    # Seed 004, group 2: 手机卡登记信息不完整的.
    INCOMPLETE = "incomplete"
    # Seed 004, group 3: 机主姓名与实际使用者信息不匹配的.
    OWNER_NOT_USER = "owner_not_user"
    # Seed 004, group 4: "集团卡", 机主姓名为单位、经办人姓名的.
    UNIT_NAME = "unit_name"
    # DOMAIN.md §3: a number that fails its document's check is no registration (the stricter reading).
    INVALID_DOCUMENT = "invalid_document"


# The groups of lines that need remediation, in the order that decides a line showing several problems: a
# placeholder name says nothing about anyone, a unit line needs its actual users, a known wrong holder needs the
# real one; only then do missing or mistyped data matter.
GROUP_ORDER: tuple[Group, ...] = (
    Group.TEMPORARY_ACCOUNT,
    Group.UNIT_NAME,
    Group.OWNER_NOT_USER,
    Group.INCOMPLETE,
    Group.INVALID_DOCUMENT,
)
UNREGISTERED_GROUPS = frozenset(GROUP_ORDER)


class Reason(StrEnum):
    """Why a line is in its group (several may apply; none of them carries personal data)."""

    PLACEHOLDER_NAME = "placeholder_name"
    AGENT_NAME = "agent_name"
    UNIT_LINE = "unit_line"
    ORGANISATION_NAME = "organisation_name"
    OWNER_NOT_USER_FLAG = "owner_not_user_flag"
    DISPUTE_CONFIRMED = "dispute_confirmed"
    DOCUMENT_TYPE_MISSING = "document_type_missing"
    DOCUMENT_NUMBER_MISSING = "document_number_missing"
    NAME_MISSING = "name_missing"
    ADDRESS_MISSING = "address_missing"
    DOCUMENT_INVALID = "document_invalid"
    DOCUMENT_WRONG_KIND = "document_wrong_kind"


_GROUP_OF_REASON: dict[Reason, Group] = {
    Reason.PLACEHOLDER_NAME: Group.TEMPORARY_ACCOUNT,
    Reason.AGENT_NAME: Group.TEMPORARY_ACCOUNT,
    Reason.UNIT_LINE: Group.UNIT_NAME,
    Reason.ORGANISATION_NAME: Group.UNIT_NAME,
    Reason.OWNER_NOT_USER_FLAG: Group.OWNER_NOT_USER,
    Reason.DISPUTE_CONFIRMED: Group.OWNER_NOT_USER,
    Reason.DOCUMENT_TYPE_MISSING: Group.INCOMPLETE,
    Reason.DOCUMENT_NUMBER_MISSING: Group.INCOMPLETE,
    Reason.NAME_MISSING: Group.INCOMPLETE,
    Reason.ADDRESS_MISSING: Group.INCOMPLETE,
    Reason.DOCUMENT_INVALID: Group.INVALID_DOCUMENT,
    Reason.DOCUMENT_WRONG_KIND: Group.INVALID_DOCUMENT,
}

# Seed 004 group 1 names the temporary account "临时账户" and the agent's "某某代办"; operator practice adds the
# other stand-ins below (test, unknown, to be completed, pre-opened card, the brand name instead of a person).
_PLACEHOLDER_WORDS = (
    "临时",
    "待补",
    "待定",
    "补登",
    "未知",
    "不详",
    "无名",
    "匿名",
    "测试",
    "预开",
    "预配",
    "某某",
    "神州行",
    "动感地带",
    "用户",
    "客户",
    "机主",
    "先生",
    "女士",
    "小姐",
)
_PLACEHOLDER_LATIN = re.compile(r"^(test|unknown|temp|tmp|none|null|n/?a|x+|user|customer|anonymous)\d*$")
# "某某代办", "张三代办", "代办人": an agent's name in place of the user's (seed 004 group 1).
_AGENT = re.compile(r"代办|代理|代开")
# Names that are only digits, punctuation or one character repeated are stand-ins, not names.
_NOT_A_NAME = re.compile(r"^[\d\W_]+$")
# Seed 004 group 4: a unit's name as the holder of a personal line ends like an organisation's name.
_ORGANISATION_ENDINGS = (
    "公司",
    "集团",
    "厂",
    "局",
    "院",
    "所",
    "站",
    "中心",
    "学校",
    "大学",
    "学院",
    "医院",
    "银行",
    "委员会",
    "办事处",
    "部",
    "处",
    "店",
    "社",
    "协会",
    "事务所",
)


def normalise_text(value: str | None) -> str:
    """NFKC, without spaces: full-width letters and digits become ASCII; ``None`` becomes empty."""
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", value).split())


def is_placeholder_name(name: str) -> bool:
    """A stand-in instead of a person's name: "临时账户", "某某", "测试", "unknown", "xxx", "***", "1234" ...
    (seed 004 group 1 and operator practice)."""
    text = normalise_text(name)
    if not text:
        return False
    lowered = text.lower()
    if _PLACEHOLDER_LATIN.match(lowered) or _NOT_A_NAME.match(text):
        return True
    if len(set(text)) == 1 and len(text) > 1:
        return True
    return any(word in text for word in _PLACEHOLDER_WORDS)


def is_agent_name(name: str) -> bool:
    """An agent's name in place of the user's: "某某代办", "王五代理" (seed 004 group 1)."""
    return bool(_AGENT.search(normalise_text(name)))


def looks_like_organisation(name: str) -> bool:
    """A unit's name (ends like "...有限公司", "...局", "...中心") as the holder of a personal line (seed 004
    group 4). Short names are left alone: "高中心" could be a person."""
    text = normalise_text(name)
    return len(text) >= 4 and text.endswith(_ORGANISATION_ENDINGS)


@dataclass(frozen=True)
class RecordedHolder:
    """What the earlier system recorded about a line's holder, and what the operator knows about the line.

    ``document_valid`` is the verdict of ``regdesk.rules.identity`` on the number for its type (``None`` when
    there is no number or no type to check it against); ``document_kind_ok`` says whether the document type suits
    the kind of holder (an organisation's certificate for an individual is not).
    """

    holder_kind: str = "individual"
    document_type: str = ""
    document_number: str = ""
    name: str = ""
    address: str = ""
    document_valid: bool | None = None
    document_kind_ok: bool = True
    unit_line: bool = False
    owner_not_user: bool = False
    dispute_confirmed: bool = False
    # Registered at a counter since the earlier system's record: the record no longer describes the holder.
    registered_since: bool = False


@dataclass(frozen=True)
class Classification:
    group: Group
    reasons: tuple[Reason, ...]

    @property
    def registered(self) -> bool:
        return self.group == Group.REGISTERED


def reasons_of(holder: RecordedHolder) -> tuple[Reason, ...]:
    """Every problem of the recorded holder, in a fixed order."""
    reasons: list[Reason] = []
    name = normalise_text(holder.name)
    if name and is_agent_name(name):
        reasons.append(Reason.AGENT_NAME)
    elif name and is_placeholder_name(name):
        reasons.append(Reason.PLACEHOLDER_NAME)
    if holder.unit_line:
        reasons.append(Reason.UNIT_LINE)
    elif holder.holder_kind != "organisation" and name and looks_like_organisation(name):
        reasons.append(Reason.ORGANISATION_NAME)
    if holder.owner_not_user:
        reasons.append(Reason.OWNER_NOT_USER_FLAG)
    if holder.dispute_confirmed:
        reasons.append(Reason.DISPUTE_CONFIRMED)
    if not normalise_text(holder.document_type):
        reasons.append(Reason.DOCUMENT_TYPE_MISSING)
    if not normalise_text(holder.document_number):
        reasons.append(Reason.DOCUMENT_NUMBER_MISSING)
    if not name:
        reasons.append(Reason.NAME_MISSING)
    if not normalise_text(holder.address):
        reasons.append(Reason.ADDRESS_MISSING)
    has_document = bool(normalise_text(holder.document_type)) and bool(normalise_text(holder.document_number))
    if has_document and not holder.document_kind_ok:
        reasons.append(Reason.DOCUMENT_WRONG_KIND)
    elif has_document and holder.document_valid is False:
        reasons.append(Reason.DOCUMENT_INVALID)
    return tuple(reasons)


def group_of(reasons: tuple[Reason, ...]) -> Group:
    """The group that drives the remedy: the first of ``GROUP_ORDER`` that a reason points to."""
    groups = {_GROUP_OF_REASON[reason] for reason in reasons}
    for group in GROUP_ORDER:
        if group in groups:
            return group
    return Group.REGISTERED


def classify(holder: RecordedHolder) -> Classification:
    """The group of a line and every reason for it (MIIT 工信部网安〔2016〕182号 §4: every old line without a
    proper registration must be registered again; seed 004 names the four groups)."""
    if holder.registered_since:
        return Classification(group=Group.REGISTERED, reasons=())
    reasons = reasons_of(holder)
    return Classification(group=group_of(reasons), reasons=reasons)
