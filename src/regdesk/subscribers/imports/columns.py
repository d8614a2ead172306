"""The columns of a subscriber-base file and the parsing of one row. No database access here.

A file (CSV with a header row, or Parquet) has these columns; unknown columns are ignored, names are matched
without regard to case, spaces or hyphens. Values in Chinese are accepted where shown.

==================== ======== ==========================================================================
column               required values
==================== ======== ==========================================================================
number               yes      the line number: 11-digit mobile (``+86``/``86`` dropped) or fixed with area code
kind                 yes      ``mobile`` (手机/移动电话), ``data_card`` (上网卡/无线上网卡), ``fixed`` (固话/固定电话)
payment              yes      ``prepaid`` (预付费), ``postpaid`` (后付费)
status               yes      the network state: ``active`` (正常), ``one_way_suspended`` (单停),
                              ``two_way_suspended`` (双停), ``cancelled`` (销户/拆机)
outlet               yes      code of the organisation unit (outlet) that sold the line
opened_at            no       ``YYYY-MM-DD`` or an ISO 8601 date-time (Beijing time when it has no zone)
holder_kind          no       ``individual`` (个人, the default) or ``organisation`` (单位/集团)
document_type        no       a document code (``resident_id``, ``passport``, ``uscc`` ...) or its Chinese name
document_number      no       the holder's document number as recorded (may be missing or wrong)
name                 no       the holder's name as recorded (may be "临时账户", "某某代办" ...)
address              no       the holder's address as recorded
installation_address no       a fixed line's installation address
prepaid_balance      no       yuan with at most two decimals, not negative (refunded on cancellation)
unit_line            no       ``1``/``true``/``是``: a group (unit) line
owner_not_user       no       ``1``/``true``/``是``: the operator knows the holder is not the actual user
==================== ======== ==========================================================================

Row numbers count data rows: 1 is the first row after a CSV file's header (the first row of a Parquet file).
Errors name the row, the column and a code, never the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from regdesk.subscribers.rules import DocumentType, line_number_problem, normalise_line_number

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")

REQUIRED_COLUMNS = ("number", "kind", "payment", "status", "outlet")
OPTIONAL_COLUMNS = (
    "opened_at",
    "holder_kind",
    "document_type",
    "document_number",
    "name",
    "address",
    "installation_address",
    "prepaid_balance",
    "unit_line",
    "owner_not_user",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Longest values kept (the vault seals anything, but a 1 MB "name" is an error in the file).
MAX_LENGTH = {
    "number": 30,
    "outlet": 50,
    "document_type": 40,
    "document_number": 60,
    "name": 100,
    "address": 200,
    "installation_address": 200,
}
MAX_BALANCE_FEN = 10**12

_KINDS = {
    "mobile": "mobile",
    "手机": "mobile",
    "移动电话": "mobile",
    "data_card": "data_card",
    "datacard": "data_card",
    "上网卡": "data_card",
    "无线上网卡": "data_card",
    "数据卡": "data_card",
    "fixed": "fixed",
    "固话": "fixed",
    "固定电话": "fixed",
}
_PAYMENTS = {"prepaid": "prepaid", "预付费": "prepaid", "postpaid": "postpaid", "后付费": "postpaid"}
_STATUSES = {
    "active": "active",
    "normal": "active",
    "正常": "active",
    "one_way_suspended": "one_way_suspended",
    "单停": "one_way_suspended",
    "单向停机": "one_way_suspended",
    "two_way_suspended": "two_way_suspended",
    "双停": "two_way_suspended",
    "全停": "two_way_suspended",
    "双向停机": "two_way_suspended",
    "cancelled": "cancelled",
    "销户": "cancelled",
    "拆机": "cancelled",
}
_HOLDER_KINDS = {
    "": "individual",
    "individual": "individual",
    "个人": "individual",
    "organisation": "organisation",
    "organization": "organisation",
    "单位": "organisation",
    "集团": "organisation",
}
_TRUE = {"1", "true", "yes", "y", "t", "是", "对"}
_FALSE = {"", "0", "false", "no", "n", "f", "否"}
# Chinese names of the documents (MIIT Order No. 25 arts. 7 and 8) as earlier systems write them.
DOCUMENT_ALIASES: dict[str, str] = {
    "居民身份证": DocumentType.RESIDENT_ID,
    "身份证": DocumentType.RESIDENT_ID,
    "二代身份证": DocumentType.RESIDENT_ID,
    "临时居民身份证": DocumentType.TEMPORARY_RESIDENT_ID,
    "临时身份证": DocumentType.TEMPORARY_RESIDENT_ID,
    "户口簿": DocumentType.HOUSEHOLD_REGISTER,
    "户口本": DocumentType.HOUSEHOLD_REGISTER,
    "军官证": DocumentType.MILITARY_ID,
    "士兵证": DocumentType.MILITARY_ID,
    "武警证": DocumentType.ARMED_POLICE_ID,
    "港澳居民来往内地通行证": DocumentType.HK_MACAU_PERMIT,
    "回乡证": DocumentType.HK_MACAU_PERMIT,
    "台湾居民来往大陆通行证": DocumentType.TAIWAN_PERMIT,
    "台胞证": DocumentType.TAIWAN_PERMIT,
    "护照": DocumentType.PASSPORT,
    "港澳台居民居住证": DocumentType.RESIDENCE_PERMIT,
    "居住证": DocumentType.RESIDENCE_PERMIT,
    "外国人永久居留身份证": DocumentType.PERMANENT_RESIDENCE,
    "统一社会信用代码": DocumentType.USCC,
    "营业执照": DocumentType.USCC,
    "组织机构代码证": DocumentType.ORG_CODE,
    "组织机构代码": DocumentType.ORG_CODE,
    "工商注册号": DocumentType.BUSINESS_REGISTRATION_NUMBER,
}


def column_key(name: str) -> str:
    """``"Document-Type "`` → ``"document_type"``."""
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def missing_columns(names: list[str]) -> list[str]:
    present = {column_key(name) for name in names}
    return [column for column in REQUIRED_COLUMNS if column not in present]


@dataclass(frozen=True)
class RowError:
    """A refused value: the data row, the column, a code. Never the value."""

    row_number: int
    field: str
    code: str


@dataclass(frozen=True)
class ParsedRow:
    """One row, checked and normalised. Personal values are plain here; the writer seals them."""

    row_number: int
    number: str
    kind: str
    payment: str
    status: str
    outlet: str
    opened_at: dt.datetime | None
    holder_kind: str
    document_type: str
    document_number: str
    name: str
    address: str
    installation_address: str
    prepaid_balance_fen: int
    unit_line: bool
    owner_not_user: bool


def text(value: Any) -> str:
    """A cell as text: ``None`` → ``""``; numbers without a spurious ``.0`` (Parquet and spreadsheets store
    numbers as floats); everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell in a float column
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).replace("\x00", "").strip()


