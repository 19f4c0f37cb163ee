"""Bad input gets a JSON error with the right status, never a 500, and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from helpers import VALID_BODIES, assert_error, body_for
from models import MAX_ID

MIB = 1024 * 1024

REQUIRED = {
    "movies": {"title", "release_date"},
    "actors": {"name", "age", "gender"},
    "roles": {"movie_id", "name", "min_age", "max_age"},
}
RESOURCES = ("movies", "actors", "roles")
WRITES = [(method, resource) for method in ("POST", "PATCH") for resource in RESOURCES]


def write_url(method: str, resource: str, records: dict[str, Any]) -> str:
    return f"/{resource}" if method == "POST" else f"/{resource}/{records[resource]['id']}"


# --- 422: a well-formed JSON object that breaks the rules ---------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_with_empty_object_names_every_required_field(client, producer, stored, resource):
    before = stored()
    response = client.post(f"/{resource}", json={}, headers=producer)
    assert set(assert_error(response, 422)["errors"]) == REQUIRED[resource]
    assert stored() == before


@pytest.mark.parametrize(
    ("resource", "changes"),
    [
        ("movies", {"title": "New title", "rating": 5}),
        ("actors", {"name": "New name", "agent": "Ari"}),
        ("roles", {"name": "New name", "salary": 100}),
    ],
)
def test_patch_with_unknown_field_applies_none_of_the_valid_ones(
    client, producer, records, stored, resource, changes
):
    before = stored()
    url = f"/{resource}/{records[resource]['id']}"
    errors = assert_error(client.patch(url, json=changes, headers=producer), 422)["errors"]
    assert set(errors) == set(changes) - {"title", "name"}
    assert stored() == before
    assert client.get(url, headers=producer).get_json()[resource[:-1]] == records[resource]


@pytest.mark.parametrize(
    ("resource", "field"),
    [("movies", "title"), ("movies", "release_date"), ("movies", "genres")]
    + [("actors", f) for f in ("name", "age", "gender", "passport", "seeking_roles")]
    + [("roles", f) for f in ("movie_id", "name", "gender", "min_age", "max_age")],
)
def test_patch_required_field_to_null_is_422(client, producer, records, stored, resource, field):
    before = stored()
    url = f"/{resource}/{records[resource]['id']}"
    response = client.patch(url, json={field: None}, headers=producer)
    assert set(assert_error(response, 422)["errors"]) == {field}
    assert stored() == before


@pytest.mark.parametrize(
    ("resource", "field", "value"),
    [
        ("movies", "company", "Lumen Pictures"),
        ("movies", "description", "A heist in orbit."),
        ("actors", "location", "Los Angeles, CA"),
        ("actors", "height", 172),
        ("actors", "email", "maya@example.com"),
        ("actors", "image_link", "https://images.example.com/maya.jpg"),
        ("roles", "description", "The lead."),
        ("roles", "actor_id", None),  # already cast by the fixture
    ],
)
def test_patch_optional_field_to_null_clears_it(client, producer, records, resource, field, value):
    url = f"/{resource}/{records[resource]['id']}"
    if value is not None:
        assert client.patch(url, json={field: value}, headers=producer).status_code == 200
    response = client.patch(url, json={field: None}, headers=producer)
    assert response.status_code == 200
    assert response.get_json()[resource[:-1]][field] is None
    assert client.get(url, headers=producer).get_json()[resource[:-1]][field] is None


# --- 400: the body is not a JSON object ---------------------------------------------------

NOT_JSON = [
    pytest.param(b"", id="empty"),
    pytest.param(b"{", id="unclosed"),
    pytest.param(b'{"title": "A",}', id="trailing-comma"),
    pytest.param(b"{'title': 'A'}", id="single-quotes"),
    pytest.param(b'{"title": "A"} extra', id="trailing-garbage"),
    pytest.param(b'{"title": "A"}{"title": "B"}', id="two-documents"),
    pytest.param(b"undefined", id="undefined"),
    pytest.param(b'{"title": "\xff"}', id="invalid-utf8"),
]
NOT_AN_OBJECT = [
    pytest.param(b"null", id="null"),
    pytest.param(b"[]", id="empty-array"),
    pytest.param(b'[{"title": "A"}]', id="array-of-object"),
    pytest.param(b'"title"', id="string"),
    pytest.param(b"42", id="integer"),
    pytest.param(b"3.5", id="float"),
    pytest.param(b"true", id="boolean"),
]
TOO_DEEP = [
    pytest.param(b"[" * 10_000 + b"]" * 10_000, id="arrays"),
    pytest.param(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, id="objects"),
    pytest.param(b'{"title": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", id="inside-a-field"),
]


@pytest.mark.parametrize("raw", NOT_JSON + NOT_AN_OBJECT + TOO_DEEP)
@pytest.mark.parametrize(("method", "resource"), WRITES)
def test_body_that_is_not_a_json_object_is_400(
    client, producer, records, stored, method, resource, raw
):
    before = stored()
    response = client.open(
        write_url(method, resource, records),
        method=method,
        data=raw,
        content_type="application/json",
        headers=producer,
    )
    assert_error(response, 400)
    assert stored() == before


@pytest.mark.parametrize(
    ("resource", "raw", "status"),
    [
        # NaN and Infinity are not JSON at all, though Python's parser takes them.
        ("actors", '{"name": "Maya", "age": NaN, "gender": "female"}', 400),
        ("actors", '{"name": "Maya", "age": Infinity, "gender": "female"}', 400),
        ("actors", '{"name": "Maya", "age": -Infinity, "gender": "female"}', 400),
        ("actors", '{"name": NaN, "age": 34, "gender": "female"}', 400),
        ("actors", '{"name": "Maya", "age": 34, "gender": "female", "height": NaN}', 400),
        ("movies", '{"title": "Orbit", "release_date": NaN}', 400),
        ("roles", '{"movie_id": NaN, "name": "Lead", "min_age": 20, "max_age": 40}', 400),
        # A number too long to parse is refused as malformed JSON.
        ("actors", '{"name": "Maya", "age": ' + "9" * 5000 + ', "gender": "female"}', 400),
        # 1e400 is valid JSON (a float that overflows): not an integer, so 422.
        ("actors", '{"name": "Maya", "age": 1e400, "gender": "female"}', 422),
        ("roles", '{"movie_id": 1e400, "name": "Lead", "min_age": 20, "max_age": 40}', 422),
    ],
)
def test_non_finite_or_huge_json_numbers_are_refused_not_500(
    client, producer, records, stored, resource, raw, status
):
    before = stored()
    response = client.post(
        f"/{resource}", data=raw, content_type="application/json", headers=producer
    )
    assert_error(response, status)
    assert stored() == before


@pytest.mark.parametrize(
    ("resource", "raw", "field"),
    [
        ("actors", r'{"name": "\ud800", "age": 34, "gender": "female"}', "name"),
        (
            "movies",
            r'{"title": "Orbit", "release_date": "2027-09-01", "genres": ["\udfff"]}',
            "genres.0",
        ),
        ("movies", r'{"title": "Or\u0000bit", "release_date": "2027-09-01"}', "title"),
    ],
)
def test_lone_surrogates_and_escaped_nul_in_strings_are_422(
    client, producer, stored, resource, raw, field
):
    before = stored()
    response = client.post(
        f"/{resource}", data=raw, content_type="application/json", headers=producer
    )
    assert field in assert_error(response, 422)["errors"]
    assert stored() == before


# --- 413 and 415: the body's size and type ------------------------------------------------


@pytest.mark.parametrize(("method", "resource"), WRITES)
def test_body_over_one_mebibyte_is_413(client, producer, records, stored, method, resource):
    before = stored()
    body = {**body_for(resource, records), "description": "x" * MIB}
    response = client.open(
        write_url(method, resource, records), method=method, json=body, headers=producer
    )
    assert_error(response, 413)
    assert stored() == before


def test_body_just_under_one_mebibyte_is_read_and_validated(client, producer, stored):
    before = stored()
    body = {**VALID_BODIES["movies"], "description": "x" * (MIB - 200)}
    assert len(json.dumps(body)) < MIB
    response = client.post("/movies", json=body, headers=producer)
    assert set(assert_error(response, 422)["errors"]) == {"description"}
    assert stored() == before


NOT_JSON_TYPES = [
    pytest.param({}, id="no-content-type"),
    pytest.param({"content_type": "text/plain"}, id="text-plain"),
    pytest.param({"content_type": "application/x-www-form-urlencoded"}, id="form-urlencoded"),
    pytest.param({"content_type": "multipart/form-data; boundary=x"}, id="multipart"),
    pytest.param({"content_type": "application/xml"}, id="xml"),
]


@pytest.mark.parametrize("content_type", NOT_JSON_TYPES)
@pytest.mark.parametrize(("method", "resource"), WRITES)
def test_write_without_json_content_type_is_415(
    client, producer, records, stored, method, resource, content_type
):
    before = stored()
    data = json.dumps(body_for(resource, records))
    response = client.open(
        write_url(method, resource, records),
        method=method,
        data=data,
        headers=producer,
        **content_type,
    )
    assert_error(response, 415)
    assert stored() == before


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_form_fields_are_not_mistaken_for_json(client, producer, records, stored, method):
    before = stored()
    response = client.open(
        write_url(method, "actors", records),
        method=method,
        data={"name": "Maya", "age": "34", "gender": "female"},
        headers=producer,
    )
    assert_error(response, 415)
    assert stored() == before


def test_json_content_type_with_charset_is_accepted(client, producer):
    response = client.post(
        "/actors",
        data=json.dumps(VALID_BODIES["actors"]),
        content_type="application/json; charset=utf-8",
        headers=producer,
    )
    assert response.status_code == 201


# --- Authentication runs before the body is read -----------------------------------------

BROKEN_BODIES = [
    pytest.param({"data": "{", "content_type": "application/json"}, id="malformed-json"),
    pytest.param({"data": "null", "content_type": "application/json"}, id="null"),
    pytest.param({"data": "[1]", "content_type": "application/json"}, id="array"),
    pytest.param({"data": "{}", "content_type": "text/plain"}, id="text-plain"),
    pytest.param({"data": {"name": "Maya"}}, id="form"),
    pytest.param({"json": {"age": "thirty", "agent": "Ari"}}, id="invalid-fields"),
    pytest.param({"json": {"description": "x" * MIB}}, id="oversized"),
]


@pytest.mark.parametrize("body", BROKEN_BODIES)
@pytest.mark.parametrize(("method", "resource"), WRITES)
def test_write_without_token_is_401_whatever_the_body(
    client, records, stored, method, resource, body
):
    before = stored()
    response = client.open(write_url(method, resource, records), method=method, **body)
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored() == before


@pytest.mark.parametrize("body", BROKEN_BODIES)
def test_write_without_permission_is_403_whatever_the_body(client, auth, stored, body):
    before = stored()
    response = client.post("/movies", headers=auth("assistant"), **body)
    assert_error(response, 403)
    assert stored() == before


# --- 404, 405 and CORS: routes and methods ------------------------------------------------

NOT_FOUND_PATHS = [
    "/nope",
    "/actors/abc",
    "/actors/1.5",
    "/actors/0",
    "/actors/-1",
    "/actors/%00",
    "/actors/",
    "/actors/99999999999999999999",
    "/actors/" + "9" * 5000,
    f"/actors/{MAX_ID + 1}",
    "/actors/1/nope",
    "/movies/0",
    "/movies/0/roles",
    "/roles/-5",
    "/roles/99999999999999999999/candidates",
    "/actors/0/matching-roles",
]


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p if len(p) < 40 else p[:20] + "..") for p in NOT_FOUND_PATHS]
)
def test_unknown_route_or_impossible_id_is_json_404(client, producer, path):
    assert_error(client.get(path, headers=producer), 404)


@pytest.mark.parametrize(
    "path",
    ["/actors/0", f"/actors/{MAX_ID + 1}", "/actors/99999999999999999999", "/movies/0", "/roles/0"],
)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writes_to_impossible_ids_are_404_and_change_nothing(
    client, producer, records, stored, method, path
):
    before = stored()
    kwargs: dict[str, Any] = {"json": {}} if method == "PATCH" else {}
    assert_error(client.open(path, method=method, headers=producer, **kwargs), 404)
    assert stored() == before


@pytest.mark.parametrize(
    ("resource", "model"), [("movies", "Movie"), ("actors", "Actor"), ("roles", "Role")]
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_missing_record_is_404_naming_it_and_changes_nothing(
    client, producer, records, stored, method, resource, model
):
    before = stored()
    kwargs: dict[str, Any] = {"json": {}} if method == "PATCH" else {}
    response = client.open(f"/{resource}/{MAX_ID}", method=method, headers=producer, **kwargs)
    assert assert_error(response, 404)["message"] == f"{model} {MAX_ID} was not found."
    assert stored() == before


# Digits of other scripts that int() reads as 1: Arabic-Indic, full-width, Devanagari,
# percent-encoded as a client sends them, and one raw.
NON_ASCII_ONES = ["%D9%A1", "%EF%BC%91", "%E0%A5%A7", "\u0967", "1%D9%A1"]


@pytest.mark.parametrize("one", NON_ASCII_ONES)
@pytest.mark.parametrize(
    "path", ["/movies/{}", "/actors/{}", "/roles/{}", "/movies/{}/roles", "/roles/{}/candidates"]
)
def test_ids_are_ascii_digits_only(client, producer, records, path, one):
    """Record 1 exists, and still /actors/١ is not it: an id is digits 0-9 and nothing else."""
    assert records["actors"]["id"] == 1
    assert_error(client.get(path.format(one), headers=producer), 404)


@pytest.mark.parametrize("one", NON_ASCII_ONES)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writes_to_non_ascii_digit_ids_are_404_and_change_nothing(
    client, producer, records, stored, method, one
):
    before = stored()
    kwargs: dict[str, Any] = {"json": {"title": "Changed"}} if method == "PATCH" else {}
    assert_error(client.open(f"/movies/{one}", method=method, headers=producer, **kwargs), 404)
    assert stored() == before


def test_404_is_json_even_when_the_client_prefers_html(client):
    response = client.get("/nope", headers={"Accept": "text/html"})
    assert_error(response, 404)
    assert b"<html" not in response.data.lower()


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/actors/1", "PATCH"),
        ("POST", "/actors/1", "DELETE"),
        ("DELETE", "/actors", "POST"),
        ("PATCH", "/movies", "GET"),
        ("PUT", "/roles/1", "PATCH"),
        ("POST", "/roles/1/candidates", "GET"),
        ("DELETE", "/", "GET"),
        ("POST", "/health", "GET"),
    ],
)
def test_wrong_method_is_json_405_with_allow_header(
    client, producer, stored, method, path, allowed
):
    before = stored()
    response = client.open(path, method=method, json={}, headers=producer)
    assert_error(response, 405)
    methods = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed in methods
    assert method not in methods
    assert stored() == before


def test_cors_preflight_allows_the_authorization_header(client):
    response = client.options(
        "/actors",
        headers={
            "Origin": "https://casting.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://casting.example.com")
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert "authorization" in allowed


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/nope", {}, 404),
        ("POST", "/actors", {"json": {"age": "x"}}, 401),
        ("DELETE", "/actors", {}, 405),
    ],
)
def test_error_responses_carry_cors_headers(client, method, path, kwargs, status):
    headers = {"Origin": "https://casting.example.com"}
    response = client.open(path, method=method, headers=headers, **kwargs)
    assert_error(response, status)
    assert "Access-Control-Allow-Origin" in response.headers
