"""SOAP 1.1 client of the MIIT enterprise interface (``docs/miit-binding.md``), over ``http.client``.

One ``POST`` per call to the configured endpoint, ``SOAPAction: "<method>"``, the envelope built and read with
lxml. The connection is opened with the connect timeout and then read with the read timeout, so the client knows
whether a request can have reached the province:

- it could not connect: nothing was sent (``Unreachable``) — any call may be repeated;
- it connected but the answer is missing, cut, unreadable or a 5xx without a client Fault: the outcome is
  unknown (``OutcomeUnknown`` / ``ServerError``) — idempotent calls are repeated with backoff.

``isp_upload`` is never repeated blindly: after an unknown outcome the client asks ``isp_querypreviousupload``
which sequence the province last accepted. If it is ours, the upload went through (and the file it holds is
compared with ours); if it is the one before, the upload did not arrive and is sent again; anything else means
the province and we disagree on the sequence (``SequenceMismatch``) and a person must look.

Nothing of ``beianInfo`` or any personal data is logged: only method names, codes and sequence numbers.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import secrets
import string
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from lxml import etree

from regdesk.miit.codec.errors import CodecError, ResponseInvalid
from regdesk.miit.codec.packing import HASH_MD5, PackedFile, md5_base64, unpack
from regdesk.miit.codec.responses import (
    AckAnswer,
    BeianStatusAnswer,
    DownloadAnswer,
    PreviousUploadAnswer,
    UploadAnswer,
    VerifyPasswordAnswer,
    parse_ack_answer,
    parse_beian_status_answer,
    parse_download_answer,
    parse_previous_upload_answer,
    parse_upload_answer,
    parse_verify_password_answer,
)
from regdesk.miit.codec.xml import DefusedXmlException, parse_bytes
from regdesk.miit.config import MiitSettings

logger = logging.getLogger(__name__)

SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NAMESPACE = "http://www.miitbeian.gov.cn/ISPWebService"
RANDOM_ALPHABET = string.ascii_letters + string.digits
RANDOM_LENGTH = 20
# An answer carries at most one 50 MB file, base64-encoded, in an envelope.
MAX_RESPONSE_BYTES = 128 * 1024 * 1024


class TransportError(Exception):
    """A call did not produce an answer document. Messages carry the method and the reason, never data."""

    code = "transport_error"
    retryable = False

    def __init__(self, method: str, reason: str) -> None:
        super().__init__(f"{method}: {reason}")
        self.method = method
        self.reason = reason


class Unreachable(TransportError):
    """No connection could be made: the request was not sent."""

    code = "unreachable"
    retryable = True


class OutcomeUnknown(TransportError):
    """The request was (or may have been) sent, but no readable answer came back."""

    code = "outcome_unknown"
    retryable = True


class ServerError(OutcomeUnknown):
    """HTTP 5xx without a SOAP client fault."""

    code = "server_error"

    def __init__(self, method: str, status: int) -> None:
        super().__init__(method, f"HTTP {status}")
        self.status = status


class HttpError(TransportError):
    """An HTTP status other than 200 and 5xx: the endpoint refused the request as such."""

    code = "http_error"

    def __init__(self, method: str, status: int) -> None:
        super().__init__(method, f"HTTP {status}")
        self.status = status


class SoapFault(TransportError):
    """A SOAP 1.1 Fault. A ``Client`` fault means the request was refused unprocessed."""

    code = "soap_fault"

    def __init__(self, method: str, fault_code: str, fault_string: str) -> None:
        super().__init__(method, f"{fault_code}: {fault_string}")
        self.fault_code = fault_code
        self.fault_string = fault_string

    @property
    def client_fault(self) -> bool:
        return self.fault_code.rsplit(":", 1)[-1].startswith("Client")

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return not self.client_fault


class SequenceMismatch(TransportError):
    """The province's last accepted sequence is neither ours nor the one before: the two sides disagree."""

    code = "sequence_mismatch"

    def __init__(self, *, expected: int, province: int | None) -> None:
        super().__init__("isp_querypreviousupload", f"province last accepted {province}, expected {expected - 1}")
        self.expected = expected
        self.province = province


