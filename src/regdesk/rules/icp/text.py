"""Text helpers shared by the ICP rules: Chinese characters, names, lengths, multi-value fields."""

from __future__ import annotations

import re
import unicodedata

from regdesk.rules.icp.result import FieldError, finding

# MIIT enterprise interface v3.0 §3-2: the upload documents are XML 1.0 encoded in GBK, so a character either
# cannot carry (an emoji, Hangul, the Kangxi radicals U+2F00-U+2FD5, CJK extensions B and beyond, private use) is
# refused by the regulator's system. The same definition as the MIIT codec's: Python's "gbk" codec, and the
# characters XML 1.0 cannot hold at all.
REGULATOR_ENCODING = "gbk"
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The XSD's multi-value fields (Wzmc, Fzr_dhhm, Fzr_sjhm, Fzr_dzyj) separate values with ';'; the full-width
# semicolon of Chinese input methods is read the same way.
MULTI_VALUE_SEPARATORS = re.compile(r"[;；]")
# A person's name as identity documents print it: Chinese characters, letters of any script, combining marks, the
# middle dot of transcribed minority and foreign names (阿依古丽·买买提), spaces, hyphens and apostrophes.
NAME_PUNCTUATION = frozenset("·•・.．'’- ")
# DOMAIN.md §1.3 (管局 review practice): an individual's name and website name carry no word of an organisation
# or a business, since a personal filing may not present itself as one.
ORGANISATION_WORDS = (
    "公司",
    "企业",
    "集团",
    "工作室",
    "工厂",
    "商行",
    "事务所",
    "中心",
    "协会",
    "学会",
    "研究院",
    "研究所",
    "学校",
    "大学",
    "学院",
    "医院",
    "政府",
    "委员会",
    "官方",
    "官网",
)


def is_cjk_ideograph(character: str) -> bool:
    """A CJK unified ideograph (the basic block and every extension): what "a Chinese character" counts."""
    return unicodedata.name(character, "").startswith("CJK UNIFIED IDEOGRAPH")


def count_cjk(text: str) -> int:
    return sum(1 for character in text if is_cjk_ideograph(character))


def folded(text: str) -> str:
    """NFKC form: full-width letters and digits become ASCII, so that shape checks see what a reader sees."""
    return unicodedata.normalize("NFKC", text)


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(character) in ("Cc", "Cf", "Co", "Cs") for character in text)


def only_latin_or_digits(text: str) -> bool:
    """Nothing but ASCII letters and digits (ignoring spaces and punctuation), and at least one of them."""
    significant = [character for character in folded(text) if character.isalnum()]
    return bool(significant) and all(character.isascii() for character in significant)


def split_values(text: str) -> list[str]:
    """The values of a multi-value field, trimmed; empty parts are dropped."""
    return [part.strip() for part in MULTI_VALUE_SEPARATORS.split(text) if part.strip()]


def first_unencodable(text: str) -> str | None:
    """The first character of ``text`` the regulator's upload cannot carry (outside GBK, or forbidden in XML 1.0),
    or ``None`` when every character can be sent."""
    forbidden = XML_FORBIDDEN.search(text)
    if forbidden is not None:
        return forbidden.group(0)
    try:
        text.encode(REGULATOR_ENCODING)
    except UnicodeEncodeError as error:
        return text[error.start]
    return None


def check_encodable(field: str, value: str | None) -> list[FieldError]:
    """A finding naming the first character of ``value`` that cannot be sent to the regulator, if there is one."""
    character = first_unencodable(value or "")
    if character is None:
        return []
    codepoint = f"U+{ord(character):04X}"
    # An invisible or combining character is shown by its code point only.
    if unicodedata.category(character)[0] in "LNPS":
        shown_zh, shown_en = f"“{character}”（{codepoint}）", f"“{character}” ({codepoint})"
    else:
        shown_zh = shown_en = codepoint
    return [finding(field, "not_encodable", shown_zh=shown_zh, shown_en=shown_en)]


def check_text(
    field: str, value: str | None, *, max_length: int, min_length: int = 1, required: bool = True
) -> tuple[str | None, list[FieldError]]:
    """The trimmed text and the findings for presence, length (the XSD's limits) and control characters."""
    text = (value or "").strip()
    if not text:
        return None, [finding(field, "required")] if required else []
    if has_control_characters(text):
        return None, [finding(field, "control_characters")]
    if len(text) > max_length:
        return None, [finding(field, "too_long", limit=max_length, actual=len(text))]
    if len(text) < min_length:
        return None, [finding(field, "too_short", limit=min_length, actual=len(text))]
    return text, []


def is_person_name(text: str) -> bool:
    """A person's name: letters (Chinese or other scripts) with the punctuation names use, and no digits."""
    folded_text = folded(text)
    has_letter = False
    for character in folded_text:
        category = unicodedata.category(character)
        if category.startswith("L"):
            has_letter = True
        elif category.startswith("M") or character in NAME_PUNCTUATION:
            continue
        else:
            return False
    return has_letter


def organisation_word(text: str) -> str | None:
    """The first word of an organisation or a business found in the text, if any."""
    return next((word for word in ORGANISATION_WORDS if word in text), None)


def check_person_name(field: str, value: str | None, *, required: bool = True) -> tuple[str | None, list[FieldError]]:
    """Fzr_xm (XSD maxLength 128): a person's name, not an organisation's."""
    name, findings = check_text(field, value, max_length=128, required=required)
    if name is None:
        return None, findings
    if not is_person_name(name):
        return None, [finding(field, "person_name_characters")]
    word = organisation_word(name)
    if word is not None:
        return None, [finding(field, "individual_name_organisational", word=word)]
    return name, []
