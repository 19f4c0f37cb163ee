"""Casting matches: who could play this part, and what could this actor play."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import ColumnElement, and_, exists, false, func, or_
from sqlalchemy.orm import aliased

from api.envelopes import Candidates, MatchingRoles
from api.listing import paginate, role_items, role_loading
from api.lookup import get_or_404
from api.query_params import CandidateQuery, MatchingRoleQuery
from auth import requires_auth
from casting.conflicts import booked_elsewhere, overlapping_holds, overlapping_holds_by_actor
from models import Actor, Movie, Role, db

bp = APIBlueprint("matching", __name__, tag="Matching")


def age_gap(age: Any, min_age: Any, max_age: Any) -> ColumnElement[Any]:
    """Twice the distance from the middle of the range: whole numbers, same order."""
    return func.abs(age * 2 - (min_age + max_age))


def fit(actor: Actor, role: Role, holds: list[int] | None = None) -> dict[str, Any]:
    """How an actor fits a role, by the rules that pick candidates: one object for a
    candidate and for a casting, so a director reads the same words in both places.
    Casting never requires a fit (playing against type is a choice), so a casting's
    answer is where a mismatch is said. A list passes the holds it read for its whole
    page (`holds`); one casting reads its actor's."""
    if holds is None:
        holds = [hold.role_id for hold in overlapping_holds(actor.id, role)]
    return {
        "age_distance": abs(actor.age - (role.min_age + role.max_age) / 2),
        "role_age_range": [role.min_age, role.max_age],
        "gender": role.gender,
        "age_in_range": role.min_age <= actor.age <= role.max_age,
        "gender_matches": role.gender in ("any", actor.gender),
        "overlapping_holds": holds,
    }


def cast_elsewhere_in_movie(actor_id: Any, movie_id: Any, except_role_id: Any = None) -> Any:
    """An actor already playing another part in the same movie is not a candidate."""
    other = aliased(Role)
    where = [other.movie_id == movie_id, other.actor_id == actor_id]
    if except_role_id is not None:
        where.append(other.id != except_role_id)
    return exists().where(*where)


@bp.get("/roles/<id:role_id>/candidates")
@requires_auth("get:roles", "get:actors")
@bp.input(CandidateQuery, location="query", arg_name="query")
@bp.output(Candidates)
def list_candidates(role_id: int, query: CandidateQuery) -> dict[str, Any]:
    """Actors who fit a role, best fit first; a cast role still lists them, for recasting."""
    role = get_or_404(Role, role_id)
    fits = [
        Actor.seeking_roles.is_(True),
        Actor.age.between(role.min_age, role.max_age),
        ~cast_elsewhere_in_movie(Actor.id, role.movie_id, except_role_id=role.id),
        # Booked on overlapping dates: cannot do it. Held there: can, and fit says so.
        ~booked_elsewhere(Actor.id, role),
    ]
    if role.gender != "any":
        fits.append(Actor.gender == role.gender)
    order: list[Any] = [age_gap(Actor.age, role.min_age, role.max_age), Actor.name, Actor.id]
    page = paginate(db.select(Actor), query, fits + query.conditions(), order, ranked=True)
    holds = overlapping_holds_by_actor([actor.id for actor in page.rows], role)
    candidates = [
        {
            **{column: getattr(actor, column) for column in ACTOR_COLUMNS},
            "fit": fit(actor, role, holds[actor.id]),
        }
        for actor in page.rows
    ]
    return page.body("actors", candidates, role_id=role.id)


@bp.get("/actors/<id:actor_id>/matching-roles")
@requires_auth("get:roles", "get:actors")
@bp.input(MatchingRoleQuery, location="query", arg_name="query")
@bp.output(MatchingRoles)
def list_matching_roles(actor_id: int, query: MatchingRoleQuery) -> dict[str, Any]:
    """Open roles an actor fits, the most centred on their age first."""
    actor = get_or_404(Actor, actor_id)
    fits: list[ColumnElement[bool]] = [
        Role.actor_id.is_(None),
        and_(Role.min_age <= actor.age, Role.max_age >= actor.age),
        or_(Role.gender == "any", Role.gender == actor.gender),
        ~cast_elsewhere_in_movie(actor.id, Role.movie_id),
    ]
    if not actor.seeking_roles:
        fits.append(false())
    order: list[Any] = [age_gap(actor.age, Role.min_age, Role.max_age), Movie.release_date, Role.id]
    statement = db.select(Role).join(Role.movie)
    where = fits + query.conditions()
    loading = role_loading(query.expansions)
    page = paginate(statement, query, where, order, loading, ranked=True)
    return page.body("roles", role_items(page.rows, query.expansions), actor_id=actor.id)


ACTOR_COLUMNS = tuple(column.key for column in Actor.__table__.columns)
