"""The one settings module: everything that differs between deployments comes from environment variables.

Development defaults are safe to run on a laptop; with ``REGDESK_ENV=production`` the process refuses to start
without real secrets.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CHECKOUT_DIR = PACKAGE_DIR.parents[1]
BASE_DIR = Path(
    os.environ.get("REGDESK_HOME", _CHECKOUT_DIR if (_CHECKOUT_DIR / "pyproject.toml").exists() else Path.cwd())
).resolve()
VAR_DIR = Path(os.environ.get("REGDESK_VAR_DIR", BASE_DIR / "var")).resolve()

ENVIRONMENT = os.environ.get("REGDESK_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"


def _require_private_file(path: str, setting: str) -> None:
    """In production a secret's file must exist and be readable by its owner only (mode 0600 or stricter):
    a key that other accounts on the machine can read is no longer a secret."""
    if not PRODUCTION or not path:
        return
    try:
        mode = Path(path).stat().st_mode
    except OSError as error:
        raise ImproperlyConfigured(f"{setting}: cannot read {path!r} ({error.strerror})") from None
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"{setting}: the file {path!r} is readable or writable by other accounts (mode {mode & 0o777:04o}); "
            f"run `chmod 600 {path}` and start again"
        )


def _secret_from_env(name: str) -> str | None:
    """Read ``NAME`` or the file named by ``NAME_FILE`` (in production a file must have mode 0600)."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        _require_private_file(path, f"{name}_FILE")
        return Path(path).read_text(encoding="utf-8").strip()
    return None


# Django's own deploy check (security.W009) asks for the same: long, varied, not a generated insecure key.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 5


def _check_production_secret_key(key: str) -> None:
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS:
        raise ImproperlyConfigured(
            f"REGDESK_SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters in production "
            f"(with at least {SECRET_KEY_MIN_DISTINCT_CHARACTERS} different ones); generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`"
        )
    if key.startswith("django-insecure-"):
        raise ImproperlyConfigured("REGDESK_SECRET_KEY is a 'django-insecure-' development key; generate a new one")


def _development_secret(filename: str) -> str:
    """A per-checkout random secret kept under var/, so development needs no configuration."""
    import secrets

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


_secret = _secret_from_env("REGDESK_SECRET_KEY")
if _secret is None:
    if PRODUCTION:
        raise ImproperlyConfigured("REGDESK_SECRET_KEY or REGDESK_SECRET_KEY_FILE is required in production")
    _secret = _development_secret("secret_key")
if PRODUCTION:
    _check_production_secret_key(_secret)
SECRET_KEY = _secret