def _date_time(value: Any) -> dt.datetime | None:
    """Aware date-time, or ``None`` for an empty cell; ``ValueError`` when it is not a date."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), tzinfo=LOCAL_ZONE)
    else:
        raw = text(value)
        if not raw:
            return None
        moment = (
            dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(), tzinfo=LOCAL_ZONE)
            if len(raw) == 10
            else dt.datetime.fromisoformat(raw)
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(dt.UTC)


def _balance_fen(value: Any) -> int:
    raw = text(value)
    if not raw:
        return 0
    amount = Decimal(raw.replace(",", "").removeprefix("¥").removeprefix("￥"))
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError("balance")
    fen = int(amount * 100)
    if fen > MAX_BALANCE_FEN:
        raise ValueError("balance")
    return fen


def _flag(value: Any) -> bool:
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError("flag")


def document_type_code(value: str) -> str:
    """The document code of a code or a Chinese name; the value itself when unknown (the rules reject it)."""
    compact = "".join(value.split())
    if compact in DOCUMENT_ALIASES:
        return str(DOCUMENT_ALIASES[compact])
    return column_key(compact)


def parse_row(row_number: int, row: Mapping[str, Any], today: dt.date) -> ParsedRow | list[RowError]:
    """The checked row, or every error of it. ``row`` maps column keys (``column_key``) to cell values."""
    errors: list[RowError] = []

    def refuse(field: str, code: str) -> None:
        errors.append(RowError(row_number, field, code))

    values = {column: text(row.get(column)) for column in COLUMNS if column != "opened_at"}
    for column, limit in MAX_LENGTH.items():
        if len(values[column]) > limit:
            refuse(column, "too_long")
            values[column] = ""
    for column in REQUIRED_COLUMNS:
        if not values[column] and not any(error.field == column for error in errors):
            refuse(column, "required")
    kind = _KINDS.get(values["kind"].lower())
    if values["kind"] and kind is None:
        refuse("kind", "unknown")
    payment = _PAYMENTS.get(values["payment"].lower())
    if values["payment"] and payment is None:
        refuse("payment", "unknown")
    status = _STATUSES.get(values["status"].lower())
    if values["status"] and status is None:
        refuse("status", "unknown")
    holder_kind = _HOLDER_KINDS.get(values["holder_kind"].lower())
    if holder_kind is None:
        refuse("holder_kind", "unknown")
    number = normalise_line_number(values["number"])
    if values["number"] and kind is not None and line_number_problem(number, fixed=kind == "fixed") is not None:
        refuse("number", "format")
    opened_at: dt.datetime | None = None
    try:
        opened_at = _date_time(row.get("opened_at"))
    except (ValueError, TypeError, OverflowError):
        refuse("opened_at", "invalid")
    if opened_at is not None and opened_at.astimezone(LOCAL_ZONE).date() > today:
        refuse("opened_at", "future")
    balance = 0
    try:
        balance = _balance_fen(row.get("prepaid_balance"))
    except (ValueError, InvalidOperation, ArithmeticError):
        refuse("prepaid_balance", "invalid")
    flags: dict[str, bool] = {}
    for column in ("unit_line", "owner_not_user"):
        try:
            flags[column] = _flag(row.get(column))
        except ValueError:
            refuse(column, "invalid")
    if errors:
        return errors
    # Each is set when no error was recorded for its column.
    assert kind is not None  # noqa: S101
    assert payment is not None  # noqa: S101
    assert status is not None  # noqa: S101
    assert holder_kind is not None  # noqa: S101
    return ParsedRow(
        row_number=row_number,
        number=number,
        kind=kind,
        payment=payment,
        status=status,
        outlet=values["outlet"],
        opened_at=opened_at,
        holder_kind=holder_kind,
        document_type=document_type_code(values["document_type"]) if values["document_type"] else "",
        document_number=values["document_number"],
        name=values["name"],
        address=values["address"],
        installation_address=values["installation_address"],
        prepaid_balance_fen=balance,
        unit_line=flags["unit_line"],
        owner_not_user=flags["owner_not_user"],
    )
