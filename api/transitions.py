"""Moving submissions through the pipeline: one at a time, or several at once."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, HTTPError
from sqlalchemy.exc import IntegrityError

from api.envelopes import MovedSubmission, MovedSubmissions, saved
from api.lookup import get_or_404
from api.schemas import BulkTransitionIn, MoveIn, TransitionIn
from api.versions import commit, require_if_match
from auth import require_permissions, requires_auth
from casting.moves import (
    Move,
    Refusal,
    apply_move,
    check_move,
    conflict_item,
    hold_item,
    holds_beside,
    lock_actors,
    lock_for_move,
)
from casting.statuses import (
    CASTING_PERMISSION,
    ENGAGING_STATUSES,
    allowed_moves,
    needs_casting_permission,
)
from models import Role, Submission, db

bp = APIBlueprint("transitions", __name__, tag="Pipeline")

LOST_RACE_MESSAGE = (
    "Another change to this role's pipeline was stored at the same moment (a booking, "
    "or the same actor submitted again); fetch the submissions and retry."
)


def move_of(body: MoveIn) -> Move:
    return Move(body.to, body.note, body.hold_until, body.allow_conflict)


def refused(refusal: Refusal) -> HTTPError:
    facts = {k: v for k, v in refusal.facts.items() if k != "reason"}
    return HTTPError(409, refusal.message, extra_data=_json(facts))


def _json(value: Any) -> Any:
    """Dates in an error body as the success bodies write them (flask's JSON would not)."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return value


def commit_move() -> None:
    """Two bookings racing for one role, or two moves racing on one submission: the
    role's version or a unique index lets one win; the other is a 409, never a 500.
    (A stale version, StaleDataError, is answered 409 by api/versions.)"""
    try:
        commit()
    except IntegrityError:
        db.session.rollback()
        raise HTTPError(409, LOST_RACE_MESSAGE) from None


ENGAGING_NOTE = (
    "Moves to on_hold, offered or booked, and any move out of booked, also need "
    "`patch:roles`: they engage the actor for the role's dates or change who is cast."
)
MOVE_ERRORS = {
    409: 'A move the pipeline does not allow ("allowed": the statuses it allows from '
    'here), a role cast to someone else, a booking on overlapping dates ("conflicts"), or '
    "a lost race",
    412: "If-Match names a version that is no longer current",
}
BULK_ERRORS = {
    409: 'Some may not move ("refused": id, status, allowed, reason for each); nothing moved'
}


@bp.post("/submissions/<id:submission_id>/transitions")
@requires_auth("patch:submissions")
@bp.input(TransitionIn, arg_name="body")
@bp.output(MovedSubmission)
@bp.doc(responses=MOVE_ERRORS, description=ENGAGING_NOTE)
def move_submission(submission_id: int, body: TransitionIn) -> Any:
    """Move a submission to another status in the pipeline."""
    if body.to in ENGAGING_STATUSES:
        require_permissions(CASTING_PERMISSION)
    submission = get_or_404(Submission, submission_id)
    if needs_casting_permission(submission.status, body.to):
        require_permissions(CASTING_PERMISSION)
    require_if_match(submission)
    move = move_of(body)
    try:
        lock_for_move(submission, move.to)
        allowed_conflicts = check_move(submission, move)
    except Refusal as refusal:
        raise refused(refusal) from None
    # Described before the commit: a held role deleted right after must not fail a
    # move that is already stored.
    conflicts = [hold_item(hold) for hold in holds_beside(submission, move)]
    apply_move(submission, move, allowed_conflicts)
    commit_move()
    return saved(
        submission,
        "submission",
        conflicts=conflicts,
        allowed_conflicts=[conflict_item(role) for role in allowed_conflicts],
    )


@bp.post("/roles/<id:role_id>/submissions/transitions")
@requires_auth("patch:submissions")
@bp.input(BulkTransitionIn, arg_name="body")
@bp.output(MovedSubmissions)
@bp.doc(responses=BULK_ERRORS, description=ENGAGING_NOTE)
def move_submissions(role_id: int, body: BulkTransitionIn) -> Any:
    """Move several submissions of one role at once: all of them, or none."""
    if body.to in ENGAGING_STATUSES:
        require_permissions(CASTING_PERMISSION)
    # The role's row lock first, as for one move: its moves queue, and it cannot vanish.
    if db.session.get(Role, role_id, with_for_update=True) is None:
        get_or_404(Role, role_id)
    move = move_of(body)
    checked = check_all(role_id, body.ids, move)
    conflicts = [
        hold_item(hold) for submission, _ in checked for hold in holds_beside(submission, move)
    ]
    for submission, allowed_conflicts in checked:
        apply_move(submission, move, allowed_conflicts)
    commit_move()
    answer = {"role_id": role_id, "submissions": [s for s, _ in checked]}
    return {"success": True, **answer, "conflicts": conflicts}


def check_all(role_id: int, ids: list[int], move: Move) -> list[tuple[Submission, list[Role]]]:
    """Every submission is checked before any moves: one refusal refuses them all, and
    the 409 says which and why. Leaving booked needs patch:roles, as one at a time."""
    rows = db.session.scalars(db.select(Submission).where(Submission.id.in_(ids))).all()
    by_id = {submission.id: submission for submission in rows}
    if move.to in ENGAGING_STATUSES:
        lock_actors(sorted({s.actor_id for s in rows if s.role_id == role_id}))
    if any(needs_casting_permission(s.status, move.to) for s in rows if s.role_id == role_id):
        require_permissions(CASTING_PERMISSION)
    checked, refusals = [], []
    for submission_id in ids:
        submission = by_id.get(submission_id)
        if submission is None or submission.role_id != role_id:
            refusals.append(_not_of_role(submission_id, submission, role_id))
            continue
        try:
            checked.append((submission, check_move(submission, move)))
        except Refusal as refusal:
            refusals.append(_refusal_item(submission, refusal))
    if refusals:
        raise HTTPError(
            409,
            f"{len(refusals)} of {len(ids)} submissions cannot move to {move.to}; "
            "nothing was moved.",
            extra_data={"refused": _json(refusals)},
        )
    return checked


def _not_of_role(submission_id: int, submission: Submission | None, role_id: int) -> dict[str, Any]:
    """Ids of other roles' submissions are named but not described: this role's list is
    what the client was working from."""
    reason = "not_found" if submission is None else "other_role"
    return {
        "id": submission_id,
        "status": None,
        "allowed": [],
        "reason": reason,
        "message": f"Submission {submission_id} is not a submission of role {role_id}.",
    }


def _refusal_item(submission: Submission, refusal: Refusal) -> dict[str, Any]:
    return {
        "id": submission.id,
        "status": submission.status,
        "allowed": list(allowed_moves(submission.status)),
        "reason": refusal.facts.get("reason", "not_allowed"),
        "message": refusal.message,
        **({"conflicts": refusal.facts["conflicts"]} if "conflicts" in refusal.facts else {}),
    }