class SequenceConflict(TransportError):
    """The province accepted our sequence number with a different file."""

    code = "sequence_conflict"

    def __init__(self, sequence: int) -> None:
        super().__init__("isp_querypreviousupload", f"sequence {sequence} holds another file")
        self.sequence = sequence


@dataclass(frozen=True)
class UploadOutcome:
    """The result of ``MiitClient.upload``.

    ``answer`` is the province's answer (``None`` when the acceptance was learnt from
    ``isp_querypreviousupload``); ``reconciled`` says the outcome was established that way.
    """

    accepted: bool
    answer: UploadAnswer | None
    reconciled: bool = False
    attempts: int = 1

    @property
    def code(self) -> int | None:
        return self.answer.msg_code if self.answer is not None else (0 if self.accepted else None)

    @property
    def message(self) -> str:
        if self.answer is not None:
            return self.answer.msg
        return "accepted (confirmed by isp_querypreviousupload)" if self.accepted else ""


class MiitPort(Protocol):
    """The typed interface of the province system, as the services use it (``MiitClient`` is the real adapter)."""

    settings: MiitSettings

    def upload(
        self, *, packed: PackedFile, sequence: int, document: bytes, check_first: bool = False
    ) -> UploadOutcome: ...

    def download(self) -> DownloadAnswer: ...

    def download_ack(self, file_name: str) -> AckAnswer: ...

    def query_previous_upload(self) -> PreviousUploadAnswer: ...

    def query_beian_status(self, *, condition_type: int, condition: str) -> BeianStatusAnswer: ...

    def verify_password(self, *, record_number: str, password: str) -> VerifyPasswordAnswer: ...


def random_value() -> str:
    """``randVal``: 20 random characters from digits and ASCII letters."""
    return "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))


def password_hash(password: str, random: str) -> str:
    """``pwdHash`` = base64(MD5(GBK(password + randVal))), the interface's authentication (hashAlgorithm 0)."""
    return md5_base64((password + random).encode("gbk"))


def build_envelope(method: str, parameters: Sequence[tuple[str, str]]) -> bytes:
    """The SOAP 1.1 request: ``<ns:method>`` with unqualified children in the prototype's order."""
    envelope = etree.Element(f"{{{SOAP_ENVELOPE}}}Envelope", nsmap={"soap": SOAP_ENVELOPE})
    body = etree.SubElement(envelope, f"{{{SOAP_ENVELOPE}}}Body")
    call = etree.SubElement(body, f"{{{SERVICE_NAMESPACE}}}{method}", nsmap={"ns": SERVICE_NAMESPACE})
    for name, value in parameters:
        etree.SubElement(call, name).text = value
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def read_envelope(method: str, data: bytes) -> str:
    """The ``<return>`` text of an answer envelope; ``SoapFault`` for a Fault; ``OutcomeUnknown`` if unreadable."""
    try:
        envelope = parse_bytes(data)
    except etree.XMLSyntaxError:
        raise OutcomeUnknown(method, "unreadable envelope") from None
    except DefusedXmlException:
        raise OutcomeUnknown(method, "envelope with a document type declaration (refused)") from None
    body = envelope.find(f"{{{SOAP_ENVELOPE}}}Body")
    if body is None:
        raise OutcomeUnknown(method, "envelope without a Body")
    for child in body:
        name = _local(child.tag)
        if name == "Fault":
            raise SoapFault(method, child.findtext("faultcode") or "", child.findtext("faultstring") or "")
        if name == f"{method}Response":
            for result in child:
                if _local(result.tag) == "return":
                    return result.text or ""
            raise OutcomeUnknown(method, "answer without <return>")
    raise OutcomeUnknown(method, f"no {method}Response in the Body")


