"""The application factory: extensions, request rules, blueprints, error handlers and
commands, in the order a request meets them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask
from flask_cors import CORS
from flask_migrate import Migrate

from api import (
    actors,
    history,
    matching,
    movies,
    roles,
    schedule,
    sign_in,
    status,
    submissions,
    transitions,
)
from api.converters import RecordIdConverter
from api.errors import register_error_handlers
from api.middleware import init_middleware
from api.openapi import init_openapi
from api.rate_limits import init_rate_limits
from api.reads import init_reads
from api.strict_request import StrictRequest
from api.versions import init_versions
from auth import init_auth
from casting import commands as casting_commands
from casting.history import init_history
from config import (
    MIGRATIONS_DIR,
    SERVICE_NAME,
    VERSION,
    Config,
    check_settings,
    config_for_environment,
    engine_options,
)
from devtools import commands
from models import db

migrate = Migrate()

# What a front end on another origin may send and read. A bearer-token API sends no
# cookies, so CORS grants an origin nothing a direct request lacks; what it must allow is
# what browsers otherwise block: the conditional-request headers (If-Match to write
# safely), and reading ETag, Location, Retry-After and X-Request-ID from answers.
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
]
CORS_EXPOSED_HEADERS = ["ETag", "Location", "Retry-After", "X-Request-ID"]
# The methods the API serves (HEAD with every GET), and nothing else: no PUT.
CORS_METHODS = ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"]


def create_app(
    config_class: type[Config] | None = None, overrides: Mapping[str, Any] | None = None
) -> APIFlask:
    app = APIFlask(__name__, title=SERVICE_NAME, version=VERSION, static_folder=None)  # type: ignore[arg-type]
    app.config.from_object(config_class or config_for_environment())
    app.config.update(overrides or {})
    check_settings(app.config)  # one line naming every missing setting, or nothing
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))
    app.json.sort_keys = False  # type: ignore[attr-defined]  # "success" first, as written

    db.init_app(app)
    init_history()  # every write appends its events (casting/history.py)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    CORS(
        app,
        origins=app.config["CORS_ORIGINS"],
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_EXPOSED_HEADERS,
        methods=CORS_METHODS,
    )
    init_auth(app)

    # Bodies must be JSON objects and query parameters appear once (400 otherwise).
    app.request_class = StrictRequest
    app.url_map.converters["id"] = RecordIdConverter
    # /actors//1 is a 404, not a redirect to a URL built from the client's Host header.
    app.url_map.merge_slashes = False
    init_middleware(app)
    init_rate_limits(app)
    for blueprint in (
        status.bp,
        sign_in.bp,
        movies.bp,
        actors.bp,
        roles.bp,
        matching.bp,
        submissions.bp,
        transitions.bp,
        schedule.bp,
        history.bp,
    ):
        app.register_blueprint(blueprint)
    init_openapi(app)
    init_reads(app)  # after every GET route exists: a read meeting a dead connection reruns

    register_error_handlers(app)
    init_versions(app)
    commands.register(app)
    casting_commands.register(app)
    return app
