"""The regulator's XSDs (copies in ``regdesk/miit/schemas``) and validation against them."""

from __future__ import annotations

import functools
from importlib import resources

from lxml import etree

from regdesk.miit.codec.errors import SchemaProblem
from regdesk.miit.codec.xml import parse_bytes

UPLOAD = "upload.xsd"
DOWNLOAD = "download.xsd"
UPLOAD_RESPONSE = "upload-response.xsd"
DOWNLOAD_RESPONSE = "download-response.xsd"
DOWNLOAD_ACK_RESPONSE = "download-ack-response.xsd"
QUERY_PREVIOUS_UPLOAD_RESPONSE = "query-previous-upload-response.xsd"
BEIAN_STATUS_RESPONSE = "beian-status-response.xsd"


def schema_bytes(name: str) -> bytes:
    """The bytes of one of the packaged XSDs."""
    return resources.files("regdesk.miit.schemas").joinpath(name).read_bytes()


@functools.cache
def load_schema(name: str) -> etree.XMLSchema:
    """The compiled schema (compiled once per process; download.xsd is large)."""
    return etree.XMLSchema(parse_bytes(schema_bytes(name)))


def schema_problems(element: etree._Element, name: str) -> list[SchemaProblem]:
    """Every XSD error of ``element`` against schema ``name``, with the path of the element at fault."""
    schema = load_schema(name)
    try:
        valid = schema.validate(element)
    except etree.XMLSchemaValidateError as error:
        # libxml2 gives up instead of answering (e.g. on an entity reference in the tree): that is an error too.
        return [SchemaProblem(path="/", message=f"not validated: {error}", line=0, kind="VALIDATION_FAILED")]
    if valid:
        return []
    return [
        SchemaProblem(path=entry.path or "/", message=entry.message, line=entry.line, kind=entry.type_name)
        for entry in schema.error_log
    ]
