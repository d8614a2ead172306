"""Reference check-character algorithms written straight from the standards, independent of the code under test,
used by the other identity tests to build valid numbers; checked here against well-known public samples."""

from __future__ import annotations

import datetime as dt

import pytest

# GB 11643-1999 §7.2, written out as in the standard.
RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RESIDENT_CHECK_CHARACTERS = "10X98765432"
# GB 32100-2015 table 1 (character values) and table 2 (weights).
USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# GB 11714-1997 §5.
ORGANIZATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def resident_check(body: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(body, RESIDENT_WEIGHTS, strict=True))
    return RESIDENT_CHECK_CHARACTERS[total % 11]


def resident_number(region: str, birth: dt.date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + resident_check(body)


def uscc_check(body: str) -> str:
    total = sum(USCC_CHARACTERS.index(char) * weight for char, weight in zip(body, USCC_WEIGHTS, strict=True))
    value = 31 - total % 31
    return "0" if value == 31 else USCC_CHARACTERS[value]


def character_value(character: str) -> int:
    """GB 11714 and ICAO 9303 value of a character: digits as themselves, A = 10 ... Z = 35."""
    if character.isdigit():
        return int(character)
    return ord(character) - ord("A") + 10


def organization_check(body: str) -> str:
    total = sum(character_value(char) * weight for char, weight in zip(body, ORGANIZATION_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def organization_code(body: str) -> str:
    return body + organization_check(body)


def uscc_number(authority: str, category: str, region: str, organization_body: str) -> str:
    body = authority + category + region + organization_code(organization_body)
    return body + uscc_check(body)


def mod_11_10_check(body: str) -> str:
    """ISO 7064 hybrid system MOD 11,10: P starts at 10; for each digit S = (P + d) mod 10 (0 counts as 10),
    P = 2S mod 11; the check digit makes the last S equal to 1."""
    product = 10
    for digit in body:
        total = (product + int(digit)) % 10 or 10
        product = (2 * total) % 11
    return str((11 - product) % 10)


def mrz_check(field: str) -> str:
    weights = [7, 3, 1]
    total = sum((0 if char == "<" else character_value(char)) * weights[i % 3] for i, char in enumerate(field))
    return str(total % 10)


def mrz_line(
    number: str,
    nationality: str,
    birth: str,
    sex: str,
    expiry: str,
    optional: str = "",
) -> str:
    """Line 2 of a TD3 machine-readable zone with correct check digits."""
    number_field = number.ljust(9, "<")
    nationality_field = nationality.ljust(3, "<")
    optional_field = optional.ljust(14, "<")
    optional_check = mrz_check(optional_field) if optional else "<"
    line = (
        number_field
        + mrz_check(number_field)
        + nationality_field
        + birth
        + mrz_check(birth)
        + sex
        + expiry
        + mrz_check(expiry)
        + optional_field
        + optional_check
    )
    composite = line[0:10] + line[13:20] + line[21:43]
    return line + mrz_check(composite)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        # The sample number of GB 11643-1999 and countless textbooks.
        ("11010519491231002X", True),
        ("110105194912310021", False),
    ],
)
def test_resident_reference_matches_public_sample(number: str, expected: bool) -> None:
    assert (resident_check(number[:17]) == number[17]) is expected


@pytest.mark.parametrize(
    "number",
    [
        # The worked example of GB 32100-2015 (91350100M000100Y4 -> 3) and python-stdnum's doctest sample.
        "91350100M000100Y43",
        "91110000600037341L",
    ],
)
def test_uscc_reference_matches_public_samples(number: str) -> None:
    assert uscc_check(number[:17]) == number[17]
    assert organization_check(number[8:16]) == number[16]


def test_mod_11_10_reference_matches_public_sample() -> None:
    # The sample business registration number used in many published validators.
    assert mod_11_10_check("11010800000001") == "6"


def test_mrz_reference_matches_icao_specimen() -> None:
    # ICAO Doc 9303 part 4 appendix: the specimen passport of Anna Maria Eriksson, Utopia.
    assert mrz_line("L898902C3", "UTO", "740812", "F", "120415", "ZE184226B") == (
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
