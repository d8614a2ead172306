"""Parsing the answer documents of the six methods into typed results.

Each answer is checked against its response XSD (``ResponseInvalid`` otherwise), with one tolerance: the XSDs
give ``msg`` the facet ``xs:length value="256"`` (exactly 256 characters), while the specification's own examples
answer ``<msg>操作成功</msg>``; a shorter ``msg`` is accepted and a longer one refused. ``isp_verifybamm`` has no
XSD; its answer is read by shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from regdesk.miit.codec.errors import ResponseInvalid, SchemaProblem
from regdesk.miit.codec.packing import PackedFile
from regdesk.miit.codec.schemas import (
    BEIAN_STATUS_RESPONSE,
    DOWNLOAD_ACK_RESPONSE,
    DOWNLOAD_RESPONSE,
    QUERY_PREVIOUS_UPLOAD_RESPONSE,
    UPLOAD_RESPONSE,
    schema_problems,
)
from regdesk.miit.codec.xml import parse_text
from regdesk.miit.codes import (
    GAP_RETURN_CODE,
    SUCCESS_RETURN_CODES,
    TRANSIENT_RETURN_CODES,
    return_code_english,
    return_code_meaning,
)

MAX_MESSAGE_CHARS = 256
# The errors libxml2 reports for a msg shorter than the facet's 256 characters.
_MESSAGE_LENGTH_KINDS = frozenset({"SCHEMAV_CVC_LENGTH_VALID", "SCHEMAV_CVC_DATATYPE_VALID_1_2_1"})


@dataclass(frozen=True, kw_only=True)
class Answer:
    """``msg_code`` and ``msg`` of any answer, with the code's meaning from the specification's table."""

    msg_code: int
    msg: str

    @property
    def ok(self) -> bool:
        return self.msg_code in SUCCESS_RETURN_CODES

    @property
    def transient(self) -> bool:
        """The same request may succeed later unchanged (province busy or in maintenance)."""
        return self.msg_code in TRANSIENT_RETURN_CODES

    @property
    def meaning(self) -> str:
        return return_code_meaning(self.msg_code)

    @property
    def english(self) -> str:
        return return_code_english(self.msg_code)


@dataclass(frozen=True, kw_only=True)
class UploadAnswer(Answer):
    """``isp_upload``: ``missing_sequences`` is set with code 14 (a gap: upload these first)."""

    missing_sequences: tuple[int, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.msg_code == 0

    @property
    def gap(self) -> bool:
        return self.msg_code == GAP_RETURN_CODE


@dataclass(frozen=True, kw_only=True)
class FileInfo:
    """``fileInfos`` of a download or of the previous upload."""

    file_name: str
    packed: PackedFile


@dataclass(frozen=True, kw_only=True)
class DownloadAnswer(Answer):
    """``isp_download``: 0/1/3 with a file, 2 nothing to download."""

    file: FileInfo | None = None

    @property
    def more(self) -> bool:
        """The province has more files waiting (code 3)."""
        return self.msg_code == 3


@dataclass(frozen=True, kw_only=True)
class AckAnswer(Answer):
    """``isp_downloadack``."""


@dataclass(frozen=True, kw_only=True)
class PreviousUploadAnswer(Answer):
    """``isp_querypreviousupload``: the last sequence the province accepted (0 before any) and that file."""

    data_sequence: int | None = None
    file: FileInfo | None = None


@dataclass(frozen=True, kw_only=True)
class BeianStatusAnswer(Answer):
    """``isp_querybeianstatus``: whether a domain or certificate is filed (``Bazt`` 0 filed, 1 not)."""

    condition_type: int | None = None
    condition: str | None = None
    filed: bool | None = None
    website_name: str | None = None
    owner_record_number: str | None = None
    website_record_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class VerifyPasswordAnswer(Answer):
    """``isp_verifybamm``: ``valid`` from ``VerifyRes`` (0 correct, 1 wrong)."""

    valid: bool | None = None


def _root(text: str, schema: str | None) -> etree._Element:
    try:
        root = parse_text(text)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise ResponseInvalid(schema or "answer", [SchemaProblem(path="/", message=str(error), line=0)]) from None
    if schema is not None:
        problems = [
            problem
            for problem in schema_problems(root, schema)
            if not (problem.path == "/return/msg" and problem.kind in _MESSAGE_LENGTH_KINDS)
        ]
        message = root.findtext("msg") or ""
        if len(message) > MAX_MESSAGE_CHARS:
            problems.append(SchemaProblem(path="/return/msg", message="longer than 256 characters", line=0))
        if problems:
            raise ResponseInvalid(schema, problems)
    elif root.tag != "return" or root.find("msg_code") is None:
        raise ResponseInvalid("answer", [SchemaProblem(path="/", message="not a <return> document", line=0)])
    return root


def _int(element: etree._Element, name: str) -> int | None:
    text = element.findtext(name)
    if text is None or not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise ResponseInvalid(
            "answer", [SchemaProblem(path=f"/return/{name}", message="not a number", line=0)]
        ) from None


def _status(root: etree._Element) -> tuple[int, str]:
    code = _int(root, "msg_code")
    return (code if code is not None else 999), (root.findtext("msg") or "").strip()


def _file_info(root: etree._Element) -> FileInfo | None:
    info = root.find("fileInfos")
    if info is None:
        return None
    return FileInfo(
        file_name=(info.findtext("return_FileName") or "").strip(),
        packed=PackedFile(
            beian_info="".join((info.findtext("beianInfo") or "").split()),
            beian_info_hash="".join((info.findtext("beianInfoHash") or "").split()),
            encrypt_algorithm=_int(info, "encryptAlgorithm") or 0,
            hash_algorithm=_int(info, "hashAlgorithm") or 0,
            compression_format=_int(info, "compressionFormat") or 0,
        ),
    )


def parse_upload_answer(text: str) -> UploadAnswer:
    root = _root(text, UPLOAD_RESPONSE)
    code, message = _status(root)
    missing: list[int] = []
    for item in root.iterfind("dataSequences/dataSequence"):
        value = (item.text or "").strip()
        if value.isdigit():
            missing.append(int(value))
    return UploadAnswer(msg_code=code, msg=message, missing_sequences=tuple(missing))


def parse_download_answer(text: str) -> DownloadAnswer:
    root = _root(text, DOWNLOAD_RESPONSE)
    code, message = _status(root)
    return DownloadAnswer(msg_code=code, msg=message, file=_file_info(root))


def parse_ack_answer(text: str) -> AckAnswer:
    root = _root(text, DOWNLOAD_ACK_RESPONSE)
    code, message = _status(root)
    return AckAnswer(msg_code=code, msg=message)


def parse_previous_upload_answer(text: str) -> PreviousUploadAnswer:
    root = _root(text, QUERY_PREVIOUS_UPLOAD_RESPONSE)
    code, message = _status(root)
    info = root.find("fileInfos")
    sequence = _int(info, "dataSequence") if info is not None else None
    file = _file_info(root)
    if file is not None and not file.packed.beian_info:
        file = None  # no upload yet: an empty file with sequence 0
    return PreviousUploadAnswer(msg_code=code, msg=message, data_sequence=sequence, file=file)


def parse_beian_status_answer(text: str) -> BeianStatusAnswer:
    root = _root(text, BEIAN_STATUS_RESPONSE)
    code, message = _status(root)
    info = root.find("StatusInfo")
    if info is None:
        return BeianStatusAnswer(msg_code=code, msg=message)
    state = _int(info, "Bazt")
    return BeianStatusAnswer(
        msg_code=code,
        msg=message,
        condition_type=_int(info, "Cxtjlx"),
        condition=info.findtext("Cxtj"),
        filed=None if state is None else state == 0,
        website_name=(info.findtext("Wzmc") or None),
        owner_record_number=(info.findtext("Ztbah") or None),
        website_record_number=(info.findtext("Wzbah") or None),
    )


def parse_verify_password_answer(text: str) -> VerifyPasswordAnswer:
    root = _root(text, None)
    code, message = _status(root)
    result = _int(root, "VerifyRes")
    return VerifyPasswordAnswer(msg_code=code, msg=message, valid=None if result is None else result == 0)
