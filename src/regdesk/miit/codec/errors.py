"""Errors of the codec. Messages name fields and codes, never field values (they may be personal data)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from regdesk.miit.messages import bilingual


class CodecError(Exception):
    """Base of the codec's errors; ``str(error)`` is the Chinese and English message."""

    code = "codec_error"


@dataclass(frozen=True)
class SchemaProblem:
    """One XSD error: where (the element's path in the document), what, and the line."""

    path: str
    message: str
    line: int
    kind: str = ""  # libxml2's error type, e.g. SCHEMAV_CVC_LENGTH_VALID

    def __str__(self) -> str:
        return f"{self.path} (line {self.line}): {self.message}"


class SchemaInvalid(CodecError):
    """A document does not match its XSD."""

    code = "schema_invalid"

    def __init__(self, schema: str, problems: list[SchemaProblem]) -> None:
        self.schema = schema
        self.problems = problems
        listed = "; ".join(str(problem) for problem in problems[:20])
        more = len(problems) - 20
        super().__init__(
            bilingual(
                gettext_noop("The document does not match %(schema)s: %(problems)s"),
                {"schema": schema, "problems": listed + (f" (+{more})" if more > 0 else "")},
            )
        )


class UploadInvalid(SchemaInvalid):
    """An outbound ``UploadData`` document does not match ``upload.xsd``; nothing was stored or sent."""

    code = "upload_invalid"


class ResponseInvalid(SchemaInvalid):
    """A province answer does not match its response XSD."""

    code = "response_invalid"


class DownloadInvalid(SchemaInvalid):
    """A downloaded ``DownloadData`` document does not match ``download.xsd``."""

    code = "download_invalid"


class FieldNotEncodable(CodecError):
    """A field holds a character that GBK (or XML) cannot carry, e.g. an emoji or 𠀀 (U+20000).

    ``field_path`` is the element's path inside its record, e.g. ``Wz_xx[1]/Wzmc``; ``record_index`` is the
    1-based position of the record (``Baxx``) in the upload.
    """

    code = "field_not_encodable"

    def __init__(self, field_path: str, character: str, *, record_index: int = 1) -> None:
        self.field_path = field_path
        self.character = character
        self.record_index = record_index
        codepoint = f"U+{ord(character):04X}"
        super().__init__(
            bilingual(
                gettext_noop(
                    "Field %(field)s of record %(record)s holds a character that cannot be encoded in GBK: "
                    "%(codepoint)s"
                ),
                {"field": field_path, "record": record_index, "codepoint": codepoint},
            )
        )


class UploadTooLarge(CodecError):
    """More than 1,000 records or more than 50 MB in one upload (specification §3-3-1-3)."""

    code = "upload_too_large"

    def __init__(self, *, records: int, size_bytes: int) -> None:
        self.records = records
        self.size_bytes = size_bytes
        super().__init__(
            bilingual(
                gettext_noop(
                    "An upload holds at most 1000 records and 50 MB; this one has %(records)s records and "
                    "%(size)s bytes"
                ),
                {"records": records, "size": size_bytes},
            )
        )


class AttachmentTooLarge(CodecError):
    """A scan or photo is larger than the interface allows (100 KB, the verification form 150 KB)."""

    code = "attachment_too_large"

    def __init__(self, field_path: str, size: int, limit: int, *, record_index: int = 1) -> None:
        self.field_path = field_path
        self.record_index = record_index
        super().__init__(
            bilingual(
                gettext_noop(
                    "Field %(field)s of record %(record)s is %(size)s bytes once base64-encoded; "
                    "the interface allows %(limit)s"
                ),
                {"field": field_path, "record": record_index, "size": size, "limit": limit},
            )
        )


class IntegrityError(CodecError):
    """The MD5 hash of a received file does not match ``beianInfoHash`` (哈希值验证未通过)."""

    code = "hash_mismatch"

    def __init__(self) -> None:
        super().__init__(bilingual(gettext_noop("The file's MD5 hash does not match beianInfoHash")))


class DecodingError(CodecError):
    """A received file cannot be decoded: base64, decryption, decompression, GBK or XML."""

    code = "decoding_failed"

    def __init__(self, step: str) -> None:
        self.step = step
        super().__init__(bilingual(gettext_noop("The received file cannot be decoded (%(step)s)"), {"step": step}))


class UnsupportedAlgorithm(CodecError):
    """An algorithm number the interface does not define (hash 0, compression 0, encryption 0 or 1)."""

    code = "unsupported_algorithm"

    def __init__(self, kind: str, value: int) -> None:
        self.kind = kind
        self.value = value
        super().__init__(
            bilingual(gettext_noop("Unsupported %(kind)s algorithm %(value)s"), {"kind": kind, "value": value})
        )
