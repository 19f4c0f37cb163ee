"""Start-up checks: a set-up mistake stops the app with one line naming every missing
setting, instead of a traceback, a service that rejects every token, or data on a disk
the platform throws away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from config import Config, ProductionConfig, SettingsError, auth0_domain, env_seconds

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
APP_SETTINGS = (
    "APP_ENV",
    "DATABASE_URL",
    "AUTH0_DOMAIN",
    "API_AUDIENCE",
    "AUTH0_ISSUER",
    "JWKS_URL",
    "SECRET_KEY",
    "FLASK_APP",
    "TEST_DATABASE_URL",
)
COMPLETE = {
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "AUTH0_DOMAIN": "tenant.test",
    "API_AUDIENCE": "casting-api",
    "SECRET_KEY": "a-secret-for-the-sign-in-cookie",
}


@pytest.mark.parametrize(
    "unset,named",
    [
        (("AUTH0_DOMAIN",), "AUTH0_DOMAIN"),
        (("API_AUDIENCE",), "API_AUDIENCE"),
        (("SQLALCHEMY_DATABASE_URI",), "DATABASE_URL"),
        (("SECRET_KEY",), "SECRET_KEY"),
        (
            ("AUTH0_DOMAIN", "API_AUDIENCE", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY"),
            "AUTH0_DOMAIN, API_AUDIENCE, DATABASE_URL, SECRET_KEY",
        ),
    ],
    ids=["domain", "audience", "database", "secret key", "all four"],
)
def test_production_names_every_missing_setting_in_one_line(
    unset: tuple[str, ...], named: str
) -> None:
    overrides: dict[str, Any] = {**COMPLETE, **{key: "" for key in unset}}
    with pytest.raises(SettingsError) as refused:
        create_app(ProductionConfig, overrides)
    message = refused.value.format_message()
    assert f"not set: {named} (" in message
    assert "\n" not in message


def test_production_has_no_sqlite_or_local_audience_fallback() -> None:
    """Without DATABASE_URL and API_AUDIENCE in the environment, production has none."""
    if os.environ.get("DATABASE_URL") or os.environ.get("API_AUDIENCE"):
        pytest.skip("DATABASE_URL or API_AUDIENCE is set in this environment")
    assert not ProductionConfig.SQLALCHEMY_DATABASE_URI
    assert not ProductionConfig.API_AUDIENCE


def test_production_has_no_generated_secret_key() -> None:
    """Dynos that each made their own key would refuse each other's sign-in cookies."""
    if os.environ.get("SECRET_KEY"):
        pytest.skip("SECRET_KEY is set in this environment")
    assert not ProductionConfig.SECRET_KEY
    assert Config.SECRET_KEY and len(Config.SECRET_KEY) >= 32


def test_auth0_domain_without_audience_refuses_to_start_in_development() -> None:
    overrides = {**COMPLETE, "API_AUDIENCE": None}
    with pytest.raises(SettingsError, match="AUTH0_DOMAIN is set but API_AUDIENCE is not"):
        create_app(Config, overrides)


def test_local_mode_needs_no_settings() -> None:
    app = create_app(Config, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "AUTH0_DOMAIN": None})
    assert "local_issuer" in app.extensions


@pytest.mark.parametrize(
    "raw",
    [
        "casting.us.auth0.com",
        "https://casting.us.auth0.com/",
        "https://casting.us.auth0.com//",
        "HTTPS://casting.us.auth0.com",
        "http://casting.us.auth0.com",
        " casting.us.auth0.com/ ",
    ],
)
def test_auth0_domain_is_the_bare_host_however_it_is_pasted(raw: str) -> None:
    assert auth0_domain(raw) == "casting.us.auth0.com"


@pytest.mark.parametrize("raw", [None, "", "https://", "///"])
def test_auth0_domain_that_is_only_punctuation_is_unset(raw: str | None) -> None:
    assert auth0_domain(raw) is None


@pytest.mark.parametrize("raw", ["30d", "-1", "0", "1.5", "٣٠", "1e6"])
def test_a_duration_setting_that_is_not_whole_seconds_is_named(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("JWT_MAX_LIFETIME_SECONDS", raw)
    with pytest.raises(SettingsError, match="JWT_MAX_LIFETIME_SECONDS must be a whole number"):
        env_seconds("JWT_MAX_LIFETIME_SECONDS", 60)


def test_a_duration_setting_defaults_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JWT_MAX_LIFETIME_SECONDS", raising=False)
    assert env_seconds("JWT_MAX_LIFETIME_SECONDS", 60) == 60
    monkeypatch.setenv("JWT_MAX_LIFETIME_SECONDS", "3600")
    assert env_seconds("JWT_MAX_LIFETIME_SECONDS", 60) == 3600


# --- what an operator sees, from the real commands -------------------------------------


def run(command: list[str], **settings: str) -> subprocess.CompletedProcess[str]:
    """`command` in the repository with only `settings` of the app's own variables."""
    environment = {k: v for k, v in os.environ.items() if k not in APP_SETTINGS}
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**environment, **settings},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_flask_command_in_production_without_settings_prints_one_line() -> None:
    result = run([str(VENV_BIN / "flask"), "--app", "app", "db", "upgrade"], APP_ENV="production")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: APP_ENV=production needs these settings, which are not set: "
        "AUTH0_DOMAIN, API_AUDIENCE, DATABASE_URL, SECRET_KEY "
        "(see the README's Configuration table)."
    ]


@pytest.mark.slow
def test_gunicorn_without_settings_stops_and_ends_with_the_reason(tmp_path: Path) -> None:
    result = run(
        [str(VENV_BIN / "gunicorn"), "--bind", "127.0.0.1:0", "app:create_app()"],
        APP_ENV="production",
        AUTH0_DOMAIN="tenant.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'casting.db'}",
    )
    assert result.returncode != 0  # it stops, instead of restarting workers forever
    reason = (
        "Error: APP_ENV=production needs these settings, which are not set: "
        "API_AUDIENCE, SECRET_KEY ("
    )
    assert result.stderr.splitlines()[-1].startswith(reason), result.stderr
    # Checked once in the master (gunicorn.conf.py): no worker boots, no traceback.
    assert "Traceback" not in result.stderr
    assert "Booting worker" not in result.stderr


@pytest.mark.slow
def test_gunicorn_with_a_malformed_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = run(
        [str(VENV_BIN / "gunicorn"), "--bind", "127.0.0.1:0", "app:create_app()"],
        JWT_MAX_LIFETIME_SECONDS="30d",
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[-1] == (
        "Error: JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds above 0, not '30d'."
    )
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_auth0_domain_given_as_a_url_gives_the_tenant_issuer_and_key_set() -> None:
    script = (
        "from app import create_app; c = create_app().config; "
        "print(c['AUTH0_ISSUER'], c['JWKS_URL'])"
    )
    result = run(
        [sys.executable, "-c", script],
        AUTH0_DOMAIN="https://casting.us.auth0.com/",
        API_AUDIENCE="casting-api",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "https://casting.us.auth0.com/",
        "https://casting.us.auth0.com/.well-known/jwks.json",
    ]
