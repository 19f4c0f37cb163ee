"""Moves through the pipeline: the table of allowed moves, who may make them, holds,
booking, the roles API kept in step, several at once, and work-date conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from casting.statuses import MOVES
from helpers import Create, Headers, assert_error
from models import SUBMISSION_STATUSES, Event, Role, Submission, db

# A year ahead, in whole seconds, written as answers write it.
FUTURE = (datetime.now(UTC) + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
# How a submission reaches each status from submitted, as a producer moves it.
PATHS: dict[str, tuple[str, ...]] = {
    "submitted": (),
    "shortlisted": ("shortlisted",),
    "auditioning": ("shortlisted", "auditioning"),
    "callback": ("shortlisted", "callback"),
    "on_hold": ("shortlisted", "on_hold"),
    "offered": ("shortlisted", "offered"),
    "booked": ("shortlisted", "offered", "booked"),
    "released": ("released",),
    "withdrawn": ("withdrawn",),
    "declined": ("shortlisted", "offered", "declined"),
}
assert set(PATHS) == set(SUBMISSION_STATUSES)


def move(client: FlaskClient, headers: Headers, submission_id: int, to: str, **body: Any) -> Any:
    if to == "on_hold":
        body.setdefault("hold_until", FUTURE)
    body = {"to": to, **body}
    return client.post(f"/submissions/{submission_id}/transitions", json=body, headers=headers)


def moved(client: FlaskClient, headers: Headers, submission_id: int, to: str, **body: Any) -> Any:
    response = move(client, headers, submission_id, to, **body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["submission"]


def bulk(client: FlaskClient, headers: Headers, role_id: int, **body: Any) -> Any:
    return client.post(f"/roles/{role_id}/submissions/transitions", json=body, headers=headers)


@pytest.fixture
def submit(client: FlaskClient, producer: Headers, create: Create) -> Any:
    """submit(role_id=None, status="submitted") -> a submission of a new actor, moved to
    `status`; for a new role unless one is given."""

    def make(role_id: int | None = None, status: str = "submitted", **fields: Any) -> Any:
        role_id = role_id or create("roles")["id"]
        actor_id = fields.pop("actor_id", None) or create("actors")["id"]
        response = client.post(
            f"/roles/{role_id}/submissions", json={"actor_id": actor_id}, headers=producer
        )
        assert response.status_code == 201, response.get_json()
        submission = response.get_json()["submission"]
        for step in PATHS[status]:
            submission = moved(client, producer, submission["id"], step)
        return submission

    return make


def stored(app: APIFlask, model: type[Any], record_id: int) -> Any:
    with app.app_context():
        record = db.session.get(model, record_id)
        if record is not None:
            db.session.expunge(record)
        return record


def events(app: APIFlask, entity: str, entity_id: int) -> list[Event]:
    """The record's events, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(Event)
            .where(Event.entity == entity, Event.entity_id == entity_id)
            .order_by(Event.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def set_work_dates(app: APIFlask, role_id: int, start: date, end: date) -> None:
    with app.app_context():
        role = db.session.get(Role, role_id)
        assert role is not None
        role.work_start, role.work_end = start, end
        db.session.commit()


# --- The table of moves ----------------------------------------------------------------------


@pytest.mark.parametrize("start", SUBMISSION_STATUSES)
def test_every_move_of_the_table_is_allowed_or_409_with_the_allowed_ones(
    client, producer, submit, start
):
    """Each row of MOVES, every target status: allowed (200, moved, version bumped) or
    409 naming the statuses allowed from here, and nothing changed."""
    for to in SUBMISSION_STATUSES:
        submission = submit(status=start)
        response = move(client, producer, submission["id"], to)
        if to in MOVES[start]:
            assert response.status_code == 200, (start, to, response.get_json())
            assert response.get_json()["submission"]["status"] == to
            assert response.headers["ETag"] == f'"{len(PATHS[start]) + 2}"'
        else:
            assert_error(response, 409, {"allowed": list(MOVES[start])})
            after = client.get(f"/submissions/{submission['id']}", headers=producer)
            assert after.get_json()["submission"] == submission, (start, to)


def test_answer_is_the_saved_submission(client, producer, submit):
    submission = submit()
    response = move(client, producer, submission["id"], "shortlisted", note="strong read")
    body = response.get_json()
    assert set(body) == {"success", "id", "submission"}
    assert body["id"] == submission["id"]
    assert body["submission"]["note"] is None  # the move's note goes to the history


def test_the_move_note_is_the_event_note(app, client, producer, submit):
    submission = submit()
    move(client, producer, submission["id"], "shortlisted", note="strong read")
    event = events(app, "submission", submission["id"])[-1]
    assert (event.action, event.note) == ("moved", "strong read")
    assert event.changes["status"] == ["submitted", "shortlisted"]


BAD_MOVES: list[tuple[dict[str, Any], str]] = [
    ({}, "to"),
    ({"to": "hired"}, "to"),
    ({"to": None}, "to"),
    ({"to": "shortlisted", "note": 5}, "note"),
    ({"to": "shortlisted", "allow_conflict": "yes"}, "allow_conflict"),
    ({"to": "shortlisted", "status": "booked"}, "status"),
    ({"to": "shortlisted", "hold_until": FUTURE}, "hold_until"),
    ({"to": "on_hold"}, "hold_until"),
    ({"to": "on_hold", "hold_until": None}, "hold_until"),
    ({"to": "on_hold", "hold_until": "2030-01-01T18:00:00"}, "hold_until"),
    ({"to": "on_hold", "hold_until": "2030-01-01"}, "hold_until"),
    ({"to": "on_hold", "hold_until": "2001-01-01T00:00:00Z"}, "hold_until"),
    ({"to": "on_hold", "hold_until": "tomorrow"}, "hold_until"),
    ({"to": "on_hold", "hold_until": 1893456000}, "hold_until"),
    ({"to": "on_hold", "hold_until": "9999-01-01T00:00:00Z"}, "hold_until"),
    ({"to": "on_hold", "hold_until": "2200-12-31T23:59:59-23:59"}, "hold_until"),  # 2201 in UTC
    ({"to": "on_hold", "hold_until": "2030-02-30T00:00:00Z"}, "hold_until"),
]


def test_bad_move_bodies_are_422_naming_the_field_and_move_nothing(client, producer, submit):
    submission = submit(status="shortlisted")
    url = f"/submissions/{submission['id']}/transitions"
    for body, field in BAD_MOVES:
        response = client.post(url, json=body, headers=producer)
        assert field in assert_error(response, 422)["errors"], body
    after = client.get(f"/submissions/{submission['id']}", headers=producer).get_json()
    assert after["submission"] == submission


def test_unknown_submission_is_404_after_auth(client, producer, token):
    assert_error(client.post("/submissions/999/transitions", json={"to": "released"}), 401)
    only_get = {"Authorization": f"Bearer {token('get:submissions')}"}
    response = client.post("/submissions/999/transitions", json={}, headers=only_get)
    assert_error(response, 403)
    response = client.post(
        "/submissions/999/transitions", json={"to": "released"}, headers=producer
    )
    assert_error(response, 404)


def test_stale_if_match_is_412_and_moves_nothing(client, producer, submit):
    submission = submit()
    client.patch(f"/submissions/{submission['id']}", json={"note": "x"}, headers=producer)
    response = move(client, {**producer, "If-Match": '"1"'}, submission["id"], "shortlisted")
    assert_error(response, 412)
    assert response.headers["ETag"] == '"2"'
    assert moved(client, {**producer, "If-Match": '"2"'}, submission["id"], "shortlisted")


# --- Who may move ---------------------------------------------------------------------------

CASTING_ONLY = "Permission 'patch:roles' is required."


ASSISTANT_MOVES = [
    ("submitted", "shortlisted", True),
    ("shortlisted", "auditioning", True),
    ("auditioning", "callback", True),
    ("callback", "released", True),
    ("submitted", "withdrawn", True),
    ("offered", "declined", True),
    ("shortlisted", "on_hold", False),
    ("shortlisted", "offered", False),
    ("offered", "booked", False),
    ("booked", "released", False),
]


def test_engaging_moves_and_leaving_booked_need_patch_roles(client, auth, submit):
    for start, to, assistant_may in ASSISTANT_MOVES:
        submission = submit(status=start)
        response = move(client, auth("assistant"), submission["id"], to)
        if assistant_may:
            assert response.status_code == 200, (start, to)
        else:
            assert assert_error(response, 403)["message"] == CASTING_ONLY
            assert response.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'
        expected = 409 if assistant_may else 200  # the director moves it, if still allowed
        assert move(client, auth("director"), submission["id"], to).status_code == expected


def test_casting_permission_alone_does_not_move(client, token, submit):
    submission = submit(status="offered")
    headers = {"Authorization": f"Bearer {token('patch:roles')}"}
    response = move(client, headers, submission["id"], "booked")
    assert assert_error(response, 403)["message"] == "Permission 'patch:submissions' is required."


# --- Holds ------------------------------------------------------------------------------------


def test_a_hold_keeps_its_time_and_any_other_move_clears_it(client, producer, submit):
    submission = submit(status="shortlisted")
    held = moved(client, producer, submission["id"], "on_hold", hold_until="2031-06-01T20:00+02:00")
    assert (held["hold_until"], held["hold_expired"]) == ("2031-06-01T18:00:00Z", False)
    offered = moved(client, producer, submission["id"], "offered")
    assert (offered["hold_until"], offered["hold_expired"]) == (None, False)


def _expire(app: APIFlask, submission_id: int) -> None:
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission is not None
        submission.hold_until = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()


def test_an_expired_hold_reads_expired_until_released_by_the_command(app, client, producer, submit):
    expired, current = submit(status="on_hold"), submit(status="on_hold")
    _expire(app, expired["id"])
    body = client.get(f"/submissions/{expired['id']}", headers=producer).get_json()
    assert body["submission"]["hold_expired"] is True

    result = app.test_cli_runner().invoke(args=["release-expired-holds"])

    assert result.exit_code == 0, result.output
    assert "Released 1 expired hold" in result.output
    released = client.get(f"/submissions/{expired['id']}", headers=producer).get_json()
    assert released["submission"] | {"updated_at": None} == released["submission"] | {
        "status": "released",
        "hold_until": None,
        "hold_expired": False,
        "updated_at": None,
    }
    event = events(app, "submission", expired["id"])[-1]
    assert (event.note, event.by, event.action) == ("hold expired", "system", "moved")
    kept = client.get(f"/submissions/{current['id']}", headers=producer).get_json()
    assert kept["submission"]["status"] == "on_hold"


def test_overlapping_holds_are_allowed_and_reported(app, client, producer, create, submit):
    actor = create("actors")
    first, second, apart = (create("roles") for _ in range(3))
    set_work_dates(app, first["id"], date(2030, 3, 1), date(2030, 3, 10))
    set_work_dates(app, second["id"], date(2030, 3, 10), date(2030, 3, 20))
    set_work_dates(app, apart["id"], date(2030, 5, 1), date(2030, 5, 2))
    held = submit(role_id=first["id"], status="on_hold", actor_id=actor["id"])
    other = submit(role_id=second["id"], status="shortlisted", actor_id=actor["id"])
    response = move(client, producer, other["id"], "on_hold")
    assert response.status_code == 200
    assert response.get_json()["conflicts"] == [
        {
            "submission_id": held["id"],
            "role_id": first["id"],
            "movie_id": first["movie_id"],
            "hold_until": FUTURE,
            "work_start": "2030-03-01",
            "work_end": "2030-03-10",
        }
    ]
    far = submit(role_id=apart["id"], status="shortlisted", actor_id=actor["id"])
    assert "conflicts" not in move(client, producer, far["id"], "on_hold").get_json()


def test_overlapping_holds_are_described_in_one_statement(
    app, client, producer, create, submit, statements
):
    """However many holds overlap, the answer reads them with their roles at once."""
    actor = create("actors")
    roles = [create("roles") for _ in range(4)]
    for role in roles:
        set_work_dates(app, role["id"], date(2030, 3, 1), date(2030, 3, 10))
    for role in roles[:3]:
        submit(role_id=role["id"], status="on_hold", actor_id=actor["id"])
    last = submit(role_id=roles[3]["id"], status="shortlisted", actor_id=actor["id"])
    statements.clear()
    response = move(client, producer, last["id"], "on_hold")
    assert len(response.get_json()["conflicts"]) == 3
    reads_of_roles = [
        s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM roles" in s
    ]
    assert len(reads_of_roles) <= 3, reads_of_roles  # the lock, the holds, the conflicts


def test_moving_back_in_while_another_submission_is_active_names_it(
    client, producer, create, submit
):
    """Released, then submitted again: the old one cannot come back beside the new."""
    role, actor = create("roles"), create("actors")
    old = submit(role_id=role["id"], status="released", actor_id=actor["id"])
    new = submit(role_id=role["id"], actor_id=actor["id"])
    response = move(client, producer, old["id"], "shortlisted")
    assert_error(response, 409, extra={"submission_id": new["id"]})
    assert moved(client, producer, new["id"], "withdrawn")["status"] == "withdrawn"
    assert moved(client, producer, old["id"], "shortlisted")["status"] == "shortlisted"


# --- Booking ----------------------------------------------------------------------------------


def test_booking_casts_the_role_and_releases_the_other_active_submissions(
    app, client, producer, create, submit
):
    role = create("roles")
    winner = submit(role_id=role["id"], status="offered")
    others = [submit(role_id=role["id"], status=s) for s in ("submitted", "on_hold", "callback")]
    closed = submit(role_id=role["id"], status="withdrawn")

    booked = moved(client, producer, winner["id"], "booked")

    assert booked["status"] == "booked"
    cast = client.get(f"/roles/{role['id']}", headers=producer)
    assert cast.get_json()["role"]["actor_id"] == winner["actor_id"]
    assert cast.headers["ETag"] == '"2"'
    for other in others:
        after = client.get(f"/submissions/{other['id']}", headers=producer).get_json()
        assert (after["submission"]["status"], after["submission"]["hold_until"]) == (
            "released",
            None,
        )
        assert events(app, "submission", other["id"])[-1].note == "role booked"
    withdrawn = client.get(f"/submissions/{closed['id']}", headers=producer).get_json()
    assert withdrawn["submission"]["status"] == "withdrawn"


def test_booking_a_role_cast_to_someone_else_is_409(client, producer, create, submit):
    role = create("roles", actor_id=create("actors")["id"])
    offered = submit(role_id=role["id"], status="offered")
    response = move(client, producer, offered["id"], "booked")
    assert "already cast" in assert_error(response, 409)["message"]
    after = client.get(f"/submissions/{offered['id']}", headers=producer).get_json()
    assert after["submission"]["status"] == "offered"


def test_releasing_the_booking_reopens_the_role(client, producer, create, submit):
    role = create("roles")
    booked = submit(role_id=role["id"], status="booked")
    moved(client, producer, booked["id"], "released")
    reopened = client.get(f"/roles/{role['id']}", headers=producer)
    assert reopened.get_json()["role"]["actor_id"] is None
    assert reopened.headers["ETag"] == '"3"'


# --- The roles API keeps the pipeline in step -------------------------------------------------


def _role_submissions(client: FlaskClient, headers: Headers, role_id: int) -> dict[int, str]:
    body = client.get(f"/roles/{role_id}/submissions", headers=headers).get_json()
    return {s["actor_id"]: s["status"] for s in body["submissions"]}


def test_casting_through_patch_books_the_actors_active_submission(client, producer, create, submit):
    role = create("roles")
    chosen = submit(role_id=role["id"], status="callback")
    rival = submit(role_id=role["id"])
    response = client.patch(
        f"/roles/{role['id']}", json={"actor_id": chosen["actor_id"]}, headers=producer
    )
    assert response.status_code == 200
    assert _role_submissions(client, producer, role["id"]) == {
        chosen["actor_id"]: "booked",
        rival["actor_id"]: "released",
    }


def test_casting_recasting_and_reopening_through_the_roles_api(client, producer, create):
    first, second = create("actors"), create("actors")
    role = create("roles", actor_id=first["id"])
    assert _role_submissions(client, producer, role["id"]) == {first["id"]: "booked"}
    body = client.get(f"/roles/{role['id']}/submissions", headers=producer).get_json()
    assert body["submissions"][0]["source"] == "staff"

    url = f"/roles/{role['id']}"
    recast = client.patch(
        url, json={"actor_id": second["id"]}, headers={**producer, "If-Match": "*"}
    )
    assert recast.status_code == 200
    assert _role_submissions(client, producer, role["id"]) == {
        first["id"]: "released",
        second["id"]: "booked",
    }
    assert client.patch(url, json={"actor_id": None}, headers=producer).status_code == 200
    assert _role_submissions(client, producer, role["id"]) == {
        first["id"]: "released",
        second["id"]: "released",
    }
    assert client.patch(url, json={"name": "Renamed"}, headers=producer).status_code == 200
    assert client.patch(url, json={"actor_id": first["id"]}, headers=producer).status_code == 200
    submissions = client.get(f"/roles/{role['id']}/submissions", headers=producer).get_json()
    assert [(s["actor_id"], s["status"]) for s in submissions["submissions"]] == [
        (first["id"], "released"),
        (second["id"], "released"),
        (first["id"], "booked"),
    ]


def test_deleting_the_cast_actor_reopens_the_role_and_removes_the_booking(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])
    assert client.delete(f"/actors/{actor['id']}", headers=producer).status_code == 200
    assert (
        client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"]["actor_id"] is None
    )
    assert _role_submissions(client, producer, role["id"]) == {}


