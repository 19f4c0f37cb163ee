"""The application factory: extensions, blueprints, error handlers and commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from flask_cors import CORS
from flask_migrate import Migrate
from werkzeug.routing import IntegerConverter, Map

import actors
import commands
import matching
import movies
import roles
import service
from auth import init_auth
from config import MIGRATIONS_DIR, Config, config_for_environment
from errors import register_error_handlers
from models import db
from schemas import MAX_ID

migrate = Migrate()


class RecordIdConverter(IntegerConverter):
    """Ids from 1 to the largest the database stores; anything else is simply not
    found, instead of an overflow in SQLite or PostgreSQL."""

    regex = r"\d{1,10}"

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def create_app(
    config_class: type[Config] | None = None, overrides: Mapping[str, Any] | None = None
) -> APIFlask:
    app = APIFlask(
        __name__,
        title=service.SERVICE_NAME,
        version=service.VERSION,
        static_folder=None,  # type: ignore[arg-type]
    )
    app.config.from_object(config_class or config_for_environment())
    app.config.update(overrides or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]  # "success" first, as written
    if app.config["APP_ENV"] == "production":
        missing = [k for k in ("AUTH0_DOMAIN", "API_AUDIENCE") if not app.config[k]]
        if missing:
            raise RuntimeError(f"Production needs these settings: {', '.join(missing)}")

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    CORS(app, origins=app.config["CORS_ORIGINS"], allow_headers=["Authorization", "Content-Type"])
    init_auth(app)
    register_error_handlers(app)

    app.url_map.converters["int"] = RecordIdConverter
    for blueprint in (service.bp, movies.bp, actors.bp, roles.bp, matching.bp):
        app.register_blueprint(blueprint)
    if app.config["BENCHMARK_CEILING"]:
        app.register_blueprint(service.ceiling_bp)
    commands.register(app)
    return app
