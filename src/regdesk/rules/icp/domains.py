"""Domains and homepage addresses of a website (DOMAIN.md §1.3; MIIT code 1041).

Domains are parsed against the Public Suffix List snapshot shipped in ``rules/data/psl/`` (its ICANN section:
a filed domain is one a registrar registered to the owner); nothing is fetched at run time. Internationalised
domains are handled in both forms (``例子.中国`` ↔ ``xn--fsqu00a.xn--fiqs8s``) with the standard library's IDNA
codec (RFC 3490 ToASCII/ToUnicode per label, with our own letter-digit-hyphen checks on the ASCII form).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.codes import data_lines, read_data_text
from regdesk.rules.icp.result import FieldError, finding, warning
from regdesk.rules.icp.text import is_cjk_ideograph

PSL_FILE_NAME = "public_suffix_list.dat"
APPROVED_TLDS_FILE_NAME = "approved_tlds.txt"
# RFC 1035 §2.3.4 and RFC 5891 §4.2.3.1: label and name lengths, counted on the ASCII form.
MAX_LABEL_LENGTH = 63
MAX_DOMAIN_LENGTH = 253
# XSD upload.xsd, Ym: xs:string minLength 4, maxLength 128.
DOMAIN_MIN_LENGTH = 4
DOMAIN_MAX_LENGTH = 128
# XSD upload.xsd, Syurl: xs:string minLength 4, maxLength 255 (XZBA, BGBA; XZWZ allows 512).
HOMEPAGE_MIN_LENGTH = 4
HOMEPAGE_MAX_LENGTH = 255
# Ideographic and full-width full stops typed in Chinese input methods separate labels like '.' (RFC 3490 §3.1).
DOT_VARIANTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
LDH = re.compile(r"^[a-z0-9-]+$")
# Domain-like tokens in free text: ASCII names inside any text, and names that mix in other letters.
ASCII_DOMAIN_TOKEN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
DOMAIN_TOKEN = re.compile(r"[^\s.。．｡/:@]+(?:[.。．｡][^\s.。．｡/:@]+)+")

# CNNIC 《国家顶级域名注册实施细则》: gov.cn names belong to party and state bodies (and bodies run like them),
# mil.cn names to the armed forces. Nature codes from natures.csv.
RESERVED_SUFFIXES: dict[str, tuple[frozenset[int], str, str]] = {
    "gov.cn": (frozenset({1, 2, 3, 11}), "党政机关、群团组织和参照管理的事业单位", "government and party bodies"),
    "mil.cn": (frozenset({1}), "国防机构", "national defence bodies"),
}


class DomainSyntaxError(ValueError):
    """A domain that cannot be converted; ``code`` is the catalogue code of the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DomainName:
    """A parsed domain: the ASCII (A-label) and Unicode forms, its public suffix and registrable part."""

    ascii: str
    unicode: str
    public_suffix: str
    registrable: str | None

    @property
    def tld(self) -> str:
        return self.ascii.rsplit(".", 1)[-1]

    @property
    def is_registrable(self) -> bool:
        """The name is exactly an eTLD+1: what a registrar registers and what a filing names."""
        return self.registrable == self.ascii

    def covers(self, host_ascii: str) -> bool:
        """The host is this domain or one of its subdomains."""
        return host_ascii == self.ascii or host_ascii.endswith("." + self.ascii)


def load_public_suffix_list(path: Path | None = None) -> PublicSuffixList:
    """The ICANN section of the shipped snapshot (or of ``path``); unknown TLDs are not public suffixes."""
    if path is not None:
        content = path.read_bytes()
    else:
        content = resources.files("regdesk.rules").joinpath("data", "psl", PSL_FILE_NAME).read_bytes()
    return PublicSuffixList(content.splitlines(), accept_unknown=False, only_icann=True)


@lru_cache(maxsize=1)
def default_public_suffix_list() -> PublicSuffixList:
    return load_public_suffix_list()


def load_approved_tlds(path: Path | None = None) -> frozenset[str]:
    """MIIT's approved top-level domains in ASCII form; ``path`` replaces the shipped list."""
    text = path.read_text(encoding="utf-8") if path is not None else read_data_text(APPROVED_TLDS_FILE_NAME)
    return frozenset(label_to_ascii(line.strip().lower().lstrip(".")) for line in data_lines(text))


@lru_cache(maxsize=1)
def default_approved_tlds() -> frozenset[str]:
    return load_approved_tlds()


