"""Every failure, whatever raised it, leaves as one JSON shape with the right status."""

from __future__ import annotations

import logging
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Response, jsonify
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from models import db

log = logging.getLogger(__name__)

DATABASE_RETRY_AFTER_SECONDS = 5
# PostgreSQL gave up one of two transactions that waited on each other (a deadlock) or
# could not be serialized: a lost race, not an unavailable database.
LOST_RACE_CODES = ("40001", "40P01")


def unprocessable(errors: dict[str, list[str]]) -> HTTPError:
    """A body that parsed but breaks a rule only the database can check (a missing movie)."""
    return HTTPError(422, "The request body is invalid.", detail={"json": errors})


def error_response(
    code: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    response = jsonify({"success": False, "error": code, "message": message, **extra})
    response.status_code = code
    response.headers.update(headers or {})
    return response


def _http_error(error: HTTPError) -> Response:
    """Validation errors carry their field messages; query-string ones are a 400."""
    reason = getattr(error, "reason", None)
    if reason:  # an AuthError: its reason code is logged, never the token
        log.info("auth rejected", extra={"reason": reason, "status": error.status_code})
    detail = error.detail if isinstance(error.detail, dict) else {}
    if error.status_code == 422 and detail:
        location, fields = next(iter(detail.items()))
        if location in ("query", "path", "view_args"):
            name, messages = next(iter(fields.items()))
            message = f"Invalid query parameter '{name}': {messages[0]}"
            return error_response(400, message, errors=fields)
        return error_response(422, "The request body is invalid.", errors=fields)
    # extra_data: top-level facts a refusal names, such as the moves "allowed" from here.
    extra = dict(error.extra_data or {})
    headers = dict(error.headers)
    return error_response(error.status_code, error.message or "Error", headers, **extra)  # type: ignore[arg-type]


def _werkzeug_error(error: HTTPException) -> Response:
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    if isinstance(error, RequestEntityTooLarge):
        return error_response(413, "The request body is larger than 1 MiB.", headers)
    return error_response(error.code or 500, error.description or error.name, headers)


def _database_error(error: SQLAlchemyError) -> Response:
    """Roll back first: a session left in a failed transaction poisons the next request.
    (A lost optimistic-locking race, StaleDataError, has its own handler in versions.)"""
    db.session.rollback()
    if isinstance(error, IntegrityError):
        return error_response(409, "The change conflicts with data already stored.")
    if getattr(getattr(error, "orig", None), "pgcode", None) in LOST_RACE_CODES:
        return error_response(409, "The change raced with another one; fetch and retry.")
    connection_lost = isinstance(error, DBAPIError) and error.connection_invalidated
    if connection_lost or isinstance(error, OperationalError | InterfaceError | DisconnectionError):
        log.warning("database unavailable: %s", type(error).__name__)
        return error_response(
            503,
            "The database is unavailable; try again shortly.",
            {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    log.exception("database error")
    return error_response(500, "An unexpected database error occurred.")


def _unexpected_error(error: Exception) -> Response:
    log.exception("unhandled error")
    return error_response(500, "An unexpected error occurred.")


def register_error_handlers(app: APIFlask) -> None:
    app.register_error_handler(HTTPError, _http_error)
    app.register_error_handler(HTTPException, _werkzeug_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
