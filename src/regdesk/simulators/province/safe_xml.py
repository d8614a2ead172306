"""The simulator's one way to parse XML: whatever it reads comes from outside (envelopes, uploads) or was stored
from there (filed records), so a document type declaration is refused outright, as ``defusedxml`` does with
``forbid_dtd=True``, and nothing is expanded, loaded or fetched.

defusedxml's parsers are expat-based and cannot read GBK (the interface's encoding), so documents are parsed by lxml
with entities, DTD loading and the network off and then refused with defusedxml's exceptions. The simulator keeps
this code of its own (it imports nothing of regdesk's adapter), so that a fault in the adapter's parsing cannot
hide behind the same fault here.
"""

from __future__ import annotations

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden  # type: ignore[import-untyped]
from lxml import etree

__all__ = ["DefusedXmlException", "parse"]


def parse(data: bytes | str, *, huge_tree: bool = False) -> etree._Element:
    """Parse a document; ``etree.XMLSyntaxError`` when it is not well-formed, ``DefusedXmlException`` (a
    ``ValueError``) when it declares a document type or holds an entity reference. ``huge_tree`` lets a text node
    pass libxml2's 10 MB limit (the ``beianInfo`` of a 50 MB upload)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge_tree)
    root = etree.fromstring(data, parser)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DTDForbidden(docinfo.root_name, docinfo.system_url, docinfo.public_id)
    entity = next(root.iter(etree.Entity), None)
    if isinstance(entity, etree._Entity):
        raise EntitiesForbidden(entity.name, None, None, None, None, None)
    return root
