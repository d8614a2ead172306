"""Realistic records and documents for the MIIT adapter's tests (invented people and companies)."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Address

from lxml import etree

from regdesk.miit.records import (
    Access,
    Address,
    Attachment,
    AttachmentOwnerType,
    Certificate,
    Domain,
    IpRange,
    NewFiling,
    Owner,
    PersonInCharge,
    PreApproval,
    ReportingMode,
    Website,
)

# A tiny JPEG header is enough: the interface carries bytes, it does not decode images.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


def complete_filing(owner_id: int = 101, website_id: int = 201) -> NewFiling:
    """An organisation filing one website with a pre-approval, two IP ranges and every verification material."""
    owner_person = PersonInCharge(
        name="王建国",
        office_phone="010-82345678",
        mobile="13912345678",
        email="wangjianguo@example.com.cn",
        qq="12345678",
        certificate_type_id=2,
        certificate_number="110101199003074514",
    )
    website_person = PersonInCharge(
        name="李晓梅",
        office_phone="010-82345679",
        mobile="13812345679",
        email="lixiaomei@example.com.cn",
        certificate_type_id=2,
        certificate_number="110101199201010028",
    )
    owner = Owner(
        record_id=owner_id,
        name="北京示例科技有限公司",
        nature_id=4,
        investor="张三丰",
        address=Address(province_id=110000, city_id=110100, county_id=110108, detail="北京市海淀区中关村大街1号"),
        certificate=Certificate(type_id=1, number="91110108MA01ABCD1X", residence="北京市海淀区中关村大街1号"),
        person_in_charge=owner_person,
        reporting_mode=ReportingMode.BY_PROVIDER,
        remarks="首次备案",
    )
    website = Website(
        record_id=website_id,
        name="示例科技官方网站",
        pre_approvals=(PreApproval(content_type_id=3, approval_number="京卫网审[2024]第0001号", documents=(JPEG,)),),
        service_content_ids=(1, 5),
        language_ids=(1,),
        domains=(Domain(record_id=301, name="example-tech.cn"),),
        accesses=(
            Access(
                record_id=401,
                location_ids=(1,),
                method_ids=(3,),
                ip_ranges=(
                    IpRange(record_id=501, start=IPv4Address("203.0.113.10"), end=IPv4Address("203.0.113.20")),
                    IpRange(record_id=502, start=IPv4Address("198.51.100.1"), end=IPv4Address("198.51.100.1")),
                ),
            ),
        ),
        person_in_charge=website_person,
        homepage_url="http://www.example-tech.cn",
        remarks="企业官网",
    )
    attachments = tuple(
        Attachment(
            file_format_id=1,
            purpose_id=purpose,
            content=JPEG,
            owner_type=owner_type,
            owner_record_id=record_id,
            remarks=remark,
        )
        for purpose, owner_type, record_id, remark in (
            (1, AttachmentOwnerType.OWNER, owner_id, "营业执照"),
            (2, AttachmentOwnerType.OWNER, owner_id, "主体负责人身份证"),
            (3, AttachmentOwnerType.WEBSITE, website_id, "网站负责人身份证"),
            (4, AttachmentOwnerType.WEBSITE, website_id, "真实性核验单"),
            (5, AttachmentOwnerType.WEBSITE, website_id, None),
        )
    )
    return NewFiling(owner=owner, websites=(website,), attachments=attachments)


def with_website_name(filing: NewFiling, name: str) -> NewFiling:
    website = replace(filing.websites[0], name=name)
    return replace(filing, websites=(website, *filing.websites[1:]))


def padded(message: str) -> str:
    """``msg`` padded to the 256 characters of the response XSDs' ``xs:length`` facet."""
    return message + " " * (256 - len(message))


def answer(code: int, message: str, extra: str = "", *, pad: bool = True) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><return version="V.3.0">'
        f"<msg_code>{code}</msg_code><msg>{padded(message) if pad else message}</msg>{extra}</return>"
    )