# --- Several at once -----------------------------------------------------------------------


def test_bulk_move_moves_every_one(client, producer, create, submit):
    role = create("roles")
    subs = [submit(role_id=role["id"]) for _ in range(3)]
    response = bulk(client, producer, role["id"], ids=[s["id"] for s in subs], to="shortlisted")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"success", "role_id", "submissions"}
    assert body["role_id"] == role["id"]
    assert [(s["id"], s["status"]) for s in body["submissions"]] == [
        (s["id"], "shortlisted") for s in subs
    ]


def test_bulk_move_is_all_or_nothing(client, producer, create, submit):
    role, other_role = create("roles"), create("roles")
    ready = submit(role_id=role["id"])
    stuck = submit(role_id=role["id"], status="withdrawn")
    elsewhere = submit(role_id=other_role["id"])
    ids = [ready["id"], stuck["id"], elsewhere["id"], 99999]

    response = bulk(client, producer, role["id"], ids=ids, to="shortlisted")

    body = assert_error(response, 409, {"refused": response.get_json().get("refused")})
    assert [(r["id"], r["status"], r["allowed"], r["reason"]) for r in body["refused"]] == [
        (stuck["id"], "withdrawn", [], "not_allowed"),
        (elsewhere["id"], None, [], "other_role"),
        (99999, None, [], "not_found"),
    ]
    after = client.get(f"/submissions/{ready['id']}", headers=producer).get_json()
    assert after["submission"]["status"] == "submitted"


