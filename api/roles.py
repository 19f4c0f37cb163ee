"""Role endpoints, including casting: PATCH a role's actor_id."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, HTTPError
from flask import request, url_for
from sqlalchemy import inspect

from api.envelopes import Deleted, RoleBody, RolePage, SavedRole, deleted, found, saved
from api.errors import unprocessable
from api.listing import ordering, paginate, role_items, role_loading
from api.lookup import get_or_404
from api.matching import fit
from api.query_params import RoleQuery
from api.schemas import Body, RoleIn, RolePatch
from api.versions import commit, etag, require_if_match
from auth import requires_auth
from casting.conflicts import has_dates
from casting.moves import keep_casting_in_step
from models import Actor, Movie, Role, db

bp = APIBlueprint("roles", __name__, url_prefix="/roles", tag="Roles")


def check_role(role: Role) -> None:
    """Rules that span fields or tables, checked on the merged record before it is
    written, so a PATCH of max_age alone is judged against the stored min_age."""
    errors: dict[str, list[str]] = {}
    if role.min_age > role.max_age:
        errors["max_age"] = [f"must be at least min_age ({role.min_age})"]
    if has_dates(role) and role.work_start > role.work_end:  # type: ignore[operator]
        errors["work_end"] = [f"must be on or after work_start ({role.work_start})"]
    if _sets_movie(role) and db.session.get(Movie, role.movie_id) is None:
        errors["movie_id"] = [f"movie {role.movie_id} does not exist"]
    if role.actor_id is not None and db.session.get(Actor, role.actor_id) is None:
        errors["actor_id"] = [f"actor {role.actor_id} does not exist"]
    if errors:
        raise unprocessable(errors)


def _sets_movie(role: Role) -> bool:
    """A new role names its movie; a PATCH only when it moves the role. The movie a stored
    role already has existed when it was read, and if it has been deleted since, so has
    the role (ON DELETE CASCADE): the write then loses as a race (409), not as a 422 about
    a movie_id the client never sent."""
    state = inspect(role)
    return state.transient or state.attrs.movie_id.history.has_changes()


def refuse_blind_recast(role: Role, cast_before: int | None) -> None:
    """Replacing the actor in a cast role needs If-Match: whoever recasts must have seen
    who was in it, so two directors casting at once cannot both win silently."""
    recast = cast_before is not None and role.actor_id not in (None, cast_before)
    if recast and not request.if_match:
        raise HTTPError(
            409,
            f"Role {role.id} is already cast (actor {cast_before}). To recast it, "
            "send If-Match with the role's ETag, or reopen it first.",
            headers=etag(role),
        )


def casting_fit(role: Role) -> dict[str, Any]:
    """A cast role's answer says how its actor fits it, as the candidates list would:
    casting against type (or an actor in two roles of one movie) is allowed, never
    silent. Read before the commit, from the actor check_role just loaded."""
    actor = db.session.get(Actor, role.actor_id) if role.actor_id is not None else None
    return {"fit": fit(actor, role)} if actor is not None else {}


@bp.get("")
@requires_auth("get:roles")
@bp.input(RoleQuery, location="query", arg_name="query")
@bp.output(RolePage)
def list_roles(query: RoleQuery) -> dict[str, Any]:
    """List roles, open or cast, filtered, sorted and a page at a time."""
    order = ordering(Role, query.sort)
    loading = role_loading(query.expansions)
    page = paginate(db.select(Role), query, query.conditions(), order, loading)
    return page.body("roles", role_items(page.rows, query.expansions))


@bp.get("/<id:role_id>")
@requires_auth("get:roles")
@bp.output(RoleBody)
def get_role(role_id: int) -> Any:
    """Get one role."""
    return found(get_or_404(Role, role_id), "role")


@bp.post("")
@requires_auth("post:roles")
@bp.input(RoleIn, arg_name="body")
@bp.output(SavedRole, status_code=201)
def create_role(body: RoleIn) -> Any:
    """Add a role to a movie, open or already cast."""
    role = Role(**body.model_dump())
    check_role(role)
    db.session.add(role)
    keep_casting_in_step(role, None)
    answer = casting_fit(role)
    commit()
    return saved(role, "role", 201, url_for(".get_role", role_id=role.id), **answer)


@bp.patch("/<id:role_id>")
@requires_auth("patch:roles")
@bp.input(RolePatch, arg_name="body")
@bp.output(SavedRole)
def update_role(role_id: int, body: Body) -> Any:
    """Change a role; {"actor_id": N} casts an actor, {"actor_id": null} reopens it."""
    role = get_or_404(Role, role_id)
    require_if_match(role)
    cast_before = role.actor_id
    # check_role looks up the movie and actor; without no_autoflush those lookups would
    # flush the half-changed role first, and a bad value would fail as a database error.
    with db.session.no_autoflush:
        body.apply_to(role)
        check_role(role)
        refuse_blind_recast(role, cast_before)
    keep_casting_in_step(role, cast_before)
    answer = casting_fit(role)
    commit()
    return saved(role, "role", **answer)


@bp.delete("/<id:role_id>")
@requires_auth("delete:roles")
@bp.output(Deleted)
def delete_role(role_id: int) -> dict[str, Any]:
    """Delete a role."""
    role = get_or_404(Role, role_id)
    require_if_match(role)
    db.session.delete(role)
    db.session.commit()
    return deleted(role_id)
