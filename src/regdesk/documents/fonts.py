"""The Chinese font embedded in generated PDFs.

reportlab embeds TrueType outlines only (and subsets them, which keeps the files small), so the font must be a
TrueType CJK font: WenQuanYi Micro Hei (文泉驿微米黑, Debian's `fonts-wqy-microhei`, face 0 of `wqy-microhei.ttc`),
installed by the set-up scripts. Noto CJK carries CFF outlines and cannot be embedded by reportlab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from regdesk.documents.errors import FontMissingError

FONT_FILE_NAME = "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"
# Face 0 of the collection is the proportional Micro Hei; face 1 is its monospaced sibling.
FONT_SUBFONT_INDEX = 0

# Where distributions put the file: Debian and Ubuntu (fonts-wqy-microhei), Fedora (wqy-microhei-fonts), Arch and
# openSUSE (wqy-microhei), and a hand install.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/local/share/fonts/wqy-microhei.ttc"),
)


def find_cjk_font(path: str | os.PathLike[str] | None = None) -> Path:
    """The font file: `path` when given (it must exist), else the first known location, else fontconfig's answer.

    Raises `FontMissingError` (code `font_missing`) naming the Debian package to install.
    """
    if path is not None:
        explicit = Path(path)
        if explicit.is_file():
            return explicit
        raise FontMissingError("font_missing")
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    located = _fontconfig_match()
    if located is not None:
        return located
    raise FontMissingError("font_missing")


def _fontconfig_match() -> Path | None:
    executable = shutil.which("fc-match")
    if executable is None:
        return None
    try:
        # A fixed argument list, no shell: the executable is fontconfig's own query tool.
        completed = subprocess.run(  # noqa: S603
            [executable, "--format=%{file}", FONT_FAMILY], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    located = Path(completed.stdout.strip())
    # fc-match always answers with some font; only the one we asked for will do.
    if completed.returncode == 0 and located.name == FONT_FILE_NAME and located.is_file():
        return located
    return None


@cache
def register_cjk_font(path: Path) -> str:
    """Register the font with reportlab once per file; return the name to use in styles and on the canvas."""
    name = "WQYMicroHei" if path in FONT_CANDIDATES else f"WQYMicroHei-{abs(hash(str(path))):x}"
    try:
        font = TTFont(name, str(path), subfontIndex=FONT_SUBFONT_INDEX)
    except (TTFError, OSError) as error:
        raise FontMissingError("font_missing") from error
    pdfmetrics.registerFont(font)
    return name


def font_covers(name: str, text: str) -> bool:
    """Whether the registered font has a glyph for every character of `text` (line breaks and spaces aside)."""
    font = pdfmetrics.getFont(name)
    char_to_glyph: dict[int, int] = font.face.charToGlyph
    return all(ord(character) in char_to_glyph for character in text if not character.isspace())
