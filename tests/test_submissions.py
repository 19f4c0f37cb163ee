"""Submissions: create, read, list, edit and delete, and what each refuses."""

from __future__ import annotations

from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from helpers import Create, Headers, assert_error
from models import MAX_ID, Event, Role, Submission, db

SUBMISSION_KEYS = {
    "id",
    "role_id",
    "actor_id",
    "status",
    "source",
    "agent",
    "note",
    "hold_until",
    "hold_expired",
    "created_at",
    "updated_at",
}
FUTURE = "2030-01-01T18:00:00Z"


def submit(client: FlaskClient, headers: Headers, role_id: int, **body: Any) -> dict[str, Any]:
    response = client.post(f"/roles/{role_id}/submissions", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["submission"]


def move(client: FlaskClient, headers: Headers, submission_id: int, to: str, **body: Any) -> Any:
    body = {"to": to, **body}
    return client.post(f"/submissions/{submission_id}/transitions", json=body, headers=headers)


@pytest.fixture
def role(create: Create) -> dict[str, Any]:
    return create("roles")


@pytest.fixture
def actor(create: Create) -> dict[str, Any]:
    return create("actors")


@pytest.fixture
def submission(client, producer, role, actor) -> dict[str, Any]:
    return submit(client, producer, role["id"], actor_id=actor["id"])


# --- Create --------------------------------------------------------------------------------


def test_create_submission_answers_201_with_location_etag_and_defaults(
    client, producer, role, actor
):
    response = client.post(
        f"/roles/{role['id']}/submissions", json={"actor_id": actor["id"]}, headers=producer
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"success", "id", "submission"}
    submission = body["submission"]
    assert set(submission) == SUBMISSION_KEYS
    assert body["id"] == submission["id"]
    assert response.headers["Location"] == f"/submissions/{submission['id']}"
    assert response.headers["ETag"] == '"1"'
    assert submission | {"created_at": None, "updated_at": None} == {
        "id": submission["id"],
        "role_id": role["id"],
        "actor_id": actor["id"],
        "status": "submitted",
        "source": "staff",
        "agent": None,
        "note": None,
        "hold_until": None,
        "hold_expired": False,
        "created_at": None,
        "updated_at": None,
    }
    assert submission["created_at"].endswith("Z")


def test_create_submission_with_every_field(client, producer, role, actor):
    body = {"actor_id": actor["id"], "source": "agent", "agent": "  Lumen Talent ", "note": "n"}
    submission = submit(client, producer, role["id"], **body)
    assert (submission["source"], submission["agent"], submission["note"]) == (
        "agent",
        "Lumen Talent",
        "n",
    )


def test_second_active_submission_is_409_naming_the_first(
    client, producer, role, actor, submission
):
    response = client.post(
        f"/roles/{role['id']}/submissions", json={"actor_id": actor["id"]}, headers=producer
    )
    body = assert_error(response, 409, {"submission_id": submission["id"]})
    assert f"submission {submission['id']}" in body["message"]


def test_a_closed_submission_does_not_block_a_new_one(client, producer, role, actor, submission):
    assert move(client, producer, submission["id"], "withdrawn").status_code == 200
    again = submit(client, producer, role["id"], actor_id=actor["id"])
    assert again["id"] != submission["id"]


def test_unknown_role_is_404_and_unknown_actor_is_422(client, producer, role, actor):
    assert_error(
        client.post("/roles/999/submissions", json={"actor_id": actor["id"]}, headers=producer),
        404,
    )
    assert_error(
        client.post(f"/roles/{MAX_ID}/submissions", json={"actor_id": 1}, headers=producer), 404
    )
    response = client.post(
        f"/roles/{role['id']}/submissions", json={"actor_id": 999}, headers=producer
    )
    body = assert_error(response, 422)
    assert body["errors"] == {"actor_id": ["actor 999 does not exist"]}


BAD_BODIES: list[tuple[dict[str, Any], str]] = [
    ({}, "actor_id"),
    ({"actor_id": "1"}, "actor_id"),
    ({"actor_id": True}, "actor_id"),
    ({"actor_id": 0}, "actor_id"),
    ({"actor_id": MAX_ID + 1}, "actor_id"),
    ({"actor_id": 10**30}, "actor_id"),
    ({"actor_id": 1.5}, "actor_id"),
    ({"actor_id": 1, "source": "agency"}, "source"),
    ({"actor_id": 1, "source": None}, "source"),
    ({"actor_id": 1, "agent": "x" * 201}, "agent"),
    ({"actor_id": 1, "agent": 7}, "agent"),
    ({"actor_id": 1, "agent": "a\x00b"}, "agent"),
    ({"actor_id": 1, "note": "x" * 5001}, "note"),
    ({"actor_id": 1, "status": "booked"}, "status"),
    ({"actor_id": 1, "role_id": 2}, "role_id"),
    ({"actor_id": 1, "hold_until": FUTURE}, "hold_until"),
]


def test_create_refuses_bad_fields_with_422_naming_them(client, producer, role, actor):
    for body, field in BAD_BODIES:
        # The bodies naming actor 1 are wrong elsewhere: they name the stored actor.
        if type(body.get("actor_id")) is int and body["actor_id"] == 1:
            body = {**body, "actor_id": actor["id"]}
        response = client.post(f"/roles/{role['id']}/submissions", json=body, headers=producer)
        assert field in assert_error(response, 422)["errors"], body
    listed = client.get(f"/roles/{role['id']}/submissions", headers=producer).get_json()
    assert listed["total_submissions"] == 0


def test_create_refuses_broken_or_non_object_json(client, producer, role):
    for data in ["{", "[1]", '"x"', "null", '{"actor_id": 1,}']:
        response = client.post(
            f"/roles/{role['id']}/submissions",
            data=data,
            headers={**producer, "Content-Type": "application/json"},
        )
        assert_error(response, 400)


def test_auth_comes_before_404_and_422(client, auth, role):
    assert_error(client.post("/roles/999/submissions", json={}), 401)
    assert_error(client.get("/submissions/999"), 401)
    assert_error(client.delete("/submissions/999", headers=auth("director")), 403)


# --- Read, edit, delete ----------------------------------------------------------------------


def test_get_one_with_etag_and_304(client, producer, submission):
    url = f"/submissions/{submission['id']}"
    response = client.get(url, headers=producer)
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "submission": submission}
    assert response.headers["ETag"] == '"1"'
    assert client.get(url, headers={**producer, "If-None-Match": '"1"'}).status_code == 304
    assert_error(client.get("/submissions/999", headers=producer), 404)
    assert_error(client.get(f"/submissions/{MAX_ID}", headers=producer), 404)


