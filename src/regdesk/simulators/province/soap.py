"""SOAP 1.1 envelopes of the binding in ``docs/miit-binding.md``, and the WSDL that describes them.

Requests: the body holds one element named after the method in the service namespace, whose children are the
method's parameters in the prototype's order, with the prototype's names, unqualified, as text. Answers: the body
holds ``<ns:METHODResponse>`` with one unqualified ``<return>`` whose text is the answer document. Anything else
is a Fault (``soap:Client``), answered with HTTP 500.
"""

from __future__ import annotations

import re
from typing import Literal
from xml.sax.saxutils import escape

from lxml import etree

from regdesk.simulators.province import safe_xml

SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NAMESPACE = "http://www.miitbeian.gov.cn/ISPWebService"
SERVICE_PATH = "/ISPWebService/upDownLoad"
# The specification gives these two methods their own addresses; the binding serves every method at
# SERVICE_PATH, and the simulator answers on the specification's addresses as well.
ALIAS_PATHS = ("/BeianStatusWebService/queryBeianStatus", "/BeianStatusWebService/verifyBamm")

Kind = Literal["long", "int", "string"]
_AUTH: tuple[tuple[str, Kind], ...] = (
    ("ispId", "long"),
    ("userName", "string"),
    ("randVal", "string"),
    ("pwdHash", "string"),
)
# Prototype order of the parameters (specification 3-3-1 to 3-3-6; the binding's table).
METHODS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "isp_upload": (
        *_AUTH,
        ("beianInfo", "string"),
        ("beianInfoHash", "string"),
        ("dataSequence", "long"),
        ("encryptAlgorithm", "int"),
        ("hashAlgorithm", "int"),
        ("compressionFormat", "int"),
    ),
    "isp_download": (*_AUTH, ("hashAlgorithm", "int")),
    "isp_downloadack": (*_AUTH, ("hashAlgorithm", "int"), ("fileName", "string")),
    "isp_querypreviousupload": (*_AUTH, ("hashAlgorithm", "int")),
    "isp_querybeianstatus": (
        *_AUTH,
        ("hashAlgorithm", "int"),
        ("queryConditionType", "int"),
        ("queryCondition", "string"),
    ),
    "isp_verifybamm": (*_AUTH, ("hashAlgorithm", "int"), ("baxh", "string"), ("bamm", "string")),
}
_DECIMAL = re.compile(r"-?[0-9]{1,19}")

Parameters = dict[str, int | str]


class SoapFault(Exception):
    """The request is not a call of the binding; answered with a SOAP Fault and HTTP 500."""

    def __init__(self, reason: str, code: str = "soap:Client") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def parse_request(body: bytes, soap_action: str | None) -> tuple[str, Parameters]:
    """The method name and its typed parameters, or ``SoapFault``."""
    try:
        # The envelope is untrusted input (see safe_xml). huge_tree: beianInfo of a 50 MB upload is one text node
        # larger than libxml2's default limit.
        envelope = safe_xml.parse(body, huge_tree=True)
    except etree.XMLSyntaxError as error:
        raise SoapFault(f"the envelope is not well-formed XML: {error}") from error
    except safe_xml.DefusedXmlException as error:
        raise SoapFault("the envelope declares a document type or entities, which SOAP 1.1 forbids") from error
    if envelope.tag != f"{{{SOAP_ENVELOPE}}}Envelope":
        raise SoapFault("the root element is not a SOAP 1.1 Envelope")
    bodies = [child for child in envelope if child.tag == f"{{{SOAP_ENVELOPE}}}Body"]
    if len(bodies) != 1:
        raise SoapFault("the envelope has no Body, or more than one")
    calls = [child for child in bodies[0] if isinstance(child.tag, str)]
    if len(calls) != 1:
        raise SoapFault("the Body must hold exactly one method element")
    call = calls[0]
    name = etree.QName(call)
    if name.namespace != SERVICE_NAMESPACE:
        raise SoapFault(f"the method element must be in the namespace {SERVICE_NAMESPACE}")
    method = name.localname
    if method not in METHODS:
        raise SoapFault(f"no such method: {method}")
    if soap_action is None:
        raise SoapFault("the SOAPAction header is missing")
    if soap_action.strip().strip('"') != method:
        raise SoapFault(f"the SOAPAction header {soap_action!r} does not name the method {method}")
    return method, _parameters(method, [child for child in call if isinstance(child.tag, str)])


