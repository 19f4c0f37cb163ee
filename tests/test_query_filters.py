"""Every query parameter of every list endpoint either changes the SQL or shapes the
page: a parameter can never be accepted and silently ignored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from api.query_params import PageQuery, Query
from helpers import store_submission

# A valid value for each filter; a new filter without one here fails the test below.
SAMPLE_VALUES = {
    "title": "x",
    "search_term": "x",
    "company": "x",
    "genre": "x",
    "name": "x",
    "location": "x",
    "release_date": "2027-01-01",
    "min_release_date": "2027-01-01",
    "max_release_date": "2027-01-01",
    "age": "30",
    "min_age": "30",
    "max_age": "30",
    "height": "170",
    "min_height": "170",
    "max_height": "170",
    "gender": "female",
    "passport": "true",
    "driver_license": "true",
    "seeking_roles": "true",
    "open": "true",
    "ethnicity": "asian",
    "hair_color": "black",
    "eye_color": "blue",
    "body_type": "slim",
    "movie_id": "1",
    "actor_id": "1",
    "status": "submitted,booked",
    "role_id": "1",
    "source": "staff",
    "active": "true",
    "works_on": "2027-01-01",
    "after": "1",
    "entity": "role",
}


def list_endpoints(app: APIFlask) -> Iterator[tuple[str, type[Query]]]:
    """(path with ids filled in, query class) for every route that takes a query string."""
    for rule in app.url_map.iter_rules():
        spec = getattr(app.view_functions[rule.endpoint], "_spec", {})
        for schema, location in spec.get("args") or []:
            if location == "query":
                path = rule.rule
                for name in rule.arguments:
                    path = path.replace(f"<id:{name}>", "1")
                yield path, schema


def test_every_list_endpoint_is_found(app: APIFlask) -> None:
    paths = {path for path, _ in list_endpoints(app)}
    assert paths == {
        "/movies",
        "/actors",
        "/roles",
        "/movies/1/roles",
        "/actors/1/roles",
        "/roles/1/candidates",
        "/actors/1/matching-roles",
        "/submissions",
        "/roles/1/submissions",
        "/actors/1/submissions",
        "/events",
        "/movies/1/history",
        "/actors/1/history",
        "/roles/1/history",
        "/submissions/1/history",
    }


def test_every_filter_parameter_changes_the_sql(
    app: APIFlask,
    client: FlaskClient,
    producer: dict[str, str],
    create: Callable[..., dict[str, Any]],
    statements: list[str],
) -> None:
    movie = create("movies")
    actor = create("actors")
    role = create("roles", movie_id=movie["id"], actor_id=actor["id"])
    store_submission(app, role["id"], create("actors")["id"])

    def sql_for(url: str) -> list[str]:
        statements.clear()
        response = client.get(url, headers=producer)
        assert response.status_code == 200, (url, response.get_json())
        return list(statements)

    checked = 0
    for path, query_class in list_endpoints(app):
        unfiltered = sql_for(path)
        for name in query_class.model_fields:
            if name not in query_class.filters():  # paging, sorting, a cursor's limit
                continue
            assert name in SAMPLE_VALUES, f"add a sample value for the new filter {name!r}"
            filtered = sql_for(f"{path}?{name}={SAMPLE_VALUES[name]}")
            assert filtered != unfiltered, f"{path}?{name}= did not change the SQL"
            checked += 1
    assert checked > 50  # the loop really ran over every list


def test_parameters_that_are_not_filters_only_page_sort_or_expand(app: APIFlask) -> None:
    for _path, query_class in list_endpoints(app):
        shaping = set(query_class.model_fields) - set(query_class.filters())
        assert shaping <= {"page", "page_size", "sort", "expand", "limit"}


def test_a_query_parameter_without_sql_is_refused_when_declared() -> None:
    with pytest.raises(TypeError, match="ForgottenQuery.colour is a query parameter with no"):

        class ForgottenQuery(PageQuery):
            colour: Annotated[str | None, "no Where here"] = None
