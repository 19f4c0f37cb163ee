"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import text

from auth import STAFF_PERMISSIONS
from helpers import Headers, valid_body
from models import db

PRODUCER = list(STAFF_PERMISSIONS["producer"])


def _differences(app: APIFlask) -> list[Any]:
    """What autogenerate would change to make the database match the models."""
    with app.app_context(), db.engine.connect() as connection:
        env = app.extensions["migrate"]
        include_object = env.configure_args.get("include_object")
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object} if include_object else {}
        )
        return compare_metadata(context, db.metadata)


# SQLite cannot reflect expression indexes, so only PostgreSQL, the production
# database, can be compared in full; the PostgreSQL run of the suite does it.
@pytest.mark.postgres
def test_migrated_schema_matches_models(make_app):
    app = make_app()  # the session fixture built this database with the migrations
    assert _differences(app) == []


def test_migrations_downgrade_to_nothing_and_back(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'roundtrip.db'}")
    with app.app_context():
        db.drop_all()
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade()
        assert {"movies", "actors", "roles"} <= set(db.inspect(db.engine).get_table_names())


# --- ids are never reused, on SQLite as on PostgreSQL ----------------------------------


def _migrated_sqlite(make_app: Callable[..., APIFlask], path: Path, revision: str) -> APIFlask:
    app = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        flask_migrate.upgrade(revision=revision)
    return app


def _delete_newest_then_create(
    client: FlaskClient, headers: Headers, resource: str, body: dict[str, Any]
) -> tuple[int, int]:
    """Create a record, delete it, create another: the two ids."""
    first = client.post(f"/{resource}", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    deleted = first.get_json()["id"]
    assert client.delete(f"/{resource}/{deleted}", headers=headers).status_code == 200
    second = client.post(f"/{resource}", json=body, headers=headers)
    assert second.status_code == 201, second.get_json()
    return deleted, second.get_json()["id"]


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
def test_deleted_id_is_never_given_to_a_new_record(
    make_app: Callable[..., APIFlask], tmp_path: Path, resource: str
) -> None:
    """On a database the migrations built, as `make run` serves it."""
    app = _migrated_sqlite(make_app, tmp_path / "ids.db", "head")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.extensions['local_issuer'].mint(PRODUCER)}"}
    movie = client.post("/movies", json=valid_body("movies"), headers=headers).get_json()
    body = valid_body(resource, **({"movie_id": movie["id"]} if resource == "roles" else {}))
    deleted, created = _delete_newest_then_create(client, headers, resource, body)
    assert created > deleted


def test_deleted_id_is_never_reused_on_a_schema_built_from_the_models(
    client: FlaskClient, producer: Headers
) -> None:
    deleted, created = _delete_newest_then_create(client, producer, "actors", valid_body("actors"))
    assert created > deleted


def test_migration_to_autoincrement_keeps_rows_links_and_indexes(
    make_app: Callable[..., APIFlask], tmp_path: Path
) -> None:
    """An SQLite database with data at 0004 keeps every row, every role's movie and
    actor (dropping a parent with foreign keys on would null or delete them) and every
    index; afterwards the newest id is not reused."""
    app = _migrated_sqlite(make_app, tmp_path / "old.db", "0004")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.extensions['local_issuer'].mint(PRODUCER)}"}

    def post(resource: str, **fields: Any) -> int:
        response = client.post(f"/{resource}", json=valid_body(resource, **fields), headers=headers)
        assert response.status_code == 201, response.get_json()
        return int(response.get_json()["id"])

    # The rows are written as 0004's schema had them: today's models have more tables.
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO movies (id, title, release_date, genres) "
                "VALUES (1, 'M', '2030-01-01', '[]')"
            )
        )
        for actor in (1, 2, 3, 4):
            connection.execute(
                text(
                    "INSERT INTO actors (id, name, age, gender, passport, driver_license, "
                    "seeking_roles) VALUES (:id, :name, 30, 'female', 0, 0, 1)"
                ),
                {"id": actor, "name": f"Actor {actor}"},
            )
        for actor in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO roles (movie_id, actor_id, name, gender, min_age, max_age) "
                    "VALUES (1, :actor, 'Part', 'any', 20, 40)"
                ),
                {"actor": actor},
            )
        connection.execute(text("DELETE FROM actors WHERE id = 4"))

    def snapshot() -> tuple[dict[str, list[tuple[Any, ...]]], list[str]]:
        with app.app_context(), db.engine.connect() as connection:
            rows = {
                table: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table}"))]
                for table in ("movies", "actors", "roles")
            }
            indexes = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            )
            return rows, [f"{name}: {sql}" for name, sql in indexes]

    before = snapshot()
    with app.app_context():
        flask_migrate.upgrade(revision="0005")
    assert snapshot() == before
    with app.app_context():
        flask_migrate.upgrade()

    # Roles cast before the pipeline existed hold their booking from 0006 on.
    for role in (1, 2, 3):
        listed = client.get(f"/roles/{role}/submissions", headers=headers).get_json()
        booked = [(s["actor_id"], s["status"], s["source"]) for s in listed["submissions"]]
        assert booked == [(role, "booked", "staff")]
    schedule = client.get("/actors/1/schedule", headers=headers).get_json()["schedule"]
    assert [(item["role_id"], item["status"]) for item in schedule] == [(1, "booked")]

    # Ids deleted before the migration above the highest kept cannot be known; from
    # the migration on, the newest id is never given out again.
    latest = post("actors", name="After the migration")
    assert client.delete(f"/actors/{latest}", headers=headers).status_code == 200
    assert post("actors", name="Next") > latest
    with app.app_context():
        flask_migrate.downgrade(revision="0004")
        flask_migrate.upgrade()