def _parameters(method: str, elements: list[etree._Element]) -> Parameters:
    expected = METHODS[method]
    names = [element.tag for element in elements]
    if names != [name for name, _ in expected]:
        raise SoapFault(
            f"{method} takes the parameters {', '.join(name for name, _ in expected)} in this order, unqualified;"
            f" received {', '.join(str(name) for name in names) or 'none'}"
        )
    parameters: Parameters = {}
    for element, (name, kind) in zip(elements, expected, strict=True):
        if len(element):
            raise SoapFault(f"parameter {name} must be text")
        text = element.text or ""
        if kind == "string":
            parameters[name] = text
        elif _DECIMAL.fullmatch(text.strip()):
            parameters[name] = int(text.strip())
        else:
            raise SoapFault(f"parameter {name} must be decimal digits ({kind})")
    return parameters


def response(method: str, answer: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENVELOPE}"><soap:Body>'
        f'<ns:{method}Response xmlns:ns="{SERVICE_NAMESPACE}"><return>{escape(answer)}</return></ns:{method}Response>'
        "</soap:Body></soap:Envelope>"
    ).encode()


def fault(reason: str, code: str = "soap:Client") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENVELOPE}"><soap:Body><soap:Fault>'
        f"<faultcode>{escape(code)}</faultcode><faultstring>{escape(reason)}</faultstring>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode()


_XSD_TYPES: dict[Kind, str] = {"long": "xsd:long", "int": "xsd:int", "string": "xsd:string"}


def wsdl(location: str) -> bytes:
    """A WSDL 1.1 document (rpc/literal) for the methods of the binding, served at ``?wsdl``."""
    messages = []
    operations = []
    bindings = []
    for method, parameters in METHODS.items():
        parts = "".join(f'<wsdl:part name="{name}" type="{_XSD_TYPES[kind]}"/>' for name, kind in parameters)
        messages.append(f'<wsdl:message name="{method}Request">{parts}</wsdl:message>')
        messages.append(
            f'<wsdl:message name="{method}Response"><wsdl:part name="return" type="xsd:string"/></wsdl:message>'
        )
        order = " ".join(name for name, _ in parameters)
        operations.append(
            f'<wsdl:operation name="{method}" parameterOrder="{order}">'
            f'<wsdl:input message="tns:{method}Request"/><wsdl:output message="tns:{method}Response"/>'
            "</wsdl:operation>"
        )
        body = f'<soap:body use="literal" namespace="{SERVICE_NAMESPACE}"/>'
        bindings.append(
            f'<wsdl:operation name="{method}"><soap:operation soapAction="{method}" style="rpc"/>'
            f"<wsdl:input>{body}</wsdl:input><wsdl:output>{body}</wsdl:output></wsdl:operation>"
        )
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"'
        ' xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        f' xmlns:tns="{SERVICE_NAMESPACE}" targetNamespace="{SERVICE_NAMESPACE}" name="ISPWebService">\n'
        + "\n".join(messages)
        + '\n<wsdl:portType name="ISPWebServicePortType">'
        + "".join(operations)
        + "</wsdl:portType>\n"
        '<wsdl:binding name="ISPWebServiceSoapBinding" type="tns:ISPWebServicePortType">'
        '<soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>'
        + "".join(bindings)
        + "</wsdl:binding>\n"
        '<wsdl:service name="ISPWebService"><wsdl:port name="upDownLoad" binding="tns:ISPWebServiceSoapBinding">'
        f'<soap:address location="{escape(location)}"/></wsdl:port></wsdl:service>\n'
        "</wsdl:definitions>\n"
    )
    return document.encode("utf-8")
