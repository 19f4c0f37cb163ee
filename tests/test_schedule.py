"""GET /actors/<id>/schedule: an actor's bookings and holds, in date order, in one statement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpers import Create, assert_error, store_submission

SOON = datetime(2030, 1, 1, 18, 0, tzinfo=UTC)


@pytest.fixture
def diary(app, create: Create) -> dict[str, Any]:
    """An actor booked in June, held in May and on an undated part (twice), with a hold
    that has run out, and submissions that engage no dates."""
    movie = create("movies", title="Orbit of Glass")
    actor = create("actors", name="Maya")

    def role(name: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
        return create("roles", movie_id=movie["id"], name=name, work_start=start, work_end=end)

    roles = {
        "june": role("June", "2027-06-01", "2027-06-30"),
        "undated_a": role("Undated A"),
        "may": role("May", "2027-05-01", "2027-05-20"),
        "undated_b": role("Undated B"),
        "expired": role("Expired", "2027-05-01", "2027-05-02"),
        "shortlisted": role("Shortlisted", "2027-04-01", "2027-04-02"),
        "released": role("Released", "2027-04-01", "2027-04-02"),
    }
    actor_id = actor["id"]
    past = datetime.now(UTC) - timedelta(hours=1)
    ids = {
        "undated_b": store_submission(app, roles["undated_b"]["id"], actor_id, "on_hold", SOON),
        "june": store_submission(app, roles["june"]["id"], actor_id, "booked"),
        "may": store_submission(app, roles["may"]["id"], actor_id, "on_hold", SOON),
        "undated_a": store_submission(app, roles["undated_a"]["id"], actor_id, "on_hold", SOON),
        "expired": store_submission(app, roles["expired"]["id"], actor_id, "on_hold", past),
    }
    store_submission(app, roles["shortlisted"]["id"], actor_id, "shortlisted")
    store_submission(app, roles["released"]["id"], actor_id, "released")
    other = create("actors", name="Other")
    store_submission(app, roles["may"]["id"], other["id"], "on_hold", SOON)
    return {"actor": actor, "movie": movie, "roles": roles, "ids": ids}


def test_schedule_lists_bookings_and_holds_by_work_start_undated_last(client, producer, diary):
    response = client.get(f"/actors/{diary['actor']['id']}/schedule", headers=producer)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"success", "actor_id", "schedule"}
    assert (body["success"], body["actor_id"]) == (True, diary["actor"]["id"])
    ids = diary["ids"]
    # Two parts start on 1 May: the submission id decides; so it does for undated ones.
    order = ["may", "expired", "june", "undated_b", "undated_a"]
    assert [item["submission_id"] for item in body["schedule"]] == [ids[k] for k in order]


def test_schedule_item_says_what_where_when(client, producer, diary):
    schedule = client.get(f"/actors/{diary['actor']['id']}/schedule", headers=producer).get_json()[
        "schedule"
    ]
    items = {item["submission_id"]: item for item in schedule}
    movie = diary["movie"]
    assert items[diary["ids"]["june"]] == {
        "submission_id": diary["ids"]["june"],
        "status": "booked",
        "role_id": diary["roles"]["june"]["id"],
        "role_name": "June",
        "movie_id": movie["id"],
        "movie_title": "Orbit of Glass",
        "work_start": "2027-06-01",
        "work_end": "2027-06-30",
        "hold_until": None,
        "hold_expired": False,
    }
    may = items[diary["ids"]["may"]]
    assert (may["status"], may["hold_until"], may["hold_expired"]) == (
        "on_hold",
        "2030-01-01T18:00:00Z",
        False,
    )
    assert items[diary["ids"]["expired"]]["hold_expired"] is True
    undated = items[diary["ids"]["undated_a"]]
    assert (undated["work_start"], undated["work_end"]) == (None, None)


def test_schedule_of_an_actor_with_none_is_empty(client, producer, create):
    actor = create("actors")
    body = client.get(f"/actors/{actor['id']}/schedule", headers=producer).get_json()
    assert body == {"success": True, "actor_id": actor["id"], "schedule": []}


@pytest.mark.parametrize("actor_id", ["999", "0", "9999999999"])
def test_schedule_of_an_unknown_actor_is_404(client, producer, actor_id):
    response = client.get(f"/actors/{actor_id}/schedule", headers=producer)
    assert_error(response, 404)


def test_schedule_of_a_deleted_actor_is_404(client, producer, diary):
    actor_id = diary["actor"]["id"]
    assert client.delete(f"/actors/{actor_id}", headers=producer).status_code == 200
    assert_error(client.get(f"/actors/{actor_id}/schedule", headers=producer), 404)


def test_schedule_is_one_statement(client, producer, diary, statements):
    client.get(f"/actors/{diary['actor']['id']}/schedule", headers=producer)
    assert len(statements) == 1
    statements.clear()
    client.get("/actors/999/schedule", headers=producer)
    assert len(statements) == 1


@pytest.mark.parametrize("role", ["assistant", "director", "producer"])
def test_every_staff_role_may_read_a_schedule(client, auth, create, role):
    actor = create("actors")
    assert client.get(f"/actors/{actor['id']}/schedule", headers=auth(role)).status_code == 200


def test_schedule_needs_get_submissions(client, token, create):
    actor = create("actors")
    others = ["get:movies", "get:actors", "get:roles", "get:history"]
    headers = {"Authorization": f"Bearer {token(*others)}"}
    response = client.get(f"/actors/{actor['id']}/schedule", headers=headers)
    assert assert_error(response, 403)["message"] == "Permission 'get:submissions' is required."
    assert_error(client.get(f"/actors/{actor['id']}/schedule"), 401)


def test_schedule_follows_the_pipeline(client, producer, create):
    """Holding puts a part in the schedule, booking keeps it there, releasing takes it out."""
    actor = create("actors")
    role = create("roles", work_start="2027-05-01", work_end="2027-05-02")
    url = f"/actors/{actor['id']}/schedule"
    submitted = client.post(
        f"/roles/{role['id']}/submissions", json={"actor_id": actor["id"]}, headers=producer
    ).get_json()["id"]

    def move(**body: Any) -> None:
        response = client.post(f"/submissions/{submitted}/transitions", json=body, headers=producer)
        assert response.status_code == 200, response.get_json()

    assert client.get(url, headers=producer).get_json()["schedule"] == []
    move(to="shortlisted")
    move(to="on_hold", hold_until="2030-01-01T18:00:00+01:00")
    (held,) = client.get(url, headers=producer).get_json()["schedule"]
    assert (held["status"], held["hold_until"]) == ("on_hold", "2030-01-01T17:00:00Z")
    move(to="offered")
    move(to="booked")
    (booked,) = client.get(url, headers=producer).get_json()["schedule"]
    assert (booked["status"], booked["hold_until"], booked["role_id"]) == (
        "booked",
        None,
        role["id"],
    )
    move(to="released")
    assert client.get(url, headers=producer).get_json()["schedule"] == []
