"""Safe XML parsing of everything the adapter reads: answers, downloads, its own documents and the XSDs.

Documents come from outside, so a document type declaration is refused outright, as ``defusedxml`` does with
``forbid_dtd=True``: an internal subset can declare entities (``<!DOCTYPE DownloadData [<!ENTITY n "1">]>``) whose
unexpanded references make libxml2's XSD validator fail internally instead of answering, and an external subset
points at files or the network. defusedxml's own parsers are expat-based and cannot read GBK (the interface's
encoding) and its lxml module is deprecated, so the documents are parsed by lxml with entities, DTD loading and the
network switched off, and then refused with defusedxml's exceptions (``DTDForbidden``, ``EntitiesForbidden``) when
they declare a document type or hold an entity reference. Every parse in ``regdesk.miit`` goes through
``parse_bytes`` or ``parse_text``.
"""

from __future__ import annotations

import re

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden  # type: ignore[import-untyped]
from lxml import etree

__all__ = ["DTDForbidden", "DefusedXmlException", "EntitiesForbidden", "parse_bytes", "parse_text", "safe_parser"]

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def safe_parser() -> etree.XMLParser:
    """A parser that refuses what an attacker could use: entity expansion, DTD loading, network access, huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _refuse_document_type(root: etree._Element) -> etree._Element:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DTDForbidden(docinfo.root_name, docinfo.system_url, docinfo.public_id)
    # Without a DTD libxml2 refuses undeclared entities already; kept so that no parser option can let one in.
    entity = next(root.iter(etree.Entity), None)
    if isinstance(entity, etree._Entity):
        raise EntitiesForbidden(entity.name, None, None, None, None, None)
    return root


def parse_bytes(data: bytes) -> etree._Element:
    """Parse a document given as bytes (its declaration names the encoding, e.g. GBK).

    Raises ``etree.XMLSyntaxError`` when it is not well-formed and ``DefusedXmlException`` (a ``ValueError``) when
    it declares a document type or holds an entity reference.
    """
    return _refuse_document_type(etree.fromstring(data, parser=safe_parser()))


def parse_text(text: str) -> etree._Element:
    """Parse a document given as text, e.g. the ``<return>`` string of a SOAP answer (errors as ``parse_bytes``).

    lxml refuses text that carries an encoding declaration, and a declaration inside a decoded string is
    meaningless anyway, so it is dropped first.
    """
    document = _DECLARATION.sub("", text, count=1).lstrip()
    return _refuse_document_type(etree.fromstring(document, parser=safe_parser()))
