"""Measures, colours, paragraph styles and text helpers shared by the parts of the verification form."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

SHOWN_TIME_ZONE = ZoneInfo("Asia/Shanghai")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
FOOTER_HEIGHT = 10 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 32 * mm
VALUE_WIDTH = CONTENT_WIDTH / 2 - LABEL_WIDTH

GRID = colors.HexColor("#444444")
LABEL_BACKGROUND = colors.HexColor("#F1F3F6")
SECTION_BACKGROUND = colors.HexColor("#DCE3EC")
SECONDARY = "#555555"


class Styles:
    """The paragraph styles of the form, all in the embedded CJK font."""

    def __init__(self, font_name: str) -> None:
        self.font_name = font_name
        base = ParagraphStyle("form", fontName=font_name, fontSize=9, leading=12.5, wordWrap="CJK")
        self.value = base
        self.label = ParagraphStyle("label", parent=base, fontSize=8.5, leading=11)
        self.small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=10)
        self.english = ParagraphStyle("english", parent=base, fontSize=7.5, leading=10, wordWrap=None)
        self.section = ParagraphStyle("section", parent=base, fontSize=9.5, leading=13)
        self.title = ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER)
        self.subtitle = ParagraphStyle("subtitle", parent=self.english, fontSize=9, alignment=TA_CENTER)
        self.mark = ParagraphStyle("mark", parent=base, fontSize=11, leading=14, alignment=TA_CENTER)


def escaped(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def bilingual(chinese: str, english: str) -> str:
    return f'{escaped(chinese)}<br/><font size="6.5" color="{SECONDARY}">{escaped(english)}</font>'


def checkbox(checked: bool) -> str:
    # The font draws its squares small; a size up makes them read as boxes.
    return f'<font size="11">{"■" if checked else "□"}</font>'


def inner_table_style(styles: Styles) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles.font_name),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#888888")),
            ("BACKGROUND", (0, 0), (-1, 0), LABEL_BACKGROUND),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def shown_time(moment: datetime) -> str:
    local = moment.astimezone(SHOWN_TIME_ZONE)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
