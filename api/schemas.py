"""Request bodies and the records they become in responses: they validate input, shape
output and document both."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

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
from models import BodyType, Ethnicity, EyeColor, Gender, HairColor, RoleGender


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


class Candidate(ActorOut):
    fit: Fit
