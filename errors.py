"""Every failure, whatever raised it, leaves as one JSON shape with the right status."""

from __future__ import annotations

import json
import logging
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Request, Response, jsonify
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)

from models import db

log = logging.getLogger(__name__)

DATABASE_RETRY_AFTER_SECONDS = 5


class StrictRequest(Request):
    """Request bodies are JSON objects and query parameters appear once: anything else
    is refused when the view reads it, so authentication still answers first."""

    @property
    def args(self) -> MultiDict[str, str]:
        args = super().args
        for name, values in args.lists():
            if len(values) > 1:
                # ?page=1&page=2 is ambiguous; answering with either would be a guess.
                raise BadRequest(f"Query parameter '{name}' is given more than once.")
        return args

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Parsed once and cached; `force` and `silent` cannot loosen the rules."""
        if self._cached_json[False] is not Ellipsis:
            return self._cached_json[False]
        if not self.is_json:
            raise UnsupportedMediaType(
                "The request body must be JSON (Content-Type: application/json)."
            )
        try:
            body = json.loads(self.get_data(cache=True), parse_constant=_refuse_constant)
        except RecursionError:
            raise BadRequest("The request body is nested too deeply.") from None
        except ValueError:  # also UnicodeDecodeError, and NaN or Infinity
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        self._cached_json = (body, body)
        return body


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise ValueError(f"{name} is not valid JSON")


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
    return error_response(error.status_code, error.message or "Error", dict(error.headers))  # type: ignore[arg-type]


def _werkzeug_error(error: HTTPException) -> Response:
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    if isinstance(error, RequestEntityTooLarge):
        return error_response(413, "The request body is larger than 1 MiB.", headers)
    return error_response(error.code or 500, error.description or error.name, headers)


def _database_error(error: SQLAlchemyError) -> Response:
    """Roll back first: a session left in a failed transaction poisons the next request."""
    db.session.rollback()
    if isinstance(error, StaleDataError):
        return error_response(
            409, "Someone else changed this record at the same moment; fetch it and retry."
        )
    if isinstance(error, IntegrityError):
        return error_response(409, "The change conflicts with data already stored.")
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
    app.request_class = StrictRequest
    app.register_error_handler(HTTPError, _http_error)
    app.register_error_handler(HTTPException, _werkzeug_error)
    app.register_error_handler(SQLAlchemyError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
