"""Settings read from the environment once, in one place; views never read os.environ."""

import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
MIGRATIONS_DIR = BASE_DIR / "migrations"

SERVICE_NAME = "Casting Agency API"
# The version is written once, in pyproject.toml.
with (BASE_DIR / "pyproject.toml").open("rb") as _pyproject:
    VERSION: str = tomllib.load(_pyproject)["project"]["version"]

LOCAL_ISSUER = "https://casting-agency.local/"
LOCAL_AUDIENCE = "casting-agency"


def database_url(raw: str | None, default: str) -> str:
    """Heroku still hands out postgres:// URLs, which SQLAlchemy 1.4+ refuses."""
    url = raw or default
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Fail fast instead of hanging: no connect, statement or forgotten transaction can
    hold a worker for long. No ping before each checkout (a round trip per request):
    a read that meets a dead connection is retried once on a fresh one (api/reads.py),
    and the first disconnect invalidates the whole pool, so a database restart costs
    each worker at most one failed write (503, Retry-After)."""
    options: dict[str, Any] = {}
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options["pool_timeout"] = config["DB_POOL_TIMEOUT_SECONDS"]
        options["connect_args"] = {
            "connect_timeout": config["DB_CONNECT_TIMEOUT_SECONDS"],
            "options": f"-c statement_timeout={config['DB_STATEMENT_TIMEOUT_MS']} "
            f"-c idle_in_transaction_session_timeout={config['DB_IDLE_TRANSACTION_TIMEOUT_MS']}",
        }
    return options


def env_setting(name: str) -> str | None:
    """An unset and an empty variable mean the same thing: not configured."""
    value = os.environ.get(name, "").strip()
    return value or None


def auth0_domain(raw: str | None) -> str | None:
    """The tenant's host name. It is often pasted as the URL Auth0's dashboard links to
    (https://casting.us.auth0.com/), which would make the issuer https://https://...//
    and reject every token: the scheme and slashes are dropped."""
    if raw is None:
        return None
    domain = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw.strip(), flags=re.IGNORECASE)
    return domain.strip("/") or None


class SettingsError(click.ClickException):
    """Settings the app cannot start with. A ClickException, so `flask ...` (and the
    release phase's `flask db upgrade`) prints it as one `Error: ...` line instead of a
    traceback; gunicorn prints the message as the last line of what it logs."""


def env_seconds(name: str, default: int) -> int:
    """A whole number of seconds above zero. Anything else ("30d", "-1") stops the start
    with one line naming the setting, not a ValueError traceback from int()."""
    raw = env_setting(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
        raise SettingsError(f"{name} must be a whole number of seconds above 0, not {raw!r}.")
    return int(raw)


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse to start, naming every missing setting in one line, rather than start and
    then reject every token or serve from a file the platform's disk loses."""
    if config["APP_ENV"] == "production":
        # DATABASE_URL: production has no SQLite default (see ProductionConfig).
        needed = {
            "AUTH0_DOMAIN": "AUTH0_DOMAIN",
            "API_AUDIENCE": "API_AUDIENCE",
            "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
            "SECRET_KEY": "SECRET_KEY",
        }
        missing = [name for name, key in needed.items() if not config[key]]
        if missing:
            raise SettingsError(
                f"APP_ENV=production needs these settings, which are not set: "
                f"{', '.join(missing)} (see the README's Configuration table)."
            )
    elif config["AUTH0_DOMAIN"] and not config["API_AUDIENCE"] and not config.get("TESTING"):
        raise SettingsError(
            "AUTH0_DOMAIN is set but API_AUDIENCE is not: set API_AUDIENCE to the API "
            "identifier your Auth0 tokens carry in 'aud', or every token is rejected."
        )


class Config:
    APP_ENV = env_setting("APP_ENV") or "development"
    SQLALCHEMY_DATABASE_URI = database_url(
        env_setting("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'casting.db'}"
    )
    # Engine options are built from these in create_app, for whichever database is used.
    DB_CONNECT_TIMEOUT_SECONDS = 3
    DB_POOL_TIMEOUT_SECONDS = 5
    DB_STATEMENT_TIMEOUT_MS = 5000
    DB_IDLE_TRANSACTION_TIMEOUT_MS = 10000

    # Auth0. With no AUTH0_DOMAIN the app signs its own tokens (local mode).
    AUTH0_DOMAIN = auth0_domain(env_setting("AUTH0_DOMAIN"))
    API_AUDIENCE = env_setting("API_AUDIENCE") or (None if AUTH0_DOMAIN else LOCAL_AUDIENCE)
    AUTH0_ISSUER = env_setting("AUTH0_ISSUER") or (
        f"https://{AUTH0_DOMAIN}/" if AUTH0_DOMAIN else LOCAL_ISSUER
    )
    JWKS_URL = env_setting("JWKS_URL") or (
        f"https://{AUTH0_DOMAIN}/.well-known/jwks.json" if AUTH0_DOMAIN else None
    )
    JWKS_TIMEOUT_SECONDS = 5.0
    JWKS_REFETCH_COOLDOWN_SECONDS = 60.0
    JWT_LEEWAY_SECONDS = 60
    # The longest exp - iat accepted; Auth0's own maximum for access tokens is 30 days.
    JWT_MAX_LIFETIME_SECONDS = env_seconds("JWT_MAX_LIFETIME_SECONDS", 30 * 24 * 3600)
    LOCAL_SIGNING_KEY_FILE = str(INSTANCE_DIR / "local-signing-key.pem")

    # Signing in from a browser (/login): the Auth0 application's client id, and its
    # secret when it is a confidential "Regular Web Application".
    AUTH0_CLIENT_ID = env_setting("AUTH0_CLIENT_ID")
    AUTH0_CLIENT_SECRET = env_setting("AUTH0_CLIENT_SECRET")
    # Where the service is reached, e.g. https://casting.herokuapp.com: the callback and
    # logout return addresses are built from it, never from a request's Host header.
    PUBLIC_URL = (env_setting("PUBLIC_URL") or "").rstrip("/") or None
    # Signs the short-lived sign-in cookie. Outside production one is made per process;
    # gunicorn's master reads this module before it forks, so its workers share it.
    SECRET_KEY: str | None = env_setting("SECRET_KEY") or secrets.token_urlsafe(32)

    # Heroku's router is one proxy hop: set TRUSTED_PROXY_HOPS=1 there so the client's
    # address and https come from X-Forwarded-*. Never trust them without a proxy.
    TRUSTED_PROXY_HOPS = int(env_setting("TRUSTED_PROXY_HOPS") or "0")
    JSON_LOGS = True
    LOG_LEVEL = env_setting("LOG_LEVEL") or "INFO"

    # e.g. "60/minute": writes per client address; unset, nothing is limited. Counters
    # live in RATE_LIMIT_STORAGE_URI: memory:// is per worker, redis://host:6379 shared.
    WRITE_RATE_LIMIT = env_setting("WRITE_RATE_LIMIT")
    RATE_LIMIT_STORAGE_URI = env_setting("RATE_LIMIT_STORAGE_URI") or "memory://"

    CORS_ORIGINS = [o.strip() for o in (env_setting("CORS_ORIGINS") or "*").split(",") if o.strip()]
    MAX_CONTENT_LENGTH = 1024 * 1024

    # APIFlask: one error format for everything, OpenAPI 3.1 from the schemas.
    OPENAPI_VERSION = "3.1.0"
    VALIDATION_ERROR_STATUS_CODE = 422


class ProductionConfig(Config):
    APP_ENV = "production"
    # No SQLite default: a file on a dyno's disk is lost at every restart, so an unset
    # DATABASE_URL stops the start (check_settings) instead.
    SQLALCHEMY_DATABASE_URI = database_url(env_setting("DATABASE_URL"), "")
    # Nor a local-mode audience: production's tokens come from Auth0.
    API_AUDIENCE = env_setting("API_AUDIENCE")
    # Nor a key made at start-up: each dyno would sign with its own.
    SECRET_KEY = env_setting("SECRET_KEY")


def config_for_environment() -> type[Config]:
    """APP_ENV picks the class so gunicorn's 'app:create_app()' needs no arguments."""
    return ProductionConfig if Config.APP_ENV == "production" else Config
