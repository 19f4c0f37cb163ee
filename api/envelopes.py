"""The success bodies every answer is wrapped in, and the helpers that build them: one
record, a saved record, a deletion, and a page of a list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Response
from pydantic import BaseModel, Field

from api.schemas import (
    ActorOut,
    BookedConflict,
    Candidate,
    EventOut,
    Fit,
    HoldConflict,
    MovieOut,
    RoleItem,
    RoleOut,
    ScheduleItem,
    SubmissionItem,
    SubmissionOut,
)
from api.versions import etag, not_modified

Row = TypeVar("Row")


class Deleted(BaseModel):
    success: bool
    deleted: int


class MovieBody(BaseModel):
    success: bool
    movie: MovieOut


class SavedMovie(BaseModel):
    success: bool
    id: int
    movie: MovieOut


class MoviePage(BaseModel):
    success: bool
    movies: list[MovieOut]
    total_movies: int
    page: int
    page_size: int


class ActorBody(BaseModel):
    success: bool
    actor: ActorOut


class SavedActor(BaseModel):
    success: bool
    id: int
    actor: ActorOut


class ActorPage(BaseModel):
    success: bool
    actors: list[ActorOut]
    total_actors: int
    page: int
    page_size: int


class RoleBody(BaseModel):
    success: bool
    role: RoleOut


class SavedRole(BaseModel):
    success: bool
    id: int
    role: RoleOut
    fit: Fit | None = Field(
        None,
        exclude_if=lambda value: value is None,
        description="When the role is cast: how its actor fits it, as candidates show it. "
        "A role is cast whatever the fit, so check age_in_range and gender_matches.",
    )


class RolePage(BaseModel):
    success: bool
    roles: list[RoleItem]
    total_roles: int
    page: int
    page_size: int


class MovieRoles(BaseModel):
    success: bool
    movie_id: int
    roles: list[RoleItem]


class ActorRoles(BaseModel):
    success: bool
    actor_id: int
    roles: list[RoleItem]


class Candidates(BaseModel):
    success: bool
    role_id: int
    actors: list[Candidate]
    total_actors: int
    page: int
    page_size: int


class MatchingRoles(BaseModel):
    success: bool
    actor_id: int
    roles: list[RoleItem]
    total_roles: int
    page: int
    page_size: int


class SubmissionBody(BaseModel):
    success: bool
    submission: SubmissionOut


class SavedSubmission(BaseModel):
    success: bool
    id: int
    submission: SubmissionOut


class SubmissionPage(BaseModel):
    success: bool
    submissions: list[SubmissionItem]
    total_submissions: int
    page: int
    page_size: int


HOLDS_DESCRIPTION = (
    "When the move is to on_hold and the actor holds other roles on overlapping dates: "
    "those holds. Allowed, but worth knowing."
)


class MovedSubmission(SavedSubmission):
    conflicts: list[HoldConflict] | None = Field(
        None, exclude_if=lambda value: not value, description=HOLDS_DESCRIPTION
    )
    allowed_conflicts: list[BookedConflict] | None = Field(
        None,
        exclude_if=lambda value: not value,
        description='Bookings on overlapping dates that "allow_conflict" let the move pass.',
    )


class MovedSubmissions(BaseModel):
    success: bool
    role_id: int
    submissions: list[SubmissionOut]
    conflicts: list[HoldConflict] | None = Field(
        None, exclude_if=lambda value: not value, description=HOLDS_DESCRIPTION
    )


class History(BaseModel):
    success: bool
    events: list[EventOut] = Field(description="Oldest first.")
    next_after: int = Field(
        description="The last event's id (the same cursor when there are none): pass it "
        "as `after` for the next page. Fewer events than `limit` means there are no more."
    )


class EventFeed(BaseModel):
    success: bool
    events: list[EventOut] = Field(description="By id, which is commit order.")
    next_after: int = Field(
        description="The last event's id, or the same cursor when there is nothing new: "
        "poll again with after=next_after."
    )


class Schedule(BaseModel):
    success: bool
    actor_id: int
    schedule: list[ScheduleItem] = Field(
        description="Bookings and holds by work_start (undated last), then submission id."
    )


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a list, as the database returned it."""

    rows: Sequence[Row]
    total: int
    number: int
    size: int

    def body(self, key: str, items: Sequence[Any] | None = None, **context: Any) -> dict[str, Any]:
        """The page envelope: `key` holds the items (the rows unless given), `total_<key>`
        counts every match; `context` names the record the list belongs to."""
        return {
            "success": True,
            **context,
            key: self.rows if items is None else items,
            f"total_{key}": self.total,
            "page": self.number,
            "page_size": self.size,
        }


def found(record: Any, key: str) -> Response | tuple[dict[str, Any], int, dict[str, str]]:
    """One record, with its version as the ETag; 304 and no body when the client's
    If-None-Match says it already holds that version."""
    return not_modified(record) or ({"success": True, key: record}, 200, etag(record))


def saved(
    record: Any, key: str, status: int = 200, location: str | None = None, **extra: Any
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A created or updated record, its ETag, and a new record's Location; `extra` adds
    what the answer says about the record (a cast role's fit)."""
    headers = etag(record) | ({"Location": location} if location else {})
    return {"success": True, "id": record.id, key: record, **extra}, status, headers


def deleted(record_id: int) -> dict[str, Any]:
    return {"success": True, "deleted": record_id}
