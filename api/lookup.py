"""Fetching one record by the id in its URL, or answering 404."""

from __future__ import annotations

from typing import TypeVar

from apiflask import HTTPError

from models import MAX_ID, Model, db

Record = TypeVar("Record", bound=Model)


def get_or_404(model: type[Record], record_id: int) -> Record:
    """Ids the database cannot hold are not looked up: they would overflow, not miss."""
    record = db.session.get(model, record_id) if 1 <= record_id <= MAX_ID else None
    if record is None:
        raise HTTPError(404, f"{model.__name__} {record_id} was not found.")
    return record
