"""Configuration classes. Every setting comes from the environment; nothing secret is committed."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str | None) -> str | None:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    if url and url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Config:
    APP_NAME = "Kompeten"
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'kompeten.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = _env("REDIS_URL")
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    STORAGE_DIR = _env("STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    # Key-encryption key for private signing keys at rest (base64 of 32 bytes).
    KEY_ENCRYPTION_KEY = _env("KEY_ENCRYPTION_KEY")
    # Certificates: verification pages per client, and where bulk issuance runs
    # ("rq" when REDIS_URL is set, else "thread"; "inline" runs it in the request).
    VERIFY_RATE_LIMIT = _env("VERIFY_RATE_LIMIT", "60 per minute")
    # Signature checks remembered per worker process, keyed by the stored content (0: none).
    VERIFY_MEMO_SIZE = int(_env("VERIFY_MEMO_SIZE", "4096") or 0)
    CERTIFICATES_JOB_RUNNER = _env("CERTIFICATES_JOB_RUNNER")
    # The largest VC-API request body (POST /credentials/verify, /credentials/issue) and the
    # largest credential JSON read from an upload, a PDF or `verify-file`; larger get 413.
    CREDENTIAL_MAX_BYTES = int(_env("CREDENTIAL_MAX_BYTES", str(256 * 1024)) or 0)

    MAIL_BACKEND = _env("MAIL_BACKEND", "console")  # console | smtp
    MAIL_SERVER = _env("MAIL_SERVER", "localhost")
    MAIL_PORT = int(_env("MAIL_PORT", "587") or 587)
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_DEFAULT_SENDER = _env("MAIL_DEFAULT_SENDER", "Kompeten <no-reply@kompeten.id>")

    # Employment survey: months after a certificate's issue at which it is sent, days a
    # link stays valid, days between reminders and how many reminders at most.
    SURVEY_MONTHS = _env("SURVEY_MONTHS", "3,6,12")
    SURVEY_LINK_DAYS = int(_env("SURVEY_LINK_DAYS", "30") or 30)
    SURVEY_REMINDER_DAYS = int(_env("SURVEY_REMINDER_DAYS", "7") or 7)
    SURVEY_MAX_REMINDERS = int(_env("SURVEY_MAX_REMINDERS", "2") or 2)

    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024)) or 0)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI") or (
        _env("REDIS_URL") if _env("REDIS_URL") else "memory://"
    )
    RATELIMIT_HEADERS_ENABLED = True
    # When the shared storage (Redis) is unreachable, count in this process's memory instead
    # of failing the request; Flask-Limiter logs "Rate limit storage unreachable".
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = _env_bool("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # An unreachable Redis must cost a request at most this long, not hang it.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute")
    # Failed logins for one e-mail address, from any address, before its logins pause until
    # the window ends (the pause always ends: there is no permanent lockout).
    LOGIN_ACCOUNT_LIMIT = _env("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes")
    # Registrations per client address; a class registering together shares one address.
    REGISTER_RATE_LIMIT = _env("REGISTER_RATE_LIMIT", "30 per hour")
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed
    # (1 behind one nginx). 0 ignores those headers: the client is the socket's peer.
    TRUSTED_PROXY_HOPS = int(_env("TRUSTED_PROXY_HOPS", "0") or 0)
    API_TOKEN_DAYS = int(_env("API_TOKEN_DAYS", "30") or 30)

    API_TITLE = "Kompeten API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    # Embedded videos in lessons may come only from these hosts.
    VIDEO_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")

    # Answers are accepted this long after an attempt's deadline (network latency).
    ASSESSMENT_GRACE_SECONDS = int(_env("ASSESSMENT_GRACE_SECONDS", "30") or 30)
    ASSESSMENT_IMPORT_MAX_BYTES = int(_env("ASSESSMENT_IMPORT_MAX_BYTES", "1048576") or 1048576)
    # Questions in one GIFT / Moodle XML import (the file is refused above it).
    ASSESSMENT_IMPORT_MAX_QUESTIONS = int(_env("ASSESSMENT_IMPORT_MAX_QUESTIONS", "1000") or 1000)

    # Course attachments: the largest file, and the largest image.
    COURSE_ATTACHMENT_MAX_BYTES = int(_env("COURSE_ATTACHMENT_MAX_BYTES", "8388608") or 8388608)
    COURSE_IMAGE_MAX_BYTES = int(_env("COURSE_IMAGE_MAX_BYTES", "2097152") or 2097152)
    # Course packages (import): members of the ZIP, bytes once unpacked (all together, and
    # course.json; every file also within COURSE_ATTACHMENT_MAX_BYTES), and how many times
    # larger than its compressed size a member or the whole package may unpack.
    COURSE_IMPORT_MAX_MEMBERS = int(_env("COURSE_IMPORT_MAX_MEMBERS", "2000") or 2000)
    COURSE_IMPORT_MAX_TOTAL_BYTES = int(
        _env("COURSE_IMPORT_MAX_TOTAL_BYTES", "134217728") or 134217728
    )
    COURSE_IMPORT_MAX_MANIFEST_BYTES = int(
        _env("COURSE_IMPORT_MAX_MANIFEST_BYTES", "8388608") or 8388608
    )
    COURSE_IMPORT_MAX_RATIO = int(_env("COURSE_IMPORT_MAX_RATIO", "100") or 100)


class DevelopmentConfig(Config):
    DEBUG = False
    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")
    KEY_ENCRYPTION_KEY = _env("KEY_ENCRYPTION_KEY", "ZGV2LW9ubHkta2V5LWVuY3J5cHRpb24ta2V5LTMyYiE=")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - test-only value
    KEY_ENCRYPTION_KEY = "dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI="
    SQLALCHEMY_DATABASE_URI = database_url(_env("TEST_DATABASE_URL", "sqlite://"))
    RATELIMIT_STORAGE_URI = "memory://"
    REGISTER_RATE_LIMIT = "1000 per hour"  # the suite registers often; its own test lowers it
    BASE_URL = "http://kompeten.test"
    SERVER_NAME = None
    MAIL_BACKEND = "memory"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        """Refuse to start with settings that would be unsafe in production."""
        missing = [name for name in ("SECRET_KEY", "KEY_ENCRYPTION_KEY") if not getattr(cls, name)]
        if missing:
            raise RuntimeError(
                "Production needs these environment variables: " + ", ".join(missing)
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[_env("KOMPETEN_ENV", "development") or "development"]
