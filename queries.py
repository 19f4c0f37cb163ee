"""Query-string schemas for the list endpoints: filters, sorting and paging."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from schemas import (
    MAX_ID,
    MAX_PAGE_SIZE,
    NOT_BLANK,
    Age,
    Height,
    IsoDate,
    NoNul,
    QueryBool,
    RecordId,
    trimmed,
)
from vocabulary import BodyType, Ethnicity, EyeColor, Gender, HairColor, RoleGender

SearchText = Annotated[str, trimmed(200, min_length=1), NoNul, NOT_BLANK]
MOVIE_SORTS = ("id", "title", "release_date", "company")
ACTOR_SORTS = ("id", "name", "age", "height")
ROLE_SORTS = ("id", "name", "min_age", "max_age", "movie_id")


def sort_order(allowed: tuple[str, ...]) -> Any:
    """Comma-separated field names, each optionally prefixed with '-' for descending."""

    def check(value: str) -> str:
        for item in value.split(","):
            if item.removeprefix("-") not in allowed:
                raise PydanticCustomError(
                    "sort_field",
                    "'{item}' is not sortable; use {allowed}, '-' first for descending",
                    {"item": item, "allowed": ", ".join(allowed)},
                )
        return value

    description = f"Fields to sort by, comma-separated, '-' for descending: {', '.join(allowed)}."
    one = f"-?({'|'.join(allowed)})"
    # The pattern documents the rule; check() enforces it with a clearer message.
    documented = Field(description=description, json_schema_extra={"pattern": f"^{one}(,{one})*$"})
    return Annotated[str, documented, AfterValidator(check)]


def _known_expansions(value: str) -> str:
    for item in value.split(","):
        if item not in ("movie", "actor"):
            raise PydanticCustomError(
                "expand_field", "'{item}' cannot be expanded; use movie, actor", {"item": item}
            )
    return value


RoleExpansions = Annotated[
    str,
    Field(
        description="Related records to include, comma-separated: movie, actor.",
        json_schema_extra={"pattern": "^(movie|actor)(,(movie|actor))*$"},
    ),
    AfterValidator(_known_expansions),
]


class Query(BaseModel):
    """Unknown parameters are refused: a misspelt filter must not silently match everything."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Query):
    page: Annotated[int, Field(ge=1, le=MAX_ID)] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 10


class MovieQuery(PageQuery):
    title: SearchText | None = Field(None, description="Exact title, any case.")
    search_term: SearchText | None = Field(None, description="Part of the title, any case.")
    company: SearchText | None = Field(None, description="Exact company, any case.")
    genre: SearchText | None = Field(None, description="A genre the movie has, any case.")
    release_date: IsoDate | None = None
    min_release_date: IsoDate | None = None
    max_release_date: IsoDate | None = None
    sort: sort_order(MOVIE_SORTS) = "id"  # type: ignore[valid-type]


class ActorFilters(Query):
    name: SearchText | None = Field(None, description="Exact name, any case.")
    search_term: SearchText | None = Field(None, description="Part of the name, any case.")
    age: Age | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    gender: Gender | None = None
    location: SearchText | None = Field(None, description="Part of the location, any case.")
    passport: QueryBool | None = None
    driver_license: QueryBool | None = None
    seeking_roles: QueryBool | None = None
    ethnicity: Ethnicity | None = None
    hair_color: HairColor | None = None
    eye_color: EyeColor | None = None
    body_type: BodyType | None = None
    height: Height | None = None
    min_height: Height | None = None
    max_height: Height | None = None


class ActorQuery(ActorFilters, PageQuery):
    sort: sort_order(ACTOR_SORTS) = "id"  # type: ignore[valid-type]


class RoleFilters(Query):
    movie_id: RecordId | None = None
    actor_id: RecordId | None = None
    name: SearchText | None = Field(None, description="Exact name, any case.")
    search_term: SearchText | None = Field(None, description="Part of the name, any case.")
    gender: RoleGender | None = None
    age: Age | None = Field(None, description="Roles this age fits: min_age <= age <= max_age.")
    min_age: Age | None = Field(None, description="Roles whose min_age is at least this.")
    max_age: Age | None = Field(None, description="Roles whose max_age is at most this.")
    open: QueryBool | None = Field(None, description="true: no actor yet; false: cast.")


class ExpandQuery(Query):
    expand: RoleExpansions | None = None

    @property
    def expansions(self) -> set[str]:
        return set(self.expand.split(",")) if self.expand else set()


class RoleQuery(RoleFilters, ExpandQuery, PageQuery):
    sort: sort_order(ROLE_SORTS) = "id"  # type: ignore[valid-type]


class CandidateQuery(ActorFilters, PageQuery):
    """Candidates are ranked by fit, so there is no sort parameter."""


class MatchingRoleQuery(RoleFilters, ExpandQuery, PageQuery):
    """Matching roles are ranked by fit, so there is no sort parameter."""
