"""Work-date conflicts: the same actor booked, or held, on roles whose shoot dates overlap.

Two date ranges overlap when each starts on or before the other ends (both ends count).
A role without both dates has no known shoot days, so it never conflicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false
from sqlalchemy.orm import aliased, contains_eager

from models import Role, Submission, db


def overlaps(role: Any, start: Any, end: Any) -> ColumnElement[bool]:
    """SQL: `role` (the Role class or an alias of it) works on a day within [start, end]."""
    return and_(
        role.work_start.is_not(None),
        role.work_end.is_not(None),
        role.work_start <= end,
        role.work_end >= start,
    )


def has_dates(role: Role) -> bool:
    return role.work_start is not None and role.work_end is not None


def _other_than(column: Any, role: Role) -> list[ColumnElement[bool]]:
    """A role not yet flushed has no id, and `role_id != NULL` would match nothing."""
    return [column != role.id] if role.id is not None else []


def booked_conflicts(actor_id: int, role: Role) -> Sequence[Role]:
    """Other roles this actor is cast in (booked) whose work dates overlap `role`'s."""
    if not has_dates(role):
        return []
    statement = (
        db.select(Role)
        .where(
            Role.actor_id == actor_id,
            *_other_than(Role.id, role),
            overlaps(Role, role.work_start, role.work_end),
        )
        .order_by(Role.id)
    )
    return db.session.scalars(statement).all()


def booked_elsewhere(actor_id: Any, role: Role) -> ColumnElement[bool]:
    """SQL: the actor (a column, for a list of actors) is cast in another role whose work
    dates overlap `role`'s; never true for a role without both dates."""
    if not has_dates(role):
        return false()
    other = aliased(Role)
    return exists().where(
        other.actor_id == actor_id,
        *_other_than(other.id, role),
        overlaps(other, role.work_start, role.work_end),
    )


def _holds(actor_ids: Iterable[int], role: Role) -> Any:
    return (
        db.select(Submission)
        .join(Submission.role)
        .where(
            Submission.actor_id.in_(list(actor_ids)),
            Submission.status == "on_hold",
            *_other_than(Submission.role_id, role),
            overlaps(Role, role.work_start, role.work_end),
        )
        .order_by(Role.work_start, Submission.id)
    )


def overlapping_holds(actor_id: int, role: Role) -> Sequence[Submission]:
    """The actor's holds on other roles whose work dates overlap `role`'s: allowed (a
    first and a second hold are normal), but reported."""
    if not has_dates(role):
        return []
    # The joined role is each hold's own: answers describe it without a query each.
    statement = _holds([actor_id], role).options(contains_eager(Submission.role))
    return db.session.scalars(statement).all()


def overlapping_holds_by_actor(actor_ids: Sequence[int], role: Role) -> dict[int, list[int]]:
    """The ids of the roles each actor holds on overlapping dates, for a whole page of
    actors in one statement (none at all when the role has no dates)."""
    held: dict[int, list[int]] = {actor_id: [] for actor_id in actor_ids}
    if not has_dates(role) or not actor_ids:
        return held
    statement = _holds(actor_ids, role).with_only_columns(Submission.actor_id, Submission.role_id)
    for actor_id, role_id in db.session.execute(statement):
        held[actor_id].append(role_id)
    return held
