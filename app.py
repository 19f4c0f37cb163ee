"""The application factory: extensions, blueprints, error handlers and commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from flask_cors import CORS
from flask_migrate import Migrate
from werkzeug.routing import IntegerConverter

import actors
import commands
import matching
import movies
import roles
import service
from api_docs import init_docs
from auth import init_auth
from config import MIGRATIONS_DIR, Config, config_for_environment, engine_options
from edges import init_edges
from errors import register_error_handlers
from models import db
from rate_limits import init_rate_limits

migrate = Migrate()


class RecordIdConverter(IntegerConverter):
    """At most ten digits, so no id can overflow Python's int parsing; ids outside the
    database's range are a 404 in get_or_404. (A range check here would turn PATCH
    /actors/0 into a 405, because routing would fall back to the GET rule.)"""

    regex = r"\d{1,10}"


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
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))
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
    init_docs(app)
    init_edges(app)
    init_rate_limits(app)

    app.url_map.converters["int"] = RecordIdConverter
    for blueprint in (service.bp, movies.bp, actors.bp, roles.bp, matching.bp):
        app.register_blueprint(blueprint)
    if app.config["BENCHMARK_CEILING"]:
        app.register_blueprint(service.ceiling_bp)
    commands.register(app)
    return app
