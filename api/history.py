"""The history of each record, and the feed of every event for integrations to poll."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, HTTPError
from sqlalchemy import exists

from api.envelopes import EventFeed, History
from api.query_params import EventQuery, HistoryQuery
from auth import requires_auth
from casting.history import ENTITIES
from models import MAX_ID, Actor, Event, Model, Movie, Role, Submission, db

bp = APIBlueprint("history", __name__, tag="History")


def event_page(query: HistoryQuery, *where: Any) -> dict[str, Any]:
    """One page of events by id, which is commit order, and the cursor for the next."""
    statement = db.select(Event).where(*where, *query.conditions()).order_by(Event.id)
    page = db.session.scalars(statement.limit(query.limit)).all()
    return {"success": True, "events": page, "next_after": page[-1].id if page else query.cursor}


def history_of(model: type[Model], record_id: int, query: HistoryQuery) -> dict[str, Any]:
    """A record's events, oldest first; still there once the record is deleted. A 404
    only when neither the record nor any event about it exists (looked up only when the
    page is empty, so a history that answers costs one statement)."""
    entity = ENTITIES[model]
    about = (Event.entity == entity, Event.entity_id == record_id)
    answer = event_page(query, *about) if 1 <= record_id <= MAX_ID else None
    if answer is None or (not answer["events"] and not _known(model, record_id, about)):
        raise HTTPError(404, f"{model.__name__} {record_id} was not found and has no history.")
    return answer


def _known(model: type[Model], record_id: int, about: tuple[Any, ...]) -> bool:
    return db.session.get(model, record_id) is not None or bool(
        db.session.scalar(db.select(exists().where(*about)))
    )


@bp.get("/events")
@requires_auth("get:history")
@bp.input(EventQuery, location="query", arg_name="query")
@bp.output(EventFeed)
def list_events(query: EventQuery) -> dict[str, Any]:
    """Every change, in commit order: poll with after=next_after to miss none."""
    return event_page(query)


@bp.get("/movies/<id:movie_id>/history")
@requires_auth("get:history")
@bp.input(HistoryQuery, location="query", arg_name="query")
@bp.output(History)
def movie_history(movie_id: int, query: HistoryQuery) -> dict[str, Any]:
    """A movie's changes, oldest first, also once it is deleted."""
    return history_of(Movie, movie_id, query)


@bp.get("/actors/<id:actor_id>/history")
@requires_auth("get:history")
@bp.input(HistoryQuery, location="query", arg_name="query")
@bp.output(History)
def actor_history(actor_id: int, query: HistoryQuery) -> dict[str, Any]:
    """An actor's changes, oldest first, also once they are deleted."""
    return history_of(Actor, actor_id, query)


@bp.get("/roles/<id:role_id>/history")
@requires_auth("get:history")
@bp.input(HistoryQuery, location="query", arg_name="query")
@bp.output(History)
def role_history(role_id: int, query: HistoryQuery) -> dict[str, Any]:
    """A role's changes (castings included), oldest first, also once it is deleted."""
    return history_of(Role, role_id, query)


@bp.get("/submissions/<id:submission_id>/history")
@requires_auth("get:history")
@bp.input(HistoryQuery, location="query", arg_name="query")
@bp.output(History)
def submission_history(submission_id: int, query: HistoryQuery) -> dict[str, Any]:
    """A submission's changes and moves, oldest first, also once it is deleted."""
    return history_of(Submission, submission_id, query)
