"""Request bodies and the records they become in responses: they validate input, shape
output and document both."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from api.fields import (
    Age,
    Email,
    Genre,
    Height,
    IsoDate,
    LongText,
    Name,
    Phone,
    RecordId,
    ShortText,
    Url,
)
from models import (
    BodyType,
    Ethnicity,
    EventAction,
    EventEntity,
    EyeColor,
    Gender,
    HairColor,
    RoleGender,
    SubmissionSource,
    SubmissionStatus,
    utc_now,
)


class Body(BaseModel):
    """Strict JSON: "30" is not an age, true is not 1, and unknown fields are mistakes."""

    model_config = ConfigDict(strict=True, extra="forbid")

    def apply_to(self, record: Any) -> None:
        """PATCH semantics: only the fields the client sent change; the rest keep their
        stored values."""
        for field, value in self.model_dump(exclude_unset=True).items():
            setattr(record, field, value)


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def partial(model: type[Body], name: str) -> type[Body]:
    """The PATCH twin of a create schema: every field optional, none may become null
    unless it could be null on create."""
    fields: dict[str, Any] = {
        field_name: (
            Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation,
            # Omitted means unchanged; "default": null would claim null is valid.
            Field(default=None, json_schema_extra=_without_default),
        )
        for field_name, field in model.model_fields.items()
    }
    return create_model(name, __base__=Body, __doc__=f"Fields to change; {model.__doc__}", **fields)


class MovieIn(Body):
    """A movie: title and release date are required."""

    title: Name
    release_date: IsoDate
    company: ShortText | None = None
    description: LongText | None = None
    genres: Annotated[list[Genre], Field(max_length=20)] = Field(default_factory=list)


class ActorIn(Body):
    """A talent profile: name, age and gender are required."""

    name: Name
    age: Age
    gender: Gender
    location: ShortText | None = None
    passport: bool = False
    driver_license: bool = False
    seeking_roles: bool = True
    ethnicity: Ethnicity | None = None
    hair_color: HairColor | None = None
    eye_color: EyeColor | None = None
    body_type: BodyType | None = None
    height: Height | None = None
    description: LongText | None = None
    image_link: Url | None = None
    phone: Phone | None = None
    email: Email | None = None


class RoleIn(Body):
    """A part in a movie: open while actor_id is null."""

    movie_id: RecordId
    actor_id: RecordId | None = None
    name: Name
    gender: RoleGender = "any"
    min_age: Age
    max_age: Age
    description: LongText | None = None
    work_start: IsoDate | None = Field(None, description="First shoot day the part needs.")
    work_end: IsoDate | None = Field(
        None, description="Last shoot day the part needs, on or after work_start."
    )


# The PATCH twins are built, not written out, so a field added to a create schema can
# never be forgotten in its PATCH schema.
MoviePatch = partial(MovieIn, "MoviePatch")
ActorPatch = partial(ActorIn, "ActorPatch")
RolePatch = partial(RoleIn, "RolePatch")


class Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MovieOut(Record):
    id: int
    title: str
    release_date: date
    company: str | None
    description: str | None
    genres: list[str]


class ActorOut(Record):
    id: int
    name: str
    age: int
    gender: str
    location: str | None
    passport: bool
    driver_license: bool
    seeking_roles: bool
    ethnicity: str | None
    hair_color: str | None
    eye_color: str | None
    body_type: str | None
    height: int | None
    description: str | None
    image_link: str | None
    phone: str | None
    email: str | None


class RoleOut(Record):
    id: int
    movie_id: int
    actor_id: int | None
    name: str
    gender: str
    min_age: int
    max_age: int
    description: str | None
    work_start: date | None
    work_end: date | None


def _is_none(value: Any) -> bool:
    return value is None


class MovieSummary(Record):
    id: int
    title: str
    release_date: date


class ActorSummary(Record):
    id: int
    name: str


class RoleItem(RoleOut):
    """A role in a list; movie and actor appear when asked for with `expand`."""

    movie: MovieSummary | None = Field(None, exclude_if=_is_none, description="With expand=movie.")
    actor: ActorSummary | None = Field(
        None, exclude_if=_is_none, description="With expand=actor, when the role is cast."
    )


class Fit(BaseModel):
    """How the actor fits the role. Candidates always fit; a casting may not (casting
    against type is allowed), and then says so here."""

    age_distance: float = Field(
        description="Years between the actor's age and the middle of the role's range."
    )
    role_age_range: list[int] = Field(description="The role's min_age and max_age.")
    gender: str = Field(description="The gender the role asks for, or any.")
    age_in_range: bool = Field(description="The actor's age is within role_age_range.")
    gender_matches: bool = Field(description="The role is for any gender, or the actor's.")
    overlapping_holds: list[int] = Field(
        description="Other roles the actor is on hold for whose work dates overlap this "
        "role's (a hold does not block; a booking on overlapping dates does)."
    )


class Candidate(ActorOut):
    fit: Fit


# --- Submissions ---------------------------------------------------------------------


def _future_moment(value: Any) -> datetime:
    """A hold ends at a moment, so its zone must be said: a naive time means a different
    moment in each office. It must still be ahead, or the hold would be born expired."""
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "must be an ISO 8601 date and time string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "datetime_format", "must be an ISO 8601 date and time, e.g. 2030-01-01T18:00:00Z"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PydanticCustomError("datetime_zone", "must include a timezone (Z or +hh:mm)")
    # The year is checked in UTC too: 2200-12-31T23:59-23:59 is in 2201 there.
    if moment.year > 2200 or moment.astimezone(UTC).year > 2200:
        raise PydanticCustomError("datetime_range", "must be before 2201")
    if moment <= utc_now():
        raise PydanticCustomError("datetime_past", "must be in the future")
    return moment.astimezone(UTC)


FutureMoment = Annotated[
    datetime,
    BeforeValidator(_future_moment),
    Field(json_schema_extra={"format": "date-time"}),
]


class SubmissionIn(Body):
    """An actor put forward for the role in the URL."""

    actor_id: RecordId
    source: SubmissionSource = "staff"
    agent: ShortText | None = Field(None, description="Who represents the actor for this.")
    note: LongText | None = None


class SubmissionEdit(Body):
    """A submission's own fields; its status changes only through its transitions."""

    agent: ShortText | None = None
    note: LongText | None = None


