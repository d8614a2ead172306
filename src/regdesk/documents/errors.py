"""The error every document component raises: a stable code and a message in Chinese and English.

The components are plain Python without Django, so their messages live in catalogues beside the errors (as in
`regdesk.rules.identity.result`) rather than in a gettext catalogue; the caller shows the one for the user's language.
No message carries personal data: they name fields, sizes and limits, never a value the user entered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class DocumentError(Exception):
    """A specific failure of a document component, with a stable code and a bilingual message.

    Each subclass names its ``catalogue``: code → (Chinese, English) message templates.
    """

    catalogue: ClassVar[Mapping[str, tuple[str, str]]] = {}

    def __init__(self, code: str, /, *, field: str | None = None, **values: object) -> None:
        chinese, english = self.catalogue[code]
        self.code = code
        self.field = field
        self.message_zh = chinese.format(field=field, **values)
        self.message_en = english.format(field=field, **values)
        super().__init__(f"{code}: {self.message_en}")

    def to_json(self) -> dict[str, Any]:
        """The error in the shape the API and the rules use: code and message per language."""
        return {"code": self.code, "message": {"zh-hans": self.message_zh, "en": self.message_en}}


class FontMissingError(DocumentError):
    """The embedded CJK font is not installed."""

    catalogue = {
        "font_missing": (
            "找不到生成PDF所需嵌入的中文TrueType字体（文泉驿微米黑，Debian软件包fonts-wqy-microhei）。",
            "The Chinese TrueType font our PDFs embed was not found "
            "(WenQuanYi Micro Hei, Debian package fonts-wqy-microhei).",
        ),
    }