BAD_BULK_MOVES: list[tuple[dict[str, Any], str]] = [
    ({"ids": [], "to": "released"}, "ids"),
    ({"ids": [1, 1], "to": "released"}, "ids"),
    ({"ids": list(range(1, 102)), "to": "released"}, "ids"),
    ({"ids": [0], "to": "released"}, "ids"),
    ({"ids": ["1"], "to": "released"}, "ids"),
    ({"ids": 1, "to": "released"}, "ids"),
    ({"ids": [2**31], "to": "released"}, "ids"),
    ({"ids": [1, 2], "to": "booked"}, "ids"),
    ({"ids": [1], "to": "on_hold"}, "hold_until"),
    ({"to": "released"}, "ids"),
    ({"ids": [1]}, "to"),
]


def test_bad_bulk_bodies_are_422(client, producer, create):
    role = create("roles")
    for body, field in BAD_BULK_MOVES:
        response = bulk(client, producer, role["id"], **body)
        errors = assert_error(response, 422)["errors"]
        assert any(name.split(".")[0] == field for name in errors), (body, errors)


def test_bulk_engaging_moves_need_patch_roles_and_the_role_must_exist(
    client, auth, producer, create, submit
):
    role = create("roles")
    subs = [submit(role_id=role["id"], status="shortlisted") for _ in range(2)]
    ids = [s["id"] for s in subs]
    response = bulk(client, auth("assistant"), role["id"], ids=ids, to="offered")
    assert assert_error(response, 403)["message"] == CASTING_ONLY
    assert_error(bulk(client, producer, 999, ids=ids, to="released"), 404)
    held = bulk(client, auth("director"), role["id"], ids=ids, to="on_hold", hold_until=FUTURE)
    assert [s["status"] for s in held.get_json()["submissions"]] == ["on_hold", "on_hold"]