SubmissionPatch = partial(SubmissionEdit, "SubmissionPatch")


class MoveIn(Body):
    to: SubmissionStatus
    note: LongText | None = Field(None, description="The move's note, kept in the history.")
    hold_until: FutureMoment | None = Field(
        None,
        validate_default=True,
        description="With to=on_hold only, and then required: when the hold ends.",
    )
    allow_conflict: bool = Field(
        False, description="Go ahead although the actor is booked on overlapping dates."
    )

    @field_validator("hold_until", mode="after")
    @classmethod
    def _hold_until_with_holds_only(cls, value: Any, info: ValidationInfo) -> Any:
        to = info.data.get("to")
        if to == "on_hold" and value is None:
            raise PydanticCustomError("hold_until_missing", "is required to put on hold")
        if to is not None and to != "on_hold" and value is not None:
            raise PydanticCustomError("hold_until_unused", "is only for to=on_hold")
        return value


class TransitionIn(MoveIn):
    """Move one submission to another status."""


def _unique(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise PydanticCustomError("ids_unique", "must not repeat an id")
    return ids


class BulkTransitionIn(MoveIn):
    """Move several submissions of one role at once, all or nothing."""

    ids: Annotated[list[RecordId], Field(min_length=1, max_length=100), AfterValidator(_unique)]

    @field_validator("ids", mode="after")
    @classmethod
    def _one_booking(cls, value: list[int], info: ValidationInfo) -> list[int]:
        if info.data.get("to") == "booked" and len(value) > 1:
            raise PydanticCustomError(
                "ids_one_booking", "book one submission at a time: a role has one booking"
            )
        return value


class SubmissionOut(Record):
    # hold_expired is computed, not stored: the document must describe answers as sent.
    model_config = ConfigDict(from_attributes=True, json_schema_mode_override="serialization")

    id: int
    role_id: int
    actor_id: int
    status: str
    source: str
    agent: str | None
    note: str | None
    hold_until: datetime | None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hold_expired(self) -> bool:
        """True once a hold's time has passed, until the hold is released."""
        return self.hold_until is not None and self.hold_until <= utc_now()


class RoleSummary(Record):
    id: int
    movie_id: int
    name: str
    actor_id: int | None


class SubmissionItem(SubmissionOut):
    """A submission in a list; actor and role appear when asked for with `expand`."""

    actor: ActorSummary | None = Field(None, exclude_if=_is_none, description="With expand=actor.")
    role: RoleSummary | None = Field(None, exclude_if=_is_none, description="With expand=role.")


class BookedConflict(BaseModel):
    role_id: int
    movie_id: int
    name: str
    work_start: date | None
    work_end: date | None


class HoldConflict(BaseModel):
    """Another hold of the same actor on a role whose work dates overlap."""

    submission_id: int
    role_id: int
    movie_id: int
    hold_until: datetime | None
    work_start: date | None
    work_end: date | None


# --- History and schedules -----------------------------------------------------------


class EventOut(Record):
    """One change as it was made, kept when the record it describes is deleted."""

    id: int = Field(description="Increases in commit order: the feed's cursor.")
    at: datetime
    by: str | None = Field(
        description="The token's subject: a person, or `<client-id>@clients` for a machine; "
        "`system` for a scheduled command."
    )
    request_id: str | None = Field(description="The X-Request-ID of the request that made it.")
    entity: EventEntity
    entity_id: int
    action: EventAction = Field(description="moved: a submission's status changed.")
    changes: dict[str, Any] = Field(
        description='Each changed field as [old, new]; a move has "status", a casting '
        '"actor_id". A deletion records none.'
    )
    note: str | None


class ScheduleItem(BaseModel):
    """A booking or a hold, with the dates it engages the actor for."""

    submission_id: int
    status: str = Field(description="booked or on_hold.")
    role_id: int
    role_name: str
    movie_id: int
    movie_title: str
    work_start: date | None
    work_end: date | None
    hold_until: datetime | None
    hold_expired: bool = Field(
        description="A hold whose time has passed and that is not released yet."
    )
