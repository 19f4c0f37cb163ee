"""A submission's move through the pipeline and everything it does to the role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from casting.conflicts import booked_conflicts, overlapping_holds
from casting.history import note_change
from casting.statuses import ENGAGING_STATUSES, allowed_moves
from models import ACTIVE_STATUSES, Actor, Role, Submission, db, utc_now


@dataclass
class Refusal(Exception):
    """A move the pipeline does not allow; `facts` say why in terms a client can act on
    (the moves allowed from here, the conflicting roles). The HTTP layer answers 409."""

    message: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Move:
    """What a move asks for, beside the submission and the new status."""

    to: str
    note: str | None = None
    hold_until: datetime | None = None
    allow_conflict: bool = False


def conflict_item(role: Role) -> dict[str, Any]:
    return {
        "role_id": role.id,
        "movie_id": role.movie_id,
        "name": role.name,
        "work_start": role.work_start,
        "work_end": role.work_end,
    }


def hold_item(hold: Submission) -> dict[str, Any]:
    return {
        "submission_id": hold.id,
        "role_id": hold.role_id,
        "movie_id": hold.role.movie_id,
        "hold_until": hold.hold_until,
        "work_start": hold.role.work_start,
        "work_end": hold.role.work_end,
    }


GONE = "The role or the actor was deleted at the same moment."


def lock_for_move(submission: Submission, to: str | None) -> Role:
    """Take the role's row lock before anything is read from it, and for a move that
    engages the actor, the actor's too. Two bookings of one actor on overlapping dates
    then check for conflicts one after the other, not both before either commits; and
    a role or actor deleted meanwhile is a refusal, not a role that reads as None.
    (SQLite runs one writer at a time and ignores FOR UPDATE.)"""
    role = db.session.get(Role, submission.role_id, with_for_update=True)
    if role is None:
        raise Refusal(GONE, {"reason": "gone"})
    if to in ENGAGING_STATUSES:
        lock_actors([submission.actor_id])
    return role


def lock_actors(actor_ids: Sequence[int]) -> None:
    """FOR NO KEY UPDATE, in id order: engaging moves of one actor queue here (so their
    conflict checks see each other), while foreign-key checks pass. An actor deleted
    meanwhile is simply not there: their submissions went with them, and the move's
    write then loses its race (409)."""
    if actor_ids:
        statement = db.select(Actor.id).where(Actor.id.in_(actor_ids)).order_by(Actor.id)
        db.session.execute(statement.with_for_update(key_share=True))


def check_move(submission: Submission, move: Move) -> list[Role]:
    """Refuse a move the table does not allow, booking a role cast to someone else, or
    engaging an actor booked elsewhere on overlapping dates (unless allowed). Returns
    the booked conflicts the move was allowed to override."""
    allowed = allowed_moves(submission.status)
    if move.to not in allowed:
        raise Refusal(
            f"Submission {submission.id} cannot move from {submission.status} to {move.to}.",
            {"allowed": list(allowed), "reason": "not_allowed"},
        )
    if submission.status not in ACTIVE_STATUSES and move.to in ACTIVE_STATUSES:
        other = active_submission(submission.actor_id, submission.role_id)
        if other is not None:
            raise Refusal(
                f"Actor {submission.actor_id} already has an active submission for role "
                f"{submission.role_id}: submission {other.id} ({other.status}).",
                {"submission_id": other.id, "reason": "already_active"},
            )
    role = submission.role
    if move.to == "booked" and role.actor_id not in (None, submission.actor_id):
        raise Refusal(
            f"Role {role.id} is already cast (actor {role.actor_id}); release that booking "
            "or reopen the role first.",
            {"reason": "role_cast"},
        )
    if move.to not in ENGAGING_STATUSES:  # only engaging the actor can clash
        return []
    conflicts = list(booked_conflicts(submission.actor_id, role))
    if conflicts and not move.allow_conflict:
        names = ", ".join(str(conflict.id) for conflict in conflicts)
        raise Refusal(
            f"Actor {submission.actor_id} is booked on overlapping dates (roles {names}); "
            'send "allow_conflict": true to go ahead anyway.',
            {"conflicts": [conflict_item(c) for c in conflicts], "reason": "conflict"},
        )
    return conflicts


def apply_move(submission: Submission, move: Move, allowed_conflicts: Sequence[Role]) -> None:
    """Make a checked move: booking casts the role and releases every other active
    submission for it; leaving booked reopens the role. The event's note is the move's
    own, never the submission's note field."""
    role = submission.role
    if move.to == "booked":
        role.actor_id = submission.actor_id
        for other in _active_submissions(role.id, exclude=submission.id):
            _set_status(other, "released", "role booked")
    elif submission.status == "booked" and role.actor_id == submission.actor_id:
        role.actor_id = None
        note_change(role, f"booking {move.to}")
    facts = {"allowed_conflicts": [r.id for r in allowed_conflicts]} if allowed_conflicts else {}
    submission.hold_until = move.hold_until if move.to == "on_hold" else None
    submission.status = move.to
    note_change(submission, move.note, **facts)


