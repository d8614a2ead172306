"""Nationalities: ISO 3166-1 (GB/T 2659) countries from pycountry, plus the extra codes of ICAO Doc 9303."""

from __future__ import annotations

import gettext
from functools import lru_cache
from typing import Any

import pycountry

# ICAO Doc 9303 part 3 §5: nationality codes of travel documents that are not ISO 3166-1 alpha-3 codes.
ICAO_SPECIAL_CODES: dict[str, tuple[str, str]] = {
    "D": ("Germany", "德国"),
    "EUE": ("European Union", "欧洲联盟"),
    "GBD": ("British Overseas Territories Citizen", "英国海外领土公民"),
    "GBN": ("British National (Overseas)", "英国国民（海外）"),
    "GBO": ("British Overseas Citizen", "英国海外公民"),
    "GBP": ("British Protected Person", "英国受保护人"),
    "GBS": ("British Subject", "英国臣民"),
    "RKS": ("Kosovo", "科索沃"),
    "UNA": ("Specialized agency of the United Nations", "联合国专门机构"),
    "UNK": ("Resident of Kosovo (UNMIK)", "科索沃居民（联合国科索沃特派团）"),
    "UNO": ("United Nations Organization", "联合国"),
    "UTO": ("Utopia (ICAO specimen)", "乌托邦（国际民航组织样例）"),
    "XBA": ("African Development Bank", "非洲开发银行"),
    "XCC": ("Caribbean Community", "加勒比共同体"),
    "XCE": ("Council of Europe", "欧洲委员会"),
    "XCO": ("Common Market for Eastern and Southern Africa", "东部和南部非洲共同市场"),
    "XEC": ("Economic Community of West African States", "西非国家经济共同体"),
    "XIM": ("African Export-Import Bank", "非洲进出口银行"),
    "XOM": ("Sovereign Military Order of Malta", "马耳他主权军事修会"),
    "XPO": ("Interpol", "国际刑警组织"),
    "XXA": ("Stateless person", "无国籍人"),
    "XXB": ("Refugee (1951 Convention)", "难民（1951年公约）"),
    "XXC": ("Refugee (other)", "难民（其他）"),
    "XXX": ("Person of unspecified nationality", "国籍不明者"),
}


@lru_cache(maxsize=1)
def _chinese() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def _describe(country: Any) -> dict[str, str | None]:
    return {
        "numeric": str(country.numeric),
        "alpha_3": str(country.alpha_3),
        "name_en": str(getattr(country, "common_name", None) or country.name),
        "name_zh": _chinese().gettext(str(country.name)),
    }


def _find(field: str, code: str) -> Any:
    country = pycountry.countries.get(**{field: code})  # type: ignore[arg-type]
    if country is None:
        # Codes withdrawn from ISO 3166-1 still appear on documents issued before the change.
        country = pycountry.historic_countries.get(**{field: code})  # type: ignore[arg-type]
    return country


def by_numeric(code: str) -> dict[str, str | None] | None:
    """The country with this three-digit ISO 3166-1 numeric code (GB/T 2659), or None."""
    country = _find("numeric", code) if len(code) == 3 and code.isdigit() else None
    return None if country is None else _describe(country)


def by_alpha3(code: str) -> dict[str, str | None] | None:
    """The country with this ISO 3166-1 alpha-3 code, or None."""
    country = _find("alpha_3", code) if len(code) == 3 and code.isalpha() else None
    return None if country is None else _describe(country)


def by_icao(code: str) -> dict[str, str | None] | None:
    """The nationality of an ICAO 9303 code: an ISO alpha-3 code or one of ICAO's own codes."""
    if code in ICAO_SPECIAL_CODES:
        if code == "D":
            return by_alpha3("DEU")
        english, chinese = ICAO_SPECIAL_CODES[code]
        return {"numeric": None, "alpha_3": code, "name_en": english, "name_zh": chinese}
    return by_alpha3(code)