# --- Work-date conflicts ------------------------------------------------------------------


@pytest.fixture
def busy_actor(app, create, submit) -> dict[str, Any]:
    """An actor booked on a role shooting 1-10 March 2030, and shortlisted for another
    role shooting 5-15 March."""
    actor = create("actors")
    booked_role, wanted_role = create("roles"), create("roles")
    set_work_dates(app, booked_role["id"], date(2030, 3, 1), date(2030, 3, 10))
    set_work_dates(app, wanted_role["id"], date(2030, 3, 5), date(2030, 3, 15))
    submit(role_id=booked_role["id"], status="booked", actor_id=actor["id"])
    wanted = submit(role_id=wanted_role["id"], status="shortlisted", actor_id=actor["id"])
    return {"booked_role": booked_role, "wanted": wanted}


@pytest.mark.parametrize("to", ["on_hold", "offered"])
def test_engaging_an_actor_booked_on_overlapping_dates_is_409(client, producer, busy_actor, to):
    role = busy_actor["booked_role"]
    response = move(client, producer, busy_actor["wanted"]["id"], to)
    conflicts = [
        {
            "role_id": role["id"],
            "movie_id": role["movie_id"],
            "name": role["name"],
            "work_start": "2030-03-01",
            "work_end": "2030-03-10",
        }
    ]
    assert_error(response, 409, {"conflicts": conflicts})


