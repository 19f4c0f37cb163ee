"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from typing import Any

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apiflask import APIFlask

from models import db


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
