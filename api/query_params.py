"""Query strings of the list endpoints. Each filter is declared once, as a field whose
annotation carries its type and, in `Where(...)`, the SQL it adds; a field that is
neither a filter nor paging, sorting or expansion is refused when the class is made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute

from api.fields import Digits, IsoDate, QueryAge, QueryBool, QueryHeight, QueryRecordId, SearchText
from casting.conflicts import overlaps
from models import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    MAX_ID,
    SUBMISSION_STATUSES,
    Actor,
    BodyType,
    Ethnicity,
    Event,
    EventEntity,
    EyeColor,
    Gender,
    HairColor,
    Movie,
    Role,
    RoleGender,
    Submission,
    SubmissionSource,
    db,
)

MAX_PAGE_SIZE = 100
MOVIE_SORTS = ("id", "title", "release_date", "company")
ACTOR_SORTS = ("id", "name", "age", "height")
ROLE_SORTS = ("id", "name", "min_age", "max_age", "movie_id", "work_start", "work_end")


@dataclass(frozen=True)
class Where:
    """The WHERE condition a query parameter adds when the client sends it."""

    condition: Callable[[Any], ColumnElement[bool]]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def same_text(column: InstrumentedAttribute[Any]) -> Where:
    return Where(lambda value: func.lower(column) == value.lower())


def contains_text(column: InstrumentedAttribute[Any]) -> Where:
    return Where(lambda value: column.ilike(f"%{_escape_like(value)}%", escape="\\"))


def equal(column: InstrumentedAttribute[Any]) -> Where:
    return Where(lambda value: column == value)


def at_least(column: InstrumentedAttribute[Any]) -> Where:
    return Where(lambda value: column >= value)


def at_most(column: InstrumentedAttribute[Any]) -> Where:
    return Where(lambda value: column <= value)


def _has_genre(value: str) -> ColumnElement[bool]:
    """Genres are a JSON list; each database spells 'unnest a JSON array' its own way."""
    if db.session.get_bind().dialect.name == "postgresql":
        elements = func.jsonb_array_elements_text(Movie.genres)
    else:
        elements = func.json_each(Movie.genres)
    genre = elements.table_valued("value").alias("genre")
    return select(genre.c.value).where(func.lower(genre.c.value) == value.lower()).exists()


def _role_open(is_open: bool) -> ColumnElement[bool]:
    return Role.actor_id.is_(None) if is_open else Role.actor_id.is_not(None)


def _role_fits_age(age: int) -> ColumnElement[bool]:
    return and_(Role.min_age <= age, Role.max_age >= age)


def _role_works_on(day: date) -> ColumnElement[bool]:
    return overlaps(Role, day, day)


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


def known_expansions(allowed: tuple[str, ...]) -> AfterValidator:
    """Comma-separated names of related records to include in each item."""

    def check(value: str) -> str:
        for item in value.split(","):
            if item not in allowed:
                raise PydanticCustomError(
                    "expand_field",
                    "'{item}' cannot be expanded; use {allowed}",
                    {"item": item, "allowed": ", ".join(allowed)},
                )
        return value

    return AfterValidator(check)


def documented_expansions(allowed: tuple[str, ...]) -> Any:
    one = f"({'|'.join(allowed)})"
    return Field(
        description=f"Related records to include, comma-separated: {', '.join(allowed)}.",
        json_schema_extra={"pattern": f"^{one}(,{one})*$"},
    )


ROLE_EXPANSIONS = ("movie", "actor")
RoleExpansions = Annotated[
    str, documented_expansions(ROLE_EXPANSIONS), known_expansions(ROLE_EXPANSIONS)
]


class Query(BaseModel):
    """Unknown parameters are refused: a misspelt filter must not silently match everything."""

    model_config = ConfigDict(extra="forbid")
    # The parameters that shape the answer rather than filter it.
    NOT_FILTERS: ClassVar[frozenset[str]] = frozenset({"page", "page_size", "sort", "expand"})

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, field in cls.model_fields.items():
            has_sql = any(isinstance(item, Where) for item in field.metadata)
            if not has_sql and name not in cls.NOT_FILTERS:
                raise TypeError(f"{cls.__name__}.{name} is a query parameter with no Where(...)")

    @classmethod
    def filters(cls) -> dict[str, Where]:
        return {
            name: next(item for item in field.metadata if isinstance(item, Where))
            for name, field in cls.model_fields.items()
            if name not in cls.NOT_FILTERS
        }

    def conditions(self) -> list[ColumnElement[bool]]:
        """One WHERE condition per filter the client actually sent."""
        return [
            where.condition(value)
            for name, where in self.filters().items()
            if (value := getattr(self, name)) is not None
        ]


class PageQuery(Query):
    page: Annotated[int, Field(ge=1, le=MAX_ID), Digits] = 1
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE), Digits] = 10


class MovieQuery(PageQuery):
    title: Annotated[SearchText | None, same_text(Movie.title)] = Field(
        None, description="Exact title, any case."
    )
    search_term: Annotated[SearchText | None, contains_text(Movie.title)] = Field(
        None, description="Part of the title, any case."
    )
    company: Annotated[SearchText | None, same_text(Movie.company)] = Field(
        None, description="Exact company, any case."
    )
    genre: Annotated[SearchText | None, Where(_has_genre)] = Field(
        None, description="A genre the movie has, any case."
    )
    release_date: Annotated[IsoDate | None, equal(Movie.release_date)] = None
    min_release_date: Annotated[IsoDate | None, at_least(Movie.release_date)] = None
    max_release_date: Annotated[IsoDate | None, at_most(Movie.release_date)] = None
    sort: sort_order(MOVIE_SORTS) = "id"  # type: ignore[valid-type]


class ActorFilters(Query):
    name: Annotated[SearchText | None, same_text(Actor.name)] = Field(
        None, description="Exact name, any case."
    )
    search_term: Annotated[SearchText | None, contains_text(Actor.name)] = Field(
        None, description="Part of the name, any case."
    )
    age: Annotated[QueryAge | None, equal(Actor.age)] = None
    min_age: Annotated[QueryAge | None, at_least(Actor.age)] = None
    max_age: Annotated[QueryAge | None, at_most(Actor.age)] = None
    gender: Annotated[Gender | None, equal(Actor.gender)] = None
    location: Annotated[SearchText | None, contains_text(Actor.location)] = Field(
        None, description="Part of the location, any case."
    )
    passport: Annotated[QueryBool | None, equal(Actor.passport)] = None
    driver_license: Annotated[QueryBool | None, equal(Actor.driver_license)] = None
    seeking_roles: Annotated[QueryBool | None, equal(Actor.seeking_roles)] = None
    ethnicity: Annotated[Ethnicity | None, equal(Actor.ethnicity)] = None
    hair_color: Annotated[HairColor | None, equal(Actor.hair_color)] = None
    eye_color: Annotated[EyeColor | None, equal(Actor.eye_color)] = None
    body_type: Annotated[BodyType | None, equal(Actor.body_type)] = None
    height: Annotated[QueryHeight | None, equal(Actor.height)] = None
    min_height: Annotated[QueryHeight | None, at_least(Actor.height)] = None
    max_height: Annotated[QueryHeight | None, at_most(Actor.height)] = None


class ActorQuery(ActorFilters, PageQuery):
    sort: sort_order(ACTOR_SORTS) = "id"  # type: ignore[valid-type]


class RoleFilters(Query):
    movie_id: Annotated[QueryRecordId | None, equal(Role.movie_id)] = None
    actor_id: Annotated[QueryRecordId | None, equal(Role.actor_id)] = None
    name: Annotated[SearchText | None, same_text(Role.name)] = Field(
        None, description="Exact name, any case."
    )
    search_term: Annotated[SearchText | None, contains_text(Role.name)] = Field(
        None, description="Part of the name, any case."
    )
    gender: Annotated[RoleGender | None, equal(Role.gender)] = None
    age: Annotated[QueryAge | None, Where(_role_fits_age)] = Field(
        None, description="Roles this age fits: min_age <= age <= max_age."
    )
    min_age: Annotated[QueryAge | None, at_least(Role.min_age)] = Field(
        None, description="Roles whose min_age is at least this."
    )
    max_age: Annotated[QueryAge | None, at_most(Role.max_age)] = Field(
        None, description="Roles whose max_age is at most this."
    )
    open: Annotated[QueryBool | None, Where(_role_open)] = Field(
        None, description="true: no actor yet; false: cast."
    )
    works_on: Annotated[IsoDate | None, Where(_role_works_on)] = Field(
        None, description="Roles whose work dates include this day (YYYY-MM-DD)."
    )


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


# --- Submissions ---------------------------------------------------------------------

SUBMISSION_SORTS = ("id", "created_at", "updated_at", "status")
SUBMISSION_EXPANSIONS = ("actor", "role")


def _known_statuses(value: str) -> str:
    for item in value.split(","):
        if item not in SUBMISSION_STATUSES:
            raise PydanticCustomError(
                "status_known",
                "'{item}' is not a status; use {statuses}",
                {"item": item, "statuses": ", ".join(SUBMISSION_STATUSES)},
            )
    return value


StatusList = Annotated[
    str,
    Field(
        description="Statuses, comma-separated: " + ", ".join(SUBMISSION_STATUSES) + ".",
        json_schema_extra={
            "pattern": f"^({'|'.join(SUBMISSION_STATUSES)})(,({'|'.join(SUBMISSION_STATUSES)}))*$"
        },
    ),
    AfterValidator(_known_statuses),
]


def _status_in(value: str) -> ColumnElement[bool]:
    return Submission.status.in_(sorted(set(value.split(","))))


def _submission_active(active: bool) -> ColumnElement[bool]:
    return Submission.status.in_(ACTIVE_STATUSES if active else CLOSED_STATUSES)


def _submission_for_movie(movie_id: int) -> ColumnElement[bool]:
    """A subquery, not a join: the page may join the role again for expand=role."""
    return Submission.role_id.in_(select(Role.id).where(Role.movie_id == movie_id))


SubmissionExpansions = Annotated[
    str, documented_expansions(SUBMISSION_EXPANSIONS), known_expansions(SUBMISSION_EXPANSIONS)
]


class SubmissionQuery(PageQuery):
    status: Annotated[StatusList | None, Where(_status_in)] = None
    role_id: Annotated[QueryRecordId | None, equal(Submission.role_id)] = None
    actor_id: Annotated[QueryRecordId | None, equal(Submission.actor_id)] = None
    movie_id: Annotated[QueryRecordId | None, Where(_submission_for_movie)] = Field(
        None, description="Submissions for the movie's roles."
    )
    source: Annotated[SubmissionSource | None, equal(Submission.source)] = None
    active: Annotated[QueryBool | None, Where(_submission_active)] = Field(
        None, description="true: still in the running; false: released, withdrawn, declined."
    )
    expand: SubmissionExpansions | None = None
    sort: sort_order(SUBMISSION_SORTS) = "id"  # type: ignore[valid-type]

    @property
    def expansions(self) -> set[str]:
        return set(self.expand.split(",")) if self.expand else set()


# --- History -------------------------------------------------------------------------

MAX_EVENTS = 500


def _after(event_id: int) -> ColumnElement[bool]:
    return Event.id > event_id


class HistoryQuery(Query):
    """A cursor, not pages: events are only ever appended, so `after` the last id seen
    never shows one twice or skips one, however many are added meanwhile."""

    NOT_FILTERS: ClassVar[frozenset[str]] = frozenset({"limit"})
    after: Annotated[int | None, Field(ge=0, le=MAX_ID), Digits, Where(_after)] = Field(
        None, description="Only events with a larger id (default 0: from the first)."
    )
    limit: Annotated[int, Field(ge=1, le=MAX_EVENTS), Digits] = Field(
        MAX_EVENTS, description=f"At most this many events, 1 to {MAX_EVENTS}."
    )

    @property
    def cursor(self) -> int:
        return self.after or 0


class EventQuery(HistoryQuery):
    limit: Annotated[int, Field(ge=1, le=MAX_EVENTS), Digits] = Field(
        100, description=f"At most this many events, 1 to {MAX_EVENTS}."
    )
    entity: Annotated[EventEntity | None, equal(Event.entity)] = Field(
        None, description="Only events about movies, actors, roles or submissions."
    )
