"""gunicorn's configuration for regdesk in production (``gunicorn -c deploy/gunicorn.conf.py``).

Every value comes from the environment, like the application's own settings:

- ``REGDESK_BIND``: where to listen (default ``127.0.0.1:8000``: behind the provider's TLS-terminating proxy);
- ``REGDESK_WEB_WORKERS``: worker processes (default two per processor, plus one);
- ``REGDESK_WEB_THREADS``: threads per worker (default 4);
- ``REGDESK_WEB_TIMEOUT_SECONDS``: a request that takes longer has its worker restarted (default 60);
- ``REGDESK_TRUSTED_PROXIES``: the proxies whose X-Forwarded-* headers gunicorn believes.

gunicorn has no limit on the size of a request body: the application refuses a body over
``REGDESK_REQUEST_MAX_BYTES`` by its declared length before reading it (``regdesk.config.request_size``), and the
proxy in front should apply the same limit (nginx ``client_max_body_size``, HAProxy ``http-request deny if
{ req.body_size gt ... }``). The header limits below are gunicorn's own.

The application is loaded in the master before the workers fork (``preload_app``), so that a configuration
refused by the settings (a weak secret, a key file others can read) stops the start once, with its message.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "regdesk.config.wsgi:application"
bind = [os.environ.get("REGDESK_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("REGDESK_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("REGDESK_WEB_THREADS", "4"))
timeout = int(os.environ.get("REGDESK_WEB_TIMEOUT_SECONDS", "60"))
graceful_timeout = 30
keepalive = 5
preload_app = True
# A worker is replaced after this many requests, so that a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# Header limits: a request line of at most 8 KiB, at most 100 header fields of at most 8 KiB each.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = os.environ.get("REGDESK_TRUSTED_PROXIES", "127.0.0.1,::1")

# One line per request comes from the application (regdesk.web.access_log, JSON in production): gunicorn's own
# access log would repeat it with the query string, which may hold what must not be logged.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("REGDESK_LOG_LEVEL", "info").lower()
