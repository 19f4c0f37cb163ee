"""TEST_DATABASE_URL is wiped by the suite: only a database named for tests is used,
and one that does not exist yet is created."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

import conftest
from conftest import (
    TEST_DATABASE,
    ensure_database_exists,
    refuse_unless_test_database,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/casting",
        "postgresql://postgres@127.0.0.1:5432/casting_agency",
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql://u:secret@db.example.com/prod",
        "postgresql://postgres@127.0.0.1:5432",
    ],
    ids=["casting", "casting_agency", "postgres", "remote prod", "no database"],
)
def test_database_not_named_for_tests_is_refused(url: str) -> None:
    with pytest.raises(pytest.UsageError, match="does not contain 'test'.*DROP SCHEMA"):
        refuse_unless_test_database(url)


@pytest.mark.parametrize(
    "name", ["casting_test", "test", "casting_test_auth", "Casting_TEST", "test-casting"]
)
def test_database_named_for_tests_is_accepted(name: str) -> None:
    refuse_unless_test_database(f"postgresql://postgres@127.0.0.1:5432/{name}")


def test_run_on_a_database_not_named_for_tests_stops_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check is wired into the start of the run, ahead of any connection (port 1:
    were it not, the error would say the server cannot be reached)."""
    monkeypatch.setattr(conftest, "ON_POSTGRES", True)
    monkeypatch.setattr(conftest, "TEST_DATABASE", "postgresql://postgres@127.0.0.1:1/casting")
    with pytest.raises(pytest.UsageError, match="names the database 'casting'"):
        conftest.pytest_sessionstart(pytest.Session.__new__(pytest.Session))


@pytest.fixture
def server() -> Iterator[Engine]:
    """The test run's PostgreSQL server, through its maintenance database."""
    engine = create_engine(
        make_url(TEST_DATABASE).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    yield engine
    engine.dispose()


@pytest.mark.postgres
def test_missing_test_database_is_created(server: Engine) -> None:
    url = make_url(TEST_DATABASE)
    name = f"{url.database}_created"
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    exists = text("SELECT count(*) FROM pg_database WHERE datname = :name")
    with server.connect() as connection:
        connection.execute(drop)
    try:
        ensure_database_exists(url.set(database=name).render_as_string(hide_password=False))
        with server.connect() as connection:
            assert connection.scalar(exists, {"name": name}) == 1
        # A second run finds it and creates nothing.
        ensure_database_exists(url.set(database=name).render_as_string(hide_password=False))
    finally:
        with server.connect() as connection:
            connection.execute(drop)


# --- the scripts that create databases: the server comes from PGHOST and PGPORT ---------

SHELL_SCRIPTS = (".ci/run", "scripts/e2e.sh", "bench/run.sh")


@pytest.mark.parametrize("script", SHELL_SCRIPTS)
def test_shell_script_takes_the_postgres_server_from_pghost_and_pgport(script: str) -> None:
    source = (ROOT / script).read_text()
    assert re.search(r"PGHOST=\$\{PGHOST:-127\.0\.0\.1\}", source), script
    assert re.search(r"PGPORT=\$\{PGPORT:-5432\}", source), script
    # Nothing else names the port or the address of the server.
    assert len(re.findall(r"5432", source)) == 1, script
    assert not re.search(r"-h 127\.0\.0\.1|127\.0\.0\.1:5432|-p 5432", source), script


def test_bench_takes_the_postgres_server_from_pghost_and_pgport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGHOST", "db.internal")
    monkeypatch.setenv("PGPORT", "6543")
    bench = importlib.reload(importlib.import_module("bench.bench"))
    assert bench.PG == "postgresql://postgres@db.internal:6543"
