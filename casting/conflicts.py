"""Work-date conflicts: the same actor booked, or held, on roles whose shoot dates overlap.

Two date ranges overlap when each starts on or before the other ends (both ends count).
A role without both dates has no known shoot days, so it never conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_

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


def booked_conflicts(actor_id: int, role: Role) -> Sequence[Role]:
    """Other roles this actor is cast in (booked) whose work dates overlap `role`'s."""
    if not has_dates(role):
        return []
    statement = (
        db.select(Role)
        .where(
            Role.actor_id == actor_id,
            Role.id != role.id,
            overlaps(Role, role.work_start, role.work_end),
        )
        .order_by(Role.id)
    )
    return db.session.scalars(statement).all()


def overlapping_holds(actor_id: int, role: Role) -> Sequence[Submission]:
    """The actor's holds on other roles whose work dates overlap `role`'s: allowed (a
    first and a second hold are normal), but reported."""
    if not has_dates(role):
        return []
    statement = (
        db.select(Submission)
        .join(Submission.role)
        .where(
            Submission.actor_id == actor_id,
            Submission.status == "on_hold",
            Submission.role_id != role.id,
            overlaps(Role, role.work_start, role.work_end),
        )
        .order_by(Role.work_start, Submission.id)
    )
    return db.session.scalars(statement).all()
