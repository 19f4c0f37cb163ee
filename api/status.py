"""Public endpoints about the service itself: what it is and whether it is healthy."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.errors import DATABASE_RETRY_AFTER_SECONDS, error_response
from config import SERVICE_NAME, VERSION
from models import db

bp = APIBlueprint("service", __name__, tag="Service")


@bp.get("/")
def index() -> dict[str, Any]:
    """Name and version of the service."""
    return {"success": True, "service": SERVICE_NAME, "version": VERSION, "docs": "/docs"}


@bp.get("/health")
def health() -> Any:
    """200 when the database answers, 503 when it does not, for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return error_response(
            503,
            "The database is unavailable.",
            {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
            status="unavailable",
        )
    return {"status": "ok"}
