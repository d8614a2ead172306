"""The answer documents of the methods (``<return version="...">``), per the response XSDs.

Every response XSD declares ``msg`` with ``xs:length value="256"``: exactly 256 characters. The simulator pads the
description with spaces to that length (and cuts a longer one) so that its answers validate; a client should
strip the padding.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

MESSAGE_LENGTH = 256


def _message(text: str) -> str:
    return text[:MESSAGE_LENGTH].ljust(MESSAGE_LENGTH)


def _root(version: str, code: int, message: str) -> etree._Element:
    root = etree.Element("return", version=version)
    etree.SubElement(root, "msg_code").text = str(code)
    etree.SubElement(root, "msg").text = _message(message)
    return root


def _text(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def _add(parent: etree._Element, name: str, value: object) -> etree._Element:
    element = etree.SubElement(parent, name)
    element.text = str(value)
    return element


@dataclass(frozen=True)
class FileInfo:
    """``fileInfos`` of a download or of the previous upload."""

    file_name: str
    beian_info: str
    beian_info_hash: str
    encrypt_algorithm: int
    hash_algorithm: int = 0
    compression_format: int = 0


def plain(version: str, code: int, message: str) -> str:
    """msg_code and msg only: every error answer, and the download acknowledgement."""
    return _text(_root(version, code, message))


def upload(version: str, code: int, message: str, missing_sequences: list[int] | None = None) -> str:
    root = _root(version, code, message)
    if missing_sequences:
        holder = etree.SubElement(root, "dataSequences")
        for sequence in missing_sequences:
            _add(holder, "dataSequence", sequence)
    return _text(root)


def download(version: str, code: int, message: str, info: FileInfo | None) -> str:
    root = _root(version, code, message)
    if info is not None:
        holder = etree.SubElement(root, "fileInfos")
        _add(holder, "hashAlgorithm", info.hash_algorithm)
        _add(holder, "compressionFormat", info.compression_format)
        _add(holder, "encryptAlgorithm", info.encrypt_algorithm)
        _add(holder, "return_FileName", info.file_name)
        _add(holder, "beianInfo", info.beian_info)
        _add(holder, "beianInfoHash", info.beian_info_hash)
    return _text(root)


def previous_upload(version: str, code: int, message: str, sequence: int, info: FileInfo) -> str:
    root = _root(version, code, message)
    holder = etree.SubElement(root, "fileInfos")
    _add(holder, "hashAlgorithm", info.hash_algorithm)
    _add(holder, "compressionFormat", info.compression_format)
    _add(holder, "encryptAlgorithm", info.encrypt_algorithm)
    _add(holder, "dataSequence", sequence)
    _add(holder, "return_FileName", info.file_name)
    _add(holder, "beianInfo", info.beian_info)
    _add(holder, "beianInfoHash", info.beian_info_hash)
    return _text(root)


@dataclass(frozen=True)
class FilingStatus:
    """``StatusInfo`` of isp_querybeianstatus: filed (with numbers) or not filed."""

    condition_type: int
    condition: str
    filed: bool
    website_name: str | None = None
    owner_number: str | None = None
    website_number: str | None = None


def beian_status(version: str, code: int, message: str, status: FilingStatus) -> str:
    root = _root(version, code, message)
    holder = etree.SubElement(root, "StatusInfo")
    _add(holder, "Cxtjlx", status.condition_type)
    _add(holder, "Cxtj", status.condition)
    if status.filed:
        if status.website_name is not None:
            _add(holder, "Wzmc", status.website_name)
        _add(holder, "Ztbah", status.owner_number)
        if status.website_number is not None:
            _add(holder, "Wzbah", status.website_number)
    _add(holder, "Bazt", 0 if status.filed else 1)
    return _text(root)


def verify_filing_password(version: str, code: int, message: str, verified: bool) -> str:
    """isp_verifybamm has no response XSD; the specification's example: ``VerifyRes`` 0 verified, 1 not."""
    root = _root(version, code, message)
    _add(root, "VerifyRes", 0 if verified else 1)
    return _text(root)
