"""The history of every change: events appended by each write, read per record and as
the feed integrations poll."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from auth import STAFF_PERMISSIONS
from helpers import Create, Headers, assert_error, store_submission, valid_body
from models import MAX_ID, Actor, Event, Movie, Role, Submission, db

EVENT_KEYS = {"id", "at", "by", "request_id", "entity", "entity_id", "action", "changes", "note"}
SUBJECT = "auth0|5f7c8ec7c33c6c004bbafe82"


@pytest.fixture
def reader(token) -> Headers:
    return {"Authorization": f"Bearer {token('get:history')}"}


def history(client: FlaskClient, headers: Headers, path: str) -> list[dict[str, Any]]:
    response = client.get(f"{path}/history", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"success", "events", "next_after"}
    assert body["success"] is True
    return body["events"]


def feed(client: FlaskClient, headers: Headers, query: str = "") -> dict[str, Any]:
    response = client.get(f"/events{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def actions(events: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(e["action"], e["changes"]) for e in events]


# --- What each write records ---------------------------------------------------------------


def test_movie_create_update_delete_are_recorded_oldest_first(client, producer, reader):
    movie = client.post("/movies", json=valid_body("movies"), headers=producer).get_json()["movie"]
    url = f"/movies/{movie['id']}"
    client.patch(url, json={"company": "Halcyon", "title": "Orbit"}, headers=producer)
    client.patch(url, json={"genres": ["Drama"]}, headers=producer)
    client.delete(url, headers=producer)
    events = history(client, reader, url)
    assert actions(events) == [
        (
            "created",
            {
                "title": [None, "Orbit of Glass"],
                "release_date": [None, "2027-09-01"],
                "genres": [None, []],
            },
        ),
        ("updated", {"title": ["Orbit of Glass", "Orbit"], "company": [None, "Halcyon"]}),
        ("updated", {"genres": [[], ["Drama"]]}),
        ("deleted", {}),
    ]
    first = events[0]
    assert set(first) == EVENT_KEYS
    assert (first["entity"], first["entity_id"], first["note"]) == ("movie", movie["id"], None)
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    at = datetime.fromisoformat(first["at"])
    assert at.tzinfo is not None and abs(datetime.now(UTC) - at) < timedelta(minutes=1)


def test_an_update_that_changes_nothing_records_nothing(client, producer, reader, create):
    actor = create("actors", age=30)
    client.patch(f"/actors/{actor['id']}", json={"age": 30}, headers=producer)
    assert [e["action"] for e in history(client, reader, f"/actors/{actor['id']}")] == ["created"]


def test_actor_edit_and_delete_are_recorded(client, producer, reader, create):
    actor = create("actors", age=30)
    client.patch(f"/actors/{actor['id']}", json={"age": 31, "passport": True}, headers=producer)
    client.delete(f"/actors/{actor['id']}", headers=producer)
    events = history(client, reader, f"/actors/{actor['id']}")
    assert actions(events)[1:] == [
        ("updated", {"age": [30, 31], "passport": [False, True]}),
        ("deleted", {}),
    ]
    assert events[0]["changes"]["name"] == [None, "Maya Okafor"]


def test_casting_and_reopening_record_the_actor_id(client, producer, reader, create):
    first, second = create("actors"), create("actors")
    role = create("roles", actor_id=first["id"])
    url = f"/roles/{role['id']}"
    client.patch(url, json={"actor_id": None}, headers=producer)
    client.patch(url, json={"actor_id": second["id"], "work_start": "2027-05-01"}, headers=producer)
    events = history(client, reader, url)
    assert events[0]["action"] == "created"
    assert events[0]["changes"]["actor_id"] == [None, first["id"]]
    assert actions(events)[1:] == [
        ("updated", {"actor_id": [first["id"], None]}),
        ("updated", {"actor_id": [None, second["id"]], "work_start": [None, "2027-05-01"]}),
    ]


def test_deleting_an_actor_records_the_roles_it_reopens(client, producer, reader, create):
    actor = create("actors")
    cast = [create("roles", actor_id=actor["id"]) for _ in range(2)]
    other = create("roles", actor_id=create("actors")["id"])
    client.delete(f"/actors/{actor['id']}", headers=producer)
    for role in cast:
        reopened = history(client, reader, f"/roles/{role['id']}")[-1]
        assert (reopened["action"], reopened["changes"]) == (
            "updated",
            {"actor_id": [actor["id"], None]},
        )
        assert reopened["note"] == "actor deleted"
        # The reopened role's ETag moved on: an If-Match read before the delete fails.
        assert client.get(f"/roles/{role['id']}", headers=producer).headers["ETag"] == '"2"'
    assert len(history(client, reader, f"/roles/{other['id']}")) == 1


def test_deleting_a_movie_records_the_roles_it_removes(client, producer, reader, create):
    movie = create("movies")
    roles = [create("roles", movie_id=movie["id"]) for _ in range(2)]
    client.delete(f"/movies/{movie['id']}", headers=producer)
    for role in roles:
        events = history(client, reader, f"/roles/{role['id']}")
        assert [(e["action"], e["note"]) for e in events] == [
            ("created", None),
            ("deleted", "movie deleted"),
        ]
    assert history(client, reader, f"/movies/{movie['id']}")[-1]["action"] == "deleted"


def test_deleting_a_role_records_its_submissions(app, client, producer, reader, create):
    role, actor = create("roles"), create("actors")
    submission_id = store_submission(app, role["id"], actor["id"])
    client.delete(f"/roles/{role['id']}", headers=producer)
    events = history(client, reader, f"/submissions/{submission_id}")
    assert [(e["action"], e["note"]) for e in events] == [
        ("created", None),
        ("deleted", "role deleted"),
    ]


def test_a_submission_status_change_is_a_move(app, client, reader, create):
    role, actor = create("roles"), create("actors")
    submission_id = store_submission(app, role["id"], actor["id"])
    with app.app_context():
        submission = db.session.get_one(Submission, submission_id)
        submission.status = "shortlisted"
        db.session.commit()
    events = history(client, reader, f"/submissions/{submission_id}")
    assert actions(events)[1] == ("moved", {"status": ["submitted", "shortlisted"]})
    assert events[1]["by"] == "system"  # no token: a command, a scheduler


def test_a_movie_deleted_with_its_roles_loaded_records_each_role_once(app, client, reader, create):
    movie = create("movies")
    role = create("roles", movie_id=movie["id"])
    with app.app_context():
        loaded = db.session.get_one(Movie, movie["id"])
        assert len(loaded.roles) == 1  # the ORM now deletes the role itself, too
        db.session.delete(loaded)
        db.session.commit()
    assert [e["action"] for e in history(client, reader, f"/roles/{role['id']}")] == [
        "created",
        "deleted",
    ]


# --- The pipeline's writes, through its API -------------------------------------------------


def _submit(client: FlaskClient, producer: Headers, role_id: int, actor_id: int) -> int:
    url = f"/roles/{role_id}/submissions"
    response = client.post(url, json={"actor_id": actor_id}, headers=producer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _move(client: FlaskClient, producer: Headers, submission_id: int, **body: Any) -> Any:
    return client.post(f"/submissions/{submission_id}/transitions", json=body, headers=producer)


def test_each_move_is_an_event_with_its_status_and_note(client, producer, reader, create):
    role, actor = create("roles"), create("actors")
    submission_id = _submit(client, producer, role["id"], actor["id"])
    _move(client, producer, submission_id, to="shortlisted", note="strong tape")
    _move(client, producer, submission_id, to="callback")
    events = history(client, reader, f"/submissions/{submission_id}")
    assert [(e["action"], e["changes"].get("status"), e["note"]) for e in events] == [
        ("created", [None, "submitted"], None),
        ("moved", ["submitted", "shortlisted"], "strong tape"),
        ("moved", ["shortlisted", "callback"], None),
    ]


def test_booking_records_the_casting_and_the_releases_it_causes(client, producer, reader, create):
    role = create("roles")
    chosen, other = create("actors"), create("actors")
    booked = _submit(client, producer, role["id"], chosen["id"])
    released = _submit(client, producer, role["id"], other["id"])
    for status in ("shortlisted", "offered", "booked"):
        assert _move(client, producer, booked, to=status).status_code == 200
    cast = history(client, reader, f"/roles/{role['id']}")[-1]
    assert (cast["action"], cast["changes"]) == ("updated", {"actor_id": [None, chosen["id"]]})
    release = history(client, reader, f"/submissions/{released}")[-1]
    assert (release["action"], release["changes"]["status"], release["note"]) == (
        "moved",
        ["submitted", "released"],
        "role booked",
    )
    assert release["request_id"] == cast["request_id"]


def test_a_refused_move_records_no_event(client, producer, reader, create):
    role, actor = create("roles"), create("actors")
    submission_id = _submit(client, producer, role["id"], actor["id"])
    before = _event_count(client, reader)
    assert _move(client, producer, submission_id, to="booked").status_code == 409
    assert _event_count(client, reader) == before


def test_an_automatic_release_is_a_move_by_system(app, client, reader, create):
    role, actor = create("roles"), create("actors")
    past = datetime.now(UTC) - timedelta(minutes=5)
    submission_id = store_submission(app, role["id"], actor["id"], "on_hold", past)
    result = app.test_cli_runner().invoke(args=["release-expired-holds"])
    assert result.exit_code == 0, result.output
    release = history(client, reader, f"/submissions/{submission_id}")[-1]
    assert (release["action"], release["by"], release["note"], release["request_id"]) == (
        "moved",
        "system",
        "hold expired",
        None,
    )
    assert release["changes"]["status"] == ["on_hold", "released"]


# --- Who, and which request ----------------------------------------------------------------


def test_event_names_the_tokens_subject_and_the_request_id(client, issuer, reader):
    token = issuer.mint(["post:movies"], subject=SUBJECT)
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "req-7f3a.42_x"}
    created = client.post("/movies", json=valid_body("movies"), headers=headers).get_json()
    (event_,) = history(client, reader, f"/movies/{created['id']}")
    assert (event_["by"], event_["request_id"]) == (SUBJECT, "req-7f3a.42_x")


def test_a_machine_token_is_recorded_as_its_client(client, sign, reader):
    machine = sign(sub="abc@clients", gty="client-credentials", permissions=["post:actors"])
    headers = {"Authorization": f"Bearer {machine}"}
    response = client.post("/actors", json=valid_body("actors"), headers=headers)
    (event_,) = history(client, reader, f"/actors/{response.get_json()['id']}")
    assert event_["by"] == "abc@clients"
    # Without X-Request-ID the request gets one of its own, and the event names it.
    assert event_["request_id"] == response.headers["X-Request-ID"]


def test_every_event_of_one_request_shares_its_request_id(client, producer, reader, create):
    movie = create("movies")
    roles = [create("roles", movie_id=movie["id"]) for _ in range(2)]
    client.delete(f"/movies/{movie['id']}", headers={**producer, "X-Request-ID": "bulk-1"})
    deleted = [history(client, reader, f"/roles/{r['id']}")[-1] for r in roles]
    deleted.append(history(client, reader, f"/movies/{movie['id']}")[-1])
    assert {e["request_id"] for e in deleted} == {"bulk-1"}


# --- Refused and failed writes record nothing ----------------------------------------------


def _event_count(client: FlaskClient, reader: Headers) -> int:
    return len(feed(client, reader, "?limit=500")["events"])


@pytest.mark.parametrize(
    "method,path,body,headers,status",
    [
        ("POST", "/roles", {"movie_id": 999, "name": "X", "min_age": 1, "max_age": 2}, {}, 422),
        ("PATCH", "/roles/{role}", {"max_age": 1}, {}, 422),
        ("PATCH", "/roles/{role}", {"work_end": "1999-01-01"}, {}, 422),
        ("PATCH", "/actors/{actor}", {"age": 40}, {"If-Match": '"9"'}, 412),
        ("DELETE", "/roles/{role}", None, {"If-Match": '"9"'}, 412),
        ("PATCH", "/roles/{role}", {"actor_id": "{other}"}, {}, 409),
    ],
    ids=["422-create", "422-patch", "422-dates", "412-patch", "412-delete", "409-recast"],
)
def test_a_refused_write_records_no_event(
    client, producer, reader, create, method, path, body, headers, status
):
    actor, other = create("actors"), create("actors")
    role = create("roles", actor_id=actor["id"], work_start="2027-01-01")
    ids = {"role": role["id"], "actor": actor["id"], "other": other["id"]}
    if body and body.get("actor_id") == "{other}":
        body = {"actor_id": other["id"]}
    before = _event_count(client, reader)
    response = client.open(
        path.format(**ids), method=method, json=body, headers={**producer, **headers}
    )
    assert_error(response, status)
    assert _event_count(client, reader) == before


@pytest.fixture
def failing_event_insert(app: APIFlask) -> Iterator[None]:
    """The events INSERT fails, as a database would mid-commit."""
    with app.app_context():
        engine = db.engine

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO EVENTS"):
            raise OperationalError(statement, {}, Exception("disk full"))

    event.listen(engine, "before_cursor_execute", fail)
    yield
    event.remove(engine, "before_cursor_execute", fail)


def test_a_change_whose_event_cannot_be_written_is_not_stored(
    client, producer, reader, create, request
):
    actor = create("actors", age=30)
    request.getfixturevalue("failing_event_insert")
    response = client.patch(f"/actors/{actor['id']}", json={"age": 45}, headers=producer)
    assert_error(response, 503)
    assert client.get(f"/actors/{actor['id']}", headers=producer).get_json()["actor"]["age"] == 30


def test_a_failed_commit_records_no_event_and_leaves_none_behind(app, client, reader, create):
    movie = create("movies")
    cursor = feed(client, reader)["next_after"]
    with app.app_context():
        db.session.add(Role(movie_id=movie["id"], name="Bad", min_age=50, max_age=40))
        with pytest.raises(Exception, match="(?i)constraint"):
            db.session.commit()
        db.session.rollback()
        db.session.add(Role(movie_id=movie["id"], name="Good", min_age=20, max_age=40))
        db.session.commit()
    events = feed(client, reader, f"?after={cursor}")["events"]
    assert [(e["entity"], e["action"], e["changes"]["name"]) for e in events] == [
        ("role", "created", [None, "Good"])
    ]


def test_a_savepoint_rolled_back_takes_only_its_own_events(app, client, reader, create):
    actor = create("actors", age=30)
    with app.app_context():
        stored = db.session.get_one(Actor, actor["id"])
        stored.age = 31
        savepoint = db.session.begin_nested()
        stored.age = 32
        db.session.flush()
        savepoint.rollback()
        db.session.commit()
    events = history(client, reader, f"/actors/{actor['id']}")
    assert actions(events)[1:] == [("updated", {"age": [30, 31]})]


# --- Reading history -----------------------------------------------------------------------


def test_history_of_a_deleted_record_still_answers(client, producer, reader, create):
    role = create("roles")
    client.delete(f"/roles/{role['id']}", headers=producer)
    assert client.get(f"/roles/{role['id']}", headers=producer).status_code == 404
    assert [e["action"] for e in history(client, reader, f"/roles/{role['id']}")] == [
        "created",
        "deleted",
    ]


@pytest.mark.parametrize("resource", ["movies", "actors", "roles", "submissions"])
@pytest.mark.parametrize("record_id", [999, 0, MAX_ID + 1])
def test_history_of_what_never_existed_is_404(client, reader, resource, record_id):
    assert_error(client.get(f"/{resource}/{record_id}/history", headers=reader), 404)


def test_history_of_a_record_with_no_events_is_empty_not_404(app, client, reader, create):
    """Records from before history was recorded have none; they still exist."""
    movie = create("movies")
    with app.app_context():
        db.session.execute(text("DELETE FROM events"))
        db.session.commit()
    body = client.get(f"/movies/{movie['id']}/history", headers=reader).get_json()
    assert body == {"success": True, "events": [], "next_after": 0}


def test_history_is_only_about_its_record(client, producer, reader, create):
    movie = create("movies")
    role = create("roles", movie_id=movie["id"])
    create("actors")
    events = history(client, reader, f"/movies/{movie['id']}")
    assert {(e["entity"], e["entity_id"]) for e in events} == {("movie", movie["id"])}
    assert {
        (e["entity"], e["entity_id"]) for e in history(client, reader, f"/roles/{role['id']}")
    } == {("role", role["id"])}


def test_history_pages_with_after_and_limit(client, producer, reader, create):
    actor = create("actors", age=20)
    for age in range(21, 26):
        client.patch(f"/actors/{actor['id']}", json={"age": age}, headers=producer)
    url = f"/actors/{actor['id']}/history"
    first = client.get(f"{url}?limit=2", headers=reader).get_json()
    assert [e["changes"].get("age") for e in first["events"]] == [[None, 20], [20, 21]]
    assert first["next_after"] == first["events"][-1]["id"]
    rest = client.get(f"{url}?after={first['next_after']}", headers=reader).get_json()
    assert [e["changes"]["age"][1] for e in rest["events"]] == [22, 23, 24, 25]
    done = client.get(f"{url}?after={rest['next_after']}", headers=reader).get_json()
    assert done == {"success": True, "events": [], "next_after": rest["next_after"]}


# --- The feed ------------------------------------------------------------------------------


@pytest.fixture
def seven_events(client: FlaskClient, producer: Headers, create: Create) -> None:
    """Events 1 to 7: a movie, an actor, a role and their edits."""
    movie = create("movies")
    actor = create("actors")
    role = create("roles", movie_id=movie["id"])
    client.patch(f"/movies/{movie['id']}", json={"company": "Halcyon"}, headers=producer)
    client.patch(f"/roles/{role['id']}", json={"name": "Second lead"}, headers=producer)
    client.patch(f"/actors/{actor['id']}", json={"age": 40}, headers=producer)
    client.delete(f"/roles/{role['id']}", headers=producer)


def test_feed_pages_by_id_with_next_after(client, reader, seven_events):
    whole = feed(client, reader)
    ids = [e["id"] for e in whole["events"]]
    assert len(ids) == 7 and ids == sorted(ids)
    assert whole["next_after"] == ids[-1]
    seen, cursor = [], 0
    while True:
        page = feed(client, reader, f"?after={cursor}&limit=3")
        assert len(page["events"]) <= 3
        seen += page["events"]
        if not page["events"]:
            assert page["next_after"] == cursor  # nothing new: the same cursor
            break
        cursor = page["next_after"]
    assert seen == whole["events"]


def test_feed_filters_by_entity(client, reader, seven_events):
    roles = feed(client, reader, "?entity=role")["events"]
    assert [(e["entity"], e["action"]) for e in roles] == [
        ("role", "created"),
        ("role", "updated"),
        ("role", "deleted"),
    ]
    after = roles[0]["id"]
    later = feed(client, reader, f"?entity=role&after={after}&limit=1")
    assert [e["id"] for e in later["events"]] == [roles[1]["id"]]
    assert later["next_after"] == roles[1]["id"]
    assert feed(client, reader, "?entity=submission") == {
        "success": True,
        "events": [],
        "next_after": 0,
    }


def test_feed_limit_bounds(client, reader, seven_events):
    assert len(feed(client, reader, "?limit=1")["events"]) == 1
    assert len(feed(client, reader, "?limit=500")["events"]) == 7


@pytest.mark.parametrize(
    "query,param",
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("limit=1.5", "limit"),
        ("limit=", "limit"),
        (f"limit={10**30}", "limit"),
        ("after=-1", "after"),
        ("after=x", "after"),
        ("after=%2B1", "after"),
        (f"after={MAX_ID + 1}", "after"),
        ("entity=movies", "entity"),
        ("entity=event", "entity"),
        ("entity=", "entity"),
        ("page=2", "page"),
        ("since=3", "since"),
    ],
)
def test_feed_refuses_bad_parameters_naming_them(client, reader, query, param):
    body = assert_error(client.get(f"/events?{query}", headers=reader), 400)
    assert param in body["errors"]


@pytest.mark.parametrize("query,param", [("limit=501", "limit"), ("entity=role", "entity")])
def test_history_refuses_bad_parameters_naming_them(client, reader, create, query, param):
    movie = create("movies")
    response = client.get(f"/movies/{movie['id']}/history?{query}", headers=reader)
    assert param in assert_error(response, 400)["errors"]


def test_feed_after_the_last_event_is_empty_with_the_same_cursor(client, reader, seven_events):
    assert feed(client, reader, f"?after={MAX_ID}") == {
        "success": True,
        "events": [],
        "next_after": MAX_ID,
    }


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE", "PUT"])
def test_events_cannot_be_written_through_the_api(client, producer, method):
    assert_error(client.open("/events", method=method, headers=producer), 405)
    assert_error(client.open("/events/1", method=method, headers=producer), 404)


# --- Permissions ---------------------------------------------------------------------------

HISTORY_PATHS = [
    "/events",
    "/movies/{movie}/history",
    "/actors/{actor}/history",
    "/roles/{role}/history",
    "/submissions/{submission}/history",
]


@pytest.fixture
def one_of_each(app: APIFlask, create: Create) -> dict[str, int]:
    movie, actor = create("movies"), create("actors")
    role = create("roles", movie_id=movie["id"])
    submission = store_submission(app, role["id"], actor["id"])
    return {
        "movie": movie["id"],
        "actor": actor["id"],
        "role": role["id"],
        "submission": submission,
    }


@pytest.mark.parametrize("path", HISTORY_PATHS)
@pytest.mark.parametrize("role", ["assistant", "director", "producer"])
def test_history_needs_get_history(client, auth, one_of_each, path, role):
    response = client.get(path.format(**one_of_each), headers=auth(role))
    if "get:history" in STAFF_PERMISSIONS[role]:
        assert response.status_code == 200
    else:
        body = assert_error(response, 403)
        assert body["message"] == "Permission 'get:history' is required."


@pytest.mark.parametrize("path", HISTORY_PATHS)
def test_history_without_a_token_is_401(client, one_of_each, path):
    assert_error(client.get(path.format(**one_of_each)), 401)


@pytest.mark.parametrize("path", HISTORY_PATHS)
def test_get_history_alone_is_enough(client, reader, one_of_each, path):
    assert client.get(path.format(**one_of_each), headers=reader).status_code == 200


# --- Commit order on PostgreSQL ------------------------------------------------------------


def _poll(client: FlaskClient, reader: Headers, cursor: int) -> tuple[list[int], int]:
    body = feed(client, reader, f"?after={cursor}&limit=500")
    return [e["id"] for e in body["events"]], body["next_after"]


def _all_event_ids(app: APIFlask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Event.id).order_by(Event.id)))


@pytest.mark.postgres  # SQLite runs one writer at a time: nothing to interleave
def test_a_transaction_that_commits_last_gets_the_later_event_id(app, client, reader):
    """The first to write is the last to commit: a poller that has already moved past
    the other's event must still see this one, so its id must come after."""
    with app.app_context():
        engine = db.engine
    with Session(engine) as slow, Session(engine) as fast:
        slow.add(Movie(title="Slow", release_date=date(2027, 1, 1)))
        slow.flush()
        fast.add(Movie(title="Fast", release_date=date(2027, 1, 1)))
        fast.flush()
        fast.commit()
        seen, cursor = _poll(client, reader, 0)
        slow.commit()
    later, cursor = _poll(client, reader, cursor)
    assert len(seen) == len(later) == 1
    assert seen + later == _all_event_ids(app)


@pytest.mark.postgres
def test_a_poller_following_next_after_misses_no_event_of_concurrent_writers(app, client, reader):
    with app.app_context():
        engine = db.engine
    writers, commits = 4, 12
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with Session(engine) as session:
                for n in range(commits):
                    session.add(Actor(name=f"W{writer}-{n}", age=30, gender="female"))
                    session.flush()  # the row (and, before, its event id) is taken here
                    time.sleep(random.uniform(0, 0.004))
                    session.commit()
        except BaseException as error:  # noqa: BLE001  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    seen: list[int] = []
    cursor = 0
    while any(thread.is_alive() for thread in threads):
        ids, cursor = _poll(client, reader, cursor)
        seen += ids
    for thread in threads:
        thread.join()
    ids, cursor = _poll(client, reader, cursor)
    seen += ids
    assert not failures
    assert seen == _all_event_ids(app)
    assert len(seen) == writers * commits
