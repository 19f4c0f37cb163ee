"""The role x endpoint matrix: who may call what, and what everyone else gets."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from auth import STAFF_PERMISSIONS
from helpers import VALID_BODIES, Create, Dataset, Headers, assert_error

# (method, path, body, permission, status when allowed)
ENDPOINTS = [
    ("GET", "/movies", None, "get:movies", 200),
    ("GET", "/movies/1", None, "get:movies", 200),
    ("GET", "/movies/1/roles", None, "get:roles", 200),
    ("POST", "/movies", VALID_BODIES["movies"], "post:movies", 201),
    ("PATCH", "/movies/1", {"company": "Halcyon"}, "patch:movies", 200),
    ("DELETE", "/movies/1", None, "delete:movies", 200),
    ("GET", "/actors", None, "get:actors", 200),
    ("GET", "/actors/1", None, "get:actors", 200),
    ("GET", "/actors/1/roles", None, "get:roles", 200),
    ("POST", "/actors", VALID_BODIES["actors"], "post:actors", 201),
    ("PATCH", "/actors/1", {"age": 35}, "patch:actors", 200),
    ("DELETE", "/actors/1", None, "delete:actors", 200),
    ("GET", "/roles", None, "get:roles", 200),
    ("GET", "/roles/1", None, "get:roles", 200),
    ("POST", "/roles", VALID_BODIES["roles"], "post:roles", 201),
    ("PATCH", "/roles/1", {"actor_id": 1}, "patch:roles", 200),
    ("DELETE", "/roles/1", None, "delete:roles", 200),
    ("GET", "/submissions", None, "get:submissions", 200),
    ("GET", "/roles/1/submissions", None, "get:submissions", 200),
    ("GET", "/actors/1/submissions", None, "get:submissions", 200),
    ("POST", "/roles/1/submissions", {"actor_id": 1}, "post:submissions", 201),
]

PIPELINE = {"get:submissions", "post:submissions", "patch:submissions"}
ISSUE_TABLE = {
    "assistant": {"get:movies", "get:actors", "get:roles"} | PIPELINE,
    "director": {
        "get:movies",
        "get:actors",
        "get:roles",
        "post:actors",
        "patch:actors",
        "delete:actors",
        "patch:movies",
        "post:roles",
        "patch:roles",
        "delete:roles",
        "get:history",
    }
    | PIPELINE,
}
ISSUE_TABLE["producer"] = ISSUE_TABLE["director"] | {
    "post:movies",
    "delete:movies",
    "delete:submissions",
}


@pytest.fixture
def open_role(dataset: Dataset, create: Create) -> None:
    """Movie 1, actor 1 and role 1, open: every path in ENDPOINTS names a record."""

    def build() -> None:
        movie = create("movies")
        create("actors")
        create("roles", movie_id=movie["id"])

    dataset("open role", build)


def test_staff_permissions_match_the_published_table():
    assert {role: set(perms) for role, perms in STAFF_PERMISSIONS.items()} == ISSUE_TABLE


def _call(client: FlaskClient, method: str, path: str, body: Any, headers: Headers) -> TestResponse:
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize("role", ["assistant", "director", "producer"])
@pytest.mark.parametrize(
    "method,path,body,permission,allowed_status",
    ENDPOINTS,
    ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS],
)
def test_staff_role_gets_exactly_its_permissions(
    client, auth, open_role, role, method, path, body, permission, allowed_status
):
    response = _call(client, method, path, body, auth(role))
    if permission in ISSUE_TABLE[role]:
        assert response.status_code == allowed_status, response.get_json()
        assert response.get_json()["success"] is True
    else:
        assert response.status_code == 403
        assert response.get_json() == {
            "success": False,
            "error": 403,
            "message": f"Permission '{permission}' is required.",
        }
        assert response.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'


@pytest.mark.parametrize(
    "method,path,body,permission,allowed_status",
    ENDPOINTS,
    ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS],
)
def test_request_without_token_is_unauthorized(
    client, open_role, method, path, body, permission, allowed_status
):
    response = _call(client, method, path, body, {})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "method,path,body,permission,allowed_status",
    ENDPOINTS,
    ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS],
)
def test_token_with_only_the_needed_permission_is_enough(
    client, token, open_role, method, path, body, permission, allowed_status
):
    headers = {"Authorization": f"Bearer {token(permission)}"}
    assert _call(client, method, path, body, headers).status_code == allowed_status


def test_casting_assistant_cannot_delete_actor_and_actor_survives(client, auth, open_role):
    assert client.delete("/actors/1", headers=auth("assistant")).status_code == 403
    assert client.get("/actors/1", headers=auth("assistant")).status_code == 200


@pytest.mark.parametrize("path", ["/", "/health"])
def test_service_endpoints_are_public(client, path):
    assert client.get(path).status_code == 200
