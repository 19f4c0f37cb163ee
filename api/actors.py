"""Actor (talent profile) endpoints."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import url_for

from api.envelopes import (
    ActorBody,
    ActorPage,
    ActorRoles,
    Deleted,
    SavedActor,
    deleted,
    found,
    saved,
)
from api.listing import ordering, paginate, role_items, role_loading
from api.lookup import get_or_404
from api.query_params import ActorQuery, ExpandQuery
from api.schemas import ActorIn, ActorPatch, Body
from api.versions import commit, require_if_match
from auth import requires_auth
from models import Actor, Role, db

bp = APIBlueprint("actors", __name__, url_prefix="/actors", tag="Actors")


@bp.get("")
@requires_auth("get:actors")
@bp.input(ActorQuery, location="query", arg_name="query")
@bp.output(ActorPage)
def list_actors(query: ActorQuery) -> dict[str, Any]:
    """Find actors by profile filters and name search, a page at a time."""
    page = paginate(db.select(Actor), query, query.conditions(), ordering(Actor, query.sort))
    return page.body("actors")


@bp.get("/<id:actor_id>")
@requires_auth("get:actors")
@bp.output(ActorBody)
def get_actor(actor_id: int) -> Any:
    """Get one actor's profile."""
    return found(get_or_404(Actor, actor_id), "actor")


@bp.get("/<id:actor_id>/roles")
@requires_auth("get:roles")
@bp.input(ExpandQuery, location="query", arg_name="query")
@bp.output(ActorRoles)
def list_actor_roles(actor_id: int, query: ExpandQuery) -> dict[str, Any]:
    """List the roles an actor is cast in."""
    get_or_404(Actor, actor_id)
    statement = db.select(Role).filter_by(actor_id=actor_id).order_by(Role.id)
    roles = db.session.scalars(statement.options(*role_loading(query.expansions))).all()
    return {"success": True, "actor_id": actor_id, "roles": role_items(roles, query.expansions)}


@bp.post("")
@requires_auth("post:actors")
@bp.input(ActorIn, arg_name="body")
@bp.output(SavedActor, status_code=201)
def create_actor(body: ActorIn) -> Any:
    """Add a talent profile."""
    actor = Actor(**body.model_dump())
    db.session.add(actor)
    commit()
    return saved(actor, "actor", 201, url_for(".get_actor", actor_id=actor.id))


@bp.patch("/<id:actor_id>")
@requires_auth("patch:actors")
@bp.input(ActorPatch, arg_name="body")
@bp.output(SavedActor)
def update_actor(actor_id: int, body: Body) -> Any:
    """Change some of an actor's fields."""
    actor = get_or_404(Actor, actor_id)
    require_if_match(actor)
    body.apply_to(actor)
    commit()
    return saved(actor, "actor")


@bp.delete("/<id:actor_id>")
@requires_auth("delete:actors")
@bp.output(Deleted)
def delete_actor(actor_id: int) -> dict[str, Any]:
    """Delete an actor; the roles they were cast in become open again."""
    actor = get_or_404(Actor, actor_id)
    require_if_match(actor)
    db.session.delete(actor)
    db.session.commit()
    return deleted(actor_id)
