"""``python -m regdesk.simulators.province [--host] [--port] [--state-dir] [--config FILE]``: serve the province
simulator until SIGINT or SIGTERM. Needs no database and no Django settings."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from regdesk.simulators.province.config import DEFAULT_PORT, ConfigError, SimulatorConfig
from regdesk.simulators.province.server import make_server


def default_state_dir() -> Path:
    var_dir = os.environ.get("REGDESK_VAR_DIR")
    return (Path(var_dir) if var_dir else Path.cwd() / "var") / "simulators" / "province"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regdesk.simulators.province", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--state-dir", type=Path, default=None, help="where the SQLite state file is kept")
    parser.add_argument("--config", type=Path, default=None, help="a JSON configuration file (partial is fine)")
    options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        config = SimulatorConfig.from_file(options.config) if options.config else SimulatorConfig.default()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    state_dir: Path = (options.state_dir or default_state_dir()).resolve()
    server = make_server(options.host, options.port, state_dir, config)

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever to return, so it must run outside the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"province filing-system simulator / 省局备案系统模拟器: {server.service_url}", flush=True)  # noqa: T201
    print(f"WSDL: {server.service_url}?wsdl; control: {server.url}/control/state", flush=True)  # noqa: T201
    print(f"state directory / 数据目录: {state_dir}", flush=True)  # noqa: T201
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
