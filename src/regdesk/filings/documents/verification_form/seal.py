"""The signature area of the form, and the provider's seal pressed over it on the copy for the Administration."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from regdesk.filings.documents.errors import VerificationFormError
from regdesk.filings.documents.verification_form.data import VerificationFormData
from regdesk.filings.documents.verification_form.style import (
    CONTENT_WIDTH,
    GRID,
    SHOWN_TIME_ZONE,
    Styles,
    bilingual,
    escaped,
)

# An official seal is 40-42 mm across; it is drawn in this red with this opacity so that the text under it shows.
SEAL_SIZE = 40 * mm
SEAL_RED = (206, 17, 38)
SEAL_OPACITY = 0.82
# About 250 dpi at 40 mm: sharp when printed, a few kilobytes in the PDF.
SEAL_MAX_PIXELS = 400


def signature_table(data: VerificationFormData, styles: Styles) -> Table:
    local = data.verified_at.astimezone(SHOWN_TIME_ZONE)
    date = f"日期 Date：{local.year}年{local.month}月{local.day}日"
    labels = [
        ("主体负责人签字", "Signature of the person in charge"),
        ("核验人签字", "Signature of the specialist"),
        ("接入服务提供者（盖章）", "Provider's seal"),
    ]
    gap = 8 * mm
    column = (CONTENT_WIDTH - 2 * gap) / 3
    table = Table(
        [
            _with_gaps([Paragraph(bilingual(*label), styles.label) for label in labels]),
            ["", "", "", "", ""],
            _with_gaps([Paragraph(escaped(date), styles.small) for _ in labels]),
        ],
        colWidths=[column, gap, column, gap, column],
        rowHeights=[None, 16 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.font_name),
                # One line to sign on per column.
                *(("LINEBELOW", (index, 1), (index, 1), 0.6, GRID) for index in (0, 2, 4)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


def _with_gaps(cells: list[Paragraph]) -> list[Paragraph | str]:
    return [cells[0], "", cells[1], "", cells[2]]


class SignatureBlock(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    """The signature lines, with the seal pressed over the provider's column when there is one."""

    def __init__(self, table: Table, seal: ImageReader | None) -> None:
        super().__init__()
        self.table = table
        self.seal = seal

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.table.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)
        if self.seal is None:
            return
        seal_width, seal_height = self.seal.getSize()
        height = SEAL_SIZE * seal_height / seal_width
        # The centre of the provider's column, the last of three.
        centre_x = self.width - (self.width - 16 * mm) / 6
        centre_y = self.height / 2
        self.canv.drawImage(self.seal, centre_x - SEAL_SIZE / 2, centre_y - height / 2, SEAL_SIZE, height, mask="auto")


def seal_image(seal_png: bytes) -> ImageReader:
    """The seal as red ink with transparency: white (or transparent) becomes clear, anything darker becomes ink."""
    try:
        with Image.open(io.BytesIO(seal_png)) as opened:
            if opened.format != "PNG":
                raise VerificationFormError("seal_unreadable")
            opened.load()
            rgba = opened.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise VerificationFormError("seal_unreadable") from error
    rgba.thumbnail((SEAL_MAX_PIXELS, SEAL_MAX_PIXELS), Image.Resampling.LANCZOS)
    alpha = rgba.getchannel("A")
    on_white = Image.new("RGB", rgba.size, "white")
    on_white.paste(rgba, mask=alpha)
    red, green, blue = on_white.split()
    # Ink is how far the darkest channel is from white: red ink, black ink and a grey scan all count.
    ink = ImageChops.invert(ImageChops.darker(ImageChops.darker(red, green), blue))
    ink = ImageChops.multiply(ink, alpha).point(lambda value: round(value * SEAL_OPACITY))
    seal = Image.new("RGBA", rgba.size, (*SEAL_RED, 0))
    seal.putalpha(ink)
    return ImageReader(seal)