def test_allow_conflict_goes_ahead_and_is_recorded(app, client, producer, busy_actor):
    wanted, role = busy_actor["wanted"], busy_actor["booked_role"]
    response = move(client, producer, wanted["id"], "offered", allow_conflict=True)
    assert response.status_code == 200
    assert [c["role_id"] for c in response.get_json()["allowed_conflicts"]] == [role["id"]]
    event = events(app, "submission", wanted["id"])[-1]
    assert event.changes["allowed_conflicts"] == [role["id"]]
    assert moved(client, producer, wanted["id"], "booked", allow_conflict=True)["status"] == (
        "booked"
    )


def test_bulk_move_into_a_conflict_is_refused_with_it(client, producer, busy_actor):
    wanted = busy_actor["wanted"]
    response = bulk(client, producer, wanted["role_id"], ids=[wanted["id"]], to="offered")
    body = assert_error(response, 409, {"refused": response.get_json().get("refused")})
    [refusal] = body["refused"]
    assert (refusal["reason"], refusal["conflicts"][0]["role_id"]) == (
        "conflict",
        busy_actor["booked_role"]["id"],
    )


def test_bulk_booking_of_one_submission_books_it_and_releases_the_rest(
    client, producer, create, submit
):
    role = create("roles")
    winner = submit(role_id=role["id"], status="offered")
    rival = submit(role_id=role["id"], status="callback")
    response = bulk(client, producer, role["id"], ids=[winner["id"]], to="booked")
    assert response.status_code == 200
    assert _role_submissions(client, producer, role["id"]) == {
        winner["actor_id"]: "booked",
        rival["actor_id"]: "released",
    }
    assert (
        client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"]["actor_id"]
        == (winner["actor_id"])
    )


def test_deleting_a_role_deletes_its_submissions(client, producer, create, submit):
    role = create("roles")
    submission = submit(role_id=role["id"], status="booked")
    assert client.delete(f"/roles/{role['id']}", headers=producer).status_code == 200
    assert_error(client.get(f"/submissions/{submission['id']}", headers=producer), 404)
    assert_error(move(client, producer, submission["id"], "released"), 404)