def test_patch_changes_agent_and_note_only(client, producer, submission):
    url = f"/submissions/{submission['id']}"
    response = client.patch(url, json={"agent": "Nadia", "note": "tall"}, headers=producer)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    changed = response.get_json()["submission"]
    assert (changed["agent"], changed["note"], changed["status"]) == ("Nadia", "tall", "submitted")
    cleared = client.patch(url, json={"note": None}, headers=producer).get_json()["submission"]
    assert (cleared["agent"], cleared["note"]) == ("Nadia", None)


PATCH_REFUSALS: list[tuple[dict[str, Any], str]] = [
    ({"status": "booked"}, "status"),
    ({"hold_until": FUTURE}, "hold_until"),
    ({"actor_id": 2}, "actor_id"),
    ({"source": "self"}, "source"),
    ({"agent": "x" * 201}, "agent"),
    ({"note": 5}, "note"),
    ({"agent": "Nadia", "status": "booked"}, "status"),
]


def test_patch_refuses_other_fields_and_changes_nothing(client, producer, submission):
    url = f"/submissions/{submission['id']}"
    for body, field in PATCH_REFUSALS:
        response = client.patch(url, json=body, headers=producer)
        assert field in assert_error(response, 422)["errors"], body
    assert client.get(url, headers=producer).get_json()["submission"] == submission


