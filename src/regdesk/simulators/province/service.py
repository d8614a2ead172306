"""The province system's side of the six methods: authentication, transport checks, the upload sequence, the
download queue and the status queries. Transport errors answer at once with a ``msg_code``; the results of data
processing and review come back as download files (specification 3-3-2: 对于部级系统或省局系统处理企业上报的
备案数据文件所产生的错误信息，均以数据文件下载形式返回给企业).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regdesk.simulators.province import answers, codes
from regdesk.simulators.province.config import Account, SimulatorConfig
from regdesk.simulators.province.downloads import queue_raw
from regdesk.simulators.province.operations import Context
from regdesk.simulators.province.packaging import (
    PackagingError,
    file_name_problem,
    pack,
    password_hash_matches,
    unpack,
)
from regdesk.simulators.province.processing import MAX_RECORDS, process, read_document
from regdesk.simulators.province.records import normalise_certificate_number, normalise_domain
from regdesk.simulators.province.review import review_pending
from regdesk.simulators.province.soap import Parameters
from regdesk.simulators.province.store import Store, stamp

RANDOM_VALUE_LENGTH = 20  # specification 3-3-1: 20 random digits and ASCII letters
MAX_LISTED_MISSING = 1000


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Refusal(Exception):
    """A call answered with an error ``msg_code`` before it changes anything."""

    def __init__(self, code: int, message: str | None = None, missing: list[int] | None = None) -> None:
        super().__init__(message or codes.MESSAGE_CODES[code])
        self.code = code
        self.message = message or codes.MESSAGE_CODES[code]
        self.missing = missing


class DropConnection(Exception):
    """Close the connection without an answer (the ``hang_uploads`` fault drill)."""


HANG_POLL_SECONDS = 0.05
MAX_HANG_SECONDS = 600.0


class ProvinceService:
    """The simulated province system behind the SOAP endpoint; thread-safe."""

    def __init__(self, state_dir: Path, config: SimulatorConfig, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.state_dir = state_dir
        self.store = Store(state_dir)
        self.clock = clock
        self._config = config
        self._config_lock = threading.Lock()
        self._closing = threading.Event()
        self.hanging = 0  # isp_upload calls held by the hang_uploads drill right now

    @property
    def config(self) -> SimulatorConfig:
        with self._config_lock:
            return self._config

    def update_config(self, overrides: dict[str, Any]) -> SimulatorConfig:
        """Apply a partial configuration (``ConfigError`` leaves the current one in place)."""
        with self._config_lock:
            self._config = self._config.merged(overrides)
            return self._config

    def close(self) -> None:
        self._closing.set()
        self.store.close()

    def queue_raw_download(self, document: bytes, *, kind: str = "BAJG", isp_id: int | None = None) -> str:
        """Queue a download file as given, unchecked (``POST /control/downloads``); returns its file name."""
        config = self.config
        target = isp_id if isp_id is not None else config.accounts[0].isp_id
        if config.account(target) is None:
            raise ValueError(f"no account with isp_id {target}")
        if not (kind.isascii() and kind.isalnum() and 0 < len(kind) <= 20):
            raise ValueError("kind is 1 to 20 ASCII letters or digits")
        with self.store.transaction() as connection:
            return queue_raw(connection, isp_id=target, kind=kind, document=document, now=self.clock())

    def _hold_while_hanging(self) -> None:
        """The ``hang_uploads`` drill: wait while it is on (bounded), then drop the call unprocessed."""
        if not self.config.hang_uploads:
            return
        with self._config_lock:
            self.hanging += 1
        try:
            deadline = time.monotonic() + MAX_HANG_SECONDS
            while self.config.hang_uploads and time.monotonic() < deadline:
                if self._closing.wait(HANG_POLL_SECONDS):
                    break
        finally:
            with self._config_lock:
                self.hanging -= 1
        raise DropConnection()

    # The methods. Each takes the parameters of the binding and answers the answer document's text.

    def call(self, method: str, parameters: Parameters) -> str:
        handler: Callable[[Parameters, SimulatorConfig], str] = getattr(self, method)
        return handler(parameters, self.config)

    def _authenticate(self, parameters: Parameters, config: SimulatorConfig) -> Account:
        """Specification 3-3-1: pwdHash = base64(MD5(GBK(password + randVal))) with hashAlgorithm 0 (MD5)."""
        account = config.account(int(parameters["ispId"]))
        if account is None:
            raise Refusal(codes.NOT_THIS_PROVINCE)
        if parameters["userName"] != account.user_name:
            raise Refusal(codes.USER_NAME_WRONG)
        random_value = str(parameters["randVal"])
        if len(random_value) < RANDOM_VALUE_LENGTH:
            raise Refusal(codes.RANDOM_VALUE_TOO_SHORT)
        if len(random_value) != RANDOM_VALUE_LENGTH or not (random_value.isascii() and random_value.isalnum()):
            raise Refusal(codes.AUTHENTICATION_FAILED, "认证信息错误：随机数应为20个数字或英文字母")
        if parameters["hashAlgorithm"] != 0:
            raise Refusal(codes.HASH_ALGORITHM_WRONG)
        if not password_hash_matches(account.password, random_value, str(parameters["pwdHash"])):
            raise Refusal(codes.PASSWORD_WRONG)
        return account

    def isp_upload(self, parameters: Parameters, config: SimulatorConfig) -> str:
        self._hold_while_hanging()
        isp_id = int(parameters["ispId"])
        sequence = int(parameters["dataSequence"])
        now = self.clock()
        with self.store.transaction() as connection:
            try:
                if config.maintenance:
                    raise Refusal(codes.MAINTENANCE_UPLOAD)
                account = self._authenticate(parameters, config)
                return self._upload(connection, account, parameters, config, now)
            except Refusal as refusal:
                connection.execute(
                    "INSERT INTO uploads (isp_id, data_sequence, received_at, msg_code, msg) VALUES (?, ?, ?, ?, ?)",
                    (isp_id, sequence, stamp(now), refusal.code, refusal.message),
                )
                return answers.upload(config.answer_version, refusal.code, refusal.message, refusal.missing)

    def _upload(
        self,
        connection: sqlite3.Connection,
        account: Account,
        parameters: Parameters,
        config: SimulatorConfig,
        now: dt.datetime,
    ) -> str:
        if not account.upload_enabled:
            raise Refusal(codes.PERMISSION_NOT_OPEN)
        encrypt_algorithm = int(parameters["encryptAlgorithm"])
        if encrypt_algorithm not in (0, 1):
            raise Refusal(codes.ENCRYPT_ALGORITHM_WRONG)
        if parameters["compressionFormat"] != 0:
            raise Refusal(codes.COMPRESSION_FORMAT_WRONG)
        sequence = int(parameters["dataSequence"])
        expected = last_sequence(connection, account.isp_id) + 1
        if sequence != expected:
            raise _sequence_refusal(sequence, expected)
        beian_info, beian_info_hash = str(parameters["beianInfo"]), str(parameters["beianInfoHash"])
        try:
            file_name, xml = unpack(
                beian_info, beian_info_hash, encrypt_algorithm=encrypt_algorithm, key=account.aes_key, iv=account.aes_iv
            )
        except PackagingError as error:
            raise Refusal(error.code, error.message) from error
        problem = file_name_problem(file_name)
        if problem:
            raise Refusal(codes.OTHER_ERROR, f"{problem}（{file_name[:100]}）")
        parsed = read_document(xml, config)
        if parsed.record_count > MAX_RECORDS:
            raise Refusal(codes.OTHER_ERROR, f"单个数据文件内的备案数据不能超过1000条（收到{parsed.record_count}条）")
        cursor = connection.execute(
            "INSERT INTO uploads (isp_id, data_sequence, received_at, msg_code, msg, file_name, beian_info,"
            " beian_info_hash, encrypt_algorithm) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
            (
                account.isp_id,
                sequence,
                stamp(now),
                codes.MESSAGE_CODES[codes.SUCCESS],
                file_name,
                beian_info,
                beian_info_hash,
                encrypt_algorithm,
            ),
        )
        upload_id = int(cursor.lastrowid or 0)
        context = Context(connection, upload_id, account.isp_id, account, config, now)
        produced = process(context, parsed, file_name)
        connection.execute("UPDATE uploads SET result_codes = ? WHERE id = ?", (json.dumps(produced), upload_id))
        if config.review.delay_seconds == 0:
            review_pending(connection, config, now, everything=False)
        return answers.upload(config.answer_version, codes.SUCCESS, codes.MESSAGE_CODES[codes.SUCCESS])

    def isp_download(self, parameters: Parameters, config: SimulatorConfig) -> str:
        try:
            if config.maintenance:
                raise Refusal(codes.MAINTENANCE_DOWNLOAD)
            account = self._authenticate(parameters, config)
        except Refusal as refusal:
            return answers.download(config.answer_version, refusal.code, refusal.message, None)
        with self.store.transaction() as connection:
            pending = connection.execute(
                "SELECT id, file_name, document FROM downloads WHERE isp_id = ? AND acked_at IS NULL ORDER BY id",
                (account.isp_id,),
            ).fetchall()
            if not pending:
                return answers.download(
                    config.answer_version,
                    codes.NOTHING_TO_DOWNLOAD,
                    codes.MESSAGE_CODES[codes.NOTHING_TO_DOWNLOAD],
                    None,
                )
            first = pending[0]
            connection.execute("UPDATE downloads SET served_count = served_count + 1 WHERE id = ?", (first["id"],))
        packed = pack(
            first["file_name"],
            bytes(first["document"]),
            encrypt=account.encrypt_downloads,
            key=account.aes_key,
            iv=account.aes_iv,
        )
        info = answers.FileInfo(first["file_name"], packed.beian_info, packed.beian_info_hash, packed.encrypt_algorithm)
        # 0 for the last waiting file; 3 (继续调用本接口进行下载) while more files wait behind this one.
        code = codes.SUCCESS if len(pending) == 1 else codes.MORE_TO_DOWNLOAD
        return answers.download(config.answer_version, code, codes.MESSAGE_CODES[code], info)

    def isp_downloadack(self, parameters: Parameters, config: SimulatorConfig) -> str:
        try:
            if config.maintenance:
                raise Refusal(codes.MAINTENANCE_DOWNLOAD)
            account = self._authenticate(parameters, config)
            file_name = str(parameters["fileName"]).strip()
            if not file_name:
                raise Refusal(codes.FILE_NAME_EMPTY)
            with self.store.transaction() as connection:
                row = connection.execute(
                    "SELECT id FROM downloads WHERE isp_id = ? AND file_name = ?", (account.isp_id, file_name)
                ).fetchone()
                if row is None:
                    raise Refusal(codes.OTHER_ERROR, f"没有名为{file_name[:128]}的下载文件")
                connection.execute(
                    "UPDATE downloads SET acked_at = COALESCE(acked_at, ?) WHERE id = ?",
                    (stamp(self.clock()), row["id"]),
                )
        except Refusal as refusal:
            return answers.plain(config.answer_version, refusal.code, refusal.message)
        return answers.plain(config.answer_version, codes.SUCCESS, codes.MESSAGE_CODES[codes.SUCCESS])

    def isp_querypreviousupload(self, parameters: Parameters, config: SimulatorConfig) -> str:
        try:
            if config.maintenance:
                raise Refusal(codes.MAINTENANCE_UPLOAD)
            account = self._authenticate(parameters, config)
        except Refusal as refusal:
            return answers.plain(config.answer_version, refusal.code, refusal.message)
        with self.store.transaction() as connection:
            row = connection.execute(
                "SELECT * FROM uploads WHERE isp_id = ? AND msg_code = 0 ORDER BY data_sequence DESC LIMIT 1",
                (account.isp_id,),
            ).fetchone()
        success = codes.MESSAGE_CODES[codes.SUCCESS]
        if row is None:
            # Specification 3-3-4: before the first upload, the file is empty and the sequence is 0.
            return answers.previous_upload(
                config.answer_version, codes.SUCCESS, success, 0, answers.FileInfo("", "", "", 0)
            )
        info = answers.FileInfo(row["file_name"], row["beian_info"], row["beian_info_hash"], row["encrypt_algorithm"])
        return answers.previous_upload(config.answer_version, codes.SUCCESS, success, row["data_sequence"], info)

    def isp_querybeianstatus(self, parameters: Parameters, config: SimulatorConfig) -> str:
        try:
            if config.maintenance:
                raise Refusal(codes.MAINTENANCE_UPLOAD)
            self._authenticate(parameters, config)
            condition_type = int(parameters["queryConditionType"])
            condition = str(parameters["queryCondition"]).strip()
            if not 0 <= condition_type <= 11:
                raise Refusal(codes.OTHER_ERROR, "查询条件类型错误：应为0至11")
            if not 4 <= len(condition) <= 255:
                raise Refusal(codes.OTHER_ERROR, "查询条件应为4至255个字符")
        except Refusal as refusal:
            return answers.plain(config.answer_version, refusal.code, refusal.message)
        with self.store.transaction() as connection:
            status = (
                _domain_status(connection, condition)
                if condition_type == 0
                else _owner_status(connection, condition_type, condition)
            )
        success = codes.MESSAGE_CODES[codes.SUCCESS]
        return answers.beian_status(config.answer_version, codes.SUCCESS, success, status)

    def isp_verifybamm(self, parameters: Parameters, config: SimulatorConfig) -> str:
        try:
            if config.maintenance:
                raise Refusal(codes.MAINTENANCE_UPLOAD)
            self._authenticate(parameters, config)
        except Refusal as refusal:
            return answers.plain(config.answer_version, refusal.code, refusal.message)
        number, offered = str(parameters["baxh"]).strip(), str(parameters["bamm"]).strip()
        with self.store.transaction() as connection:
            row = connection.execute(
                "SELECT o.filing_password FROM owners o LEFT JOIN websites w ON w.owner_id = o.id"
                " WHERE o.status = 'filed' AND (o.record_number = ? OR w.record_number = ?) LIMIT 1",
                (number, number),
            ).fetchone()
        verified = False
        if row is not None:
            password = str(row["filing_password"])
            # The upload schema carries filing passwords as hex MD5 (ICPmm); accept that form and the plain one.
            digest = hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()
            verified = offered == password or offered.lower() == digest
        return answers.verify_filing_password(
            config.answer_version, codes.SUCCESS, codes.MESSAGE_CODES[codes.SUCCESS], verified
        )

    # Review, control and observation.

    def review(self, *, everything: bool = False) -> int:
        """Review what is due (the reviewer thread), or every pending operation (``POST /control/review-now``)."""
        config = self.config
        with self.store.transaction() as connection:
            return review_pending(connection, config, self.clock(), everything=everything)

    def reset(self) -> None:
        self.store.reset()


def last_sequence(connection: sqlite3.Connection, isp_id: int) -> int:
    row = connection.execute(
        "SELECT MAX(data_sequence) FROM uploads WHERE isp_id = ? AND msg_code = 0", (isp_id,)
    ).fetchone()
    return int(row[0] or 0)


def _sequence_refusal(received: int, expected: int) -> Refusal:
    """Specification 3-3-1: a sequence that does not follow the last accepted one is refused with 14."""
    if received > expected:
        missing = list(range(expected, min(received, expected + MAX_LISTED_MISSING)))
        listed = f"{expected}" if received == expected + 1 else f"{expected}至{received - 1}"
        message = f"{codes.MESSAGE_CODES[codes.SEQUENCE_GAP]}（漏报的数据文件序号：{listed}）"
    elif received < 1:
        missing = [expected]
        message = f"{codes.MESSAGE_CODES[codes.SEQUENCE_GAP]}（数据文件序号从1开始，下一个序号应为{expected}）"
    else:
        missing = [expected]
        message = f"{codes.MESSAGE_CODES[codes.SEQUENCE_GAP]}（数据文件序号{received}已受理，下一个序号应为{expected}）"
    return Refusal(codes.SEQUENCE_GAP, message, missing)


def _domain_status(connection: sqlite3.Connection, condition: str) -> answers.FilingStatus:
    domain = normalise_domain(condition)
    labels = domain.split(".")
    # A host of a filed domain (www.example.cn for example.cn) is answered with the filed domain's website.
    for start in range(max(len(labels) - 1, 1)):
        candidate = ".".join(labels[start:])
        row = connection.execute(
            "SELECT w.name AS website_name, w.record_number AS website_number, o.record_number AS owner_number"
            " FROM domains d JOIN websites w ON w.id = d.website_id JOIN owners o ON o.id = w.owner_id"
            " WHERE d.name = ? AND w.status = 'filed' AND o.status = 'filed' LIMIT 1",
            (candidate,),
        ).fetchone()
        if row is not None:
            return answers.FilingStatus(
                0, condition, True, row["website_name"], row["owner_number"], row["website_number"]
            )
    return answers.FilingStatus(0, condition, False)


def _owner_status(connection: sqlite3.Connection, condition_type: int, condition: str) -> answers.FilingStatus:
    row = connection.execute(
        "SELECT record_number FROM owners WHERE certificate_number = ? AND status = 'filed' LIMIT 1",
        (normalise_certificate_number(condition),),
    ).fetchone()
    if row is None:
        return answers.FilingStatus(condition_type, condition, False)
    return answers.FilingStatus(condition_type, condition, True, owner_number=row["record_number"])
