"""Public endpoints about the service itself: what it is and whether it is healthy."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from auth import requires_auth
from errors import DATABASE_RETRY_AFTER_SECONDS, error_response
from models import db
from schemas import ActorBody

SERVICE_NAME = "Casting Agency API"
VERSION = "1.0.0"

bp = APIBlueprint("service", __name__, tag="Service")
# Registered only for benchmarks (BENCHMARK_CEILING): the cost of the stack itself.
ceiling_bp = APIBlueprint("ceiling", __name__, enable_openapi=False)

# The size and shape of one actor, so only the database work differs from GET /actors/<id>.
CEILING_ACTOR = {
    "id": 1,
    "name": "Maya Okafor",
    "age": 34,
    "gender": "female",
    "location": "Los Angeles, CA",
    "passport": True,
    "driver_license": True,
    "seeking_roles": True,
    "ethnicity": "black",
    "hair_color": "black",
    "eye_color": "brown",
    "body_type": "athletic",
    "height": 172,
    "description": None,
    "image_link": None,
    "phone": "+1 555 0101010",
    "email": "maya.okafor123456@example.com",
}


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


@ceiling_bp.get("/_bench/ceiling")
@requires_auth("get:actors")
@ceiling_bp.output(ActorBody)
def ceiling() -> dict[str, Any]:
    """A constant actor behind the same auth check and serialization: no database."""
    return {"success": True, "actor": CEILING_ACTOR}
