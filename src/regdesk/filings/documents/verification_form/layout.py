"""The verification form as one PDF holding both copies, one A4 page each.

Copy 1 stays in the provider's records; copy 2 goes to the Communications Administration and bears the provider's
seal, drawn in translucent red over the signature area. The text is set in an embedded, subset TrueType CJK font,
so every viewer and printer shows the Chinese, and the file stays far below the interface's 150 K.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from regdesk.documents.fonts import find_cjk_font, font_covers, register_cjk_font
from regdesk.filings.documents.errors import VerificationFormError
from regdesk.filings.documents.limits import VERIFICATION_FORM_LIMIT_ENCODED, base64_length
from regdesk.filings.documents.verification_form.data import (
    FormPerson,
    OriginalsSeen,
    VerificationFormData,
    VerificationMethod,
    iter_text_fields,
    validate_form_data,
)
from regdesk.filings.documents.verification_form.seal import SignatureBlock, seal_image, signature_table
from regdesk.filings.documents.verification_form.style import (
    CONTENT_WIDTH,
    FOOTER_HEIGHT,
    GRID,
    LABEL_BACKGROUND,
    LABEL_WIDTH,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SECONDARY,
    SECTION_BACKGROUND,
    VALUE_WIDTH,
    Styles,
    bilingual,
    checkbox,
    escaped,
    inner_table_style,
    shown_time,
)

TITLE = ("网站备案信息真实性核验单", "Authenticity Verification of the Website Registration Information")
COPY_MARKS = (
    ("第一联　接入服务提供者留存", "Copy 1 — Provider's records"),
    ("第二联　报送通信管理局", "Copy 2 — For the Communications Administration"),
)


def render_verification_form(
    data: VerificationFormData,
    *,
    seal_png: bytes,
    font_path: str | os.PathLike[str] | None = None,
    encoded_limit: int = VERIFICATION_FORM_LIMIT_ENCODED,
) -> bytes:
    """The form as a two-page PDF: copy 1 for the provider's records, copy 2 sealed for the Administration.

    `seal_png` is the provider's seal (PNG; white or transparent background, any ink colour). `font_path` overrides
    the search for WenQuanYi Micro Hei. Raises `VerificationFormError` for missing or wrong data, a character the
    font cannot show, an unreadable seal, a missing font, or a result beyond `encoded_limit` characters of base64.
    """
    validate_form_data(data)
    font_name = register_cjk_font(find_cjk_font(font_path))
    registerFontFamily(font_name, normal=font_name, bold=font_name, italic=font_name, boldItalic=font_name)
    for path, text in iter_text_fields(data):
        if not font_covers(font_name, text):
            raise VerificationFormError("form_glyph_missing", field=path)
    seal = seal_image(seal_png)
    styles = Styles(font_name)

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=TITLE[0],
        subject=f"{TITLE[1]} {data.form_number}",
        author=data.provider_name,
        creator="regdesk",
        # No creation time or random document ID: the same data gives the same bytes.
        invariant=True,
        pageCompression=1,
        # Every page and every table starts in this font rather than in Helvetica, which would be listed in the
        # file as a font that is not embedded.
        initialFontName=font_name,
    )
    frame_height = PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        CONTENT_WIDTH,
        frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=_footer(data, font_name))])
    story: list[Flowable] = []
    for copy_index, copy_mark in enumerate(COPY_MARKS):
        content = _copy(data, styles, copy_mark, seal if copy_index == 1 else None)
        # Shrinking keeps each copy on exactly one page even for a filing with many websites.
        story.append(KeepInFrame(CONTENT_WIDTH, frame_height, content, mode="shrink"))
        if copy_index < len(COPY_MARKS) - 1:
            story.append(PageBreak())
    document.build(story)
    pdf = buffer.getvalue()
    if base64_length(len(pdf)) > encoded_limit:
        raise VerificationFormError(
            "form_too_large", limit_kb=encoded_limit // 1000, actual_kb=base64_length(len(pdf)) // 1000
        )
    return pdf


class _Rows:
    """The rows of the main table and the spans and shading that go with them."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.rows: list[list[Any]] = []
        self.commands: list[tuple[Any, ...]] = []

    def section(self, chinese: str, english: str) -> None:
        row = len(self.rows)
        text = f'{escaped(chinese)}　<font size="7.5" color="{SECONDARY}">{escaped(english)}</font>'
        self.rows.append([Paragraph(text, self.styles.section), "", "", ""])
        self.commands += [("SPAN", (0, row), (3, row)), ("BACKGROUND", (0, row), (3, row), SECTION_BACKGROUND)]

    def pair(
        self, label: tuple[str, str], value: Any, label_2: tuple[str, str] | None = None, value_2: Any = ""
    ) -> None:
        row = len(self.rows)
        cells = [self._label(label), self._value(value)]
        self.commands.append(("BACKGROUND", (0, row), (0, row), LABEL_BACKGROUND))
        if label_2 is None:
            cells += ["", ""]
            self.commands.append(("SPAN", (1, row), (3, row)))
        else:
            cells += [self._label(label_2), self._value(value_2)]
            self.commands.append(("BACKGROUND", (2, row), (2, row), LABEL_BACKGROUND))
        self.rows.append(cells)

    def full(self, flowable: Flowable) -> None:
        row = len(self.rows)
        self.rows.append([flowable, "", "", ""])
        self.commands.append(("SPAN", (0, row), (3, row)))

    def _label(self, label: tuple[str, str]) -> Paragraph:
        return Paragraph(bilingual(*label), self.styles.label)

    def _value(self, value: Any) -> Any:
        return Paragraph(escaped(value), self.styles.value) if isinstance(value, str) else value

    def table(self) -> Table:
        table = Table(self.rows, colWidths=[LABEL_WIDTH, VALUE_WIDTH, LABEL_WIDTH, VALUE_WIDTH])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.styles.font_name),
                    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    *self.commands,
                ]
            )
        )
        return table


