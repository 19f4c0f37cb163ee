"""Lists built in SQL: a validated query becomes WHERE, ORDER BY, LIMIT and a COUNT."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.base import ExecutableOption

from api.envelopes import Page
from api.query_params import PageQuery
from models import Role, db

Row = TypeVar("Row")


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
) -> Page[Row]:
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
    return Page(rows, total or 0, query.page, query.page_size)


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
