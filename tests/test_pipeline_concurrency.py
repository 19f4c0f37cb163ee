"""The pipeline under real concurrency: bookings, submissions and moves racing one
another on a live server, each request on its own connection."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import requests
from apiflask import APIFlask

from helpers import Create, Headers
from models import Event, Role, Submission, db
from test_concurrency import Call, _send_at_once

ROUNDS = 5


def _submission(live_server: str, headers: Headers, role_id: int, actor_id: int) -> int:
    response = requests.post(
        f"{live_server}/roles/{role_id}/submissions",
        json={"actor_id": actor_id},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def _moved(live_server: str, headers: Headers, submission_id: int, *steps: str) -> None:
    for to in steps:
        response = requests.post(
            f"{live_server}/submissions/{submission_id}/transitions",
            json={"to": to},
            headers=headers,
            timeout=10,
        )
        assert response.status_code == 200, response.json()


def _book_at_once(
    live_server: str, headers: Headers, submission_ids: list[int]
) -> list[requests.Response]:
    """Offer each submission, then send every booking at the same moment."""
    for submission_id in submission_ids:
        _moved(live_server, headers, submission_id, "shortlisted", "offered")
    calls: list[Call] = [
        ("POST", f"{live_server}/submissions/{s}/transitions", {"to": "booked"})
        for s in submission_ids
    ]
    return _send_at_once(calls, headers)


def _stored(app: APIFlask, role_id: int) -> tuple[int | None, dict[int, str]]:
    with app.app_context():
        role = db.session.get_one(Role, role_id)
        statuses = db.session.execute(
            db.select(Submission.id, Submission.status).where(Submission.role_id == role_id)
        ).tuples()
        return role.actor_id, dict(statuses.all())


@pytest.mark.postgres  # SQLite serializes every write, so nothing would race
def test_two_bookings_racing_for_one_role_exactly_one_wins(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    actors = [create("actors", name=f"Actor {n}")["id"] for n in range(2)]
    for _round in range(ROUNDS):
        role_id = create("roles")["id"]
        offered = [_submission(live_server, producer, role_id, actor) for actor in actors]

        responses = _book_at_once(live_server, producer, offered)

        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 200 and statuses[1] in (409, 412), statuses
        winner = offered[[r.status_code for r in responses].index(200)]
        loser = next(s for s in offered if s != winner)
        cast, stored = _stored(app, role_id)
        assert stored == {winner: "booked", loser: "released"}
        assert cast == actors[offered.index(winner)]


@pytest.mark.postgres
def test_two_identical_submissions_racing_one_is_created_the_other_names_it(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    actor_id = create("actors")["id"]
    for _round in range(ROUNDS):
        role_id = create("roles")["id"]
        url = f"{live_server}/roles/{role_id}/submissions"
        responses = _send_at_once([("POST", url, {"actor_id": actor_id})] * 2, producer)

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409], [r.json() for r in responses]
        created = next(r for r in responses if r.status_code == 201).json()["id"]
        refused = next(r for r in responses if r.status_code == 409).json()
        assert refused["submission_id"] == created
        assert f"submission {created}" in refused["message"]
        assert _stored(app, role_id)[1] == {created: "submitted"}


@pytest.mark.postgres
def test_racing_moves_on_one_submission_one_wins_the_other_is_refused(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    actor_id = create("actors")["id"]
    for _round in range(ROUNDS):
        role_id = create("roles")["id"]
        submission_id = _submission(live_server, producer, role_id, actor_id)
        url = f"{live_server}/submissions/{submission_id}/transitions"
        # Either order leaves the other move disallowed, so even served one after the
        # other exactly one can win.
        bodies: list[dict[str, Any]] = [{"to": "released"}, {"to": "withdrawn"}]

        responses = _send_at_once([("POST", url, body) for body in bodies], producer)

        codes = [r.status_code for r in responses]
        assert sorted(codes) == [200, 409], [r.json() for r in responses]
        won = bodies[codes.index(200)]["to"]
        assert _stored(app, role_id)[1] == {submission_id: won}


@pytest.mark.postgres
def test_booking_racing_a_cast_through_the_roles_api_keeps_the_pipeline_true(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    actors = [create("actors", name=f"Actor {n}")["id"] for n in range(2)]
    for _round in range(ROUNDS):
        role_id = create("roles")["id"]
        offered = _submission(live_server, producer, role_id, actors[0])
        _moved(live_server, producer, offered, "shortlisted", "offered")
        calls: list[Call] = [
            ("POST", f"{live_server}/submissions/{offered}/transitions", {"to": "booked"}),
            ("PATCH", f"{live_server}/roles/{role_id}", {"actor_id": actors[1]}),
        ]

        responses = _send_at_once(calls, producer)

        assert all(r.status_code in (200, 409, 412) for r in responses), [
            r.json() for r in responses
        ]
        assert any(r.status_code == 200 for r in responses)
        cast, stored = _stored(app, role_id)
        with app.app_context():
            booked = (
                db.session.execute(
                    db.select(Submission.actor_id).where(
                        Submission.role_id == role_id, Submission.status == "booked"
                    )
                )
                .scalars()
                .all()
            )
        assert booked == [cast], (booked, cast, stored)


def _dated_role(app: APIFlask, create: Create, start: str, end: str) -> int:
    role_id = int(create("roles")["id"])
    with app.app_context():
        role = db.session.get_one(Role, role_id)
        role.work_start, role.work_end = date.fromisoformat(start), date.fromisoformat(end)
        db.session.commit()
    return role_id


@pytest.mark.postgres
def test_one_actor_booked_twice_at_once_on_overlapping_dates_books_one(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    """Each booking checks the other's dates under the actor's lock: without it, both
    checks would run before either commit and the actor would be double-booked."""
    for _round in range(ROUNDS):
        actor_id = create("actors")["id"]
        roles = [
            _dated_role(app, create, "2030-02-01", "2030-02-10"),
            _dated_role(app, create, "2030-02-05", "2030-02-12"),
        ]
        offered = [_submission(live_server, producer, role, actor_id) for role in roles]

        responses = _book_at_once(live_server, producer, offered)

        codes = [r.status_code for r in responses]
        assert sorted(codes) == [200, 409], [r.json() for r in responses]
        won = codes.index(200)
        refused = responses[1 - won].json()
        assert [c["role_id"] for c in refused["conflicts"]] == [roles[won]]
        assert [_stored(app, role)[0] for role in roles] == [
            actor_id if index == won else None for index in range(2)
        ]


@pytest.mark.postgres
def test_a_role_deleted_while_its_submission_moves_is_never_a_500(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    actor_id = create("actors")["id"]
    for _round in range(ROUNDS):
        role_id = create("roles")["id"]
        submission_id = _submission(live_server, producer, role_id, actor_id)
        _moved(live_server, producer, submission_id, "shortlisted")
        calls: list[Call] = [
            ("POST", f"{live_server}/submissions/{submission_id}/transitions", {"to": "offered"}),
            ("DELETE", f"{live_server}/roles/{role_id}", None),
        ]

        moved, deleted = _send_at_once(calls, producer)

        assert deleted.status_code == 200, deleted.json()
        assert moved.status_code in (200, 404, 409), moved.json()
        with app.app_context():
            gone = db.session.get(Submission, submission_id) is None
            actions = db.session.scalars(
                db.select(Event.action)
                .where(Event.entity == "submission", Event.entity_id == submission_id)
                .order_by(Event.id)
            ).all()
        assert gone
        # Whatever the order, the history ends with the deletion, and holds the move
        # exactly when the move was answered 200.
        assert actions[-1] == "deleted"
        assert actions.count("moved") == (2 if moved.status_code == 200 else 1)


@pytest.mark.postgres
def test_an_actor_deleted_while_being_cast_leaves_every_change_recorded(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    for _round in range(ROUNDS):
        role = create("roles")
        actor_id = create("actors")["id"]
        calls: list[Call] = [
            ("PATCH", f"{live_server}/roles/{role['id']}", {"actor_id": actor_id}),
            ("DELETE", f"{live_server}/actors/{actor_id}", None),
        ]

        cast, deleted = _send_at_once(calls, producer)

        assert deleted.status_code == 200, deleted.json()
        assert cast.status_code in (200, 409, 422), cast.json()
        with app.app_context():
            stored = db.session.get_one(Role, role["id"])
            changes = db.session.scalars(
                db.select(Event.changes)
                .where(Event.entity == "role", Event.entity_id == role["id"])
                .order_by(Event.id)
            ).all()
        assert stored.actor_id is None
        if cast.status_code == 200:  # cast, then reopened by the deletion: both recorded
            assert [c.get("actor_id") for c in changes[1:]] == [[None, actor_id], [actor_id, None]]
            assert stored.version == 3
        else:
            assert len(changes) == 1  # created, and nothing since
