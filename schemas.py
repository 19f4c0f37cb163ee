"""Request and response schemas: they validate input, shape output and document the API."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    create_model,
)
from pydantic_core import PydanticCustomError

from models import MAX_AGE, MAX_HEIGHT, MIN_AGE, MIN_HEIGHT
from vocabulary import BodyType, Ethnicity, EyeColor, Gender, HairColor, RoleGender

# The widest id PostgreSQL's INTEGER column holds; larger ones could never match a row.
MAX_ID = 2**31 - 1
MAX_PAGE_SIZE = 100
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE, LATEST_DATE = date(1800, 1, 1), date(2200, 12, 31)


def _without_nul(value: str) -> str:
    """PostgreSQL cannot store NUL in text, so it is refused before it gets there."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain NUL characters")
    return value


def _calendar_date(value: Any) -> date:
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        raise PydanticCustomError("date_format", "must be a date string in YYYY-MM-DD format")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "is not a real calendar date") from None
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise PydanticCustomError("date_range", "must be between 1800-01-01 and 2200-12-31")
    return parsed


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    # urlsplit silently drops tabs and newlines, so control characters are checked here.
    unprintable = any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in value)
    if parts.scheme not in ("http", "https") or not parts.hostname or unprintable:
        raise PydanticCustomError("url", "must be an absolute http or https URL")
    return value


def _true_or_false(value: Any) -> Any:
    """Query strings say true or false; 'yes', '1' and 'on' are typos here, not booleans."""
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError("bool_parsing", "must be true or false")


def trimmed(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


NoNul = AfterValidator(_without_nul)
# The patterns put the NUL and blank rules into the OpenAPI document for clients and
# fuzzers; the validators above enforce them with clearer messages.
NO_NUL = Field(json_schema_extra={"pattern": r"^[^\x00]*$"})
NOT_BLANK = Field(json_schema_extra={"pattern": r"^[^\x00]*[^\x00\s][^\x00]*$"})
Name = Annotated[str, trimmed(200, min_length=1), NoNul, NOT_BLANK]
ShortText = Annotated[str, trimmed(200), NoNul, NO_NUL]
LongText = Annotated[str, trimmed(5000), NoNul, NO_NUL]
Genre = Annotated[str, trimmed(50, min_length=1), NoNul, NOT_BLANK]
IsoDate = Annotated[
    date,
    BeforeValidator(_calendar_date),
    Field(json_schema_extra={"pattern": r"^(18\d\d|19\d\d|2[01]\d\d|2200)-\d\d-\d\d$"}),
]
Age = Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)]
Height = Annotated[int, Field(ge=MIN_HEIGHT, le=MAX_HEIGHT, description="centimetres")]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9 +\-().]{3,32}$")]
Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_url)]
Email = Annotated[EmailStr, StringConstraints(max_length=320)]
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]


class Body(BaseModel):
    """Strict JSON: "30" is not an age, true is not 1, and unknown fields are mistakes."""

    model_config = ConfigDict(strict=True, extra="forbid")


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


class Deleted(BaseModel):
    success: bool
    deleted: int


def envelopes(
    item: type[Record], one: str, many: str, page_item: type[Record] | None = None
) -> tuple[type[BaseModel], ...]:
    """The three success bodies every resource shares: one item, a saved item, a page."""
    title = one.capitalize()
    single: dict[str, Any] = {"success": (bool, ...), one: (item, ...)}
    saved: dict[str, Any] = {"success": (bool, ...), "id": (int, ...), one: (item, ...)}
    page: dict[str, Any] = {
        "success": (bool, ...),
        many: (list[page_item or item], ...),  # type: ignore[misc]
        f"total_{many}": (int, ...),
        "page": (int, ...),
        "page_size": (int, ...),
    }
    return (
        create_model(f"{title}Body", **single),
        create_model(f"Saved{title}", **saved),
        create_model(f"{title}Page", **page),
    )


MovieBody, SavedMovie, MoviePage = envelopes(MovieOut, "movie", "movies")
ActorBody, SavedActor, ActorPage = envelopes(ActorOut, "actor", "actors")
RoleBody, SavedRole, RolePage = envelopes(RoleOut, "role", "roles", page_item=RoleItem)


class MovieRoles(BaseModel):
    success: bool
    movie_id: int
    roles: list[RoleItem]


class ActorRoles(BaseModel):
    success: bool
    actor_id: int
    roles: list[RoleItem]


class Fit(BaseModel):
    age_distance: float = Field(
        description="Years between the actor's age and the middle of the role's range."
    )
    role_age_range: list[int]
    gender: str = Field(description="The gender the role asks for, or any.")


class Candidate(ActorOut):
    fit: Fit


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
