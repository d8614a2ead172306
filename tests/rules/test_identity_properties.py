"""Properties of every check-character algorithm: a body with its computed check character validates, and a
substituted check character (or body character, where the algorithm guarantees to notice) is refused."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pycountry
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.iso7064 import mod_11_2, mod_11_10

from regdesk.rules import divisions
from regdesk.rules.identity import card_document_type, checksums, validate
from regdesk.rules.identity.organisation import AUTHORITIES
from tests.rules.test_identity_reference import (
    mod_11_10_check,
    mrz_check,
    mrz_line,
    organization_check,
    resident_check,
    uscc_check,
)

TODAY = dt.date(2025, 6, 30)
DIGITS = "0123456789"
RESIDENT_CHECKS = "0123456789X"
USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

REGIONS = sorted(
    code
    for code in divisions.load_table().divisions
    if code[:6] not in ("810000", "820000", "830000") and not code.startswith("9")
)
PROVINCES = sorted({code[:2] for code in REGIONS if code.endswith("0000")})
NATIONALITIES = sorted(country.numeric for country in pycountry.countries)

birth_dates = st.dates(min_value=dt.date(1850, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999).map(lambda number: f"{number:03d}")


def other_character(alphabet: str, current: str) -> st.SearchStrategy[str]:
    return st.sampled_from([character for character in alphabet if character != current])


def substitute(number: str, position: int, character: str) -> str:
    return number[:position] + character + number[position + 1 :]


# --- MOD 11-2: resident ID, residence permit, permanent residence card ------------------------------------------


@given(st.text(alphabet=DIGITS, min_size=17, max_size=17))
def test_mod_11_2_matches_the_standard_weights_and_stdnum(body: str) -> None:
    assert checksums.mod_11_2_check(body) == resident_check(body)
    assert mod_11_2.is_valid(body + resident_check(body))


def _resident_numbers() -> st.SearchStrategy[str]:
    return st.builds(
        lambda region, birth, sequence: f"{region}{birth:%Y%m%d}{sequence}",
        st.sampled_from(REGIONS),
        birth_dates,
        sequences,
    ).map(lambda body: body + resident_check(body))


def _permit_numbers() -> st.SearchStrategy[str]:
    return st.builds(
        lambda prefix, birth, sequence: f"{prefix}{birth:%Y%m%d}{sequence}",
        st.sampled_from(["810000", "820000", "830000"]),
        birth_dates,
        sequences,
    ).map(lambda body: body + resident_check(body))


def _permanent_numbers() -> st.SearchStrategy[str]:
    return st.builds(
        lambda province, nationality, birth, sequence: f"9{province}{nationality}{birth:%Y%m%d}{sequence}",
        st.sampled_from(PROVINCES),
        st.sampled_from(NATIONALITIES),
        birth_dates,
        sequences,
    ).map(lambda body: body + resident_check(body))


MOD_11_2_DOCUMENTS = {
    "resident_id": _resident_numbers(),
    "residence_permit": _permit_numbers(),
    "permanent_residence": _permanent_numbers(),
}


@given(st.sampled_from(sorted(MOD_11_2_DOCUMENTS)), st.data())
def test_mod_11_2_documents_accept_the_computed_check(document_type: str, data: st.DataObject) -> None:
    number = data.draw(MOD_11_2_DOCUMENTS[document_type])
    result = validate(document_type, number, today=TODAY)
    assert result.valid, result.error_codes
    assert result.normalized == number


@given(_permit_numbers())
def test_a_permit_number_is_a_permit_and_never_a_resident_id(number: str) -> None:
    assert validate("resident_id", number, today=TODAY).error_codes == ["residence_permit_number"]
    detected = validate("auto", number, today=TODAY)
    assert (detected.type, detected.valid) == ("residence_permit", True)
    assert card_document_type(number) == "residence_permit"


@given(_resident_numbers())
def test_a_resident_id_number_is_read_as_a_resident_id(number: str) -> None:
    assert card_document_type(number) == "resident_id"


@given(st.sampled_from(sorted(MOD_11_2_DOCUMENTS)), st.data())
def test_mod_11_2_documents_refuse_another_check(document_type: str, data: st.DataObject) -> None:
    number = data.draw(MOD_11_2_DOCUMENTS[document_type])
    wrong = substitute(number, 17, data.draw(other_character(RESIDENT_CHECKS, number[17])))
    assert validate(document_type, wrong, today=TODAY).error_codes == ["checksum"]


@given(st.sampled_from(sorted(MOD_11_2_DOCUMENTS)), st.data())
def test_mod_11_2_documents_notice_any_changed_digit(document_type: str, data: st.DataObject) -> None:
    number = data.draw(MOD_11_2_DOCUMENTS[document_type])
    # The leading 9 of a permanent residence card is what tells the edition apart, so it is not a digit to vary.
    first = 1 if document_type == "permanent_residence" else 0
    position = data.draw(st.integers(min_value=first, max_value=16))
    wrong = substitute(number, position, data.draw(other_character(DIGITS, number[position])))
    assert "checksum" in validate(document_type, wrong, today=TODAY).error_codes


@given(_resident_numbers())
def test_full_width_input_gives_the_same_answer(number: str) -> None:
    full_width = "".join(chr(ord(character) + 0xFEE0) for character in number)
    assert unicodedata.normalize("NFKC", full_width) == number
    result = validate("resident_id", full_width.lower(), today=TODAY)
    assert result.valid
    assert result.normalized == number


# --- GB 32100 unified social credit code ------------------------------------------------------------------------

_categories = [(authority, category) for authority, (_, _, table) in AUTHORITIES.items() for category in table]


@st.composite
def usccs(draw: st.DrawFn) -> str:
    authority, category = draw(st.sampled_from(_categories))
    region = draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))
    organization_body = draw(st.text(alphabet=USCC_CHARACTERS, min_size=8, max_size=8))
    body = authority + category + region + organization_body + organization_check(organization_body)
    return body + uscc_check(body)


@given(st.text(alphabet=USCC_CHARACTERS, min_size=17, max_size=17))
def test_uscc_check_matches_the_standard_and_stdnum(body: str) -> None:
    assert checksums.uscc_check(body) == uscc_check(body) == stdnum_uscc.calc_check_digit(body)


@given(usccs())
def test_uscc_accepts_the_computed_check(number: str) -> None:
    result = validate("uscc", number, today=TODAY)
    assert result.valid, result.error_codes


@given(usccs(), st.data())
def test_uscc_refuses_another_check(number: str, data: st.DataObject) -> None:
    wrong = substitute(number, 17, data.draw(other_character(USCC_CHARACTERS, number[17])))
    assert validate("uscc", wrong, today=TODAY).error_codes == ["checksum"]


@given(usccs(), st.data())
def test_uscc_notices_any_changed_character(number: str, data: st.DataObject) -> None:
    # Weights 3^i mod 31 are never 0 mod 31 and values differ by less than 31: every substitution shows.
    position = data.draw(st.integers(min_value=0, max_value=16))
    wrong = substitute(number, position, data.draw(other_character(USCC_CHARACTERS, number[position])))
    assert "checksum" in validate("uscc", wrong, today=TODAY).error_codes


# --- GB 11714 organisation code ---------------------------------------------------------------------------------

organization_bodies = st.text(alphabet=DIGITS + LETTERS, min_size=8, max_size=8)


@given(organization_bodies)
def test_organization_code_accepts_the_computed_check(body: str) -> None:
    assert checksums.organization_code_check(body) == organization_check(body)
    result = validate("org_code", body + organization_check(body), today=TODAY)
    assert result.valid
    assert result.normalized == f"{body}-{organization_check(body)}"


@given(organization_bodies, st.data())
def test_organization_code_refuses_another_check(body: str, data: st.DataObject) -> None:
    check = organization_check(body)
    wrong = data.draw(other_character(DIGITS + "X", check))
    assert validate("org_code", body + wrong, today=TODAY).error_codes == ["checksum"]


@given(organization_bodies, st.data())
def test_organization_code_notices_a_changed_digit(body: str, data: st.DataObject) -> None:
    # Digits differ by less than 11 and no weight is 0 mod 11 (letters can differ by 11, so they are left out).
    number = body + organization_check(body)
    digit_positions = [index for index, character in enumerate(body) if character.isdigit()]
    if not digit_positions:
        return
    position = data.draw(st.sampled_from(digit_positions))
    wrong = substitute(number, position, data.draw(other_character(DIGITS, number[position])))
    assert validate("org_code", wrong, today=TODAY).error_codes == ["checksum"]


# --- ISO 7064 MOD 11,10 business registration number ------------------------------------------------------------

registration_bodies = st.text(alphabet=DIGITS, min_size=14, max_size=14)


@given(registration_bodies)
def test_mod_11_10_accepts_the_computed_check(body: str) -> None:
    assert checksums.mod_11_10_check(body) == mod_11_10_check(body)
    assert mod_11_10.is_valid(body + mod_11_10_check(body))
    assert validate("business_registration_number", body + mod_11_10_check(body), today=TODAY).valid


@given(registration_bodies, st.data())
def test_mod_11_10_notices_any_changed_digit(body: str, data: st.DataObject) -> None:
    number = body + mod_11_10_check(body)
    position = data.draw(st.integers(min_value=0, max_value=14))
    wrong = substitute(number, position, data.draw(other_character(DIGITS, number[position])))
    assert validate("business_registration_number", wrong, today=TODAY).error_codes == ["checksum"]


# --- ICAO 9303 machine-readable zone ----------------------------------------------------------------------------


@st.composite
def mrz_lines(draw: st.DrawFn) -> str:
    number = draw(st.text(alphabet=DIGITS + LETTERS, min_size=5, max_size=9))
    nationality = draw(st.sampled_from(["CHN", "USA", "GBR", "DEU", "D", "JPN", "KOR", "FRA", "XXA"]))
    birth = draw(st.dates(min_value=dt.date(1926, 1, 1), max_value=TODAY))
    expiry = draw(st.dates(min_value=max(birth, dt.date(2000, 1, 1)), max_value=dt.date(2040, 12, 31)))
    sex = draw(st.sampled_from("MFX<"))
    optional = draw(st.text(alphabet=DIGITS + LETTERS, max_size=14))
    return mrz_line(number, nationality, f"{birth:%y%m%d}", sex, f"{expiry:%y%m%d}", optional)


@given(st.text(alphabet=DIGITS + LETTERS + "<", min_size=1, max_size=40))
def test_mrz_check_matches_the_reference(field: str) -> None:
    assert checksums.mrz_check(field) == mrz_check(field)


@given(mrz_lines())
def test_mrz_accepts_the_computed_checks(line: str) -> None:
    result = validate("passport_mrz", line, today=TODAY)
    assert result.valid, result.error_codes


@given(mrz_lines(), st.sampled_from([9, 19, 27, 43]), st.data())
def test_mrz_refuses_another_check_digit(line: str, position: int, data: st.DataObject) -> None:
    wrong = substitute(line, position, data.draw(other_character(DIGITS, line[position])))
    assert not validate("passport_mrz", wrong, today=TODAY).valid


@given(mrz_lines(), st.data())
def test_mrz_notices_a_changed_digit_of_a_checked_field(line: str, data: st.DataObject) -> None:
    # Weights 7, 3, 1 are prime to 10 and digits differ by less than 10: every digit substitution shows.
    positions = [index for index in [*range(9), *range(13, 19), *range(21, 27)] if line[index].isdigit()]
    position = data.draw(st.sampled_from(positions))
    wrong = substitute(line, position, data.draw(other_character(DIGITS, line[position])))
    assert not validate("passport_mrz", wrong, today=TODAY).valid