class MiitClient:
    """The interface's six methods. ``sleep`` is injectable so that tests need not wait for the backoff."""

    def __init__(self, settings: MiitSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.sleep = sleep
        parts = urlsplit(settings.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the MIIT endpoint must be an http:// or https:// URL")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    # -- one exchange ---------------------------------------------------------------------------------------

    def _credentials(self) -> list[tuple[str, str]]:
        random = random_value()
        return [
            ("ispId", str(self.settings.isp_id)),
            ("userName", self.settings.user_name),
            ("randVal", random),
            ("pwdHash", password_hash(self.settings.password, random)),
        ]

    def _connection(self) -> http.client.HTTPConnection:
        timeout = self.settings.connect_timeout_seconds
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def call_once(self, method: str, parameters: Sequence[tuple[str, str]]) -> str:
        """One POST; the ``<return>`` text, or a ``TransportError`` saying whether the request can have arrived."""
        body = build_envelope(method, parameters)
        connection = self._connection()
        try:
            try:
                connection.connect()
            except OSError as error:
                raise Unreachable(method, type(error).__name__) from None
            if connection.sock is not None:
                connection.sock.settimeout(self.settings.read_timeout_seconds)
            try:
                connection.request(
                    "POST",
                    self._path,
                    body=body,
                    headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{method}"'},
                )
                response = connection.getresponse()
                data = response.read(MAX_RESPONSE_BYTES + 1)
            except (OSError, http.client.HTTPException) as error:
                raise OutcomeUnknown(method, type(error).__name__) from None
            if len(data) > MAX_RESPONSE_BYTES:
                raise OutcomeUnknown(method, "answer too large")
            status = response.status
        finally:
            connection.close()
        if status == 200:
            return read_envelope(method, data)
        if status >= 500:
            try:
                read_envelope(method, data)
            except SoapFault:
                raise
            except OutcomeUnknown:
                pass
            raise ServerError(method, status)
        raise HttpError(method, status)

    def _backoff(self, attempt: int) -> None:
        delay = self.settings.backoff_seconds * 2 ** (attempt - 1)
        if delay > 0:
            self.sleep(delay)

    def call(self, method: str, parameters: Sequence[tuple[str, str]], *, repeat_unknown: bool = True) -> str:
        """A call repeated with backoff on ``Unreachable`` and, when ``repeat_unknown``, on unknown outcomes."""
        last: TransportError | None = None
        for attempt in range(1, self.settings.attempts + 1):
            if attempt > 1:
                self._backoff(attempt - 1)
            try:
                return self.call_once(method, parameters)
            except Unreachable as error:
                last = error
            except TransportError as error:
                if not (error.retryable and repeat_unknown):
                    raise
                last = error
            logger.warning("MIIT %s attempt %s failed: %s", method, attempt, last.code)
        assert last is not None  # noqa: S101 - at least one attempt ran
        raise last

    # -- the methods ------------------------------------------------------------------------------------------

    def download(self) -> DownloadAnswer:
        """``isp_download``. Repeating it is safe: the province sends a file again until it is acknowledged."""
        text = self.call("isp_download", [*self._credentials(), ("hashAlgorithm", str(HASH_MD5))])
        return parse_download_answer(text)

    def download_ack(self, file_name: str) -> AckAnswer:
        """``isp_downloadack`` for a file that was received and stored."""
        parameters = [*self._credentials(), ("hashAlgorithm", str(HASH_MD5)), ("fileName", file_name)]
        return parse_ack_answer(self.call("isp_downloadack", parameters))

    def query_previous_upload(self) -> PreviousUploadAnswer:
        """``isp_querypreviousupload``: the last sequence the province accepted, and that file."""
        text = self.call("isp_querypreviousupload", [*self._credentials(), ("hashAlgorithm", str(HASH_MD5))])
        return parse_previous_upload_answer(text)

    def query_beian_status(self, *, condition_type: int, condition: str) -> BeianStatusAnswer:
        """``isp_querybeianstatus``: is a domain (type 0) or a certificate number (1-11) filed?"""
        parameters = [
            *self._credentials(),
            ("hashAlgorithm", str(HASH_MD5)),
            ("queryConditionType", str(int(condition_type))),
            ("queryCondition", condition),
        ]
        return parse_beian_status_answer(self.call("isp_querybeianstatus", parameters))

    def verify_password(self, *, record_number: str, password: str) -> VerifyPasswordAnswer:
        """``isp_verifybamm``. Only repeated when the request cannot have arrived: the province counts checks."""
        parameters = [
            *self._credentials(),
            ("hashAlgorithm", str(HASH_MD5)),
            ("baxh", record_number),
            ("bamm", password),
        ]
        return parse_verify_password_answer(self.call("isp_verifybamm", parameters, repeat_unknown=False))

    def _upload_parameters(self, packed: PackedFile, sequence: int) -> list[tuple[str, str]]:
        return [
            *self._credentials(),
            ("beianInfo", packed.beian_info),
            ("beianInfoHash", packed.beian_info_hash),
            ("dataSequence", str(int(sequence))),
            ("encryptAlgorithm", str(packed.encrypt_algorithm)),
            ("hashAlgorithm", str(packed.hash_algorithm)),
            ("compressionFormat", str(packed.compression_format)),
        ]

    def upload(self, *, packed: PackedFile, sequence: int, document: bytes, check_first: bool = False) -> UploadOutcome:
        """``isp_upload`` of ``document`` (already packed) under ``sequence``; see the module docstring.

        ``check_first`` asks the province before the first attempt (for an upload whose earlier outcome is
        unknown). Transient refusals (busy, maintenance) are tried again; other answers are returned as they are.
        Raises ``Unreachable`` when no attempt could connect, ``OutcomeUnknown`` when neither the upload nor the
        query gave an answer, ``SequenceMismatch``/``SequenceConflict`` when the province disagrees.
        """
        last_error: TransportError | None = None
        last_answer: UploadAnswer | None = None
        for attempt in range(1, self.settings.attempts + 1):
            if attempt > 1:
                self._backoff(attempt - 1)
            if (
                check_first
                and attempt == 1
                and self._already_accepted(sequence=sequence, document=document, packed=packed)
            ):
                return UploadOutcome(accepted=True, answer=None, reconciled=True, attempts=attempt)
            try:
                text = self.call_once("isp_upload", self._upload_parameters(packed, sequence))
                answer = parse_upload_answer(text)
            except Unreachable as error:
                last_error = error
                logger.warning("MIIT isp_upload of sequence %s not sent: %s", sequence, error.code)
                continue
            except SoapFault as fault:
                if fault.client_fault:
                    raise
                last_error = fault
            except (OutcomeUnknown, HttpError, ResponseInvalid) as error:
                last_error = error if isinstance(error, TransportError) else OutcomeUnknown("isp_upload", error.code)
            else:
                logger.info("MIIT isp_upload of sequence %s answered %s", sequence, answer.msg_code)
                if answer.transient and attempt < self.settings.attempts:
                    last_answer = answer
                    continue
                return UploadOutcome(accepted=answer.accepted, answer=answer, attempts=attempt)
            # The request may have reached the province: ask before doing anything else.
            logger.warning("MIIT isp_upload of sequence %s has an unknown outcome; asking the province", sequence)
            if self._already_accepted(sequence=sequence, document=document, packed=packed):
                return UploadOutcome(accepted=True, answer=None, reconciled=True, attempts=attempt)
        if last_answer is not None:
            return UploadOutcome(accepted=False, answer=last_answer, attempts=self.settings.attempts)
        assert last_error is not None  # noqa: S101 - at least one attempt ran
        raise last_error

    def _already_accepted(self, *, sequence: int, document: bytes, packed: PackedFile) -> bool:
        """Whether the province's last accepted upload is ``sequence``; ``False`` if it is the one before.

        Raises ``OutcomeUnknown`` when the province cannot be asked, ``SequenceMismatch`` when its sequence is
        neither, ``SequenceConflict`` when it holds another file under our number.
        """
        try:
            previous = self.query_previous_upload()
        except (TransportError, CodecError) as error:
            raise OutcomeUnknown("isp_querypreviousupload", getattr(error, "code", "error")) from None
        if previous.msg_code != 0:
            raise OutcomeUnknown("isp_querypreviousupload", f"msg_code {previous.msg_code}")
        province = previous.data_sequence if previous.data_sequence is not None else 0
        if province == sequence - 1:
            return False
        if province != sequence:
            raise SequenceMismatch(expected=sequence, province=province)
        if previous.file is not None and not self._same_file(previous.file.packed, document, packed):
            raise SequenceConflict(sequence)
        return True

    def _same_file(self, theirs: PackedFile, document: bytes, ours: PackedFile) -> bool:
        try:
            received = unpack(theirs, key=self.settings.aes_key)
        except CodecError:
            # Not decodable with our key: the hash of the compressed bytes still identifies our file.
            return theirs.beian_info_hash == ours.beian_info_hash
        return hashlib.sha256(received.document).digest() == hashlib.sha256(document).digest()