def test_patch_and_delete_with_stale_if_match_are_412(client, producer, submission):
    url = f"/submissions/{submission['id']}"
    client.patch(url, json={"note": "first"}, headers=producer)
    stale = {**producer, "If-Match": '"1"'}
    response = client.patch(url, json={"note": "second"}, headers=stale)
    assert_error(response, 412)
    assert response.headers["ETag"] == '"2"'
    assert_error(client.delete(url, headers=stale), 412)
    assert client.get(url, headers=producer).get_json()["submission"]["note"] == "first"
    current = {**producer, "If-Match": '"2"'}
    assert client.patch(url, json={"note": "ok"}, headers=current).status_code == 200


def test_delete_removes_the_submission_and_keeps_its_history(app, client, producer, submission):
    url = f"/submissions/{submission['id']}"
    response = client.delete(url, headers=producer)
    assert response.get_json() == {"success": True, "deleted": submission["id"]}
    assert_error(client.get(url, headers=producer), 404)
    assert_error(client.delete(url, headers=producer), 404)
    with app.app_context():
        actions = db.session.scalars(
            db.select(Event.action)
            .where(Event.entity == "submission", Event.entity_id == submission["id"])
            .order_by(Event.id.desc())
            .limit(2)
        ).all()
    assert actions == ["deleted", "created"]


def test_deleting_a_booked_submission_reopens_its_role(app, client, producer, role, actor):
    client.patch(f"/roles/{role['id']}", json={"actor_id": actor["id"]}, headers=producer)
    booked = client.get(f"/roles/{role['id']}/submissions", headers=producer).get_json()
    [submission] = booked["submissions"]
    assert submission["status"] == "booked"

    assert client.delete(f"/submissions/{submission['id']}", headers=producer).status_code == 200

    reopened = client.get(f"/roles/{role['id']}", headers=producer)
    assert reopened.get_json()["role"]["actor_id"] is None
    assert reopened.headers["ETag"] == '"3"'
    with app.app_context():
        note = db.session.scalar(
            db.select(Event.note)
            .where(Event.entity == "role", Event.entity_id == role["id"])
            .order_by(Event.id.desc())
        )
    assert note == "booking deleted"


def test_assistant_may_not_delete_a_submission(client, auth, submission):
    response = client.delete(f"/submissions/{submission['id']}", headers=auth("assistant"))
    assert_error(response, 403)


# --- Lists -----------------------------------------------------------------------------------


@pytest.fixture
def pipeline(
    app: APIFlask, client: FlaskClient, producer: Headers, create: Create
) -> dict[str, Any]:
    """Two movies; three roles; three actors; five submissions in several statuses."""
    movies = [create("movies", title=f"Movie {n}") for n in range(2)]
    roles = [create("roles", movie_id=movies[n % 2]["id"], name=f"Role {n}") for n in range(3)]
    actors = [create("actors", name=f"Actor {n}") for n in range(3)]
    ids = {}
    for key, (r, a, source) in {
        "a": (0, 0, "agent"),
        "b": (0, 1, "self"),
        "c": (1, 0, "staff"),
        "d": (2, 2, "staff"),
        "e": (2, 1, "agent"),
    }.items():
        ids[key] = submit(
            client, producer, roles[r]["id"], actor_id=actors[a]["id"], source=source
        )["id"]
    move(client, producer, ids["b"], "shortlisted")
    move(client, producer, ids["c"], "withdrawn")
    move(client, producer, ids["e"], "released")
    return {"movies": movies, "roles": roles, "actors": actors, "ids": ids}


def _ids(client: FlaskClient, headers: Headers, url: str) -> list[int]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [s["id"] for s in response.get_json()["submissions"]]


def test_list_envelope_and_paging(client, producer, pipeline):
    ids = pipeline["ids"]
    body = client.get("/submissions?page_size=2&page=2", headers=producer).get_json()
    assert set(body) == {"success", "submissions", "total_submissions", "page", "page_size"}
    assert (body["total_submissions"], body["page"], body["page_size"]) == (5, 2, 2)
    assert [s["id"] for s in body["submissions"]] == [ids["c"], ids["d"]]
    assert set(body["submissions"][0]) == SUBMISSION_KEYS


