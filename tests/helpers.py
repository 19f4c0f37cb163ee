"""What many test modules share: the check of the API's one error shape, and one valid
request body per resource for tests to start from."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from socketserver import BaseServer
from typing import Any, Protocol, TypeVar

from flask import Flask
from werkzeug.test import TestResponse

from models import Role, Submission, db

# Types of what the fixtures in conftest.py hand to tests.
Record = dict[str, Any]  # a movie, actor or role as the API returns it
Create = Callable[..., Record]  # create("roles", name=...)
Headers = dict[str, str]  # an Authorization header, as producer and auth(role) give
T = TypeVar("T")


class Dataset(Protocol):
    """dataset(name, build) -> what build() returns, its records stored (see conftest.py)."""

    def __call__(self, name: str, build: Callable[[], T]) -> T: ...


# The smallest body each create accepts: required fields only, so a test that adds one
# field knows that field is the only optional one sent. A role's movie_id must also
# name a stored movie; tests that create roles over HTTP set it from the movie they made.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "movies": {"title": "Orbit of Glass", "release_date": "2027-09-01"},
    "actors": {"name": "Maya Okafor", "age": 34, "gender": "female"},
    "roles": {"movie_id": 1, "name": "Lead", "min_age": 20, "max_age": 40},
}

# Statuses that tell the client when to try again.
RETRY_STATUSES = (429, 503)


def valid_body(resource: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of the resource's valid body with `changes` applied, safe to mutate."""
    return {**VALID_BODIES[resource], **changes}


def body_for(resource: str, records: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The valid body of `resource` for a database holding `records` (the fixture of
    that name): a role's names the stored movie."""
    if resource == "roles":
        return valid_body("roles", movie_id=records["movies"]["id"])
    return valid_body(resource)


def store_submission(
    app: Flask,
    role_id: int,
    actor_id: int,
    status: str = "submitted",
    hold_until: datetime | None = None,
) -> int:
    """A submission written straight through the ORM, for tests about what reads make of
    one; a booking also casts the role, as booking does. Returns its id."""
    with app.app_context():
        submission = Submission(
            role_id=role_id, actor_id=actor_id, status=status, hold_until=hold_until
        )
        db.session.add(submission)
        if status == "booked":
            db.session.get_one(Role, role_id).actor_id = actor_id
        db.session.commit()
        return submission.id


def assert_error(
    response: TestResponse, status: int, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The response is the API's JSON error with `status`, and nothing else: success,
    error and message, plus the fields named in a validation error (422, or 400 for a
    query parameter), plus `extra`, keys a particular endpoint adds, with their values.
    Returns the body."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, dict), body
    assert body["success"] is False
    assert body["error"] == status
    assert isinstance(body["message"], str) and body["message"]
    expected_keys = {"success", "error", "message", *(extra or {})}
    if status == 422 or (status == 400 and "errors" in body):
        expected_keys.add("errors")
        assert isinstance(body["errors"], dict) and body["errors"]
        for messages in body["errors"].values():
            assert messages and all(isinstance(m, str) and m for m in messages)
    assert set(body) == expected_keys, body
    for key, value in (extra or {}).items():
        assert body[key] == value, body
    if status in RETRY_STATUSES:
        assert int(response.headers["Retry-After"]) > 0
    return body


@contextmanager
def serving_in_thread(server: BaseServer, poll_interval: float = 0.5) -> Iterator[None]:
    """Serve `server` from a thread for the `with` block, then stop it, close its socket
    and wait for the thread, however the block ends."""
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
