"""ICP record numbers (备案号; DOMAIN.md §1.5): parse, format, validate, and the homepage footer snippet.

``京ICP备12345678号`` is an owner's number, ``京ICP备12345678号-1`` a website's, ``京ICP证030173号`` a licensed
(commercial) service's; an app's number ends in ``A`` (``…号-1A``), a mini-program's in ``X`` (``…号-1X``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from regdesk.rules.icp.codes import read_rows
from regdesk.rules.icp.result import FieldError, finding

# The MIIT filing system's public query site: the footer number links here (DOMAIN.md §1.5).
BEIAN_URL = "https://beian.miit.gov.cn/"
# Serial numbers seen in issued numbers: 6-digit licence numbers (030173), 8-digit (12345678) and, since 2020,
# year-prefixed 10-digit ones (2021012345); a little room either side.
SERIAL = r"[0-9]{4,12}"
# DOMAIN.md §1.5: apps end in A, mini-programs in X.
KIND_SUFFIXES: dict[str, Literal["app", "mini_program"]] = {"A": "app", "X": "mini_program"}
SUFFIX_OF_KIND: dict[str, str] = {kind: suffix for suffix, kind in KIND_SUFFIXES.items()}
Kind = Literal["website", "app", "mini_program"]


class RecordNumberError(ValueError):
    """Not a record number. Record numbers are public, so the message may quote the text."""


@dataclass(frozen=True)
class Province:
    code: str
    abbreviation: str
    alternates: tuple[str, ...]
    name_zh: str
    name_en: str = ""


def load_provinces(directory: Path | None = None) -> tuple[Province, ...]:
    return tuple(
        Province(
            code=row["province_code"].strip(),
            abbreviation=row["abbreviation"].strip(),
            alternates=tuple(part for part in row.get("alternates", "").split("|") if part),
            name_zh=row["name_zh"].strip(),
            name_en=(row.get("name_en") or "").strip(),
        )
        for row in read_rows("province_abbreviations.csv", directory)
    )


@lru_cache(maxsize=1)
def default_provinces() -> tuple[Province, ...]:
    return load_provinces()


def _by_abbreviation() -> dict[str, Province]:
    return {
        abbreviation: province
        for province in default_provinces()
        for abbreviation in (province.abbreviation, *province.alternates)
    }


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    letters = "".join(sorted(_by_abbreviation()))
    return re.compile(
        rf"^(?P<province>[{letters}])ICP(?P<licence>备|证)(?P<serial>{SERIAL})号"
        r"(?:-(?P<website>[1-9][0-9]{0,5})(?P<suffix>[AX])?)?$"
    )


def province_abbreviation(division_code: str | int) -> str:
    """The abbreviation the province system issues numbers with, for any GB/T 2260 code in the province
    (``110105`` → ``京``); ValueError for a code outside the 31 provinces."""
    text = str(division_code).strip()
    if len(text) != 6 or not (text.isascii() and text.isdigit()):
        raise ValueError("a division code has 6 digits")
    province_code = text[:2] + "0000"
    for province in default_provinces():
        if province.code == province_code:
            return province.abbreviation
    raise ValueError(f"no ICP province abbreviation for division {province_code}")


def province_code_of(abbreviation: str) -> str:
    """The GB/T 2260 province code of an abbreviation (current or alternate); ValueError if unknown."""
    province = _by_abbreviation().get(abbreviation)
    if province is None:
        raise ValueError(f"{abbreviation!r} is not an ICP province abbreviation")
    return province.code


@dataclass(frozen=True)
class RecordNumber:
    """A parsed record number. ``website`` is the ``-n`` part (None for an owner's number); ``kind`` says
    whether the numbered thing is a website, an app or a mini-program."""

    province: str
    serial: str
    licensed: bool = False
    website: int | None = None
    kind: Kind = "website"

    @property
    def province_code(self) -> str:
        return province_code_of(self.province)

    @property
    def owner_number(self) -> RecordNumber:
        """The owner's number this website's number extends."""
        return replace(self, website=None, kind="website")

    def format(self) -> str:
        text = f"{self.province}ICP{'证' if self.licensed else '备'}{self.serial}号"
        if self.website is not None:
            text += f"-{self.website}{SUFFIX_OF_KIND.get(self.kind, '')}"
        return text

    def __str__(self) -> str:
        return self.format()


def normalize_record_text(text: str) -> str:
    """Full-width characters folded (NFKC), white space removed, ``icp`` in capitals: how people paste it."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(
        "icp", "ICP", "".join(character for character in folded if not character.isspace()), flags=re.IGNORECASE
    )


def parse_record_number(text: str) -> RecordNumber:
    """Parse ``京ICP备12345678号``, ``…号-1``, ``…号-1A``, ``…号-1X`` and ``京ICP证030173号``."""
    match = _pattern().match(normalize_record_text(text))
    if match is None:
        raise RecordNumberError(f"not an ICP record number: {text!r}")
    website = match["website"]
    return RecordNumber(
        province=match["province"],
        serial=match["serial"],
        licensed=match["licence"] == "证",
        website=int(website) if website else None,
        kind=KIND_SUFFIXES.get(match["suffix"] or "", "website"),
    )


def format_record_number(
    province: str | int,
    serial: str | int,
    *,
    licensed: bool = False,
    website: int | None = None,
    kind: Kind = "website",
) -> str:
    """The canonical text. ``province`` is a GB/T 2260 code or an abbreviation; ``serial`` keeps its leading
    zeros when given as text. ValueError for parts that would not parse back."""
    abbreviation = str(province)
    if abbreviation not in _by_abbreviation():
        abbreviation = province_abbreviation(province)
    if kind != "website" and website is None:
        raise ValueError("an app or mini-program number has a website part")
    number = RecordNumber(abbreviation, str(serial), licensed=licensed, website=website, kind=kind)
    text = number.format()
    if parse_record_number(text) != number:
        raise ValueError("the parts do not make a record number")
    return text


def check_record_number(field: str, text: str | None, *, province_code: str | None = None) -> list[FieldError]:
    """A record number in the right form; with ``province_code`` (the owner's province), its abbreviation must
    be that province's."""
    if text is None or not text.strip():
        return [finding(field, "required")]
    try:
        number = parse_record_number(text)
    except RecordNumberError:
        return [finding(field, "record_number_format")]
    if province_code and number.province_code != str(province_code)[:2] + "0000":
        expected = next(
            (province.name_zh for province in default_provinces() if province.code == str(province_code)[:2] + "0000"),
            str(province_code),
        )
        return [finding(field, "record_number_province", abbreviation=number.province, expected=expected)]
    return []


def footer_html(record_number: str | RecordNumber, *, css_class: str = "icp-record") -> str:
    """The homepage footer snippet: the number centred, linked to the MIIT query site, opened in a new tab
    without giving that tab a handle on the page (``rel="noopener noreferrer"``), every value HTML-escaped."""
    number = record_number if isinstance(record_number, RecordNumber) else parse_record_number(record_number)
    return (
        f'<div class="{html.escape(css_class, quote=True)}" style="text-align: center;">'
        f'<a href="{html.escape(BEIAN_URL, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(number.format())}</a></div>"
    )
