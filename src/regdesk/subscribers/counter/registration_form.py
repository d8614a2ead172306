"""The printed registration form and service agreement (入网登记表及服务协议) of a registered line, with the
customer's receipt (回执) on a second page: a PDF in Chinese and English, with the customer's data masked, the
outlet, the clerk and the time, and the customer's signature when it was drawn on the pad (else a line to sign on
paper). The font is the embedded CJK font of ``regdesk.documents``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from regdesk.documents.fonts import find_cjk_font, register_cjk_font

CHINA = ZoneInfo("Asia/Shanghai")
SIGNATURE_WIDTH = 60 * mm
SIGNATURE_HEIGHT = 22 * mm
# The agreement's clauses, as the provider's counters print them (Chinese, then English).
CLAUSES = (
    (
        "用户承诺所提供的身份证件及信息真实、有效，并由本人使用所登记的号码。",
        "The subscriber confirms that the identity document and data given are true and valid, and that the "
        "subscriber uses the registered line.",
    ),
    (
        "用户不得将号码转借、转让或出售给他人使用；过户须由新旧机主持有效证件到营业厅办理。",
        "The line may not be lent, passed on or sold to anyone; a change of holder is made at an outlet by both "
        "holders with their valid documents.",
    ),
    (
        "本公司依法收集、使用和保护用户个人信息，仅用于入网登记和法定义务，不向他人提供。",
        "The provider collects, uses and protects the subscriber's personal information lawfully, only for the "
        "registration and its legal duties, and gives it to no one else.",
    ),
    (
        "用户可通过“一证通查”查询本人证件名下的全部号码，对非本人办理的号码提出异议。",
        "The subscriber may list every line under the ID with the one-ID lookup and dispute any line not taken by "
        "the subscriber.",
    ),
)


@dataclass(frozen=True)
class FormRow:
    """One line of the form: the label in both languages and the value (masked where it is personal data)."""

    chinese: str
    english: str
    value: str


@dataclass(frozen=True)
class RegistrationForm:
    reference: str
    rows: Sequence[FormRow]
    receipt_rows: Sequence[FormRow]
    completed_at: dt.datetime
    signature_png: bytes | None


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=20, alignment=1, spaceAfter=2 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, alignment=1, spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11, leading=15, spaceBefore=4 * mm),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, textColor=colors.HexColor("#444")),
    }


def _table(rows: Sequence[FormRow], styles: dict[str, ParagraphStyle]) -> Table:
    data = [
        [
            Paragraph(f"{row.chinese}<br/><font size='7.5'>{row.english}</font>", styles["base"]),
            Paragraph(escape(row.value) or "—", styles["base"]),
        ]
        for row in rows
    ]
    table = Table(data, colWidths=(48 * mm, 122 * mm))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f3f6")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _signatures(form: RegistrationForm, styles: dict[str, ParagraphStyle]) -> Table:
    signed: Flowable = Spacer(SIGNATURE_WIDTH, SIGNATURE_HEIGHT)
    if form.signature_png is not None:
        signed = Image(io.BytesIO(form.signature_png), width=SIGNATURE_WIDTH, height=SIGNATURE_HEIGHT, kind="bound")
    when = form.completed_at.astimezone(CHINA).strftime("%Y-%m-%d")
    data = [
        [Paragraph("用户签名 Customer's signature", styles["base"]), Paragraph("营业员 Clerk", styles["base"])],
        [signed, Spacer(SIGNATURE_WIDTH, SIGNATURE_HEIGHT)],
        [Paragraph(f"日期 Date: {when}", styles["small"]), Paragraph(f"日期 Date: {when}", styles["small"])],
    ]
    table = Table(data, colWidths=(85 * mm, 85 * mm))
    table.setStyle(
        TableStyle([("LINEBELOW", (0, 1), (-1, 1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    )
    return table


def registration_form_pdf(form: RegistrationForm) -> bytes:
    """The form (page 1) and the customer's receipt (page 2) as a PDF."""
    font = register_cjk_font(find_cjk_font())
    styles = _styles(font)
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"入网登记表 Registration form {form.reference}",
        author="regdesk",
    )
    story: list[Flowable] = [
        Paragraph("电话用户入网登记表及服务协议", styles["title"]),
        Paragraph("Registration form and service agreement", styles["subtitle"]),
        _table(form.rows, styles),
        Paragraph("服务协议 Service agreement", styles["heading"]),
    ]
    for number, (chinese, english) in enumerate(CLAUSES, start=1):
        story.append(Paragraph(f"{number}. {chinese}<br/><font size='8'>{english}</font>", styles["base"]))
        story.append(Spacer(1, 1.5 * mm))
    story += [
        Spacer(1, 6 * mm),
        _signatures(form, styles),
        Spacer(1, 4 * mm),
        Paragraph(
            "证件信息已按个人信息保护要求隐去部分内容。Parts of the personal data are hidden to protect it.",
            styles["small"],
        ),
        PageBreak(),
        Paragraph("回执（用户联）", styles["title"]),
        Paragraph("Receipt (customer's copy)", styles["subtitle"]),
        _table(form.receipt_rows, styles),
        Spacer(1, 4 * mm),
        Paragraph(
            "请妥善保管本回执，凭业务编号查询办理记录。Keep this receipt: the reference finds the registration.",
            styles["small"],
        ),
    ]
    document.build(story)
    return output.getvalue()