# Off unless asked for, in development too: the debug pages show settings and code, and the SQL debug logging
# costs about a tenth of every command.
DEBUG = os.environ.get("REGDESK_DEBUG", "0") == "1"
# Production names its own hosts (Django's deploy check security.W020 reports an empty list).
_DEVELOPMENT_HOSTS = "127.0.0.1,localhost,testserver"
ALLOWED_HOSTS = [
    h for h in os.environ.get("REGDESK_ALLOWED_HOSTS", "" if PRODUCTION else _DEVELOPMENT_HOSTS).split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("REGDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The key ring of the personal-data vault (see regdesk.privacy.keys). In development a ring is made under var/.
VAULT_KEYS_FILE = os.environ.get("REGDESK_VAULT_KEYS_FILE", "")
if not VAULT_KEYS_FILE and PRODUCTION:
    raise ImproperlyConfigured("REGDESK_VAULT_KEYS_FILE is required in production")
_require_private_file(VAULT_KEYS_FILE, "REGDESK_VAULT_KEYS_FILE")
VAULT_KEYS_DEFAULT_PATH = VAR_DIR / "vault-keys.json"
# The fewest characters of the purpose stated for revealing personal data.
REGDESK_REVEAL_PURPOSE_MIN_LENGTH = int(os.environ.get("REGDESK_REVEAL_PURPOSE_MIN_LENGTH", "4"))


def _optional_days(name: str) -> int | None:
    """A number of days, or ``None`` when unset (the period the data dictionary declares applies)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive whole number of days, not {value!r}")
    return int(value)


# Retention periods that override the ones declared in the data dictionary (regdesk.privacy.dictionary, where each
# declaration names its setting and states its period: the regulation's, DOMAIN.md §2 and §1).
REGDESK_RETENTION_CONTACT_DAYS = _optional_days("REGDESK_RETENTION_CONTACT_DAYS")
REGDESK_RETENTION_ICP_FILING_DAYS = _optional_days("REGDESK_RETENTION_ICP_FILING_DAYS")
REGDESK_RETENTION_LINE_REGISTRATION_DAYS = _optional_days("REGDESK_RETENTION_LINE_REGISTRATION_DAYS")
REGDESK_RETENTION_CARD_READING_DAYS = _optional_days("REGDESK_RETENTION_CARD_READING_DAYS")

# The key that signs the audit trail's checkpoints (see regdesk.audit.keys): outside the database, so that someone
# who can rewrite the trail cannot re-sign it. In development a key is made under var/.
REGDESK_AUDIT_CHECKPOINT_KEY_FILE = os.environ.get("REGDESK_AUDIT_CHECKPOINT_KEY_FILE", "")
if not REGDESK_AUDIT_CHECKPOINT_KEY_FILE and PRODUCTION:
    raise ImproperlyConfigured("REGDESK_AUDIT_CHECKPOINT_KEY_FILE is required in production")
_require_private_file(REGDESK_AUDIT_CHECKPOINT_KEY_FILE, "REGDESK_AUDIT_CHECKPOINT_KEY_FILE")
REGDESK_AUDIT_CHECKPOINT_KEY_DEFAULT_PATH = VAR_DIR / "audit-checkpoint-key"

INSTALLED_APPS = [
    # Django's admin with the desk's login (password, TOTP, lockout, audit) instead of its own.
    "regdesk.accounts.admin_config.AdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "regdesk.accounts",
    "regdesk.audit",
    "regdesk.privacy",
    "regdesk.calendars",
    "regdesk.cases",
    "regdesk.gateways",
    "regdesk.workers",
    "regdesk.subscribers",
    "regdesk.miit",
    "regdesk.filings",
    "regdesk.web",
    # Only for its templates and static files: the API's Swagger UI is served from our own static files.
    "ninja",
]

MIDDLEWARE = [
    # Outermost, so that its one line per request times and sees the answers of all the others.
    "regdesk.web.access_log.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body: a body larger than REGDESK_REQUEST_MAX_BYTES is refused unread.
    "regdesk.config.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "regdesk.accounts.middleware.StaffSecondFactorMiddleware",
    "regdesk.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "regdesk.accounts.middleware.AuditRequestContextMiddleware",
    # Turns a refused rate limit into the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "regdesk.config.urls"
WSGI_APPLICATION = "regdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'regdesk.sqlite3'}"
DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(dj_database_url.parse(os.environ.get("REGDESK_DATABASE_URL", _default_sqlite), conn_max_age=0)),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so two writers
    # queue on the busy timeout instead of failing with "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:desk_home"

# Accounts policy (configurable): failed logins before a lockout, its length, and the idle timeout.
REGDESK_LOGIN_MAX_FAILURES = int(os.environ.get("REGDESK_LOGIN_MAX_FAILURES", "5"))
REGDESK_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("REGDESK_LOGIN_LOCKOUT_MINUTES", "15"))
REGDESK_IDLE_TIMEOUT_MINUTES = int(os.environ.get("REGDESK_IDLE_TIMEOUT_MINUTES", "30"))
# REGDESK_LOGIN_MAX_FAILURES counts per client address and username together, so that one attacker behind a
# shared (NAT) address locks only the account attacked there; this larger number locks the username everywhere.
REGDESK_LOGIN_USERNAME_MAX_FAILURES = int(os.environ.get("REGDESK_LOGIN_USERNAME_MAX_FAILURES", "20"))
# The client's address behind REGDESK_TRUSTED_PROXIES (below): regdesk.accounts.client_address.


def _rate(name: str, default: str) -> str:
    """A rate limit "<count>/<period>" as django-ratelimit reads it: period s, m, h or d, optionally multiplied."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/[1-9]?\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must look like 20/h or 60/10m, not {value!r}")
    return value


# Rate limits of the anonymous forms (POSTs), per client address (IPv6: per /64) and per session. Mobile carriers
# put many customers behind one address, hence the larger per-address numbers.
REGDESK_RATE_LOGIN_PER_ADDRESS = _rate("REGDESK_RATE_LOGIN_PER_ADDRESS", "60/10m")
REGDESK_RATE_LOGIN_PER_SESSION = _rate("REGDESK_RATE_LOGIN_PER_SESSION", "20/10m")
REGDESK_RATE_SIGNUP_PER_ADDRESS = _rate("REGDESK_RATE_SIGNUP_PER_ADDRESS", "20/h")
REGDESK_RATE_SIGNUP_PER_SESSION = _rate("REGDESK_RATE_SIGNUP_PER_SESSION", "5/h")
REGDESK_RATE_LOOKUP_PER_ADDRESS = _rate("REGDESK_RATE_LOOKUP_PER_ADDRESS", "30/h")
REGDESK_RATE_LOOKUP_PER_SESSION = _rate("REGDESK_RATE_LOOKUP_PER_SESSION", "5/h")
# The counters live in the database cache: every web process (and every machine sharing the database) counts
# together, and it needs no server of its own. The table comes with the migrations (accounts 0003).
CACHES = {
    "default": {
        "BACKEND": "regdesk.accounts.cache.DatabaseCache",
        "LOCATION": "regdesk_cache",
        # Culling deletes live entries too: room for many clients' counters before that happens.
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "regdesk.accounts.views.too_many_requests"
RATELIMIT_IP_META_KEY = "regdesk.accounts.client_address.client_address"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline nor evaluated. Style
# alone allows 'unsafe-inline', for style attributes: a few pages set them (the depth of a report's rows, the footer
# preview's srcdoc) and so does Swagger UI; style sheets are static files. Images may be data: URLs (Pico's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


# HTTPS in production: plain HTTP is redirected (the health check excepted, so that a load balancer may ask over
# HTTP) and browsers are told to use HTTPS only (HSTS). Behind a TLS-terminating reverse proxy on the addresses of
# REGDESK_TRUSTED_PROXIES, the proxy's X-Forwarded-Proto says whether the request came over HTTPS; the proxy must
# set that header itself, overwriting one a client sent.
SECURE_SSL_REDIRECT = _flag("REGDESK_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SECURE_HSTS_SECONDS = int(os.environ.get("REGDESK_HSTS_SECONDS", str(365 * 24 * 3600) if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("REGDESK_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _flag("REGDESK_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The addresses (or networks) of the reverse proxies whose forwarded headers are believed; comma-separated.
REGDESK_TRUSTED_PROXIES = [
    proxy.strip() for proxy in os.environ.get("REGDESK_TRUSTED_PROXIES", "").split(",") if proxy.strip()
]
if REGDESK_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
# Each language is named in itself in the language switch.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Apps carry their own catalogues in <app>/locale; this one holds the strings of config/ itself.
LOCALE_PATHS = [PACKAGE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("REGDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A worker beats for the task it runs every REGDESK_TASK_HEARTBEAT_SECONDS; a RUNNING task whose beat is older than
# REGDESK_TASK_STALE_SECONDS lost its worker (killed, machine gone) and is reaped: marked failed, and run again when
# it is safe to (regdesk.workers).
REGDESK_TASK_HEARTBEAT_SECONDS = float(os.environ.get("REGDESK_TASK_HEARTBEAT_SECONDS", "15"))
REGDESK_TASK_STALE_SECONDS = float(os.environ.get("REGDESK_TASK_STALE_SECONDS", "120"))

# Outside systems. Every address defaults to its simulator on loopback (see regdesk.simulators).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("REGDESK_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("REGDESK_SMTP_PORT", "8025"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("REGDESK_MAIL_FROM", "regdesk@provider.example.cn")
REGDESK_SMS_GATEWAY_URL = os.environ.get("REGDESK_SMS_GATEWAY_URL", "http://127.0.0.1:8031")
REGDESK_IDENTITY_GATEWAY_URL = os.environ.get("REGDESK_IDENTITY_GATEWAY_URL", "http://127.0.0.1:8032")
REGDESK_REGISTRY_GATEWAY_URL = os.environ.get("REGDESK_REGISTRY_GATEWAY_URL", "http://127.0.0.1:8033")
REGDESK_PROVISIONING_GATEWAY_URL = os.environ.get("REGDESK_PROVISIONING_GATEWAY_URL", "http://127.0.0.1:8034")
# Each attempt of a call to an outside system waits at most this long; transient failures are tried again.
REGDESK_GATEWAY_TIMEOUT_SECONDS = float(os.environ.get("REGDESK_GATEWAY_TIMEOUT_SECONDS", "10"))
REGDESK_GATEWAY_ATTEMPTS = int(os.environ.get("REGDESK_GATEWAY_ATTEMPTS", "3"))

# The health check (GET /api/v1/health) answers 503 when the oldest waiting task or the last completed regulator
# poll is older than these; a poll age of 0 is reported without being judged (development: no poller by default).
REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS = int(os.environ.get("REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS", "300"))
REGDESK_HEALTH_POLL_MAX_AGE_SECONDS = int(
    os.environ.get("REGDESK_HEALTH_POLL_MAX_AGE_SECONDS", "900" if PRODUCTION else "0")
)

# Documents attached to cases (configurable limit).
REGDESK_DOCUMENT_MAX_BYTES = int(os.environ.get("REGDESK_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# How many documents one case holds at most; the next one is refused.
REGDESK_CASE_MAX_DOCUMENTS = int(os.environ.get("REGDESK_CASE_MAX_DOCUMENTS", "50"))
# Notices of cases (SMS, mail): attempts before one is given up, and the wait before the next attempt (doubling
# from the base, never longer than the maximum).
REGDESK_NOTICE_MAX_ATTEMPTS = int(os.environ.get("REGDESK_NOTICE_MAX_ATTEMPTS", "8"))
REGDESK_NOTICE_RETRY_BASE_SECONDS = int(os.environ.get("REGDESK_NOTICE_RETRY_BASE_SECONDS", "60"))
REGDESK_NOTICE_RETRY_MAX_SECONDS = int(os.environ.get("REGDESK_NOTICE_RETRY_MAX_SECONDS", "3600"))
# Working-day calendars (regdesk.calendars): a missing holiday calendar is alerted for every year from the first one
# to this many years ahead of today.
REGDESK_CALENDAR_ALERT_FIRST_YEAR = int(os.environ.get("REGDESK_CALENDAR_ALERT_FIRST_YEAR", "2000"))
REGDESK_CALENDAR_ALERT_YEARS_AHEAD = int(os.environ.get("REGDESK_CALENDAR_ALERT_YEARS_AHEAD", "10"))
# The largest request body taken at all (a document and its form, with a margin): a larger declared Content-Length
# is refused with 413 before the body is read (regdesk.config.request_size), and the web server applies it too.
REGDESK_REQUEST_MAX_BYTES = int(
    os.environ.get("REGDESK_REQUEST_MAX_BYTES", str(REGDESK_DOCUMENT_MAX_BYTES + 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = REGDESK_REQUEST_MAX_BYTES

# Logs go to standard error: plain lines in development, one JSON object per line in production (for the
# provider's log collector), where every request and every task also writes one line (regdesk.web.access_log).
REGDESK_LOG_FORMAT = os.environ.get("REGDESK_LOG_FORMAT", "json" if PRODUCTION else "plain")
if REGDESK_LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"REGDESK_LOG_FORMAT must be json or plain, not {REGDESK_LOG_FORMAT!r}")
# Request and task lines also in development when asked for (they are always written in production).
REGDESK_ACCESS_LOG = _flag("REGDESK_ACCESS_LOG", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": REGDESK_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("REGDESK_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every line twice beside the root handler.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # The request lines replace Django's own (which carry the query string) and the server's access log.
        "django.server": {"level": "WARNING"},
        # One line per task is regdesk.tasks's; the backport's own started/finished lines would double it.
        "django_tasks": {"level": "WARNING"},
    },
}

# MIIT enterprise interface (province filing system). Development defaults point at the province simulator; in
# production the adapter refuses to start without REGDESK_MIIT_PASSWORD and REGDESK_MIIT_AES_KEY.
REGDESK_MIIT_URL = os.environ.get("REGDESK_MIIT_URL", "http://127.0.0.1:8040/ISPWebService/upDownLoad")
REGDESK_MIIT_CONNECT_TIMEOUT_SECONDS = float(os.environ.get("REGDESK_MIIT_CONNECT_TIMEOUT_SECONDS", "5"))
REGDESK_MIIT_READ_TIMEOUT_SECONDS = float(os.environ.get("REGDESK_MIIT_READ_TIMEOUT_SECONDS", "60"))
REGDESK_MIIT_ATTEMPTS = int(os.environ.get("REGDESK_MIIT_ATTEMPTS", "3"))
# Backoff between attempts (doubling from this many seconds).
REGDESK_MIIT_BACKOFF_SECONDS = float(os.environ.get("REGDESK_MIIT_BACKOFF_SECONDS", "1"))
REGDESK_MIIT_ISP_ID = int(os.environ.get("REGDESK_MIIT_ISP_ID", "1001"))
REGDESK_MIIT_USER_NAME = os.environ.get("REGDESK_MIIT_USER_NAME", "regdesk")
# The development password and AES key are the province simulator's; production has none (see above).
REGDESK_MIIT_PASSWORD = _secret_from_env("REGDESK_MIIT_PASSWORD") or ("" if PRODUCTION else "simulator-password")
REGDESK_MIIT_AES_KEY = _secret_from_env("REGDESK_MIIT_AES_KEY") or ("" if PRODUCTION else "regdesk-aes-key!")
REGDESK_MIIT_AES_IV = os.environ.get("REGDESK_MIIT_AES_IV", "0102030405060708")
# The interface's encryptAlgorithm: 0 plain, 1 AES.
REGDESK_MIIT_ENCRYPT_ALGORITHM = int(os.environ.get("REGDESK_MIIT_ENCRYPT_ALGORITHM", "1"))
# Uploads are queued for sending as soon as they are built (0: they wait for `regdesk miit send`).
REGDESK_MIIT_SEND_AUTOMATICALLY = _flag("REGDESK_MIIT_SEND_AUTOMATICALLY", True)
# The wait before a failed send is tried again.
REGDESK_MIIT_RETRY_SECONDS = float(os.environ.get("REGDESK_MIIT_RETRY_SECONDS", "300"))
# Days an uploaded file is kept after it was sent; the interface asks for three months at least (specification
# §3-3-1-3: "应保存该数据文件3个月以上"), and shorter values are raised to that.
REGDESK_MIIT_UPLOAD_RETENTION_DAYS = int(os.environ.get("REGDESK_MIIT_UPLOAD_RETENTION_DAYS", "92"))
# One process sends uploads at a time, under a lease on the sequence row that its heartbeat renews every
# REGDESK_MIIT_SEND_HEARTBEAT_SECONDS while a call is in flight; a sender that dies frees it after the lease.
REGDESK_MIIT_SEND_LEASE_SECONDS = float(os.environ.get("REGDESK_MIIT_SEND_LEASE_SECONDS", "60"))
REGDESK_MIIT_SEND_HEARTBEAT_SECONDS = float(os.environ.get("REGDESK_MIIT_SEND_HEARTBEAT_SECONDS", "15"))

# ICP filing
# The provider's own filed IP networks (its IP address filing; MIIT code 1063): every IP range of a website's
# access must lie inside them. Comma-separated. The development default is 192.88.99.0/24, the retired 6to4 relay
# prefix (RFC 7526): public in form, as the rules demand, yet nobody's hosting network.
REGDESK_ICP_PROVIDER_NETWORKS = [
    network.strip()
    for network in os.environ.get("REGDESK_ICP_PROVIDER_NETWORKS", "" if PRODUCTION else "192.88.99.0/24").split(",")
    if network.strip()
]
# The provider as it appears on the verification form and the electronic certificate.
REGDESK_PROVIDER_NAME = os.environ.get("REGDESK_PROVIDER_NAME", "" if PRODUCTION else "华信云网络科技有限公司（演示）")
REGDESK_PROVIDER_LICENCE = os.environ.get("REGDESK_PROVIDER_LICENCE", "" if PRODUCTION else "B1-20260000")
# The provider's seal (PNG) pressed on the verification form, and the Ed25519 key that signs certificates. In
# development both are generated under var/ on first use (regdesk.filings.config).
REGDESK_PROVIDER_SEAL_FILE = os.environ.get("REGDESK_PROVIDER_SEAL_FILE", str(VAR_DIR / "provider-seal.png"))
REGDESK_CERTIFICATE_KEY_FILE = os.environ.get("REGDESK_CERTIFICATE_KEY_FILE", str(VAR_DIR / "certificate-key.pem"))
# The public address of the portal; certificates link to <base>/verify/<serial>.
REGDESK_PUBLIC_BASE_URL = os.environ.get("REGDESK_PUBLIC_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
# The organisation unit (its code) whose specialists receive the applications owners file in the portal when no unit
# serves the owner's region (OrgUnit.served_regions); empty: the provider's unit where the owner's account lives. In
# development, the demo's branch.
REGDESK_ICP_INTAKE_UNIT = os.environ.get("REGDESK_ICP_INTAKE_UNIT", "" if PRODUCTION else "bj-branch")
# Deadlines of the new-filing process in working days (DOMAIN.md §1.4). The process definition names these settings;
# each clock records the value it starts with, so a changed value applies to clocks started after the restart.
REGDESK_ICP_SPECIALIST_REVIEW_DAYS = int(os.environ.get("REGDESK_ICP_SPECIALIST_REVIEW_DAYS", "1"))
REGDESK_ICP_ONSITE_DAYS = int(os.environ.get("REGDESK_ICP_ONSITE_DAYS", "5"))
REGDESK_ICP_REGULATOR_REVIEW_DAYS = int(os.environ.get("REGDESK_ICP_REGULATOR_REVIEW_DAYS", "20"))
# Days after the approval by which the owner files the website with public security (DOMAIN.md §1.5: 30 days).
REGDESK_ICP_PUBLIC_SECURITY_DAYS = int(os.environ.get("REGDESK_ICP_PUBLIC_SECURITY_DAYS", "30"))
# The specialist's check of the contacts: how long an e-mail link and an SMS code are valid, and the tries per code.
REGDESK_ICP_CONTACT_LINK_HOURS = int(os.environ.get("REGDESK_ICP_CONTACT_LINK_HOURS", "72"))
REGDESK_ICP_SMS_CODE_MINUTES = int(os.environ.get("REGDESK_ICP_SMS_CODE_MINUTES", "10"))
REGDESK_ICP_SMS_CODE_ATTEMPTS = int(os.environ.get("REGDESK_ICP_SMS_CODE_ATTEMPTS", "5"))
# The wait before a failed turn-on of a filed website's access is tried again.
REGDESK_ICP_ACCESS_RETRY_SECONDS = float(os.environ.get("REGDESK_ICP_ACCESS_RETRY_SECONDS", "300"))


def _json_codes(name: str) -> dict[str, int]:
    """A JSON object of codes (``{"110000": 1}``); empty when unset."""
    import json

    text = os.environ.get(name, "").strip()
    try:
        value = json.loads(text) if text else {}
        codes = {str(key): int(code) for key, code in value.items()}
    except (ValueError, TypeError, AttributeError):
        raise ImproperlyConfigured(f'{name} must be a JSON object of whole numbers, like {{"110000": 1}}') from None
    return codes


# Codes of the MIIT interface that differ from its specification's own tables (regdesk.filings.mapping): the server
# location (Fbdd) of a province by its division code, an attachment's format by its content type, and an
# attachment's purpose by its kind. Empty: the specification's tables.
REGDESK_ICP_SERVER_LOCATION_CODES = _json_codes("REGDESK_ICP_SERVER_LOCATION_CODES")
REGDESK_ICP_ATTACHMENT_FORMATS = _json_codes("REGDESK_ICP_ATTACHMENT_FORMATS")
REGDESK_ICP_ATTACHMENT_PURPOSES = _json_codes("REGDESK_ICP_ATTACHMENT_PURPOSES")
if PRODUCTION:
    _missing_icp = [
        name
        for name in (
            "REGDESK_ICP_PROVIDER_NETWORKS",
            "REGDESK_PROVIDER_NAME",
            "REGDESK_PROVIDER_SEAL_FILE",
            "REGDESK_CERTIFICATE_KEY_FILE",
            "REGDESK_PUBLIC_BASE_URL",
        )
        if not os.environ.get(name)
    ]
    if _missing_icp:
        raise ImproperlyConfigured(f"ICP filing needs {', '.join(_missing_icp)} in production")
    _require_private_file(REGDESK_CERTIFICATE_KEY_FILE, "REGDESK_CERTIFICATE_KEY_FILE")

# Real-name registration (regdesk.subscribers, DOMAIN.md §2): lines an individual's ID may hold at this operator,
# how old a signed ID-card reading may be when it is verified and how long it may then be used, the face-match score
# below which a registration waits for a supervisor, and the face-match service.
REGDESK_LINES_PER_ID = int(os.environ.get("REGDESK_LINES_PER_ID", "5"))
REGDESK_READING_MAX_AGE_SECONDS = int(os.environ.get("REGDESK_READING_MAX_AGE_SECONDS", "300"))
REGDESK_READING_USE_SECONDS = int(os.environ.get("REGDESK_READING_USE_SECONDS", "900"))
REGDESK_FACE_MATCH_THRESHOLD = int(os.environ.get("REGDESK_FACE_MATCH_THRESHOLD", "80"))
REGDESK_FACE_MATCH_GATEWAY_URL = os.environ.get("REGDESK_FACE_MATCH_GATEWAY_URL", "http://127.0.0.1:8035")
# How far a card reader's clock may run ahead of the server's.
REGDESK_READING_CLOCK_SKEW_SECONDS = int(os.environ.get("REGDESK_READING_CLOCK_SKEW_SECONDS", "60"))
# The subscriber's self-service lookup of the lines on their ID: the SMS code's life and tries, the challenges one
# identity may ask for in an hour (each costs an SMS and invites guessing), and how long a confirmed lookup lasts.
REGDESK_LOOKUP_CODE_MINUTES = int(os.environ.get("REGDESK_LOOKUP_CODE_MINUTES", "10"))
REGDESK_LOOKUP_CODE_ATTEMPTS = int(os.environ.get("REGDESK_LOOKUP_CODE_ATTEMPTS", "5"))
REGDESK_LOOKUP_CHALLENGES_PER_HOUR = int(os.environ.get("REGDESK_LOOKUP_CHALLENGES_PER_HOUR", "5"))
REGDESK_LOOKUP_GRANT_MINUTES = int(os.environ.get("REGDESK_LOOKUP_GRANT_MINUTES", "15"))
# Supervision of agents: the error rate (percent) of an agent's audited registrations above which the
# self-inspection reports the agent, the largest sample of one audit, and the interval after which an active agent
# not audited is reported (a quarter).
REGDESK_AGENT_ERROR_RATE_THRESHOLD = os.environ.get("REGDESK_AGENT_ERROR_RATE_THRESHOLD", "5")
REGDESK_AGENT_AUDIT_MAX_SAMPLE = int(os.environ.get("REGDESK_AGENT_AUDIT_MAX_SAMPLE", "500"))
REGDESK_AGENT_AUDIT_INTERVAL_DAYS = int(os.environ.get("REGDESK_AGENT_AUDIT_INTERVAL_DAYS", "92"))
# The scheduled self-inspection: how often it runs (a quarter; DOMAIN.md §5 asks for one a year at least), and the
# rejected readings of one reader in a period that make a finding.
REGDESK_REALNAME_INSPECTION_DAYS = int(os.environ.get("REGDESK_REALNAME_INSPECTION_DAYS", "92"))
REGDESK_INSPECTION_REJECTED_READINGS = int(os.environ.get("REGDESK_INSPECTION_REJECTED_READINGS", "5"))
# The real-name-rate report: targets as "2016-12-31:95,2017-06-30:100" (empty: the regulator's targets,
# regdesk.rules.realname_rate.DEFAULT_TARGETS), the longest daily series, and the months a series goes back.
REGDESK_REALNAME_RATE_TARGETS = os.environ.get("REGDESK_REALNAME_RATE_TARGETS", "")
REGDESK_REALNAME_REPORT_MAX_DAYS = int(os.environ.get("REGDESK_REALNAME_REPORT_MAX_DAYS", "400"))
REGDESK_REALNAME_REPORT_DEFAULT_MONTHS = int(os.environ.get("REGDESK_REALNAME_REPORT_DEFAULT_MONTHS", "12"))
# Imports of an operator's subscriber base: rows per batch, row errors kept per job, the largest upload, and the
# SQLite page cache of an import (KiB).
REGDESK_IMPORT_BATCH_SIZE = int(os.environ.get("REGDESK_IMPORT_BATCH_SIZE", "1000"))
REGDESK_IMPORT_MAX_ROW_ERRORS = int(os.environ.get("REGDESK_IMPORT_MAX_ROW_ERRORS", "10000"))
REGDESK_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("REGDESK_IMPORT_MAX_UPLOAD_BYTES", str(2 * 1024**3)))
REGDESK_IMPORT_SQLITE_CACHE_KIB = int(os.environ.get("REGDESK_IMPORT_SQLITE_CACHE_KIB", "65536"))
# Remediation campaigns of unregistered lines (seed 004): one-way stop 10 working days after the notice, a reminder
# 5 calendar days later, the two-way stop 10 calendar days after the reminder (15 days after the one-way stop:
# "单停15天后对于未补登记用户自动进入全停"), cancellation 30 calendar days after the two-way stop. A unit is
# working_days or calendar_days.
REGDESK_CAMPAIGN_ONE_WAY_AFTER = int(os.environ.get("REGDESK_CAMPAIGN_ONE_WAY_AFTER", "10"))
REGDESK_CAMPAIGN_ONE_WAY_UNIT = os.environ.get("REGDESK_CAMPAIGN_ONE_WAY_UNIT", "working_days")
REGDESK_CAMPAIGN_REMINDER_AFTER = int(os.environ.get("REGDESK_CAMPAIGN_REMINDER_AFTER", "5"))
REGDESK_CAMPAIGN_REMINDER_UNIT = os.environ.get("REGDESK_CAMPAIGN_REMINDER_UNIT", "calendar_days")
REGDESK_CAMPAIGN_TWO_WAY_AFTER = int(os.environ.get("REGDESK_CAMPAIGN_TWO_WAY_AFTER", "10"))
REGDESK_CAMPAIGN_TWO_WAY_UNIT = os.environ.get("REGDESK_CAMPAIGN_TWO_WAY_UNIT", "calendar_days")
REGDESK_CAMPAIGN_CANCEL_AFTER = int(os.environ.get("REGDESK_CAMPAIGN_CANCEL_AFTER", "30"))
REGDESK_CAMPAIGN_CANCEL_UNIT = os.environ.get("REGDESK_CAMPAIGN_CANCEL_UNIT", "calendar_days")
# The first wait before a failed provisioning command (turning a line's service off or on) is sent again; it
# doubles with each attempt, up to an hour.
REGDESK_PROVISIONING_RETRY_SECONDS = int(os.environ.get("REGDESK_PROVISIONING_RETRY_SECONDS", "60"))