def file_infos(*, file_name: str, packed: object, sequence: int | None = None) -> str:
    from regdesk.miit.codec.packing import PackedFile

    assert isinstance(packed, PackedFile)
    sequence_element = f"<dataSequence>{sequence}</dataSequence>" if sequence is not None else ""
    return (
        f"<fileInfos><hashAlgorithm>{packed.hash_algorithm}</hashAlgorithm>"
        f"<compressionFormat>{packed.compression_format}</compressionFormat>"
        f"<encryptAlgorithm>{packed.encrypt_algorithm}</encryptAlgorithm>{sequence_element}"
        f"<return_FileName>{file_name}</return_FileName><beianInfo>{packed.beian_info}</beianInfo>"
        f"<beianInfoHash>{packed.beian_info_hash}</beianInfoHash></fileInfos>"
    )


def filing_result_document(
    *, owner_id: int = 101, approved: bool = True, with_published: bool = True, opinion: str = "材料齐全，审核通过"
) -> bytes:
    """A ``DownloadData`` document with ICP/BAJG (and BASJ with the record numbers when approved), in GBK."""
    code = 1001 if approved else 1002
    published = ""
    if approved and with_published:
        published = f"""
    <BASJ><Baxx>
      <Zt_xx><IspZtid>{owner_id}</IspZtid><Ztid>900001</Ztid><Dwmc>北京示例科技有限公司</Dwmc><Dwxz>4</Dwxz>
        <Txdz><Shengid>110000</Shengid><Shiid>110100</Shiid></Txdz>
        <Zj><Zjlx>1</Zjlx><Zjhm>91110108MA01ABCD1X</Zjhm><Zjzs>北京市海淀区中关村大街1号</Zjzs></Zj>
        <Fzr><Fzr_xm>王建国</Fzr_xm><Fzr_dzyj>wangjianguo@example.com.cn</Fzr_dzyj></Fzr>
        <Baxh>京ICP备12345678号</Baxh><Bbyhlx>1</Bbyhlx><Scbbsj>2025-03-01</Scbbsj><Zjxgsj>2025-03-01</Zjxgsj>
        <Shsj>2025-03-20</Shsj></Zt_xx>
      <Wz_xx><IspWzid>201</IspWzid><Wzid>800001</Wzid><Wzmc>示例科技官方网站</Wzmc>
        <Yylb><Yylb_id>1</Yylb_id></Yylb>
        <Ym_xx><IspYmid>301</IspYmid><Ymid>700001</Ymid><Ym>example-tech.cn</Ym></Ym_xx>
        <Jr_xx><IspJrid>401</IspJrid><Jrid>600001</Jrid><Ispid>1</Ispid><Wzfb><Fbdd>1</Fbdd></Wzfb>
          <Wzjrfs><Jrfs>3</Jrfs></Wzjrfs>
          <Ip_xx><IspIpid>501</IspIpid><Ipid>500001</Ipid><Qsip>3405803786</Qsip><Zzip>3405803796</Zzip></Ip_xx>
        </Jr_xx>
        <Wz_Fzr><Fzr_xm>李晓梅</Fzr_xm></Wz_Fzr>
        <Baxh>京ICP备12345678号-1</Baxh></Wz_xx>
    </Baxx></BASJ>"""
    text = f"""<?xml version="1.0" encoding="GBK"?>
<DownloadData version="V.3.0"><ICP>{published}
    <BAJG>
      <Jg_xx><Jgxx><Jgdm>{code}</Jgdm><Dmms>{"审核通过" if approved else "审核拒绝"}</Dmms></Jgxx>
        <Czlx>1</Czlx><Bs>{owner_id}</Bs></Jg_xx>
      <GJSHS><Gjsh><Shrxm>赵审核</Shrxm><Shsj>2025-03-20</Shsj><Shyj>{opinion}</Shyj>
        <Shjg>{1 if approved else 0}</Shjg><Czlx>1</Czlx><Jlid>{owner_id}</Jlid></Gjsh></GJSHS>
    </BAJG>
</ICP></DownloadData>"""
    return text.encode("gbk")


def notice_document() -> bytes:
    """A ``DownloadData`` document with a rectification notice (XGTZ), a pass-through kind."""
    return (
        '<?xml version="1.0" encoding="GBK"?><DownloadData version="V.3.0"><ICP><XGTZ><Tzxx>'
        "<Tzlb>1</Tzlb><Baxh>京ICP备12345678号-1</Baxh><Tznr>请在首页底部中间位置悬挂备案号</Tznr>"
        "</Tzxx></XGTZ></ICP></DownloadData>"
    ).encode("gbk")


def root_of(document: bytes) -> etree._Element:
    return etree.fromstring(document)
