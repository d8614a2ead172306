"""Messages in Chinese and English at once, for errors that reach logs, commands and other apps' users alike."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.translation import gettext


def bilingual(msgid: str, params: Mapping[str, object] | None = None) -> str:
    """``msgid`` (an English text marked with ``gettext_noop``) in Chinese, then in English: ``中文 / English``."""
    values = dict(params) if params is not None else None
    english = msgid % values if values is not None else msgid
    with translation.override("zh-hans"):
        chinese = gettext(msgid) % values if values is not None else gettext(msgid)
    return english if chinese == english else f"{chinese} / {english}"
