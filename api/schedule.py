"""An actor's schedule: their bookings and holds, in date order."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, HTTPError
from sqlalchemy import and_

from api.envelopes import Schedule
from auth import requires_auth
from models import MAX_ID, Actor, Movie, Role, Submission, db, utc_now

bp = APIBlueprint("schedule", __name__, tag="Schedule")

# What engages an actor's dates: a booking, or a hold until it is released.
SCHEDULED_STATUSES = ("booked", "on_hold")
ITEM_COLUMNS = (
    Submission.id.label("submission_id"),
    Submission.status,
    Role.id.label("role_id"),
    Role.name.label("role_name"),
    Movie.id.label("movie_id"),
    Movie.title.label("movie_title"),
    Role.work_start,
    Role.work_end,
    Submission.hold_until,
)


def schedule_rows(actor_id: int) -> list[Any]:
    """One statement: the actor, outer-joined to their bookings and holds, so an actor
    with none is one row of nulls and an unknown actor no row at all."""
    engaged = and_(Submission.actor_id == Actor.id, Submission.status.in_(SCHEDULED_STATUSES))
    statement = (
        db.select(Actor.id.label("actor_id"), *ITEM_COLUMNS)
        .outerjoin(Submission.__table__.join(Role.__table__).join(Movie.__table__), engaged)
        .where(Actor.id == actor_id)
        .order_by(Role.work_start.asc().nulls_last(), Submission.id)
    )
    return list(db.session.execute(statement))


@bp.get("/actors/<id:actor_id>/schedule")
@requires_auth("get:submissions")
@bp.output(Schedule)
def actor_schedule(actor_id: int) -> dict[str, Any]:
    """An actor's bookings and holds by work dates, undated last."""
    rows = schedule_rows(actor_id) if 1 <= actor_id <= MAX_ID else []
    if not rows:
        raise HTTPError(404, f"Actor {actor_id} was not found.")
    now = utc_now()
    schedule = [
        {
            **{column.key: row._mapping[column.key] for column in ITEM_COLUMNS},
            "hold_expired": row.hold_until is not None and row.hold_until <= now,
        }
        for row in rows
        if row.submission_id is not None
    ]
    return {"success": True, "actor_id": actor_id, "schedule": schedule}
