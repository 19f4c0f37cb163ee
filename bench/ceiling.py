"""The benchmark's baseline: the app plus GET /_bench/ceiling, a constant actor behind
the same auth check and serializer, with no database. Served only by make bench:
`gunicorn 'bench.ceiling:create_app_with_ceiling()'`."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, APIFlask

from api.envelopes import ActorBody
from app import create_app
from auth import requires_auth

bp = APIBlueprint("ceiling", __name__, enable_openapi=False)

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


@bp.get("/_bench/ceiling")
@requires_auth("get:actors")
@bp.output(ActorBody)
def ceiling() -> dict[str, Any]:
    """A constant actor: the cost of the stack itself."""
    return {"success": True, "actor": CEILING_ACTOR}


def create_app_with_ceiling() -> APIFlask:
    app = create_app()
    app.register_blueprint(bp)
    return app
