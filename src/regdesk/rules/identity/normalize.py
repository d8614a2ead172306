"""Input clean-up shared by the validators: what people type is not always what the document shows."""

from __future__ import annotations

import unicodedata

# Dash-like characters people paste from documents and word processors, read as a plain hyphen.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
# The multiplication sign is what Chinese input methods often give for the X of a resident ID.
_LOOK_ALIKES = {ord("\u00d7"): "X"}


def clean(raw: str, *, keep_hyphens: bool = False) -> str:
    """Full-width to half-width (NFKC), no white space or invisible characters, letters in upper case.

    Hyphens are separators (``110105-19491231-002X``) and dropped unless ``keep_hyphens``.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES).translate(_LOOK_ALIKES)
    kept = [
        character
        for character in text
        if not character.isspace() and unicodedata.category(character) not in ("Cc", "Cf", "Zs", "Zl", "Zp")
    ]
    result = "".join(kept).upper()
    return result if keep_hyphens else result.replace("-", "")


def sanitize_free_text(raw: str) -> str:
    """Free text (a military ID): NFKC, no white space or control characters, letters in upper case, and only
    letters, digits and the punctuation such numbers use."""
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    allowed_punctuation = set("-()·/#.")
    kept = [character for character in text if character.isalnum() or character in allowed_punctuation]
    return "".join(kept).upper()


def disallowed(text: str, allowed: str) -> str:
    """The characters of ``text`` outside ``allowed``, each once, in order of appearance."""
    seen: list[str] = []
    for character in text:
        if character not in allowed and character not in seen:
            seen.append(character)
    return "".join(seen)