def _copy(
    data: VerificationFormData, styles: Styles, copy_mark: tuple[str, str], seal: ImageReader | None
) -> list[Flowable]:
    method_labels = Paragraph(
        "<br/>".join(
            f"{checkbox(method is data.method)} {escaped(method.labels[0])} {escaped(method.labels[1])}"
            for method in VerificationMethod
        ),
        styles.value,
    )
    heading = [
        _copy_mark_box(copy_mark, styles),
        Spacer(0, 2 * mm),
        Paragraph(escaped(TITLE[0]), styles.title),
        Paragraph(escaped(TITLE[1]), styles.subtitle),
        Spacer(0, 3 * mm),
    ]
    rows = _Rows(styles)
    rows.pair(("核验单编号", "Form number"), data.form_number, ("核验方式", "Method"), method_labels)
    rows.section("一、网站主办者", "Website owner")
    rows.pair(("主办者名称", "Name"), data.owner.name, ("主办者性质", "Nature"), data.owner.nature)
    rows.pair(
        ("证件类型", "Certificate type"),
        data.owner.certificate_type,
        ("证件号码", "Certificate number"),
        data.owner.certificate_number,
    )
    if data.owner.certificate_address:
        rows.pair(("证件住所", "Address on certificate"), data.owner.certificate_address)
    rows.section("二、主体负责人", "Person in charge")
    _person_rows(rows, data.person_in_charge)
    rows.section("三、网站信息", "Websites")
    rows.full(_websites_table(data, styles))
    rows.section("四、接入服务提供者", "Access provider")
    rows.pair(("名称", "Name"), data.provider_name, ("经营许可证号", "Licence number"), data.provider_licence or "—")
    rows.section("五、核验情况", "Verification")
    rows.pair(("已查验原件", "Originals inspected"), _originals_table(data.originals_seen, styles))
    rows.pair(
        ("人证比对", "Person vs ID photo"),
        Paragraph(
            f"{checkbox(data.face_matches_id)} 本人与证件照片一致 Matches　　"
            f"{checkbox(not data.face_matches_id)} 不一致 Does not match",
            styles.value,
        ),
    )
    rows.pair(("信息比对", "Checks against records"), _record_checks_table(data, styles))
    rows.pair(
        ("核验人", "Specialist"), data.specialist_name, ("核验时间", "Time (Beijing)"), shown_time(data.verified_at)
    )
    rows.pair(("核验地点", "Place"), data.place)
    rows.section("六、声明", "Statement")
    rows.full(
        Paragraph(
            f"{escaped(data.statement_zh)}<br/>"
            f'<font size="7.5" color="{SECONDARY}">{escaped(data.statement_en)}</font>',
            styles.value,
        )
    )
    signatures = SignatureBlock(signature_table(data, styles), seal)
    return [*heading, rows.table(), Spacer(0, 4 * mm), signatures]


