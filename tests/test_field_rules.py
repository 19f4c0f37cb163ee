"""Field rules as tables, run straight against the schemas the routes validate with: no
app and no database, so every row costs a millisecond. A row of each kind of rule for
every field also goes over HTTP, where a refusal must be a 422 (body) or 400 (query)
naming the field and storing nothing; the rules only the database can check (a missing
movie, max_age below the stored min_age) run over HTTP only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

import pytest
from flask.testing import FlaskClient
from pydantic import BaseModel, ValidationError

from api.query_params import (
    ActorQuery,
    CandidateQuery,
    ExpandQuery,
    MatchingRoleQuery,
    MovieQuery,
    RoleQuery,
)
from api.schemas import ActorIn, ActorPatch, MovieIn, MoviePatch, RoleIn, RolePatch
from helpers import VALID_BODIES, assert_error, body_for
from models import MAX_ID

RESOURCES = ("movies", "actors", "roles")
CREATE_SCHEMAS: dict[str, type[BaseModel]] = {
    "movies": MovieIn,
    "actors": ActorIn,
    "roles": RoleIn,
}
PATCH_SCHEMAS: dict[str, type[BaseModel]] = {
    "movies": MoviePatch,
    "actors": ActorPatch,
    "roles": RolePatch,
}
# By path as the OpenAPI document writes it; ids in paths are filled in per test.
QUERY_SCHEMAS: dict[str, type[BaseModel]] = {
    "/movies": MovieQuery,
    "/actors": ActorQuery,
    "/roles": RoleQuery,
    "/movies/{movie_id}/roles": ExpandQuery,
    "/actors/{actor_id}/roles": ExpandQuery,
    "/roles/{role_id}/candidates": CandidateQuery,
    "/actors/{actor_id}/matching-roles": MatchingRoleQuery,
}

Stored = Callable[[], dict[str, list[tuple[Any, ...]]]]


class _Missing:
    """In a table of changes: leave this field out of the body."""

    def __repr__(self) -> str:
        return "missing"


MISSING: Any = _Missing()
NOT_OVER_HTTP: Any = object()


def label(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}..{len(text)}chars"


def with_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    body = {**base, **changes}
    return {k: v for k, v in body.items() if v is not MISSING}


def error_fields(error: ValidationError) -> set[str]:
    """The field names as the HTTP layer reports them: APIFlask joins each error's
    `loc` with "." (genres.1 is the second genre) and keys the `errors` object by it."""
    for detail in error.errors():
        assert isinstance(detail["msg"], str) and detail["msg"]
    return {".".join(str(part) for part in detail["loc"]) for detail in error.errors()}


# --- Request bodies: values each field refuses -------------------------------------------


class Bad(NamedTuple):
    """Send `changes` on a valid body (or alone, as a PATCH); `field` must be refused."""

    changes: dict[str, Any]
    field: str
    over_http: bool


def bad(
    field: str,
    values: Iterable[Any],
    error_field: str | None = None,
    over_http: Any = NOT_OVER_HTTP,
) -> list[Bad]:
    """Rows refusing each of `values` for `field`; the value `over_http` is also sent over
    HTTP, as a create and as a PATCH."""
    rows = [Bad({field: v}, error_field or field, False) for v in values]
    if over_http is not NOT_OVER_HTTP:
        rows.append(Bad({field: over_http}, error_field or field, True))
    return rows


MOVIE_BAD = [
    *bad("title", (MISSING, None, "", "x" * 201, 123, True, ["A"], "Or\x00bit"), over_http="   "),
    *bad(
        "release_date",
        (
            MISSING,
            None,
            "tomorrow",
            "2021-13-01",
            "10000-01-01",
            "1799-12-31",
            "2201-01-01",
            "2020-1-5",
            "01/05/2020",
            "2020-01-05T00:00:00",
            " 2020-01-05",
            20200101,
        ),
        over_http="2020-02-30",
    ),
    *bad("company", ("x" * 201, "Ac\x00me"), over_http=5),
    *bad("description", (["text"], "de\x00sc"), over_http="x" * 5001),
    *bad("genres", ("Drama", None, {"Drama": 1}), over_http=["Drama"] * 21),
    *bad("genres", ([None], [True], ["Dr\x00ama"]), "genres.0", over_http=[1]),
    *bad("genres", (["Drama", ""], ["Drama", "x" * 51]), "genres.1", over_http=["Drama", "   "]),
    *bad("rating", (), over_http="x"),
    *(row for field in ("id", "Title") for row in bad(field, ["x"])),
]

ACTOR_BAD = [
    *bad("name", (MISSING, None, "", " \t ", 42, "Ma\x00ya"), over_http="x" * 201),
    *bad("age", (MISSING, None, "30", 30.5, True, -1, 10**30, [30]), over_http=131),
    *bad("gender", (MISSING, None, "any", "Female", "", 1), over_http="woman"),
    *bad("location", ("x" * 201, 5), over_http="L\x00A"),
    *bad("passport", (1, 0, None), over_http="true"),
    *bad("driver_license", ("yes", None), over_http=1),
    *bad("seeking_roles", ("false", None), over_http=0),
    *bad("ethnicity", ("Asian",), over_http="martian"),
    *bad("hair_color", (), over_http="green"),
    *bad("eye_color", (), over_http="black"),
    *bad("body_type", ("",), over_http="tall"),
    *bad("height", (29, -170, "170", 170.5, True, 10**30), over_http=301),
    *bad("description", ("x" * 5001,), over_http="de\x00sc"),
    *bad(
        "image_link",
        (
            "ftp://example.com/maya.jpg",
            "/relative/maya.jpg",
            "example.com/maya.jpg",
            "http://",
            "https://exa mple.com/maya.jpg",
            "http://[::1",
            "https://example.com/" + "a" * 500,
            "https://example.com/ma\x00ya.jpg",
            "https://example.com/ma\nya.jpg",
            42,
        ),
        over_http="javascript:alert(1)",
    ),
    *bad("phone", ("12", "1" * 33, "555 0101\n", 5550101), over_http="555-CALL"),
    *bad("email", ("maya@", "@example.com", "maya@example", 5), over_http="not-an-email"),
    *bad("agent", (), over_http="x"),
    *(row for field in ("id", "Name") for row in bad(field, ["x"])),
]

ROLE_BAD = [
    *bad("movie_id", (MISSING, None, "1", True, -1, 1.5, [1], 2**31), over_http=0),
    *bad("actor_id", ("1", True, 0, -1, 1.0, 2**63), over_http=2**31),
    *bad("name", (MISSING, None, "", "  ", "x" * 201), over_http="Le\x00ad"),
    *bad("gender", (None, "Any", ""), over_http="other"),
    *bad("min_age", (MISSING, None, -1, 131, "20", True, 10**30), over_http=20.5),
    *bad("max_age", (MISSING, None, 131, 10**30), over_http="40"),
    *bad("description", ("de\x00sc",), over_http="x" * 5001),
    *bad("work_start", ("2027-5-10", "2201-01-01", 20270510, ""), over_http="2027-02-30"),
    *bad("work_end", ("10/05/2027", "2027-05-10T09:00", True), over_http="2027-13-01"),
    *bad("salary", (), over_http="x"),
    *(row for field in ("id", "actor") for row in bad(field, ["x"])),
]

BAD_ROWS = dict(zip(RESOURCES, (MOVIE_BAD, ACTOR_BAD, ROLE_BAD), strict=True))


def bad_params(method: str, over_http: bool) -> list[Any]:
    """The rows as test parameters: a PATCH cannot leave a field out, so MISSING rows
    are create-only; over HTTP, only the rows marked for it."""
    return [
        pytest.param(
            resource,
            row.changes,
            row.field,
            id=f"{resource}-{'&'.join(f'{k}={label(v)}' for k, v in row.changes.items())}",
        )
        for resource, rows in BAD_ROWS.items()
        for row in rows
        if (row.over_http or not over_http)
        and (method == "POST" or MISSING not in row.changes.values())
    ]


@pytest.mark.parametrize(("resource", "changes", "field"), bad_params("POST", over_http=False))
def test_create_schema_refuses_invalid_field_naming_only_it(
    resource: str, changes: dict[str, Any], field: str
) -> None:
    base = VALID_BODIES[resource]
    with pytest.raises(ValidationError) as refused:
        CREATE_SCHEMAS[resource].model_validate(with_changes(base, changes))
    assert error_fields(refused.value) == {field}


@pytest.mark.parametrize(("resource", "changes", "field"), bad_params("PATCH", over_http=False))
def test_patch_schema_refuses_invalid_field_naming_only_it(
    resource: str, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        PATCH_SCHEMAS[resource].model_validate(changes)
    assert error_fields(refused.value) == {field}


def test_every_field_is_refused_over_http_at_least_once() -> None:
    """Each field, and an unknown one, meets the real request path, not only the schema."""
    for resource, rows in BAD_ROWS.items():
        sent = {row.field.split(".")[0] for row in rows if row.over_http}
        known = set(CREATE_SCHEMAS[resource].model_fields)
        assert known <= sent, f"{resource}: no HTTP row for {known - sent}"
        assert sent - known, f"{resource}: no HTTP row for an unknown field"


# --- Request bodies: values each field accepts -------------------------------------------

SAME: Any = object()


class Good(NamedTuple):
    """`field` accepts `value` and hands on `parsed` (trimmed, a date, ...)."""

    field: str
    value: Any
    parsed: Any


def good(field: str, values: Iterable[Any], parsed: Any = SAME) -> list[Good]:
    return [Good(field, v, v if parsed is SAME else parsed) for v in values]


MOVIE_GOOD = [
    *good("title", ("A", "x" * 200, "Orbit of Glass: Part Two", "Ωμέγα")),
    *good("title", ["  Orbit of Glass\t"], "Orbit of Glass"),
    *good("release_date", ["1800-01-01"], date(1800, 1, 1)),
    *good("release_date", ["2200-12-31"], date(2200, 12, 31)),
    *good("release_date", ["2024-02-29"], date(2024, 2, 29)),
    *good("company", (None, "", "x" * 200, "Halcyon Studios")),
    *good("company", [" Halcyon "], "Halcyon"),
    *good("description", (None, "", "x" * 5000, "Line one\nline two")),
    *good("genres", ([], ["Drama"] * 20, ["x" * 50], ["Drama", "Sci-Fi"])),
    *good("genres", [[" Drama "]], ["Drama"]),
]

ACTOR_GOOD = [
    *good("name", ("A", "x" * 200, "Maya Okafor", "Zoë Ångström")),
    *good("name", [" Maya "], "Maya"),
    *good("age", (0, 1, 34, 130)),
    *good("gender", ("female", "male", "non-binary")),
    *good("location", (None, "", "x" * 200, "Lisbon")),
    *good("passport", (True, False)),
    *good("driver_license", (True, False)),
    *good("seeking_roles", (True, False)),
    *good(
        "ethnicity",
        (None, "asian", "black", "latino", "middle eastern", "south asian", "southeast asian")
        + ("white", "mixed", "other"),
    ),
    *good(
        "hair_color",
        (None, "black", "brown", "blond", "auburn", "chestnut", "red", "gray", "white", "bald"),
    ),
    *good("eye_color", (None, "amber", "blue", "brown", "gray", "green", "hazel", "red", "violet")),
    *good(
        "body_type",
        (None, "average", "slim", "athletic", "muscular", "curvy", "heavyset", "plus-sized"),
    ),
    *good("height", (None, 30, 172, 300)),
    *good("description", (None, "", "x" * 5000)),
    *good(
        "image_link",
        (None, "http://example.com/maya.jpg", "https://images.example.com/maya.jpg?size=2#top"),
    ),
    *good("phone", (None, "123", "1" * 32, "+1 (310) 555-0101", "555.0101")),
    *good("email", (None, "maya@example.com", "maya.okafor+casting@mail.example.co.uk")),
]

ROLE_GOOD = [
    *good("movie_id", (1, MAX_ID)),
    *good("actor_id", (None, 1, MAX_ID)),
    *good("name", ("A", "x" * 200, "The Mechanic")),
    *good("gender", ("any", "female", "male", "non-binary")),
    *good("min_age", (0, 20, 40)),
    *good("max_age", (20, 40, 130)),
    *good("description", (None, "", "x" * 5000)),
    *good("work_start", [None]),
    *good("work_start", ["2027-05-10"], date(2027, 5, 10)),
    *good("work_end", [None]),
    *good("work_end", ["2200-12-31"], date(2200, 12, 31)),
]

GOOD_ROWS = dict(zip(RESOURCES, (MOVIE_GOOD, ACTOR_GOOD, ROLE_GOOD), strict=True))
GOOD_PARAMS = [
    pytest.param(
        resource, row.field, row.value, row.parsed, id=f"{resource}-{row.field}={label(row.value)}"
    )
    for resource, rows in GOOD_ROWS.items()
    for row in rows
]


@pytest.mark.parametrize(("resource", "field", "value", "parsed"), GOOD_PARAMS)
def test_create_schema_accepts_valid_value(
    resource: str, field: str, value: Any, parsed: Any
) -> None:
    body = CREATE_SCHEMAS[resource].model_validate({**VALID_BODIES[resource], field: value})
    assert getattr(body, field) == parsed


@pytest.mark.parametrize(("resource", "field", "value", "parsed"), GOOD_PARAMS)
def test_patch_schema_accepts_valid_value_and_changes_only_it(
    resource: str, field: str, value: Any, parsed: Any
) -> None:
    body = PATCH_SCHEMAS[resource].model_validate({field: value})
    assert body.model_dump(exclude_unset=True) == {field: parsed}


def test_every_field_has_valid_values_in_the_table() -> None:
    for resource, rows in GOOD_ROWS.items():
        assert {row.field for row in rows} == set(CREATE_SCHEMAS[resource].model_fields)


# --- Request bodies over HTTP --------------------------------------------------------------


@pytest.mark.parametrize(("resource", "changes", "field"), bad_params("POST", over_http=True))
def test_create_with_invalid_field_is_422_naming_it_and_stores_nothing(
    client: FlaskClient,
    producer: dict[str, str],
    records: dict[str, dict[str, Any]],
    stored: Stored,
    resource: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    before = stored()
    body = with_changes(body_for(resource, records), changes)
    response = client.post(f"/{resource}", json=body, headers=producer)
    assert field in assert_error(response, 422)["errors"]
    assert stored() == before


@pytest.mark.parametrize(("resource", "changes", "field"), bad_params("PATCH", over_http=True))
def test_patch_with_invalid_field_is_422_naming_it_and_changes_nothing(
    client: FlaskClient,
    producer: dict[str, str],
    records: dict[str, dict[str, Any]],
    stored: Stored,
    resource: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    before = stored()
    url = f"/{resource}/{records[resource]['id']}"
    response = client.patch(url, json=changes, headers=producer)
    assert field in assert_error(response, 422)["errors"]
    assert stored() == before


# --- Rules only the database can check: over HTTP ------------------------------------------

# The stored role (see the `records` fixture) is for ages 20 to 40, like the valid body,
# so a PATCH of max_age alone is judged against the stored min_age.
DATABASE_RULES = [
    pytest.param({"max_age": 19}, {"max_age": ["must be at least min_age (20)"]}, id="max<min"),
    pytest.param({"min_age": 41}, {"max_age": ["must be at least min_age (41)"]}, id="min>max"),
    pytest.param(
        {"movie_id": MAX_ID}, {"movie_id": [f"movie {MAX_ID} does not exist"]}, id="movie"
    ),
    pytest.param(
        {"actor_id": MAX_ID}, {"actor_id": [f"actor {MAX_ID} does not exist"]}, id="actor"
    ),
]


@pytest.mark.parametrize(("changes", "errors"), DATABASE_RULES)
def test_schemas_leave_cross_field_and_database_rules_to_the_view(
    changes: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    """These rows are valid as far as the schemas can tell: only the stored data decides."""
    RoleIn.model_validate({**VALID_BODIES["roles"], **changes})
    RolePatch.model_validate(changes)


@pytest.mark.parametrize(("changes", "errors"), DATABASE_RULES)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_role_breaking_a_database_rule_is_422_naming_the_field_and_stores_nothing(
    client: FlaskClient,
    producer: dict[str, str],
    records: dict[str, dict[str, Any]],
    stored: Stored,
    method: str,
    changes: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    before = stored()
    if method == "POST":
        response = client.post(
            "/roles", json={**body_for("roles", records), **changes}, headers=producer
        )
    else:
        response = client.patch(f"/roles/{records['roles']['id']}", json=changes, headers=producer)
    assert assert_error(response, 422)["errors"] == errors
    assert stored() == before


def test_role_naming_a_missing_movie_and_actor_reports_both(
    client: FlaskClient, producer: dict[str, str], stored: Stored
) -> None:
    before = stored()
    body = {**VALID_BODIES["roles"], "movie_id": 777, "actor_id": 888}
    errors = assert_error(client.post("/roles", json=body, headers=producer), 422)["errors"]
    assert errors == {
        "movie_id": ["movie 777 does not exist"],
        "actor_id": ["actor 888 does not exist"],
    }
    assert stored() == before


# --- Query strings -------------------------------------------------------------------------


class BadQuery(NamedTuple):
    path: str
    query: str
    param: str
    over_http: bool = False


def bad_queries(path: str, rows: Iterable[str], over_http: Iterable[str] = ()) -> list[BadQuery]:
    """Each "name=value" refused on `path`, naming `name`; `over_http` rows also over HTTP."""
    sent = list(over_http)
    return [
        *(BadQuery(path, query, query.split("=")[0]) for query in rows if query not in sent),
        *(BadQuery(path, query, query.split("=")[0], True) for query in sent),
    ]


# Every list takes these: paging, sorting and the refusal of unknown names.
COMMON = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=1.5",
    "page=",
    f"page={MAX_ID + 1}",
    f"page={10**20}",
    "page_size=0",
    "page_size=101",
    "page_size=ten",
    "page_size=1000",
    "sort=unknown",
    "sort=-",
    "sort=id,",
    "sort=description",
    "foo=1",
    # An integer is the digits 0-9: Python would read every one of these as a number.
    "page_size=1_0",
    "page_size=5.000",
    "page=%2B1",
    "page=%201",
    "page=1%20",
    "page=0x1",
    "page=%D9%A1",
    "page_size=%EF%BC%91%EF%BC%90",
]
BAD_QUERIES = [
    *bad_queries(
        "/movies",
        [
            *COMMON,
            "sort=rating",
            "sort=unknown",
            "sort=-",
            "sort=id,",
            "sort=description",
            "sort=title,,id",
            "sort=name",
            "release_date=2020-13-01",
            "release_date=yesterday",
            "release_date=2201-01-01",
            "min_release_date=tomorrow",
            "min_release_date=2021-02-29",
            "max_release_date=1799-12-31",
            "max_release_date=01/02/2020",
            "genre=",
            "title=%20%20",
            "title=%20%20%20",
            "title=",
            "company=%20",
            f"company={'x' * 201}",
            "search_term=",
            "name=Orbit",
            "titel=Orbit%20of%20Glass",
        ],
        over_http=[
            "page=abc",
            "page_size=101",
            "sort=title,-nope",
            "release_date=2020-02-30",
            "search_term=or%00bit",
            "rating=5",
        ],
    ),
    *bad_queries(
        "/actors",
        [
            *COMMON,
            "sort=name,,age",
            "sort=-age,title",
            "sort=-",
            "age=abc",
            "age=-1",
            "age=30.5",
            "age=40.0",
            "min_age=3_0",
            "max_age=%2B40",
            "height=170.0",
            "min_height=%20170",
            "max_height=%E0%A5%A7%E0%A5%AD%E0%A5%A6",
            f"age={10**30}",
            "min_age=-1",
            "max_age=131",
            "passport=1",
            "passport=True",
            "driver_license=0",
            "seeking_roles=on",
            "seeking_roles=",
            "gender=any",
            "gender=robot",
            "ethnicity=martian",
            "hair_color=green",
            "eye_color=black",
            "body_type=tall",
            "height=29",
            "max_height=29",
            "name=%20",
            "search_term=%20",
            f"search_term={'x' * 201}",
            "location=",
            "location=l%00a",
            "title=Orbit",
        ],
        over_http=[
            "age=40.0",
            "page_size=1_0",
            "age=131",
            "passport=yes",
            "ethnicity=south%20american",
            "min_height=301",
            "name=ma%00ya",
            "sort=email",
            "agent=ari",
        ],
    ),
    *bad_queries(
        "/roles",
        [
            *COMMON,
            "sort=name,,min_age",
            "sort=age",
            "sort=actor_id",
            "movie_id=0",
            "movie_id=1.0",
            "actor_id=%2B1",
            "age=4_0",
            "min_age=%2020",
            "max_age=40.0",
            "actor_id=abc",
            "name=%20",
            "search_term=",
            "age=131",
            "age=abc",
            "min_age=-1",
            "max_age=131",
            "open=yes",
            "open=1",
            "gender=robot",
            "expand=director",
            "expand=",
            "passport=true",
            "works_on=2027-02-30",
            "works_on=",
            "sort=work_days",
        ],
        over_http=[
            "page=%2B1",
            "movie_id=%EF%BC%91",
            f"movie_id={2**31}",
            "open=maybe",
            "gender=other",
            "expand=movie,",
            "sort=-salary",
            "works_on=tomorrow",
        ],
    ),
    *bad_queries("/movies/{movie_id}/roles", ["expand=", "sort=id"], ["expand=cast", "page=2"]),
    *bad_queries("/actors/{actor_id}/roles", ["page_size=5", "expand=actor,"], ["expand=x"]),
    *bad_queries(
        "/roles/{role_id}/candidates",
        ["page=0", "passport=maybe", "gender=any", "expand=movie"],
        ["age=abc", "sort=name", "page=%201"],
    ),
    *bad_queries(
        "/actors/{actor_id}/matching-roles",
        ["sort=name", "expand=director", "age=131", "passport=true"],
        ["open=yes", f"page={10**20}", "page_size=5.000"],
    ),
]


def query_params(over_http: bool) -> list[Any]:
    return [
        pytest.param(row.path, row.query, row.param, id=f"{row.path}?{row.query[:30]}")
        for row in BAD_QUERIES
        if row.over_http or not over_http
    ]


def parse_query(query: str) -> dict[str, str]:
    """A query string as the query schemas receive it: one string per name, decoded."""
    return dict(parse_qsl(query, keep_blank_values=True, strict_parsing=True))


@pytest.mark.parametrize(("path", "query", "param"), query_params(over_http=False))
def test_query_schema_refuses_bad_parameter_naming_only_it(
    path: str, query: str, param: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        QUERY_SCHEMAS[path].model_validate(parse_query(query))
    assert error_fields(refused.value) == {param}


GOOD_QUERIES = [
    ("/movies", "page=1&page_size=1"),
    ("/movies", f"page={MAX_ID}&page_size=100"),
    ("/movies", "page=01&page_size=007"),
    ("/movies", "sort=-release_date,title,company,id"),
    ("/movies", "title=Orbit%20of%20Glass&search_term=orb&company=Halcyon&genre=drama"),
    ("/movies", "release_date=2024-02-29&min_release_date=1800-01-01&max_release_date=2200-12-31"),
    ("/actors", "name=Maya&search_term=ma&location=lagos&sort=-age,name,height,id"),
    ("/actors", "age=0&min_age=0&max_age=130&height=30&min_height=30&max_height=300"),
    ("/actors", "passport=true&driver_license=false&seeking_roles=true&gender=non-binary"),
    ("/actors", "ethnicity=south%20asian&hair_color=auburn&eye_color=hazel&body_type=plus-sized"),
    ("/roles", "movie_id=1&actor_id=2&name=Lead&search_term=le&gender=any&age=30"),
    ("/roles", "min_age=0&max_age=130&open=false&expand=movie,actor&sort=-movie_id,min_age"),
    ("/roles", "works_on=2027-05-10&sort=work_start,-work_end"),
    ("/movies/{movie_id}/roles", "expand=actor"),
    ("/actors/{actor_id}/roles", "expand=movie,actor"),
    ("/roles/{role_id}/candidates", "passport=true&min_age=20&page_size=100"),
    ("/actors/{actor_id}/matching-roles", "open=true&expand=movie&gender=female&page=2"),
]


@pytest.mark.parametrize(
    ("path", "query"), GOOD_QUERIES, ids=[f"{p}?{q[:30]}" for p, q in GOOD_QUERIES]
)
def test_query_schema_accepts_valid_parameters(path: str, query: str) -> None:
    parameters = parse_query(query)
    accepted = QUERY_SCHEMAS[path].model_validate(parameters)
    assert accepted.model_fields_set == set(parameters)


@pytest.mark.parametrize(("path", "query", "param"), query_params(over_http=True))
def test_bad_query_parameter_is_400_naming_it(
    client: FlaskClient,
    producer: dict[str, str],
    records: dict[str, dict[str, Any]],
    path: str,
    query: str,
    param: str,
) -> None:
    ids = {f"{name[:-1]}_id": record["id"] for name, record in records.items()}
    response = client.get(f"{path.format(**ids)}?{query}", headers=producer)
    body = assert_error(response, 400)
    assert param in body["errors"]
    assert body["message"].startswith(f"Invalid query parameter '{param}'")


LOOSE_INTEGERS = ["1_0", "40.0", "5.000", "+1", " 1", "1 ", "\u0661", "\uff11", "1e1", "-0"]


def _integer_parameters(schema: type[BaseModel]) -> list[str]:
    """The parameters the schema documents as integers (optional ones as integer or null)."""
    properties = schema.model_json_schema()["properties"]
    return [
        name
        for name, spec in properties.items()
        if "integer" in {spec.get("type"), *(o.get("type") for o in spec.get("anyOf", []))}
    ]


INTEGER_PARAMETERS = [
    (path, name) for path, schema in QUERY_SCHEMAS.items() for name in _integer_parameters(schema)
]


@pytest.mark.parametrize("value", LOOSE_INTEGERS)
@pytest.mark.parametrize(("path", "name"), INTEGER_PARAMETERS)
def test_every_integer_query_parameter_takes_ascii_digits_only(
    path: str, name: str, value: str
) -> None:
    """Every integer parameter, including ones added later, not only the rows above."""
    with pytest.raises(ValidationError) as refused:
        QUERY_SCHEMAS[path].model_validate({name: value})
    assert error_fields(refused.value) == {name}
    assert "digits 0-9" in refused.value.errors()[0]["msg"]


def test_integer_parameters_are_found() -> None:
    names = {name for _path, name in INTEGER_PARAMETERS}
    assert {"page", "page_size", "age", "min_height", "movie_id", "actor_id"} <= names


def test_every_endpoint_has_a_bad_query_sent_over_http() -> None:
    assert {row.path for row in BAD_QUERIES if row.over_http} == set(QUERY_SCHEMAS)


# --- The tables test what the routes use -----------------------------------------------------


def test_tables_use_the_schemas_the_routes_validate_with(client: FlaskClient) -> None:
    """Read from the OpenAPI document, which APIFlask builds from the routes' own
    declarations: the body schema of each write and the parameters of each list."""
    paths = client.get("/openapi.json").get_json()["paths"]

    def body_schema(operation: dict[str, Any]) -> str:
        return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    for resource in RESOURCES:
        one = f"/{resource}/{{{resource[:-1]}_id}}"
        assert body_schema(paths[f"/{resource}"]["post"]).endswith(
            f"/{CREATE_SCHEMAS[resource].__name__}"
        )
        assert body_schema(paths[one]["patch"]).endswith(f"/{PATCH_SCHEMAS[resource].__name__}")
    for path, schema in QUERY_SCHEMAS.items():
        parameters = paths[path]["get"]["parameters"]
        in_query = {p["name"] for p in parameters if p["in"] == "query"}
        assert in_query == set(schema.model_fields), path
