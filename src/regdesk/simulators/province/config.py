"""Configuration of the province simulator: accounts, the province, review rules, blacklists.

A configuration is a JSON object (``--config FILE`` or ``POST /control/config``); every key is optional and falls
back to the development defaults below. ``SimulatorConfig.merged(partial)`` applies a partial object: nested
objects merge key by key, lists and scalars replace.

The account password, the AES key and the IV are simulator-only development values, agreed with the provider's
configuration in the same way as the real province hands them out.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8040
DEFAULT_ISP_ID = 1001
DEFAULT_USER_NAME = "regdesk"
DEFAULT_PASSWORD = "simulator-password"  # noqa: S105 - a documented simulator-only development value
DEFAULT_AES_KEY = "regdesk-aes-key!"
DEFAULT_AES_IV = "0102030405060708"
# RFC 5737 documentation ranges: addresses that exist nowhere, filed as the development provider's own.
# The provider's IP-address filing as the province knows it; 192.88.99.0/24 is the development default of regdesk's
# own REGDESK_ICP_PROVIDER_NETWORKS (a retired, public prefix), so that development uploads pass check 1063.
DEFAULT_FILED_IP_RANGES = ("192.88.99.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")

# The 31 mainland province-level divisions: GB/T 2260 code and the abbreviation its administration issues record
# numbers with today (Sichuan, Guizhou, Yunnan and Gansu issue 蜀 黔 滇 陇; older numbers read 川 贵 云 甘). The
# simulator keeps its own table, as the province does, rather than regdesk's.
PROVINCE_ABBREVIATIONS: dict[int, str] = {
    110000: "京", 120000: "津", 130000: "冀", 140000: "晋", 150000: "蒙", 210000: "辽", 220000: "吉", 230000: "黑",
    310000: "沪", 320000: "苏", 330000: "浙", 340000: "皖", 350000: "闽", 360000: "赣", 370000: "鲁", 410000: "豫",
    420000: "鄂", 430000: "湘", 440000: "粤", 450000: "桂", 460000: "琼", 500000: "渝", 510000: "蜀", 520000: "黔",
    530000: "滇", 540000: "藏", 610000: "陕", 620000: "陇", 630000: "青", 640000: "宁", 650000: "新",
}  # fmt: skip

DEFAULTS: dict[str, Any] = {
    "province": {"code": 110000, "authority": "北京市通信管理局"},
    "accounts": [
        {
            "isp_id": DEFAULT_ISP_ID,
            "user_name": DEFAULT_USER_NAME,
            "password": DEFAULT_PASSWORD,
            "aes_key": DEFAULT_AES_KEY,
            "aes_iv": DEFAULT_AES_IV,
            "filed_ip_ranges": list(DEFAULT_FILED_IP_RANGES),
            "encrypt_downloads": False,
            "upload_enabled": True,
        }
    ],
    "review": {
        "delay_seconds": 20,
        "reviewer_name": "审核员甲",
        "reviewer_phone": "010-66000000",
        "approval_opinion": "经审核，备案信息符合要求，同意备案。",
        "return_rules": [
            {
                "website_name_contains": "测试退回",
                "opinion": "网站名称不符合要求：网站名称应能反映网站内容，请修改后重新报备。",
            }
        ],
        "return_share_percent": 0,
        "return_share_opinion": "经抽查，主办者信息与证件信息不一致，请核实后重新报备。",
    },
    "record_serial_seed": 18032650,
    "accepted_versions": ["3.0", "V3.0", "V.3.0"],
    "answer_version": "3.0",
    "blacklist": {"domains": [], "certificate_numbers": []},
    "maintenance": False,
    # Fault drills: "hang_uploads" holds every isp_upload call unanswered until it is switched off, then drops the
    # connection without processing the upload (a request lost on the way, as a killed sender sees it).
    "faults": {"hang_uploads": False},
}


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names the key."""


