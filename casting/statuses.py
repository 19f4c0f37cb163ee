"""Which status a submission may move to from each status, and which moves engage the
actor or change who is cast (and so need the casting permission too)."""

from __future__ import annotations

from models import ACTIVE_STATUSES, SUBMISSION_STATUSES

# The pipeline, as casting offices run it: forward through the rounds, out at any point,
# and back in only from released. Withdrawn and declined are final.
MOVES: dict[str, tuple[str, ...]] = {
    "submitted": ("shortlisted", "released", "withdrawn"),
    "shortlisted": ("auditioning", "callback", "on_hold", "offered", "released", "withdrawn"),
    "auditioning": ("callback", "on_hold", "offered", "released", "withdrawn"),
    "callback": ("on_hold", "offered", "released", "withdrawn"),
    "on_hold": ("offered", "released", "withdrawn"),
    "offered": ("booked", "declined", "released", "withdrawn"),
    "booked": ("released",),
    "released": ("shortlisted",),
    "withdrawn": (),
    "declined": (),
}
assert set(MOVES) == set(SUBMISSION_STATUSES)

# Holding, offering and booking engage the actor for the role's dates, and a move out of
# booked changes who is cast: those need `patch:roles` beside `patch:submissions`.
ENGAGING_STATUSES = ("on_hold", "offered", "booked")
CASTING_PERMISSION = "patch:roles"


def allowed_moves(status: str) -> tuple[str, ...]:
    return MOVES[status]


def is_active(status: str) -> bool:
    return status in ACTIVE_STATUSES


def needs_casting_permission(from_status: str, to_status: str) -> bool:
    return to_status in ENGAGING_STATUSES or from_status == "booked"
