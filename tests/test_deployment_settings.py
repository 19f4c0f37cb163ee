"""One set of settings: what config.py and gunicorn.conf.py read, what production
requires, app.json, setup.sh, the README's Configuration table and its Deployment
commands all name the same ones, so a new setting cannot be missed in one of them."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import secrets
import shlex
import subprocess
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
APP_JSON: dict[str, Any] = json.loads((ROOT / "app.json").read_text())
ENV: dict[str, dict[str, Any]] = APP_JSON["env"]
# What a Heroku Postgres add-on attaches as DATABASE sets: the database, postgres://.
ADDON_DATABASE_URL = "postgres://user:password@db.example.com:5432/casting"

# Read from the environment, yet no deployment file sets them, each for its reason.
SET_BY_HEROKU = {
    "DATABASE_URL": "the heroku-postgresql add-on in app.json sets it",
    "PORT": "Heroku gives each dyno its port",
}
# In the Configuration table, though the service never reads them.
TEST_ONLY = {
    "TEST_DATABASE_URL": "the test suite's PostgreSQL run (tests/conftest.py)",
    "PGHOST": "where .ci/run, make e2e and make bench create their databases",
    "PGPORT": "likewise",
}
# Required in app.json (the form cannot leave them empty) though config.py would start
# without them.
REQUIRED_ON_HEROKU_ONLY = {
    "APP_ENV": "production is the switch that makes the other settings required",
    "TRUSTED_PROXY_HOPS": "the app cannot tell it is behind Heroku's router; 1 says so",
    "WEB_CONCURRENCY": "gunicorn.conf.py reads it with int(): an empty value stops the start",
    "WEB_THREADS": "likewise",
}
# Optional in app.json, yet in setup.sh's line and the README's commands.
SUGGESTED = {
    "AUTH0_CLIENT_ID": "/login needs it, though the API starts without it",
    "PUBLIC_URL": "likewise; known once `heroku create` has named the app",
    "CORS_ORIGINS": "the Configuration table says to name your front end in production",
}


def environment_reads(path: Path) -> set[str]:
    """Names a module reads from the environment: env_setting("X"), env_seconds("X", ..)
    and os.environ.get("X"), found in its syntax tree rather than listed by hand."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = ast.unparse(node.func)
        first = node.args[0]
        if name in {"env_setting", "env_seconds", "os.environ.get", "os.getenv"} and (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        ):
            found.add(first.value)
    return found


READ = environment_reads(ROOT / "config.py") | environment_reads(ROOT / "gunicorn.conf.py")


def configuration_table() -> set[str]:
    """The names in the first column of the README's Configuration table."""
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def config_set_names(line: str) -> dict[str, str]:
    """NAME=value pairs of a `heroku config:set ...` command line."""
    words = shlex.split(line)
    assert words[:2] == ["heroku", "config:set"], line
    return dict(word.split("=", 1) for word in words[2:] if "=" in word)


def setup_sh(environment: Mapping[str, str] | None = None) -> dict[str, str]:
    """What `bash setup.sh` prints, run with nothing of this machine's settings."""
    env = {"PATH": "/usr/bin:/bin", **(environment or {})}
    result = subprocess.run(
        ["bash", str(ROOT / "setup.sh")], capture_output=True, text=True, env=env, check=True
    )
    (line,) = result.stdout.splitlines()
    return config_set_names(line)


def deployed_environment() -> dict[str, str]:
    """The environment a dyno gets from setup.sh's line and the add-on, with the secret
    that line generates when it runs."""
    env = {**setup_sh(), "DATABASE_URL": ADDON_DATABASE_URL}
    return {k: secrets.token_hex(32) if v.startswith("$(") else v for k, v in env.items()}


def refusal(monkeypatch: pytest.MonkeyPatch, environment: Mapping[str, str]) -> str | None:
    """config.py loaded afresh under `environment` (not the imported module, which read
    this machine's), then check_settings on the class it picks: its message, or None."""
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("config_as_deployed", ROOT / "config.py")
    assert spec and spec.loader
    module: ModuleType = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        settings = module.config_for_environment()
        module.check_settings({n: getattr(settings, n) for n in dir(settings) if n.isupper()})
    except module.SettingsError as error:
        return str(error.message)
    return None


def required_in_production(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Each deployed setting without which check_settings refuses, naming it."""
    deployed = deployed_environment()
    required = set()
    for name in deployed:
        without = {k: v for k, v in deployed.items() if k != name}
        message = refusal(monkeypatch, without)
        if message is not None and name in message:
            required.add(name)
    return required


def test_setup_sh_and_the_add_on_are_enough_to_start_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert refusal(monkeypatch, deployed_environment()) is None


def test_app_json_requires_what_production_requires(monkeypatch: pytest.MonkeyPatch) -> None:
    required = required_in_production(monkeypatch)
    assert {"DATABASE_URL", "AUTH0_DOMAIN", "API_AUDIENCE"} <= required  # the probe works
    asked = {name for name, var in ENV.items() if var.get("required")}
    assert asked == (required - SET_BY_HEROKU.keys()) | REQUIRED_ON_HEROKU_ONLY.keys()


def test_app_json_names_every_setting_the_service_reads() -> None:
    assert set(ENV) == READ - SET_BY_HEROKU.keys()


def test_the_configuration_table_names_every_setting() -> None:
    assert configuration_table() == READ | TEST_ONLY.keys()


def test_setup_sh_prints_what_app_json_requires_and_the_optional_ones_when_set() -> None:
    required = {name for name, var in ENV.items() if var.get("required")}
    assert set(setup_sh()) == required | SUGGESTED.keys()
    optional = {name: "set" for name, var in ENV.items() if not var.get("required")}
    assert set(setup_sh(optional)) == set(ENV)


def test_setup_sh_and_app_json_agree_on_fixed_values_and_the_secret() -> None:
    printed = setup_sh()
    fixed = {name: var["value"] for name, var in ENV.items() if "value" in var}
    assert {name: printed[name] for name in fixed} == fixed
    assert ENV["SECRET_KEY"].get("generator") == "secret"
    assert printed["SECRET_KEY"].startswith("$("), "setup.sh must not hold a secret"


def test_the_add_on_provides_the_database_and_nothing_else_sets_it() -> None:
    plans = [addon["plan"].split(":")[0] for addon in APP_JSON["addons"]]
    assert plans == ["heroku-postgresql", "scheduler"]
    assert not re.search(r"DATABASE_URL=", (ROOT / "setup.sh").read_text())


def test_the_scheduled_job_the_readme_names_is_a_command_of_the_app(app) -> None:
    """Heroku Scheduler's job is typed by hand from the README: it must exist."""
    section = README.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    job = re.search(r"add a job: flask --app app ([\w-]+)", section)
    assert job and job.group(1) in app.cli.commands


def test_the_readme_deployment_commands_set_what_setup_sh_prints() -> None:
    section = README.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|console)\n(.*?)```", section, flags=re.S)
    lines = [
        line
        for block in blocks
        for line in block.replace("\\\n", " ").splitlines()
        if line.lstrip("$ ").startswith("heroku config:set")
    ]
    assert len(lines) == 1, "one `heroku config:set` line in README's Deployment"
    assert set(config_set_names(lines[0].lstrip("$ "))) == set(setup_sh())


def test_python_version_file_matches_the_image_and_the_tools() -> None:
    """Heroku's Python buildpack reads .python-version (major.minor: the newest patch
    release is used); the Dockerfile and the type checker must name the same one."""
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.\d+", version)
    assert f"FROM python:{version}-" in (ROOT / "Dockerfile").read_text()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["mypy"]["python_version"] == version
