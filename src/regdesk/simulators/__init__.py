"""Local stand-ins for the outside systems, served over real sockets on loopback.

A simulator is the outside world: it imports nothing from regdesk's models, case kernel or adapters (only the
standard library and its own server libraries), so that a bug in an adapter cannot hide behind the same bug in
its simulator. ``python -m regdesk.simulators`` starts all of them; the tests start them on free ports through
the fixtures in ``tests/fixtures/simulators.py``.
"""

from regdesk.simulators.mail import MailSimulator
from regdesk.simulators.sms import SmsSimulator

__all__ = ["MailSimulator", "SmsSimulator"]
