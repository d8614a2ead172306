"""``python -m regdesk.simulators``: start every outside-system simulator on loopback until SIGINT or SIGTERM.

Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from regdesk.simulators.face_match import DEFAULT_PORT as DEFAULT_FACE_MATCH_PORT
from regdesk.simulators.face_match import FaceMatchSimulator
from regdesk.simulators.identity import DEFAULT_PORT as DEFAULT_IDENTITY_PORT
from regdesk.simulators.identity import IdentitySimulator
from regdesk.simulators.mail import DEFAULT_SMTP_PORT, DEFAULT_VIEWER_PORT, MailSimulator
from regdesk.simulators.province import DEFAULT_PORT as DEFAULT_PROVINCE_PORT
from regdesk.simulators.province import ConfigError, SimulatorConfig, make_server
from regdesk.simulators.provisioning import DEFAULT_PORT as DEFAULT_PROVISIONING_PORT
from regdesk.simulators.provisioning import ProvisioningSimulator
from regdesk.simulators.registry import DEFAULT_PORT as DEFAULT_REGISTRY_PORT
from regdesk.simulators.registry import RegistrySimulator
from regdesk.simulators.sms import DEFAULT_PORT as DEFAULT_SMS_PORT
from regdesk.simulators.sms import SmsSimulator


def _default_state_dir() -> Path:
    var_dir = os.environ.get("REGDESK_VAR_DIR")
    return (Path(var_dir) if var_dir else Path.cwd() / "var") / "simulators"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regdesk.simulators", description=__doc__)
    parser.add_argument("--state-dir", type=Path, default=_default_state_dir(), help="where messages are kept")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--sms-port", type=int, default=DEFAULT_SMS_PORT)
    parser.add_argument("--smtp-port", type=int, default=DEFAULT_SMTP_PORT)
    parser.add_argument("--mail-viewer-port", type=int, default=DEFAULT_VIEWER_PORT)
    parser.add_argument("--identity-port", type=int, default=DEFAULT_IDENTITY_PORT)
    parser.add_argument("--registry-port", type=int, default=DEFAULT_REGISTRY_PORT)
    parser.add_argument("--provisioning-port", type=int, default=DEFAULT_PROVISIONING_PORT)
    parser.add_argument("--face-match-port", type=int, default=DEFAULT_FACE_MATCH_PORT)
    parser.add_argument("--province-port", type=int, default=DEFAULT_PROVINCE_PORT)
    parser.add_argument("--province-config", type=Path, default=None, help="JSON configuration of the province")
    options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))

    try:
        province_config = (
            SimulatorConfig.from_file(options.province_config) if options.province_config else SimulatorConfig.default()
        )
    except ConfigError as error:
        print(f"province configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    state_dir: Path = options.state_dir.resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    sms = SmsSimulator(host=options.host, port=options.sms_port, state_dir=state_dir)
    mail = MailSimulator(
        state_dir=state_dir, host=options.host, smtp_port=options.smtp_port, viewer_port=options.mail_viewer_port
    )
    identity = IdentitySimulator(host=options.host, port=options.identity_port, state_dir=state_dir)
    registry = RegistrySimulator(host=options.host, port=options.registry_port)
    provisioning = ProvisioningSimulator(host=options.host, port=options.provisioning_port, state_dir=state_dir)
    province = make_server(options.host, options.province_port, state_dir / "province", province_config)
    province_thread = threading.Thread(target=province.serve_forever, name="province", daemon=True)
    face_match = FaceMatchSimulator(host=options.host, port=options.face_match_port, state_dir=state_dir)
    simulators = (sms, mail, identity, registry, provisioning, face_match)
    started: list[
        SmsSimulator
        | MailSimulator
        | IdentitySimulator
        | RegistrySimulator
        | ProvisioningSimulator
        | FaceMatchSimulator
    ] = []
    try:
        for simulator in simulators:
            simulator.start()
            started.append(simulator)
        print(f"SMS gateway simulator / 短信网关模拟器: {sms.url}/sms (messages: {sms.url}/)", flush=True)  # noqa: T201
        print(f"SMTP sink / 邮件模拟器: smtp://{options.host}:{options.smtp_port}", flush=True)  # noqa: T201
        print(f"demo mail / 演示邮件: {mail.viewer_url}/", flush=True)  # noqa: T201
        print(f"identity check simulator / 公安身份核验模拟器: {identity.url}/", flush=True)  # noqa: T201
        print(f"enterprise registry simulator / 企业登记信息模拟器: {registry.url}/", flush=True)  # noqa: T201
        print(f"network provisioning simulator / 网络开通模拟器: {provisioning.url}/", flush=True)  # noqa: T201
        print(f"face-match simulator / 人像比对模拟器: {face_match.url}/", flush=True)  # noqa: T201
        province_thread.start()
        print(f"province filing system / 省局备案系统模拟器: {province.service_url}", flush=True)  # noqa: T201
        print(f"state directory / 数据目录: {state_dir}", flush=True)  # noqa: T201
        while not stopping.wait(0.5):
            pass
    finally:
        if province_thread.is_alive():
            province.shutdown()
        province.server_close()
        for simulator in reversed(started):
            simulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