def _copy_mark_box(copy_mark: tuple[str, str], styles: Styles) -> Table:
    text = f'{escaped(copy_mark[0])}<br/><font size="7.5">{escaped(copy_mark[1])}</font>'
    box = Table([[Paragraph(text, styles.mark)]], colWidths=[78 * mm], hAlign="RIGHT")
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font_name),
                ("BOX", (0, 0), (-1, -1), 1.2, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def _person_rows(rows: _Rows, person: FormPerson) -> None:
    rows.pair(("姓名", "Name"), person.name, ("证件类型", "Document type"), person.document_type)
    rows.pair(("证件号码", "Document number"), person.document_number, ("手机号码", "Mobile"), person.mobile or "—")
    rows.pair(("办公电话", "Office phone"), person.office_phone or "—", ("电子邮件", "E-mail"), person.email or "—")


def _websites_table(data: VerificationFormData, styles: Styles) -> Table:
    """One row per website, so that a filing with several websites still reads at full size."""
    header = [
        Paragraph(bilingual(chinese, english), styles.small)
        for chinese, english in (
            ("序号", "No."),
            ("网站名称", "Website name"),
            ("网站域名", "Domains"),
            ("首页网址", "Homepage"),
            ("网站负责人及证件", "Website person in charge"),
            ("前置审批", "Pre-approvals"),
        )
    ]
    body = []
    for index, website in enumerate(data.websites, start=1):
        person = website.person_in_charge
        person_text = (
            "\n".join((person.name, person.document_type, person.document_number)) if person is not None else "—"
        )
        body.append(
            [
                Paragraph(str(index), styles.small),
                Paragraph(escaped(website.name), styles.small),
                Paragraph(escaped("\n".join(website.domains)), styles.small),
                Paragraph(escaped(website.homepage_url), styles.small),
                Paragraph(escaped(person_text), styles.small),
                Paragraph(escaped("\n".join(website.pre_approvals) or "无 None"), styles.small),
            ]
        )
    width = CONTENT_WIDTH - 8
    shares = (0.06, 0.18, 0.19, 0.23, 0.2, 0.14)
    table = Table([header, *body], colWidths=[width * share for share in shares], repeatRows=1)
    table.setStyle(inner_table_style(styles))
    return table


def _originals_table(originals: OriginalsSeen, styles: Styles) -> Table:
    items = [
        (originals.owner_certificate, "主办者证件", "Owner's certificate"),
        (originals.person_in_charge_id, "主体负责人身份证件", "ID of the person in charge"),
        (originals.website_person_in_charge_ids, "网站负责人身份证件", "IDs of website persons in charge"),
        (originals.domain_certificates, "域名证书", "Domain certificates"),
    ]
    if originals.pre_approvals is not None:
        items.append((originals.pre_approvals, "前置审批文件", "Pre-approval documents"))
    items += [(True, other, "") for other in originals.other]
    cells = [
        Paragraph(
            f'{checkbox(seen)} {escaped(chinese)} <font color="{SECONDARY}">{escaped(english)}</font>', styles.small
        )
        for seen, chinese, english in items
    ]
    if len(cells) % 2:
        cells.append(Paragraph("", styles.small))
    grid = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    width = LABEL_WIDTH + 2 * VALUE_WIDTH - 8
    table = Table(grid, colWidths=[width / 2, width / 2])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font_name),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _record_checks_table(data: VerificationFormData, styles: Styles) -> Table | str:
    if not data.record_checks:
        return "—"
    header = [
        Paragraph(bilingual(chinese, english), styles.small)
        for chinese, english in (
            ("比对信息来源", "Records"),
            ("比对内容", "Checked"),
            ("结果", "Outcome"),
            ("核查凭据", "Reference"),
        )
    ]
    body = [
        [
            Paragraph(bilingual(*check.source.labels), styles.small),
            Paragraph(escaped(check.subject), styles.small),
            Paragraph(bilingual(*check.outcome.labels), styles.small),
            Paragraph(escaped(check.reference or "—"), styles.small),
        ]
        for check in data.record_checks
    ]
    width = LABEL_WIDTH + 2 * VALUE_WIDTH - 8
    table = Table([header, *body], colWidths=[width * 0.3, width * 0.32, width * 0.14, width * 0.24])
    table.setStyle(inner_table_style(styles))
    return table


def _footer(data: VerificationFormData, font_name: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font_name, 7)
        canvas.setFillColor(colors.HexColor(SECONDARY))
        baseline = MARGIN
        canvas.drawString(MARGIN, baseline, f"核验单编号 Form number：{data.form_number}")
        canvas.drawCentredString(PAGE_WIDTH / 2, baseline, "本核验单一式两联 Made in duplicate")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, baseline, f"第{document.page}页 Page {document.page}")
        canvas.restoreState()

    return draw
