"""Province filing-system simulator (省局系统) of the MIIT enterprise interface v3.0, over SOAP on loopback.

It stands in for the province's ICP/IP/domain filing system that regdesk's MIIT adapter talks to: it
authenticates the provider, unpacks and validates uploads against ``upload.xsd`` on its own, keeps the upload
sequence, runs the data-processing checks of the specification, reviews filings by configurable rules, assigns
record numbers, and serves the results as download files until they are acknowledged. It imports nothing from
regdesk outside this package (only the standard library, lxml and cryptography).

Start it with ``python -m regdesk.simulators.province`` or, in a thread, with ``make_server(...)``.
"""

from regdesk.simulators.province.config import (
    DEFAULT_AES_IV,
    DEFAULT_AES_KEY,
    DEFAULT_ISP_ID,
    DEFAULT_PASSWORD,
    DEFAULT_PORT,
    DEFAULT_USER_NAME,
    ConfigError,
    SimulatorConfig,
)
from regdesk.simulators.province.server import ProvinceServer, make_server

__all__ = [
    "DEFAULT_AES_IV",
    "DEFAULT_AES_KEY",
    "DEFAULT_ISP_ID",
    "DEFAULT_PASSWORD",
    "DEFAULT_PORT",
    "DEFAULT_USER_NAME",
    "ConfigError",
    "ProvinceServer",
    "SimulatorConfig",
    "make_server",
]
