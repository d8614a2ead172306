"""Parsing downloaded ``DownloadData`` documents (GBK XML, checked against ``download.xsd``) into records."""

from __future__ import annotations

from lxml import etree

from regdesk.miit.codec.errors import DecodingError, DownloadInvalid
from regdesk.miit.codec.schemas import DOWNLOAD, schema_problems
from regdesk.miit.codec.xml import DefusedXmlException, parse_bytes
from regdesk.miit.records import (
    DownloadDocument,
    DownloadSection,
    FilingResult,
    FilingResults,
    PassThroughSection,
    PublishedFiling,
    PublishedFilings,
    PublishedOwner,
    PublishedWebsite,
    ResultCode,
    ReviewOpinion,
)


def _text(element: etree._Element, name: str) -> str | None:
    value = element.findtext(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _int(element: etree._Element, name: str) -> int | None:
    value = _text(element, name)
    return int(value) if value is not None else None


def _required_int(element: etree._Element, name: str) -> int:
    value = _int(element, name)
    if value is None:  # the XSD requires it; kept for the type checker
        raise DecodingError(f"missing {name}")
    return value


def parse_filing_results(element: etree._Element, published: tuple[PublishedFiling, ...] = ()) -> FilingResults:
    """``ICP/BAJG`` (备案结果)."""
    results = tuple(
        FilingResult(
            results=tuple(
                ResultCode(code=_required_int(item, "Jgdm"), description=_text(item, "Dmms"))
                for item in result.iterfind("Jgxx")
            ),
            operation=_required_int(result, "Czlx"),
            identifier=_text(result, "Bs"),
            remarks=_text(result, "Bz"),
        )
        for result in element.iterfind("Jg_xx")
    )
    reviews = tuple(
        ReviewOpinion(
            reviewed_at=_text(review, "Shsj") or "",
            approved=_int(review, "Shjg") == 1,
            opinion=_text(review, "Shyj"),
            reviewer_name=_text(review, "Shrxm"),
            reviewer_phone=_text(review, "Shr_dhhm"),
            operation=_int(review, "Czlx"),
            record_id=_int(review, "Jlid"),
        )
        for review in element.iterfind("GJSHS/Gjsh")
    )
    return FilingResults(results=results, reviews=reviews, published=published)


def parse_published_filings(element: etree._Element) -> PublishedFilings:
    """``ICP/BASJ`` (备案数据): identifiers and record numbers of owners and websites."""
    filings = []
    for record in element.iterfind("Baxx"):
        owner = record.find("Zt_xx")
        if owner is None:
            continue
        websites = tuple(
            PublishedWebsite(
                province_id=_required_int(website, "Wzid"),
                name=_text(website, "Wzmc") or "",
                domains=tuple(name for name in (_text(item, "Ym") for item in website.iterfind("Ym_xx")) if name),
                isp_record_id=_int(website, "IspWzid"),
                record_number=_text(website, "Baxh"),
                access_ids=tuple(_required_int(access, "Jrid") for access in website.iterfind("Jr_xx")),
            )
            for website in record.iterfind("Wz_xx")
        )
        filings.append(
            PublishedFiling(
                owner=PublishedOwner(
                    province_id=_required_int(owner, "Ztid"),
                    name=_text(owner, "Dwmc") or "",
                    isp_record_id=_int(owner, "IspZtid"),
                    record_number=_text(owner, "Baxh"),
                    reviewed_at=_text(owner, "Shsj"),
                ),
                websites=websites,
            )
        )
    return PublishedFilings(filings=tuple(filings))


def _pass_through(kind: str, element: etree._Element) -> PassThroughSection:
    return PassThroughSection(kind=kind, xml=etree.tostring(element, encoding="unicode"))


def sections_of(root: etree._Element) -> dict[str, DownloadSection]:
    """The sections of a (valid) ``DownloadData`` tree, keyed by kind: ICP parts by their own name (``BAJG``,
    ``BASJ``, ``ZXSJ``, ...), the others prefixed by their family (``IP/BAJG``, ``YM/BAJG``) or whole (``JCDM``,
    ``SJTB``)."""
    sections: dict[str, DownloadSection] = {}
    for family in root:
        if not isinstance(family.tag, str):
            continue
        if family.tag == "ICP":
            published_element = family.find("BASJ")
            published = parse_published_filings(published_element) if published_element is not None else None
            for part in family:
                if not isinstance(part.tag, str):
                    continue
                if part.tag == "BAJG":
                    sections["BAJG"] = parse_filing_results(part, published.filings if published else ())
                elif part.tag == "BASJ" and published is not None:
                    sections["BASJ"] = published
                else:
                    sections[part.tag] = _pass_through(part.tag, part)
        elif family.tag in ("IP", "YM"):
            for part in family:
                if isinstance(part.tag, str):
                    kind = f"{family.tag}/{part.tag}"
                    sections[kind] = _pass_through(kind, part)
        else:
            sections[family.tag] = _pass_through(family.tag, family)
    return sections


def parse_download_root(document: bytes) -> etree._Element:
    """The tree of a downloaded document; ``DecodingError`` when it is not well-formed XML in its encoding (step
    ``xml``) or declares a document type or entities (step ``doctype``, refused as defusedxml does)."""
    try:
        return parse_bytes(document)
    except DefusedXmlException:
        raise DecodingError("doctype") from None
    except (etree.XMLSyntaxError, ValueError, LookupError):
        raise DecodingError("xml") from None


def parse_download(document: bytes) -> DownloadDocument:
    """Parse and validate a downloaded document; ``DownloadInvalid`` lists its XSD errors."""
    root = parse_download_root(document)
    problems = schema_problems(root, DOWNLOAD)
    if problems:
        raise DownloadInvalid(DOWNLOAD, problems)
    return DownloadDocument(version=root.get("version", ""), sections=sections_of(root))
