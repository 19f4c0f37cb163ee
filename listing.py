"""Lists built in SQL: the query schema becomes WHERE, ORDER BY, LIMIT and a COUNT."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload
from sqlalchemy.sql.base import ExecutableOption

from models import Actor, Movie, Role, db
from queries import PageQuery

Row = TypeVar("Row")
Filter = Callable[[Any], ColumnElement[bool]]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def same_text(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: func.lower(column) == value.lower()


def contains_text(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column.ilike(f"%{_escape_like(value)}%", escape="\\")


def equal(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column == value


def at_least(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column >= value


def at_most(column: InstrumentedAttribute[Any]) -> Filter:
    return lambda value: column <= value


def has_genre(value: str) -> ColumnElement[bool]:
    """Genres are a JSON list; each database spells 'unnest a JSON array' its own way."""
    if db.session.get_bind().dialect.name == "postgresql":
        elements = func.jsonb_array_elements_text(Movie.genres)
    else:
        elements = func.json_each(Movie.genres)
    genre = elements.table_valued("value").alias("genre")
    return select(genre.c.value).where(func.lower(genre.c.value) == value.lower()).exists()


def role_open(is_open: bool) -> ColumnElement[bool]:
    return Role.actor_id.is_(None) if is_open else Role.actor_id.is_not(None)


def role_fits_age(age: int) -> ColumnElement[bool]:
    return and_(Role.min_age <= age, Role.max_age >= age)


MOVIE_FILTERS: dict[str, Filter] = {
    "title": same_text(Movie.title),
    "search_term": contains_text(Movie.title),
    "company": same_text(Movie.company),
    "genre": has_genre,
    "release_date": equal(Movie.release_date),
    "min_release_date": at_least(Movie.release_date),
    "max_release_date": at_most(Movie.release_date),
}
ACTOR_FILTERS: dict[str, Filter] = {
    "name": same_text(Actor.name),
    "search_term": contains_text(Actor.name),
    "age": equal(Actor.age),
    "min_age": at_least(Actor.age),
    "max_age": at_most(Actor.age),
    "location": contains_text(Actor.location),
    "height": equal(Actor.height),
    "min_height": at_least(Actor.height),
    "max_height": at_most(Actor.height),
    **{
        name: equal(getattr(Actor, name))
        for name in (
            "gender",
            "passport",
            "driver_license",
            "seeking_roles",
            "ethnicity",
            "hair_color",
            "eye_color",
            "body_type",
        )
    },
}
ROLE_FILTERS: dict[str, Filter] = {
    "movie_id": equal(Role.movie_id),
    "actor_id": equal(Role.actor_id),
    "name": same_text(Role.name),
    "search_term": contains_text(Role.name),
    "gender": equal(Role.gender),
    "age": role_fits_age,
    "min_age": at_least(Role.min_age),
    "max_age": at_most(Role.max_age),
    "open": role_open,
}


def conditions(query: PageQuery, filters: dict[str, Filter]) -> list[ColumnElement[bool]]:
    """One WHERE condition per filter the client actually sent."""
    given = query.model_dump(include=set(filters), exclude_none=True)
    return [filters[name](value) for name, value in given.items()]


def ordering(model: type[Any], sort: str) -> list[ColumnElement[Any]]:
    """The id breaks ties, so a page boundary never shows a row twice or skips one.
    Missing values sort last on every database."""
    order: list[ColumnElement[Any]] = []
    for item in sort.split(","):
        column = getattr(model, item.removeprefix("-"))
        order.append((column.desc() if item.startswith("-") else column.asc()).nulls_last())
    if "id" not in {item.removeprefix("-") for item in sort.split(",")}:
        order.append(model.id.asc())
    return order


def paginate(
    statement: Select[tuple[Row]],
    query: PageQuery,
    where: Sequence[ColumnElement[bool]],
    order: Sequence[ColumnElement[Any]],
    options: Sequence[ExecutableOption] = (),
    *,
    ranked: bool = False,
) -> tuple[Sequence[Row], int]:
    """Two statements whatever the page size: the count and the page itself
    (expansions are joined into the page, not loaded row by row).

    A page past the first, or a ranking that must sort every match (`ranked`), is a
    deferred join: the filtered, sorted and offset part selects ids only, which a
    covering index answers without reading table rows, and only the page's rows are
    then read whole. A first page in index order is cheaper read directly."""
    filtered = statement.where(*where)
    total = db.session.scalar(
        filtered.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    )
    offset = (query.page - 1) * query.page_size
    if ranked or offset:
        record = statement.column_descriptions[0]["entity"]
        page_ids = (
            filtered.with_only_columns(record.id, maintain_column_froms=True)
            .order_by(*order)
            .limit(query.page_size)
            .offset(offset)
            .subquery("page_ids")
        )
        page = statement.join(page_ids, record.id == page_ids.c.id)
    else:
        page = filtered.limit(query.page_size)
    rows = db.session.scalars(page.order_by(*order).options(*options)).unique().all()
    return rows, total or 0


ROLE_COLUMNS = tuple(column.key for column in Role.__table__.columns)


def role_loading(expansions: set[str]) -> list[ExecutableOption]:
    """Related rows asked for ride along in the same SELECT."""
    relationships = {"movie": Role.movie, "actor": Role.actor}
    return [joinedload(relationships[name]) for name in sorted(expansions)]


def role_items(roles: Sequence[Role], expansions: set[str]) -> list[dict[str, Any]]:
    """Roles as list items; related records only when they were asked for (and loaded)."""
    items = []
    for role in roles:
        item: dict[str, Any] = {column: getattr(role, column) for column in ROLE_COLUMNS}
        for name in expansions:
            item[name] = getattr(role, name)
        items.append(item)
    return items
