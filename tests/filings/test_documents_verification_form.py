"""The verification form (核验单): both copies in one PDF, Chinese that extracts, the seal on copy 2, size limits.

These tests read the PDF with Debian's poppler-utils (pdftotext, pdffonts, pdfimages, pdftoppm), which the set-up
installs.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import math
import re
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from regdesk.documents.fonts import find_cjk_font
from regdesk.filings.documents.errors import FontMissingError, VerificationFormError
from regdesk.filings.documents.limits import VERIFICATION_FORM_LIMIT_ENCODED
from regdesk.filings.documents.verification_form import (
    CheckOutcome,
    FormOwner,
    FormPerson,
    FormWebsite,
    OriginalsSeen,
    RecordCheck,
    RecordSource,
    VerificationFormData,
    VerificationMethod,
    render_verification_form,
)

SEAL_INK = (215, 25, 35)


def seal_png(*, transparent: bool = False, size: int = 600) -> bytes:
    """A round seal with a star, in red ink on white (or on a transparent background)."""
    background = (255, 255, 255, 0) if transparent else (255, 255, 255, 255)
    image = Image.new("RGBA", (size, size), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, size - 20, size - 20), outline=(*SEAL_INK, 255), width=size // 30)
    centre, radius = size / 2, size / 6
    points = [
        (
            centre + radius * (1 if index % 2 == 0 else 0.4) * math.cos(math.radians(-90 + index * 36)),
            centre + radius * (1 if index % 2 == 0 else 0.4) * math.sin(math.radians(-90 + index * 36)),
        )
        for index in range(10)
    ]
    draw.polygon(points, fill=(*SEAL_INK, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**changes: object) -> VerificationFormData:
    data = VerificationFormData(
        form_number="HYD-2025-000123",
        owner=FormOwner(
            name="北京示例科技有限公司",
            nature="企业",
            certificate_type="营业执照（统一社会信用代码）",
            certificate_number="91110108MA01ABCD2X",
            certificate_address="北京市海淀区中关村大街1号",
        ),
        person_in_charge=FormPerson(
            name="张三",
            document_type="居民身份证",
            document_number="11010519491231002X",
            mobile="13800138000",
            office_phone="010-12345678",
            email="zhangsan@example.com",
        ),
        websites=(
            FormWebsite(
                name="示例科技官方网站",
                domains=("example.com.cn", "example.cn"),
                homepage_url="https://www.example.com.cn/",
                person_in_charge=FormPerson(
                    name="李四", document_type="居民身份证", document_number="110105199001011234"
                ),
            ),
        ),
        provider_name="示例云计算有限公司",
        provider_licence="B1-20100001",
        originals_seen=OriginalsSeen(
            owner_certificate=True,
            person_in_charge_id=True,
            website_person_in_charge_ids=True,
            domain_certificates=True,
        ),
        face_matches_id=True,
        record_checks=(
            RecordCheck(RecordSource.PUBLIC_SECURITY, "主体负责人身份证件", CheckOutcome.CONSISTENT, "GA-0001"),
            RecordCheck(
                RecordSource.ENTERPRISE_REGISTRY, "单位名称、统一社会信用代码", CheckOutcome.CONSISTENT, "GS-0002"
            ),
        ),
        method=VerificationMethod.ON_SITE,
        specialist_name="王五",
        # 06:30 UTC is 14:30 in Beijing.
        verified_at=datetime(2025, 3, 4, 6, 30, tzinfo=UTC),
        place="北京市朝阳区示例路8号备案受理点",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "form.pdf"
    path.write_bytes(render_verification_form(form_data(), seal_png=seal_png()))
    return path


def _page_text(path: Path, page: int) -> str:
    return _run("pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(path), "-")


def _render(path: Path, page: int, prefix: Path) -> np.ndarray:
    _run("pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(path), str(prefix))
    with Image.open(prefix.with_suffix(".png")) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_one_pdf_with_two_pages(pdf_path: Path) -> None:
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    info = _run("pdfinfo", str(pdf_path))
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.MULTILINE)


def test_chinese_text_extracts_from_both_copies(pdf_path: Path) -> None:
    for page in (1, 2):
        text = _page_text(pdf_path, page)
        for expected in (
            "网站备案信息真实性核验单",
            "北京示例科技有限公司",
            "91110108MA01ABCD2X",
            "张三",
            "11010519491231002X",
            "示例科技官方网站",
            "example.com.cn",
            "https://www.example.com.cn/",
            "李四",
            "示例云计算有限公司",
            "公安部门身份信息",
            "王五",
            "2025年3月4日 14:30",
            "北京市朝阳区示例路8号备案受理点",
            "主体负责人签字",
            "接入服务提供者（盖章）",
            "如有虚假",
        ):
            assert expected in text, (page, expected)


def test_each_copy_is_marked_for_its_recipient(pdf_path: Path) -> None:
    first, second = _page_text(pdf_path, 1), _page_text(pdf_path, 2)
    assert "接入服务提供者留存" in first
    assert "Provider's records" in first
    assert "报送通信管理局" not in first
    assert "报送通信管理局" in second
    assert "For the Communications Administration" in second
    assert "接入服务提供者留存" not in second


def test_the_chosen_method_is_the_ticked_one(pdf_path: Path) -> None:
    text = _page_text(pdf_path, 1)
    assert re.search(r"■\s*当面核验", text)
    assert re.search(r"□\s*电子核验", text)
    electronic = render_verification_form(form_data(method=VerificationMethod.ELECTRONIC), seal_png=seal_png())
    path = pdf_path.with_name("electronic.pdf")
    path.write_bytes(electronic)
    text = _page_text(path, 1)
    assert re.search(r"■\s*电子核验", text)
    assert re.search(r"□\s*当面核验", text)


def test_every_font_is_embedded(pdf_path: Path) -> None:
    rows = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert rows
    for row in rows:
        columns = row.split()
        # name, type, encoding, then emb sub uni: every font embedded, subset, with a Unicode map.
        assert columns[-5:-2] == ["yes", "yes", "yes"], row
        assert "WenQuanYiMicroHei" in columns[0], row


def test_seal_is_on_the_second_copy_only(pdf_path: Path, tmp_path: Path) -> None:
    listing = _run("pdfimages", "-list", str(pdf_path)).splitlines()[2:]
    pages = [int(row.split()[0]) for row in listing if row.split()[2] == "image"]
    assert pages == [2]
    # Its transparency travels as a soft mask.
    assert any(row.split()[2] == "smask" for row in listing)

    first, second = _render(pdf_path, 1, tmp_path / "page-1"), _render(pdf_path, 2, tmp_path / "page-2")
    height, width, _ = second.shape
    red = (second[..., 0] > 150) & (second[..., 1] < 140) & (second[..., 2] < 140)
    assert red.sum() > 200
    rows, columns = np.nonzero(red)
    # Over the provider's signature column: the right third, in the lower part of the page.
    assert columns.mean() > width * 0.6
    assert rows.mean() > height * 0.7
    first_red = (first[..., 0] > 150) & (first[..., 1] < 140) & (first[..., 2] < 140)
    assert first_red.sum() == 0


def test_seal_is_translucent(pdf_path: Path, tmp_path: Path) -> None:
    second = _render(pdf_path, 2, tmp_path / "page-2")
    ink = second[(second[..., 0] > 150) & (second[..., 1] < 140) & (second[..., 2] < 140)]
    # Solid ink at full strength renders with a green channel near 40; the translucent seal lets the paper through
    # (about 80), and is still unmistakably red.
    assert 60 < float(np.median(ink[:, 1])) < 120
    assert float(np.median(ink[:, 0])) > 190


def test_seal_with_a_transparent_background_works_too(tmp_path: Path) -> None:
    pdf = render_verification_form(form_data(), seal_png=seal_png(transparent=True))
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    second = _render(path, 2, tmp_path / "page-2")
    assert ((second[..., 0] > 150) & (second[..., 1] < 140)).sum() > 200


def test_within_the_interface_limit() -> None:
    pdf = render_verification_form(form_data(), seal_png=seal_png())
    assert len(base64.b64encode(pdf)) <= VERIFICATION_FORM_LIMIT_ENCODED
    assert len(pdf) < 100_000


def test_a_filing_with_many_websites_stays_on_two_pages_and_within_the_limit(tmp_path: Path) -> None:
    websites = tuple(
        FormWebsite(
            name=f"示例科技网站第{index}号",
            domains=(f"example{index}.cn", f"example{index}.com.cn", f"示例{index}.中国"),
            homepage_url=f"https://www.example{index}.cn/",
            person_in_charge=FormPerson(name="赵六", document_type="居民身份证", document_number="110105199001011234"),
            pre_approvals=("新闻出版广电总局 批准文号 001",),
        )
        for index in range(1, 9)
    )
    pdf = render_verification_form(form_data(websites=websites), seal_png=seal_png(size=1500))
    path = tmp_path / "many.pdf"
    path.write_bytes(pdf)
    assert re.search(r"^Pages:\s+2$", _run("pdfinfo", str(path)), re.MULTILINE)
    assert len(base64.b64encode(pdf)) <= VERIFICATION_FORM_LIMIT_ENCODED
    assert "示例8.中国" in _page_text(path, 2)


def test_same_data_gives_the_same_bytes() -> None:
    seal = seal_png()
    assert render_verification_form(form_data(), seal_png=seal) == render_verification_form(form_data(), seal_png=seal)


def test_time_is_shown_in_beijing_time(tmp_path: Path) -> None:
    # 23:10 UTC on 3 March is 07:10 on 4 March in Beijing.
    moment = datetime(2025, 3, 3, 23, 10, tzinfo=timezone(timedelta(hours=0)))
    path = tmp_path / "form.pdf"
    path.write_bytes(render_verification_form(form_data(verified_at=moment), seal_png=seal_png()))
    assert "2025年3月4日 07:10" in _page_text(path, 1)


# Refusals.


def _refusal(**changes: object) -> VerificationFormError:
    with pytest.raises(VerificationFormError) as caught:
        render_verification_form(form_data(**changes), seal_png=seal_png())
    return caught.value


def test_missing_owner_name_is_named_without_showing_any_data() -> None:
    error = _refusal(owner=dataclasses.replace(form_data().owner, name="  "))
    assert (error.code, error.field) == ("form_field_missing", "owner.name")
    assert "owner.name" in error.message_zh
    assert "91110108MA01ABCD2X" not in str(error)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"websites": ()}, "websites"),
        ({"form_number": ""}, "form_number"),
        ({"specialist_name": ""}, "specialist_name"),
        (
            {"person_in_charge": FormPerson(name="张三", document_type="居民身份证", document_number="")},
            "person_in_charge.document_number",
        ),
    ],
)
def test_missing_fields_are_refused(changes: dict[str, object], field: str) -> None:
    error = _refusal(**changes)
    assert (error.code, error.field) == ("form_field_missing", field)


def test_website_without_domains_is_refused() -> None:
    website = dataclasses.replace(form_data().websites[0], domains=())
    error = _refusal(websites=(website,))
    assert error.field == "websites[0].domains"


def test_blank_domain_is_refused() -> None:
    website = dataclasses.replace(form_data().websites[0], domains=("example.cn", " "))
    assert _refusal(websites=(website,)).field == "websites[0].domains[1]"


def test_naive_time_is_refused() -> None:
    error = _refusal(verified_at=datetime(2025, 3, 4, 14, 30))  # noqa: DTZ001 - the naive time under test
    assert (error.code, error.field) == ("form_field_invalid", "verified_at")
    assert "timezone" in error.message_en


def test_character_the_font_cannot_show_is_refused() -> None:
    # 𠮷 (U+20BB7), a character of some family names, lies outside the font's repertoire.
    person = dataclasses.replace(form_data().person_in_charge, name="𠮷田")
    error = _refusal(person_in_charge=person)
    assert (error.code, error.field) == ("form_glyph_missing", "person_in_charge.name")
    assert "𠮷" not in str(error)


@pytest.mark.parametrize("seal", [b"", b"not a picture", b"GIF89a" + b"\x00" * 20])
def test_unreadable_seal_is_refused(seal: bytes) -> None:
    with pytest.raises(VerificationFormError) as caught:
        render_verification_form(form_data(), seal_png=seal)
    assert caught.value.code == "seal_unreadable"


def test_seal_that_is_not_png_is_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), SEAL_INK).save(buffer, format="JPEG")
    with pytest.raises(VerificationFormError) as caught:
        render_verification_form(form_data(), seal_png=buffer.getvalue())
    assert caught.value.code == "seal_unreadable"


def test_result_beyond_the_limit_is_refused() -> None:
    with pytest.raises(VerificationFormError) as caught:
        render_verification_form(form_data(), seal_png=seal_png(), encoded_limit=10_000)
    assert caught.value.code == "form_too_large"


# The font.


def test_font_is_found_where_debian_installs_it() -> None:
    assert find_cjk_font() == Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def test_missing_font_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontMissingError) as caught:
        render_verification_form(form_data(), seal_png=seal_png(), font_path=tmp_path / "absent.ttc")
    assert caught.value.code == "font_missing"
    assert "fonts-wqy-microhei" in caught.value.message_en


def test_file_that_is_not_a_truetype_font_gives_the_same_error(tmp_path: Path) -> None:
    not_a_font = tmp_path / "not-a-font.ttc"
    not_a_font.write_bytes(b"this is not a font")
    with pytest.raises(FontMissingError):
        render_verification_form(form_data(), seal_png=seal_png(), font_path=not_a_font)
