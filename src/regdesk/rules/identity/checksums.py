"""Check-character algorithms of the identity documents and organisation codes."""

from __future__ import annotations

from stdnum.iso7064 import mod_11_2, mod_11_10

DIGITS = "0123456789"

# GB 32100-2015 §4.2: the 31 characters of a unified social credit code (no I, O, S, V, Z), valued 0 to 30.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5: weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, index, 31) for index in range(17))

# GB 11714-1997: organisation code characters are digits and upper-case letters (A=10 ... Z=35).
ORGANIZATION_CODE_ALPHABET = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GB 11714-1997 §5: weights of the eight body characters.
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# ICAO Doc 9303 part 3 §4.9: weights 7, 3, 1 repeated; digits as themselves, A=10 ... Z=35, filler < = 0.
MRZ_ALPHABET = ORGANIZATION_CODE_ALPHABET
MRZ_WEIGHTS = (7, 3, 1)


def mod_11_2_check(body: str) -> str:
    """GB 11643-1999 / ISO 7064 MOD 11-2 check character of 17 digits: "10X98765432"[sum mod 11] with weights
    7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (which are 2^17 ... 2^1 mod 11, hence the ISO 7064 module)."""
    return str(mod_11_2.calc_check_digit(body))


def mod_11_10_check(body: str) -> str:
    """ISO 7064 MOD 11,10 check digit (GB/T 17710), used by the 15-digit business registration number."""
    return str(mod_11_10.calc_check_digit(body))


def uscc_check(body: str) -> str:
    """GB 32100-2015 check character of the first 17 characters: 31 - (sum mod 31), with 31 written as 0."""
    total = sum(USCC_ALPHABET.index(character) * weight for character, weight in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organization_code_check(body: str) -> str:
    """GB 11714-1997 check character of 8 characters: 11 - (sum mod 11); 10 is written X and 11 is written 0."""
    total = sum(
        ORGANIZATION_CODE_ALPHABET.index(character) * weight
        for character, weight in zip(body, ORGANIZATION_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    if value == 10:
        return "X"
    return "0" if value == 11 else str(value)


def mrz_check(field: str) -> str:
    """ICAO 9303 check digit of a machine-readable-zone field: the weighted sum (7, 3, 1, ...) mod 10."""
    total = 0
    for index, character in enumerate(field):
        value = 0 if character == "<" else MRZ_ALPHABET.index(character)
        total += value * MRZ_WEIGHTS[index % 3]
    return str(total % 10)
