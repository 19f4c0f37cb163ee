"""The OpenAPI document is valid, complete and true to what the API answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

UNDOCUMENTED = {"openapi.spec", "openapi.docs", "openapi.swagger_ui_oauth_redirect"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_route_of_the_app_is_documented(app, spec):
    documented = {(path, method.upper()) for path, method, _ in _operations(spec)}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNDOCUMENTED or rule.endpoint.startswith("docs_assets"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented


def test_every_protected_operation_names_its_permission_and_auth_errors(spec):
    for path, method, operation in _operations(spec):
        if path in ("/", "/health", "/login", "/callback", "/logout"):
            assert "security" not in operation
            continue
        assert operation["security"] == [{"BearerAuth": []}], (method, path)
        assert operation["x-permissions"], (method, path)
        assert {"401", "403", "503"} <= set(operation["responses"]), (method, path)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["BearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def test_permissions_in_document_match_the_routes(spec):
    assert spec["paths"]["/movies"]["post"]["x-permissions"] == ["post:movies"]
    assert spec["paths"]["/roles/{role_id}/candidates"]["get"]["x-permissions"] == [
        "get:roles",
        "get:actors",
    ]


def test_body_operations_document_body_errors(spec):
    for path, method, operation in _operations(spec):
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)
        else:
            assert "422" not in operation["responses"], (method, path)


def test_error_responses_match_the_documented_schema(client, spec):
    schemas = spec["components"]["schemas"]
    not_found = client.get("/nope").get_json()
    jsonschema.validate(not_found, schemas["HTTPError"])
    unauthorized = client.get("/actors").get_json()
    jsonschema.validate(unauthorized, schemas["HTTPError"])


def test_validation_error_matches_the_documented_schema(client, spec, producer):
    body = client.post("/actors", json={"age": "30"}, headers=producer).get_json()
    jsonschema.validate(body, spec["components"]["schemas"]["ValidationError"])
    assert set(body["errors"]) == {"name", "age", "gender"}


def test_docs_page_loads_its_assets_locally(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/docs/assets/") for url in assets)
    for url in assets:
        with client.get(url) as asset:  # a file response: close it
            assert asset.status_code == 200
    assert "cdn." not in html


def test_openapi_and_docs_are_public(client):
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def _parameter(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    operation = spec["paths"][path]["get"]
    schema = next(p["schema"] for p in operation["parameters"] if p["name"] == name)
    return schema.get("anyOf", [schema])[0]


def test_query_rules_found_by_fuzzing_are_documented(spec):
    """Each of these was a schema-valid request the API refused, until documented."""
    sort = _parameter(spec, "/actors", "sort")["pattern"]
    assert re.fullmatch(sort, "-age,name") and not re.fullmatch(sort, "l")
    expand = _parameter(spec, "/roles", "expand")["pattern"]
    assert re.fullmatch(expand, "movie,actor") and not re.fullmatch(expand, "black")
    released = _parameter(spec, "/movies", "release_date")["pattern"]
    assert re.fullmatch(released, "2027-09-01") and not re.fullmatch(released, "5489-06-08")
    search = _parameter(spec, "/actors", "search_term")["pattern"]
    assert re.fullmatch(search, "oka") and not re.fullmatch(search, "\u00a0")
    assert not re.fullmatch(search, "\x00")


def test_a_castings_answer_documents_the_fit_and_matches_it(client, spec, producer, create):
    """Both ways of casting answer with the fit; the document says so, and what the API
    answers validates against it."""
    schemas = spec["components"]["schemas"]
    for path, method, status in (("/roles", "post", "201"), ("/roles/{role_id}", "patch", "200")):
        content = spec["paths"][path][method]["responses"][status]["content"]
        ref = content["application/json"]["schema"]["$ref"]
        fit = schemas[ref.split("/")[-1]]["properties"]["fit"]
        (fit_ref,) = [option["$ref"] for option in fit["anyOf"] if "$ref" in option]
        fit_schema = schemas[fit_ref.split("/")[-1]]
        assert {"age_in_range", "gender_matches"} <= set(fit_schema["required"])
        assert "against type" in fit_schema["description"]

    role, actor = create("roles"), create("actors")
    cast = client.patch(f"/roles/{role['id']}", json={"actor_id": actor["id"]}, headers=producer)
    document = {**spec["components"]["schemas"]["SavedRole"], "components": spec["components"]}
    jsonschema.validate(cast.get_json(), document)


def test_reads_of_one_record_document_if_none_match_and_304(spec):
    for resource in ("movies", "actors", "roles"):
        operation = spec["paths"][f"/{resource}/{{{resource[:-1]}_id}}"]["get"]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["If-None-Match"]
        assert "ETag" in operation["responses"]["304"]["headers"]
    lists = [op for path, method, op in _operations(spec) if method == "get" and "{" not in path]
    assert lists and all("304" not in op["responses"] for op in lists)
