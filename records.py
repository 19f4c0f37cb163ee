"""Fetching and saving single records, shared by the movie, actor and role views."""

from __future__ import annotations

from typing import Any, TypeVar

from apiflask import HTTPError
from flask import request
from pydantic import BaseModel

from models import Model, db
from schemas import MAX_ID

Record = TypeVar("Record", bound=Model)


def get_or_404(model: type[Record], record_id: int) -> Record:
    """Ids the database cannot hold are not looked up: they would overflow, not miss."""
    record = db.session.get(model, record_id) if 1 <= record_id <= MAX_ID else None
    if record is None:
        raise HTTPError(404, f"{model.__name__} {record_id} was not found.")
    return record


def etag(record: Any) -> dict[str, str]:
    return {"ETag": f'"{record.version}"'}


def require_current(record: Any) -> None:
    """If-Match names the version the client last read; a stale one changes nothing.
    Without If-Match the write goes ahead, so existing clients keep working."""
    if request.if_match and not request.if_match.contains(str(record.version)):
        raise HTTPError(
            412,
            f"{type(record).__name__} {record.id} has changed since that version was read; "
            "fetch it again and retry.",
            headers=etag(record),
        )


def apply_changes(record: Any, body: BaseModel) -> None:
    """Only the fields the client sent change; the rest keep their stored values."""
    require_current(record)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(record, field, value)


def found(record: Any, key: str) -> Any:
    return {"success": True, key: record}, 200, etag(record)


def saved(record: Any, key: str, status: int = 200, location: str | None = None) -> Any:
    """The body every create and update answers with, its ETag, and a new record's Location."""
    headers = etag(record) | ({"Location": location} if location else {})
    return {"success": True, "id": record.id, key: record}, status, headers


def delete(record: Any) -> dict[str, Any]:
    require_current(record)
    db.session.delete(record)
    db.session.commit()
    return {"success": True, "deleted": record.id}
