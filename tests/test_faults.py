"""Database faults become 503 with Retry-After, then heal without a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from apiflask import APIFlask
from sqlalchemy import create_engine, event, text

from helpers import VALID_BODIES, assert_error, valid_body
from models import db


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:1/nowhere", "sqlite:////nonexistent/dir/casting.db"],
    ids=["postgres-refused", "sqlite-unopenable"],
)
def test_unreachable_database_is_503_quickly(make_app, producer, url):
    client = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=url).test_client()
    started = time.monotonic()
    assert_error(client.get("/actors", headers=producer), 503)
    assert_error(client.post("/actors", json=VALID_BODIES["actors"], headers=producer), 503)
    assert_error(client.get("/health"), 503, extra={"status": "unavailable"})
    assert time.monotonic() - started < 10


class Saboteur:
    """Kills the app's own database connection from outside, just before chosen
    statements run: a connection dying mid-request, as in a failover."""

    def __init__(self, app: APIFlask) -> None:
        with app.app_context():
            self.app_engine = db.engine
        self.admin = create_engine(self.app_engine.url)
        self.armed = 0
        event.listen(self.app_engine, "before_cursor_execute", self._maybe_kill)

    def _maybe_kill(self, conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if self.armed and not statement.lstrip().upper().startswith("SELECT 1"):
            self.armed -= 1
            pid = conn.connection.dbapi_connection.get_backend_pid()
            with self.admin.begin() as admin:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    def kill_all(self) -> None:
        """Every connection of the app's pool dies, as when PostgreSQL restarts."""
        with self.admin.begin() as admin:
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    def close(self) -> None:
        event.remove(self.app_engine, "before_cursor_execute", self._maybe_kill)
        self.admin.dispose()


@pytest.fixture
def saboteur(app: APIFlask) -> Iterator[Saboteur]:
    """For tests marked postgres: SQLite has no server connection to kill."""
    saboteur = Saboteur(app)
    yield saboteur
    saboteur.close()


@pytest.mark.postgres
def test_first_request_after_database_restart_succeeds(client, producer, saboteur, create):
    create("actors")
    saboteur.kill_all()
    response = client.get("/actors", headers=producer)
    assert response.status_code == 200
    assert response.get_json()["total_actors"] == 1


@pytest.mark.postgres
def test_a_read_whose_connection_dies_runs_again_on_a_fresh_one(client, producer, saboteur, create):
    create("actors")
    saboteur.armed = 1
    response = client.get("/actors", headers=producer)
    assert response.status_code == 200
    assert response.get_json()["total_actors"] == 1
    saboteur.armed = 2  # the retry's connection dies too: then it is a 503
    assert_error(client.get("/actors", headers=producer), 503)


@pytest.mark.postgres
def test_a_write_whose_connection_dies_is_503_then_heals(client, producer, saboteur, create):
    """A write is never run twice: it may have reached the database before the loss."""
    create("actors")
    saboteur.armed = 1
    assert_error(client.post("/actors", json=VALID_BODIES["actors"], headers=producer), 503)
    # The very next requests work: no PendingRollbackError, no restart.
    for _ in range(3):
        assert client.get("/actors", headers=producer).status_code == 200
    assert client.post("/actors", json=VALID_BODIES["actors"], headers=producer).status_code == 201
    assert client.get("/health").status_code == 200


@pytest.mark.postgres
def test_every_acknowledged_write_survives_faults(client, producer, saboteur):
    acknowledged, refused = [], 0
    for n in range(30):
        if n % 4 == 1:
            saboteur.armed = 1  # this write's INSERT loses its connection
        if n % 7 == 3:
            saboteur.kill_all()  # between requests, the whole pool dies
        body = valid_body("actors", name=f"Actor {n}")
        response = client.post("/actors", json=body, headers=producer)
        assert response.status_code in (201, 503), response.get_json()
        if response.status_code == 201:
            acknowledged.append(response.get_json()["id"])
        else:
            refused += 1
    assert refused >= 5 and acknowledged
    listed = client.get("/actors?page_size=100", headers=producer).get_json()
    stored = {actor["id"] for actor in listed["actors"]}
    assert set(acknowledged) <= stored
    assert listed["total_actors"] == len(acknowledged)