def label_to_ascii(label: str) -> str:
    """One label in A-label form; ASCII labels are returned as they are."""
    if label.isascii():
        return label
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise DomainSyntaxError("domain_characters") from error


def label_to_unicode(label: str) -> str:
    """One ASCII label in U-label form, checking that an ``xn--`` label is valid Punycode that round-trips."""
    if not label.startswith("xn--"):
        return label
    try:
        decoded = label.encode("ascii").decode("idna")
    except UnicodeError as error:
        raise DomainSyntaxError("domain_punycode") from error
    if decoded.isascii() or label_to_ascii(decoded) != label:
        raise DomainSyntaxError("domain_punycode")
    return decoded


def _check_label_text(label: str) -> bool:
    """Characters of a typed label: LDH, Chinese characters, or letters of another script (True → a warning)."""
    other_script = False
    for character in label:
        if character.isascii():
            if not (character.isalnum() or character == "-"):
                raise DomainSyntaxError("domain_characters")
        elif is_cjk_ideograph(character):
            continue
        elif unicodedata.category(character).startswith(("L", "M")):
            other_script = True
        else:
            raise DomainSyntaxError("domain_characters")
    return other_script


def _check_ascii_label(label: str) -> None:
    if not label:
        raise DomainSyntaxError("domain_label_empty")
    if len(label) > MAX_LABEL_LENGTH:
        raise DomainSyntaxError("domain_label_too_long")
    if not LDH.match(label):
        raise DomainSyntaxError("domain_characters")
    if label.startswith("-") or label.endswith("-") or (label[2:4] == "--" and not label.startswith("xn--")):
        raise DomainSyntaxError("domain_hyphen")


def normalize_domain(text: str) -> tuple[str, str, bool]:
    """``(ascii, unicode, other_script)`` of a typed domain, or DomainSyntaxError with the reason's code."""
    candidate = unicodedata.normalize("NFKC", text.strip()).translate(DOT_VARIANTS).lower()
    if "://" in candidate or "/" in candidate or ":" in candidate:
        raise DomainSyntaxError("domain_url_given")
    candidate = candidate.removesuffix(".")
    if _is_ip_address(candidate):
        raise DomainSyntaxError("domain_ip_address")
    labels = candidate.split(".")
    if any(not label for label in labels):
        raise DomainSyntaxError("domain_label_empty")
    other_script = False
    ascii_labels: list[str] = []
    unicode_labels: list[str] = []
    for label in labels:
        other_script = _check_label_text(label) or other_script
        ascii_label = label_to_ascii(label)
        _check_ascii_label(ascii_label)
        ascii_labels.append(ascii_label)
        unicode_labels.append(label_to_unicode(ascii_label))
    ascii_name = ".".join(ascii_labels)
    if len(ascii_name) > MAX_DOMAIN_LENGTH:
        raise DomainSyntaxError("domain_too_long")
    return ascii_name, ".".join(unicode_labels), other_script


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def parse_domain(text: str, *, suffixes: PublicSuffixList | None = None) -> DomainName:
    """Parse a domain against the Public Suffix List; DomainSyntaxError for a malformed or unknown one."""
    ascii_name, unicode_name, _ = normalize_domain(text)
    suffixes = suffixes or default_public_suffix_list()
    public_suffix = suffixes.publicsuffix(ascii_name)
    if public_suffix is None:
        raise DomainSyntaxError("domain_unknown_suffix")
    return DomainName(
        ascii=ascii_name,
        unicode=unicode_name,
        public_suffix=public_suffix,
        registrable=suffixes.privatesuffix(ascii_name),
    )


def registrable_domain(text: str, *, suffixes: PublicSuffixList | None = None) -> str | None:
    """The registrable part (eTLD+1) of a host in ASCII form, or None for a public suffix or a bad name."""
    try:
        return parse_domain(text, suffixes=suffixes).registrable
    except DomainSyntaxError:
        return None