@dataclass(frozen=True)
class Account:
    """A provider's account with the province (its 接入商 ID, user name, password and AES key)."""

    isp_id: int
    user_name: str
    password: str
    aes_key: bytes
    aes_iv: bytes
    filed_ip_ranges: tuple[tuple[int, int], ...]
    encrypt_downloads: bool
    upload_enabled: bool


@dataclass(frozen=True)
class ReturnRule:
    """Return a filing when a website name contains a word or the owner's name matches a pattern."""

    website_name_contains: str | None
    owner_name_pattern: re.Pattern[str] | None
    opinion: str


@dataclass(frozen=True)
class ReviewConfig:
    delay_seconds: float | None  # None: only POST /control/review-now reviews
    reviewer_name: str
    reviewer_phone: str
    approval_opinion: str
    return_rules: tuple[ReturnRule, ...]
    return_share_percent: int
    return_share_opinion: str


@dataclass(frozen=True)
class SimulatorConfig:
    """The whole configuration, parsed; ``raw`` keeps the JSON form for merging and for display."""

    raw: dict[str, Any]
    province_code: int
    province_abbreviation: str
    authority: str
    accounts: tuple[Account, ...]
    review: ReviewConfig
    record_serial_seed: int
    accepted_versions: tuple[str, ...]
    answer_version: str
    blacklisted_domains: frozenset[str]
    blacklisted_certificate_numbers: frozenset[str]
    maintenance: bool
    hang_uploads: bool = False

    @classmethod
    def default(cls) -> SimulatorConfig:
        return cls.from_mapping({})

    @classmethod
    def from_file(cls, path: Path) -> SimulatorConfig:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read the configuration file {path}: {error}") from error
        if not isinstance(document, dict):
            raise ConfigError("the configuration must be a JSON object")
        return cls.from_mapping(document)

    @classmethod
    def from_mapping(cls, overrides: dict[str, Any]) -> SimulatorConfig:
        raw = _merge(copy.deepcopy(DEFAULTS), overrides)
        return _parse(raw)

    def merged(self, overrides: dict[str, Any]) -> SimulatorConfig:
        return _parse(_merge(copy.deepcopy(self.raw), overrides))

    def account(self, isp_id: int) -> Account | None:
        return next((account for account in self.accounts if account.isp_id == isp_id), None)

    def public(self) -> dict[str, Any]:
        """The configuration as JSON with passwords and keys masked."""
        shown = copy.deepcopy(self.raw)
        for account in shown["accounts"]:
            for secret in ("password", "aes_key"):
                if secret in account:
                    account[secret] = "***"
        return shown


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _require(mapping: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise ConfigError(f"{where}.{key} is missing")
    value = mapping[key]
    # bool is an int in Python; a flag given where a number is wanted is a mistake all the same.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ConfigError(f"{where}.{key} has the wrong type ({type(value).__name__})")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def parse_ip_range(text: str) -> tuple[int, int]:
    """``"192.0.2.0/24"`` or ``"192.0.2.10-192.0.2.20"`` or one address, as inclusive integer bounds."""
    try:
        if "-" in text:
            first, last = (int(ipaddress.IPv4Address(part.strip())) for part in text.split("-", 1))
        elif "/" in text:
            network = ipaddress.IPv4Network(text.strip(), strict=False)
            first, last = int(network.network_address), int(network.broadcast_address)
        else:
            first = last = int(ipaddress.IPv4Address(text.strip()))
    except ValueError as error:
        raise ConfigError(f"not an IPv4 range: {text!r}") from error
    if first > last:
        raise ConfigError(f"IPv4 range ends before it starts: {text!r}")
    return first, last


def _parse_account(entry: Any, index: int) -> Account:
    where = f"accounts[{index}]"
    key = _require(entry, "aes_key", str, where).encode("utf-8")
    iv = _require(entry, "aes_iv", str, where).encode("utf-8")
    if len(key) not in (16, 24, 32):
        raise ConfigError(f"{where}.aes_key must be 16, 24 or 32 bytes")
    if len(iv) != 16:
        raise ConfigError(f"{where}.aes_iv must be 16 characters")
    ranges = _require(entry, "filed_ip_ranges", list, where)
    return Account(
        isp_id=_require(entry, "isp_id", int, where),
        user_name=_require(entry, "user_name", str, where),
        password=_require(entry, "password", str, where),
        aes_key=key,
        aes_iv=iv,
        filed_ip_ranges=tuple(parse_ip_range(str(item)) for item in ranges),
        encrypt_downloads=bool(entry.get("encrypt_downloads", False)),
        upload_enabled=bool(entry.get("upload_enabled", True)),
    )


def _parse_rule(entry: Any, index: int) -> ReturnRule:
    where = f"review.return_rules[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    contains = entry.get("website_name_contains")
    pattern = entry.get("owner_name_pattern")
    if contains is None and pattern is None:
        raise ConfigError(f"{where} needs website_name_contains or owner_name_pattern")
    try:
        compiled = re.compile(pattern) if pattern is not None else None
    except re.error as error:
        raise ConfigError(f"{where}.owner_name_pattern is not a regular expression: {error}") from error
    return ReturnRule(
        website_name_contains=str(contains) if contains is not None else None,
        owner_name_pattern=compiled,
        opinion=_require(entry, "opinion", str, where),
    )


def _parse(raw: dict[str, Any]) -> SimulatorConfig:
    province = _require(raw, "province", dict, "config")
    code = _require(province, "code", int, "province")
    if code not in PROVINCE_ABBREVIATIONS:
        raise ConfigError(f"province.code {code} is not a province-level division code")
    accounts = tuple(_parse_account(entry, index) for index, entry in enumerate(_require(raw, "accounts", list, "")))
    if len({account.isp_id for account in accounts}) != len(accounts):
        raise ConfigError("accounts: two accounts share an isp_id")
    review = _require(raw, "review", dict, "config")
    delay = review.get("delay_seconds")
    if delay is not None and (not isinstance(delay, int | float) or isinstance(delay, bool) or delay < 0):
        raise ConfigError("review.delay_seconds must be a number of seconds, or null for manual review")
    share = _require(review, "return_share_percent", int, "review")
    if not 0 <= share <= 100:
        raise ConfigError("review.return_share_percent must be between 0 and 100")
    seed = _require(raw, "record_serial_seed", int, "config")
    if not 0 <= seed < 99_999_999:
        raise ConfigError("record_serial_seed must leave room for 8-digit serials")
    blacklist = _require(raw, "blacklist", dict, "config")
    return SimulatorConfig(
        raw=raw,
        province_code=code,
        province_abbreviation=PROVINCE_ABBREVIATIONS[code],
        authority=str(province.get("authority", "")),
        accounts=accounts,
        review=ReviewConfig(
            delay_seconds=float(delay) if delay is not None else None,
            reviewer_name=_require(review, "reviewer_name", str, "review"),
            reviewer_phone=_require(review, "reviewer_phone", str, "review"),
            approval_opinion=_require(review, "approval_opinion", str, "review"),
            return_rules=tuple(
                _parse_rule(entry, index)
                for index, entry in enumerate(_require(review, "return_rules", list, "review"))
            ),
            return_share_percent=share,
            return_share_opinion=_require(review, "return_share_opinion", str, "review"),
        ),
        record_serial_seed=seed,
        accepted_versions=tuple(str(item) for item in _require(raw, "accepted_versions", list, "config")),
        answer_version=_require(raw, "answer_version", str, "config"),
        blacklisted_domains=frozenset(str(item).lower() for item in blacklist.get("domains", [])),
        blacklisted_certificate_numbers=frozenset(
            str(item).strip().upper() for item in blacklist.get("certificate_numbers", [])
        ),
        maintenance=bool(raw.get("maintenance", False)),
        hang_uploads=bool(_require(raw, "faults", dict, "config").get("hang_uploads", False)),
    )
