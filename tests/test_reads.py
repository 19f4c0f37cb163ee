"""A read is one round trip, outside any transaction; every write keeps its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import event

from helpers import Headers, valid_body
from models import db


@pytest.fixture
def autocommit_by_statement(app: APIFlask) -> Iterator[list[tuple[str, bool]]]:
    """(statement's first word, the driver's autocommit flag when it was sent)."""
    seen: list[tuple[str, bool]] = []
    with app.app_context():
        engine = db.engine

    def record(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append((statement.split()[0].upper(), conn.connection.dbapi_connection.autocommit))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.postgres  # the driver flag is psycopg2's; SQLite keeps its transactions
def test_reads_send_no_begin_and_writes_keep_their_transaction(
    app: APIFlask,
    client: FlaskClient,
    producer: Headers,
    autocommit_by_statement: list[tuple[str, bool]],
) -> None:
    assert client.get("/actors", headers=producer).status_code == 200
    reads = list(autocommit_by_statement)
    autocommit_by_statement.clear()
    assert client.post("/actors", json=valid_body("actors"), headers=producer).status_code == 201
    writes = list(autocommit_by_statement)
    autocommit_by_statement.clear()
    assert client.head("/actors/1", headers=producer).status_code == 200
    head = list(autocommit_by_statement)

    assert reads and all(autocommit for _, autocommit in reads), reads
    assert writes and not any(autocommit for _, autocommit in writes), writes
    assert head == [("SELECT", True)]
    # Every connection went back to the pool ready for a write's transaction.
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]
