"""Fetching and saving single records, shared by the movie, actor and role views."""

from __future__ import annotations

from typing import Any, TypeVar

from apiflask import HTTPError
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


def apply_changes(record: Any, body: BaseModel) -> None:
    """Only the fields the client sent change; the rest keep their stored values."""
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(record, field, value)


def saved(record: Any, key: str, status: int = 200, location: str | None = None) -> Any:
    """The body every create and update answers with, and the Location of a new record."""
    body = {"success": True, "id": record.id, key: record}
    return (body, status, {"Location": location}) if location else (body, status)


def delete(record: Any) -> dict[str, Any]:
    db.session.delete(record)
    db.session.commit()
    return {"success": True, "deleted": record.id}