def holds_beside(submission: Submission, move: Move) -> list[Submission]:
    """A move to on_hold: the actor's other holds on overlapping dates, which are allowed
    (a first and a second hold are normal) but reported."""
    if move.to != "on_hold":
        return []
    return list(overlapping_holds(submission.actor_id, submission.role))


def keep_casting_in_step(role: Role, cast_before: int | None) -> None:
    """Casting through the roles API books the pipeline too: the new actor's active
    submission becomes the booking (or a booked one is created), the previous booking is
    released; reopening the role releases it. A role is cast to X iff X holds its one
    booked submission."""
    if role.actor_id == cast_before:
        return
    if cast_before is not None and role.id is not None:
        note = "role reopened" if role.actor_id is None else "role recast"
        for booked in _booked_submissions(role.id):
            _set_status(booked, "released", note)
        # Released before the new booking is written: one booking per role is a unique
        # index the database checks row by row.
        db.session.flush()
    if role.actor_id is None:
        return
    active = None
    if role.id is not None:
        active = db.session.scalar(
            db.select(Submission).where(
                Submission.role_id == role.id,
                Submission.actor_id == role.actor_id,
                Submission.status.in_(ACTIVE_STATUSES),
            )
        )
    if active is None:
        active = Submission(role=role, actor_id=role.actor_id, source="staff")
        db.session.add(active)
    if active.status != "booked":
        _set_status(active, "booked", "cast through the role")
    db.session.flush()  # the booking has its id, so the others can be told apart from it
    for other in _active_submissions(role.id, exclude=active.id):
        _set_status(other, "released", "role booked")


def forget_booking(submission: Submission) -> None:
    """A booked submission deleted: its role reopens in the same transaction, so no role
    stays cast without a booking."""
    role = submission.role
    if submission.status == "booked" and role.actor_id == submission.actor_id:
        role.actor_id = None
        note_change(role, "booking deleted")


def expired_holds(now: datetime | None = None) -> list[int]:
    """The ids of holds whose time has passed, oldest first."""
    statement = (
        db.select(Submission.id)
        .where(Submission.status == "on_hold", Submission.hold_until <= (now or utc_now()))
        .order_by(Submission.hold_until, Submission.id)
    )
    return list(db.session.scalars(statement))


def release_hold(submission: Submission) -> None:
    """An expired hold is released with the note "hold expired"."""
    _set_status(submission, "released", "hold expired")


def _set_status(submission: Submission, status: str, note: str) -> None:
    submission.hold_until = None
    submission.status = status
    note_change(submission, note)


def _active_submissions(role_id: int, exclude: int | None) -> Sequence[Submission]:
    statement = db.select(Submission).where(
        Submission.role_id == role_id, Submission.status.in_(ACTIVE_STATUSES)
    )
    if exclude is not None:
        statement = statement.where(Submission.id != exclude)
    return db.session.scalars(statement.order_by(Submission.id)).all()


def active_submission(actor_id: int, role_id: int) -> Submission | None:
    """The actor's one active submission for the role, if any."""
    return db.session.scalar(
        db.select(Submission).where(
            Submission.actor_id == actor_id,
            Submission.role_id == role_id,
            Submission.status.in_(ACTIVE_STATUSES),
        )
    )


def _booked_submissions(role_id: int) -> Sequence[Submission]:
    statement = db.select(Submission).where(
        Submission.role_id == role_id, Submission.status == "booked"
    )
    return db.session.scalars(statement).all()
