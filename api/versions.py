"""Optimistic locking and writes racing one another, the whole rule in one place.

Every movie, actor and role has a `version` column that SQLAlchemy checks and bumps on
each UPDATE and DELETE (`version_id_col` in models.py). Clients see it as the ETag:
- a view that changes a record calls `require_if_match(record)` first: If-Match naming
  an older version is a 412 and nothing is written;
- without If-Match the write goes ahead (simple clients keep working), but two writes
  racing on one record cannot both win: the loser's UPDATE matches no row, SQLAlchemy
  raises StaleDataError, and `stale_write` answers 409;
- a GET whose If-None-Match names the current version is a 304 (`not_modified`);
- a write commits with `commit()`, which keeps what it wrote in memory, so the answer
  is built from that, not re-read after a concurrent DELETE may have removed the row.
"""

from __future__ import annotations

from typing import Any

from apiflask import HTTPError
from flask import Flask, Response, request
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from api.errors import error_response
from models import db

STALE_WRITE_MESSAGE = "Someone else changed this record at the same moment; fetch it and retry."
DELETED_MEANWHILE_MESSAGE = "Someone else deleted this record at the same moment."

# How the OpenAPI document describes the conditional headers: If-None-Match on every
# GET of one record, If-Match on every PATCH and DELETE.
IF_NONE_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "ETags of versions you hold, or `*`; when one is current the answer is "
    '304 with the ETag and no body. Compared weakly: `W/"3"` matches version 3.',
    "schema": {"type": "string"},
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": "The ETag of the version you read; a stale one is refused with 412. "
    "Without it the write goes through. `*` matches any version: it lets a cast role be "
    "recast without reading it first.",
    "schema": {"type": "string"},
}


def etag(record: Any) -> dict[str, str]:
    return {"ETag": f'"{record.version}"'}


def not_modified(record: Any) -> Response | None:
    """A GET whose If-None-Match names the current version: the client already holds
    this record, so 304 with the ETag and no body saves sending and serializing it.
    The comparison is weak (RFC 9110 13.1.2): W/"1" matches version 1, and `*` matches
    any record that exists. Auth and the lookup come first, so a 304 reveals nothing."""
    if not request.if_none_match.contains_weak(str(record.version)):
        return None
    response = Response(status=304)
    response.headers.update(etag(record))
    return response


def require_if_match(record: Any) -> None:
    """If-Match names the version the client last read; a stale one changes nothing.
    It compares strongly (RFC 9110): W/"1" never matches, `*` always does."""
    if request.if_match and not request.if_match.contains(str(record.version)):
        raise HTTPError(
            412,
            f"{type(record).__name__} {record.id} has changed since that version was read; "
            "fetch it again and retry.",
            headers=etag(record),
        )


def commit() -> None:
    """Commit without expiring the records this request holds. Expired, they would be
    re-read to build the answer, and a DELETE committed in between (of the record, or of
    the movie whose roles go with it) would turn a write that is stored into a 500.
    Everything the answer shows was loaded or written before the commit."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def stale_write(error: StaleDataError) -> Response:
    """The UPDATE or DELETE found its row at another version: a concurrent write won."""
    db.session.rollback()
    return error_response(409, STALE_WRITE_MESSAGE)


def vanished_record(error: ObjectDeletedError) -> Response:
    """A record deleted by another request while this one was reading it: nothing of this
    request was committed (answers are built without re-reading), so it is a lost race."""
    db.session.rollback()
    return error_response(409, DELETED_MEANWHILE_MESSAGE)


def init_versions(app: Flask) -> None:
    app.register_error_handler(StaleDataError, stale_write)
    app.register_error_handler(ObjectDeletedError, vanished_record)