def check_domain(
    field: str,
    text: str | None,
    *,
    nature: int | None = None,
    approved_tlds: Collection[str] | None = None,
    suffixes: PublicSuffixList | None = None,
) -> tuple[DomainName | None, list[FieldError]]:
    """A website's filed domain: well formed, a registrable domain (eTLD+1, not a subdomain) under a known
    suffix, on MIIT's approved TLD list, and not under a suffix reserved to other natures of owner."""
    if text is None or not text.strip():
        return None, [finding(field, "required")]
    try:
        ascii_name, _unicode, other_script = normalize_domain(text)
        domain = parse_domain(text, suffixes=suffixes)
    except DomainSyntaxError as error:
        return None, [finding(field, error.code)]
    findings: list[FieldError] = []
    # XSD upload.xsd, Ym: the length the interface accepts, counted on the ASCII form that is longest.
    if len(ascii_name) < DOMAIN_MIN_LENGTH:
        findings.append(finding(field, "too_short", limit=DOMAIN_MIN_LENGTH, actual=len(ascii_name)))
    if len(ascii_name) > DOMAIN_MAX_LENGTH:
        findings.append(finding(field, "too_long", limit=DOMAIN_MAX_LENGTH, actual=len(ascii_name)))
    if other_script:
        findings.append(warning(field, "domain_script"))
    if domain.registrable is None:
        findings.append(finding(field, "domain_public_suffix", domain=domain.unicode))
    elif not domain.is_registrable:
        registrable_unicode = ".".join(label_to_unicode(label) for label in domain.registrable.split("."))
        findings.append(finding(field, "domain_not_registrable", registrable=registrable_unicode))
    approved = default_approved_tlds() if approved_tlds is None else approved_tlds
    if domain.tld not in approved:
        findings.append(finding(field, "domain_tld_not_approved", tld=label_to_unicode(domain.tld)))
    reserved = RESERVED_SUFFIXES.get(domain.public_suffix)
    if reserved is not None and nature is not None and nature not in reserved[0]:
        findings.append(
            finding(
                field,
                "domain_reserved_suffix",
                suffix=domain.public_suffix,
                allowed_zh=reserved[1],
                allowed_en=reserved[2],
            )
        )
    return domain, findings


def homepage_host(url: str) -> str:
    """The host of a homepage address in ASCII form; the scheme may be left out (the XSD documents only
    "首页url", and filed homepages are commonly written ``www.example.com``). DomainSyntaxError otherwise."""
    text = url.strip()
    if any(character.isspace() for character in text):
        raise DomainSyntaxError("homepage_url_invalid")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number raises here
    except ValueError as error:
        raise DomainSyntaxError("homepage_url_invalid") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise DomainSyntaxError("homepage_url_scheme")
    if parts.username is not None or parts.password is not None:
        raise DomainSyntaxError("homepage_url_credentials")
    host = parts.hostname or ""
    if not host:
        raise DomainSyntaxError("homepage_url_invalid")
    if _is_ip_address(host):
        raise DomainSyntaxError("homepage_url_ip")
    try:
        return normalize_domain(host)[0]
    except DomainSyntaxError as error:
        raise DomainSyntaxError("homepage_url_invalid") from error


def check_homepage_url(
    field: str,
    url: str | None,
    domains: Iterable[DomainName],
    *,
    required: bool = False,
    max_length: int = HOMEPAGE_MAX_LENGTH,
) -> list[FieldError]:
    """MIIT code 1041: the homepage address must contain one of the website's domains — its host is a filed
    domain or a subdomain of one. ``required`` is False as in the XSD (Syurl is optional)."""
    if url is None or not url.strip():
        return [finding(field, "required")] if required else []
    text = url.strip()
    if len(text) < HOMEPAGE_MIN_LENGTH:
        return [finding(field, "too_short", limit=HOMEPAGE_MIN_LENGTH, actual=len(text))]
    if len(text) > max_length:
        return [finding(field, "too_long", limit=max_length, actual=len(text))]
    try:
        host = homepage_host(text)
    except DomainSyntaxError as error:
        return [finding(field, error.code)]
    if not any(domain.covers(host) for domain in domains):
        return [finding(field, "homepage_url_domain_mismatch")]
    return []


def contains_domain(text: str, *, suffixes: PublicSuffixList | None = None) -> bool:
    """The text is, or contains, a web address or a domain under a known public suffix."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    if "://" in lowered or "www." in lowered:
        return True
    suffixes = suffixes or default_public_suffix_list()
    for token in [*ASCII_DOMAIN_TOKEN.findall(lowered), *DOMAIN_TOKEN.findall(lowered)]:
        try:
            ascii_name = normalize_domain(token.strip("-"))[0]
        except DomainSyntaxError:
            continue
        if suffixes.publicsuffix(ascii_name) is not None:
            return True
    return False
