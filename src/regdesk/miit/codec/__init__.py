"""The codec of the MIIT enterprise interface: records ⇄ XML (GBK, XSD-checked) ⇄ the packed files that travel.

``upload`` builds documents, ``packing`` compresses/hashes/encrypts, ``responses`` reads the methods' answers,
``download`` reads downloaded documents, ``schemas`` holds the XSD validation.
"""

from __future__ import annotations

from regdesk.miit.codec.download import parse_download
from regdesk.miit.codec.errors import (
    AttachmentTooLarge,
    CodecError,
    DecodingError,
    DownloadInvalid,
    FieldNotEncodable,
    IntegrityError,
    ResponseInvalid,
    SchemaInvalid,
    SchemaProblem,
    UnsupportedAlgorithm,
    UploadInvalid,
    UploadTooLarge,
)
from regdesk.miit.codec.packing import AesKey, EncryptAlgorithm, PackedFile, UnpackedFile, pack, unpack
from regdesk.miit.codec.upload import encode_new_filings, validate_upload

__all__ = [
    "AesKey",
    "AttachmentTooLarge",
    "CodecError",
    "DecodingError",
    "DownloadInvalid",
    "EncryptAlgorithm",
    "FieldNotEncodable",
    "IntegrityError",
    "PackedFile",
    "ResponseInvalid",
    "SchemaInvalid",
    "SchemaProblem",
    "UnpackedFile",
    "UnsupportedAlgorithm",
    "UploadInvalid",
    "UploadTooLarge",
    "encode_new_filings",
    "pack",
    "parse_download",
    "unpack",
    "validate_upload",
]
