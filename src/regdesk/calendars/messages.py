"""Messages for the command line, where the reader may not read the active language: both it and English."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext


def bilingual(msgid: str, params: Mapping[str, object] | None = None) -> str:
    """``msgid`` (marked with ``gettext_noop``) in the active language, followed by the English when they differ."""
    english = msgid % dict(params) if params is not None else msgid
    translated = gettext(msgid) % dict(params) if params is not None else gettext(msgid)
    return english if translated == english else f"{translated} / {english}"
