"""Submission endpoints: an actor put forward for a role, read, listed, edited, deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apiflask import APIBlueprint, HTTPError
from flask import url_for
from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from api.envelopes import (
    Deleted,
    SavedSubmission,
    SubmissionBody,
    SubmissionPage,
    deleted,
    found,
    saved,
)
from api.errors import unprocessable
from api.listing import ordering, paginate
from api.lookup import get_or_404
from api.query_params import SubmissionQuery
from api.schemas import Body, SubmissionIn, SubmissionPatch
from api.versions import commit, require_if_match
from auth import requires_auth
from casting.moves import active_submission, forget_booking
from models import Actor, Role, Submission, db

bp = APIBlueprint("submissions", __name__, tag="Submissions")

SUBMISSION_COLUMNS = tuple(column.key for column in Submission.__table__.columns)


def list_submissions_where(query: SubmissionQuery, *where: ColumnElement[bool]) -> dict[str, Any]:
    """One page, the count apart; expanded actors and roles are joined into the page."""
    relationships = {"actor": Submission.actor, "role": Submission.role}
    loading = [joinedload(relationships[name]) for name in sorted(query.expansions)]
    order = ordering(Submission, query.sort)
    page = paginate(db.select(Submission), query, [*where, *query.conditions()], order, loading)
    return page.body("submissions", submission_items(page.rows, query.expansions))


def submission_items(rows: Sequence[Submission], expansions: set[str]) -> list[dict[str, Any]]:
    """Related records only when asked for, so an unexpanded list never loads them."""
    items = []
    for submission in rows:
        item = {column: getattr(submission, column) for column in SUBMISSION_COLUMNS}
        for name in expansions:
            item[name] = getattr(submission, name)
        items.append(item)
    return items


def already_submitted(existing: Submission) -> HTTPError:
    return HTTPError(
        409,
        f"Actor {existing.actor_id} already has an active submission for role "
        f"{existing.role_id}: submission {existing.id} ({existing.status}).",
        extra_data={"submission_id": existing.id},
    )


def commit_new(submission: Submission) -> None:
    """The unique index decides a race between two identical submissions; the loser
    is told which submission won, as if it had arrived second."""
    try:
        commit()
    except IntegrityError:
        db.session.rollback()
        existing = active_submission(submission.actor_id, submission.role_id)
        if existing is None:
            raise HTTPError(409, "The actor or the role was deleted at the same moment.") from None
        raise already_submitted(existing) from None


@bp.post("/roles/<id:role_id>/submissions")
@requires_auth("post:submissions")
@bp.input(SubmissionIn, arg_name="body")
@bp.output(SavedSubmission, status_code=201)
@bp.doc(
    responses={409: 'The actor already has an active submission for the role ("submission_id")'}
)
def create_submission(role_id: int, body: SubmissionIn) -> Any:
    """Put an actor forward for a role."""
    role = get_or_404(Role, role_id)
    if db.session.get(Actor, body.actor_id) is None:
        raise unprocessable({"actor_id": [f"actor {body.actor_id} does not exist"]})
    if (existing := active_submission(body.actor_id, role.id)) is not None:
        raise already_submitted(existing)
    submission = Submission(role_id=role.id, **body.model_dump())
    db.session.add(submission)
    commit_new(submission)
    location = url_for(".get_submission", submission_id=submission.id)
    return saved(submission, "submission", 201, location)


@bp.get("/submissions")
@requires_auth("get:submissions")
@bp.input(SubmissionQuery, location="query", arg_name="query")
@bp.output(SubmissionPage)
def list_submissions(query: SubmissionQuery) -> dict[str, Any]:
    """List every submission, filtered, sorted and a page at a time."""
    return list_submissions_where(query)


@bp.get("/roles/<id:role_id>/submissions")
@requires_auth("get:submissions")
@bp.input(SubmissionQuery, location="query", arg_name="query")
@bp.output(SubmissionPage)
def list_role_submissions(role_id: int, query: SubmissionQuery) -> dict[str, Any]:
    """List the submissions for one role."""
    get_or_404(Role, role_id)
    return list_submissions_where(query, Submission.role_id == role_id)


@bp.get("/actors/<id:actor_id>/submissions")
@requires_auth("get:submissions")
@bp.input(SubmissionQuery, location="query", arg_name="query")
@bp.output(SubmissionPage)
def list_actor_submissions(actor_id: int, query: SubmissionQuery) -> dict[str, Any]:
    """List one actor's submissions."""
    get_or_404(Actor, actor_id)
    return list_submissions_where(query, Submission.actor_id == actor_id)


@bp.get("/submissions/<id:submission_id>")
@requires_auth("get:submissions")
@bp.output(SubmissionBody)
def get_submission(submission_id: int) -> Any:
    """Get one submission."""
    return found(get_or_404(Submission, submission_id), "submission")


@bp.patch("/submissions/<id:submission_id>")
@requires_auth("patch:submissions")
@bp.input(SubmissionPatch, arg_name="body")
@bp.output(SavedSubmission)
def update_submission(submission_id: int, body: Body) -> Any:
    """Change a submission's agent or note; its status moves through its transitions."""
    submission = get_or_404(Submission, submission_id)
    require_if_match(submission)
    body.apply_to(submission)
    commit()
    return saved(submission, "submission")


@bp.delete("/submissions/<id:submission_id>")
@requires_auth("delete:submissions")
@bp.output(Deleted)
def delete_submission(submission_id: int) -> dict[str, Any]:
    """Delete a submission; a booked one reopens its role."""
    submission = get_or_404(Submission, submission_id)
    require_if_match(submission)
    # Its role locked, so a booked one's role cannot be deleted while it is reopened.
    if db.session.get(Role, submission.role_id, with_for_update=True) is None:
        raise HTTPError(409, "The role was deleted at the same moment.")
    forget_booking(submission)
    db.session.delete(submission)
    db.session.commit()
    return deleted(submission_id)