def test_lists_by_role_and_by_actor(client, producer, pipeline):
    roles, actors, ids = pipeline["roles"], pipeline["actors"], pipeline["ids"]
    assert _ids(client, producer, f"/roles/{roles[0]['id']}/submissions") == [ids["a"], ids["b"]]
    assert _ids(client, producer, f"/actors/{actors[1]['id']}/submissions") == [
        ids["b"],
        ids["e"],
    ]
    assert_error(client.get("/roles/999/submissions", headers=producer), 404)
    assert_error(client.get("/actors/999/submissions", headers=producer), 404)


def test_list_filters_narrow_the_list(client, producer, pipeline):
    ids, roles, actors, movies = (pipeline[k] for k in ("ids", "roles", "actors", "movies"))
    cases = {
        "status=submitted": ["a", "d"],
        "status=shortlisted,withdrawn": ["b", "c"],
        f"role_id={roles[2]['id']}": ["d", "e"],
        f"actor_id={actors[0]['id']}": ["a", "c"],
        f"movie_id={movies[0]['id']}": ["a", "b", "d", "e"],
        "source=agent": ["a", "e"],
        "active=true": ["a", "b", "d"],
        "active=false": ["c", "e"],
        "active=true&source=staff": ["d"],
    }
    for query, expected in cases.items():
        assert _ids(client, producer, f"/submissions?{query}") == [ids[k] for k in expected], query
    nested = f"/roles/{roles[0]['id']}/submissions?status=shortlisted"
    assert _ids(client, producer, nested) == [ids["b"]]


def test_list_sorts_with_id_breaking_ties(client, producer, pipeline):
    ids = pipeline["ids"]
    by_status = _ids(client, producer, "/submissions?sort=status")
    assert by_status == [ids[k] for k in ("e", "b", "a", "d", "c")]
    assert _ids(client, producer, "/submissions?sort=-status,-id") == [
        ids[k] for k in ("c", "d", "a", "b", "e")
    ]
    newest_first = _ids(client, producer, "/submissions?sort=-created_at,-id")
    assert newest_first == [ids[k] for k in ("e", "d", "c", "b", "a")]
    assert sorted(_ids(client, producer, "/submissions?sort=updated_at")) == sorted(ids.values())


def test_expand_actor_and_role_in_the_same_select(client, producer, pipeline, statements):
    statements.clear()
    body = client.get("/submissions?expand=actor,role&page_size=100", headers=producer).get_json()
    first = body["submissions"][0]
    assert first["actor"] == {"id": first["actor_id"], "name": "Actor 0"}
    assert first["role"] == {
        "id": first["role_id"],
        "movie_id": pipeline["movies"][0]["id"],
        "name": "Role 0",
        "actor_id": None,
    }
    assert len(statements) == 2  # the count and the page
    plain = client.get("/submissions", headers=producer).get_json()["submissions"][0]
    assert "actor" not in plain and "role" not in plain


BAD_QUERIES = [
    ("colour=red", "colour"),
    ("status=booked,hired", "status"),
    ("status=", "status"),
    ("sort=agent", "sort"),
    ("expand=movie", "expand"),
    ("active=yes", "active"),
    ("source=agency", "source"),
    ("role_id=0", "role_id"),
    ("actor_id=1.0", "actor_id"),
    ("movie_id=99999999999", "movie_id"),
    ("page_size=101", "page_size"),
    ("status=submitted&status=booked", "status"),
]


def test_bad_query_parameters_are_400_naming_them(client, producer, actor):
    for path in ("/submissions", f"/actors/{actor['id']}/submissions"):
        for query, name in BAD_QUERIES:
            body = assert_error(client.get(f"{path}?{query}", headers=producer), 400)
            assert name in body["message"], (path, query, body)


def test_every_staff_role_may_list_and_create(client, auth, role, actor):
    for staff in ("assistant", "director"):
        assert client.get("/submissions", headers=auth(staff)).status_code == 200
    submit(client, auth("assistant"), role["id"], actor_id=actor["id"])


def test_stored_submission_matches_what_the_api_said(app, client, producer, submission):
    with app.app_context():
        stored = db.session.get(Submission, submission["id"])
        assert stored is not None and stored.status == "submitted"
        assert db.session.get(Role, submission["role_id"]) is not None
