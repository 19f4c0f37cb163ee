"""No lost updates: versions as ETags, If-Match, and casting under real concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from apiflask import APIFlask
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.exc import ObjectDeletedError

from api.versions import vanished_record
from helpers import VALID_BODIES, Create, Headers, assert_error
from models import Actor, Movie, Role, db


def test_get_and_patch_return_the_version_as_etag(client, producer, create):
    actor = create("actors")
    url = f"/actors/{actor['id']}"
    assert client.get(url, headers=producer).headers["ETag"] == '"1"'
    response = client.patch(url, json={"age": 40}, headers=producer)
    assert response.headers["ETag"] == '"2"'
    assert client.get(url, headers=producer).headers["ETag"] == '"2"'


def test_create_returns_etag(client, producer):
    response = client.post("/movies", json=VALID_BODIES["movies"], headers=producer)
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
def test_patch_with_stale_if_match_is_412_and_writes_nothing(client, producer, create, resource):
    record = create(resource)
    url = f"/{resource}/{record['id']}"
    client.patch(url, json={"description": "first edit"}, headers=producer)

    response = client.patch(
        url, json={"description": "based on v1"}, headers={**producer, "If-Match": '"1"'}
    )

    assert_error(response, 412)
    assert response.headers["ETag"] == '"2"'
    stored = client.get(url, headers=producer).get_json()[resource[:-1]]
    assert stored["description"] == "first edit"


def test_patch_with_current_if_match_succeeds(client, producer, create):
    movie = create("movies")
    url = f"/movies/{movie['id']}"
    response = client.patch(
        url, json={"company": "Halcyon"}, headers={**producer, "If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize("header", ["*", '"7", "1"'])
def test_if_match_star_and_lists_match(client, producer, create, header):
    movie = create("movies")
    response = client.patch(
        f"/movies/{movie['id']}", json={"company": "X"}, headers={**producer, "If-Match": header}
    )
    assert response.status_code == 200


def test_weak_etag_never_satisfies_if_match(client, producer, create):
    """If-Match compares strongly (RFC 9110), so W/"1" is not version 1."""
    movie = create("movies")
    response = client.patch(
        f"/movies/{movie['id']}", json={"company": "X"}, headers={**producer, "If-Match": 'W/"1"'}
    )
    assert_error(response, 412)


# --- Conditional GET: If-None-Match -------------------------------------------------------


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
@pytest.mark.parametrize("header", ['"1"', 'W/"1"', "*", '"7", "1"', 'W/"9", W/"1"'])
def test_get_with_a_current_if_none_match_is_304_with_the_etag_and_no_body(
    client, producer, create, resource, header
):
    """Weak comparison, as RFC 9110 says for If-None-Match: W/"1" is version 1 too."""
    record = create(resource)
    response = client.get(
        f"/{resource}/{record['id']}", headers={**producer, "If-None-Match": header}
    )
    assert response.status_code == 304
    assert response.headers["ETag"] == '"1"'
    assert response.data == b""


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
def test_get_with_a_stale_if_none_match_is_the_record(client, producer, create, resource):
    record = create(resource)
    url = f"/{resource}/{record['id']}"
    client.patch(url, json={"description": "changed"}, headers=producer)
    response = client.get(url, headers={**producer, "If-None-Match": '"1", W/"3"'})
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.get_json()[resource[:-1]]["description"] == "changed"


def test_if_none_match_answers_only_after_auth_and_the_lookup(client, producer, token, create):
    """A 304 must not tell a client without a token, or without the permission, that a
    record exists; nor turn an unknown id into a 304 with `*`."""
    actor = create("actors")
    url = f"/actors/{actor['id']}"
    assert_error(client.get(url, headers={"If-None-Match": "*"}), 401)
    movies_only = {"Authorization": f"Bearer {token('get:movies')}", "If-None-Match": "*"}
    assert_error(client.get(url, headers=movies_only), 403)
    assert_error(client.get("/actors/999", headers={**producer, "If-None-Match": "*"}), 404)


def test_if_none_match_leaves_writes_alone(client, producer, create):
    actor = create("actors")
    response = client.patch(
        f"/actors/{actor['id']}", json={"age": 50}, headers={**producer, "If-None-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'


def test_delete_with_stale_if_match_is_412_and_keeps_record(client, producer, create):
    actor = create("actors")
    url = f"/actors/{actor['id']}"
    client.patch(url, json={"age": 50}, headers=producer)
    assert_error(client.delete(url, headers={**producer, "If-Match": '"1"'}), 412)
    assert client.get(url, headers=producer).status_code == 200
    assert client.delete(url, headers={**producer, "If-Match": '"2"'}).status_code == 200


def test_write_without_if_match_still_goes_through(client, producer, create):
    actor = create("actors")
    url = f"/actors/{actor['id']}"
    client.patch(url, json={"age": 50}, headers=producer)
    assert client.patch(url, json={"age": 51}, headers=producer).status_code == 200


def test_recasting_a_cast_role_needs_if_match(client, producer, create):
    first, second = create("actors", name="First"), create("actors", name="Second")
    role = create("roles", actor_id=first["id"])
    url = f"/roles/{role['id']}"

    blind = client.patch(url, json={"actor_id": second["id"]}, headers=producer)
    assert "already cast" in assert_error(blind, 409)["message"]
    assert client.get(url, headers=producer).get_json()["role"]["actor_id"] == first["id"]

    informed = client.patch(
        url, json={"actor_id": second["id"]}, headers={**producer, "If-Match": '"1"'}
    )
    assert informed.status_code == 200
    assert informed.get_json()["role"]["actor_id"] == second["id"]


def test_if_match_star_recasts_whoever_holds_the_role(client, producer, create):
    """If-Match: * (RFC 9110: any current version) is a deliberate recast, not a blind one."""
    first, second = create("actors", name="First"), create("actors", name="Second")
    role = create("roles", actor_id=first["id"])
    response = client.patch(
        f"/roles/{role['id']}",
        json={"actor_id": second["id"]},
        headers={**producer, "If-Match": "*"},
    )
    assert response.status_code == 200
    assert response.get_json()["role"]["actor_id"] == second["id"]
    assert response.headers["ETag"] == '"2"'


def test_reopening_and_editing_a_cast_role_need_no_if_match(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])
    url = f"/roles/{role['id']}"
    assert client.patch(url, json={"name": "Renamed"}, headers=producer).status_code == 200
    assert client.patch(url, json={"actor_id": actor["id"]}, headers=producer).status_code == 200
    assert client.patch(url, json={"actor_id": None}, headers=producer).status_code == 200


Call = tuple[str, str, dict[str, Any] | None]  # method, URL, JSON body


def _send_at_once(calls: list[Call], headers: dict[str, str]) -> list[requests.Response]:
    """Send the requests at the same moment, one thread each; return the responses in
    the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results: dict[int, requests.Response] = {}

    def send(index: int, call: Call) -> None:
        method, url, body = call
        with requests.Session() as session:
            barrier.wait()
            results[index] = session.request(method, url, json=body, headers=headers, timeout=10)

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(calls), "a request of the race never got an answer"
    return [results[index] for index in range(len(calls))]


def _race(
    url: str, bodies: list[dict[str, Any]], headers: dict[str, str]
) -> list[requests.Response]:
    """PATCH the bodies to one URL at the same moment."""
    return _send_at_once([("PATCH", url, body) for body in bodies], headers)


@pytest.mark.postgres  # SQLite serializes every write, so nothing would race
@pytest.mark.parametrize("with_if_match", [True, False], ids=["if-match", "no-if-match"])
def test_two_directors_casting_one_role_at_once_cannot_both_win(
    app: APIFlask,
    live_server: str,
    auth: Callable[[str], Headers],
    create: Create,
    with_if_match: bool,
) -> None:
    director = auth("director")
    actors = [create("actors", name=f"Actor {n}") for n in range(2)]
    winners: dict[int, int] = {}
    for _round in range(8):
        role = create("roles")
        url = f"{live_server}/roles/{role['id']}"
        headers = {**director, **({"If-Match": '"1"'} if with_if_match else {})}
        bodies = [{"actor_id": actor["id"]} for actor in actors]

        responses = _race(url, bodies, headers)

        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 200 and statuses[1] in (409, 412), statuses
        won = next(r for r in responses if r.status_code == 200)
        lost = next(r for r in responses if r.status_code != 200)
        assert lost.json()["success"] is False and lost.json()["error"] == lost.status_code
        winners[role["id"]] = won.json()["role"]["actor_id"]
        assert won.headers["ETag"] == '"2"'

    # What the database holds: each role cast once, to the winner, the loser's write
    # nowhere (a second write would show as version 3, or as the loser's actor).
    with app.app_context():
        rows = db.session.execute(db.select(Role.id, Role.actor_id, Role.version)).all()
        actors_stored = db.session.scalar(db.select(db.func.count()).select_from(Actor))
    assert {row.id: (row.actor_id, row.version) for row in rows} == {
        role_id: (actor_id, 2) for role_id, actor_id in winners.items()
    }
    assert actors_stored == len(actors)


# --- Writes racing a delete ----------------------------------------------------------------
# A write that commits just before a concurrent DELETE removes its row used to answer 500:
# the response was built by re-reading the record after the commit, and the row was gone.
# Now the answer is built from what was written; a write that loses to the delete is a
# 404 (the record was already gone) or a 409 (it went while the write was under way).


def _stored_ids(app: APIFlask, model: type[Any]) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(db.select(model.id)))


@pytest.mark.postgres  # SQLite serializes every write, so nothing would race
def test_role_created_while_its_movie_is_deleted_is_written_or_refused_never_a_500(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    for _round in range(30):
        movie = create("movies")
        body = {**VALID_BODIES["roles"], "movie_id": movie["id"]}
        created, removed = _send_at_once(
            [
                ("POST", f"{live_server}/roles", body),
                ("DELETE", f"{live_server}/movies/{movie['id']}", None),
            ],
            producer,
        )
        assert removed.status_code == 200, removed.text
        # 422: the movie was already gone when the role was checked, as for any unknown
        # movie_id; 409: it went between the check and the insert.
        assert created.status_code in (201, 409, 422), created.text
        if created.status_code == 201:
            role = created.json()["role"]
            assert role == {**role, **body, "actor_id": None}
            assert created.headers["ETag"] == '"1"'
            assert created.headers["Location"].endswith(f"/roles/{role['id']}")
        else:
            assert created.json()["error"] == created.status_code
    # Every movie was deleted, and with it every role written into it.
    assert _stored_ids(app, Movie) == set()
    assert _stored_ids(app, Role) == set()


@pytest.mark.postgres
def test_actor_edited_while_deleted_answers_what_was_stored_never_a_500(
    app: APIFlask, live_server: str, producer: Headers, create: Create
) -> None:
    kept: dict[int, dict[str, Any]] = {}
    for round_number in range(30):
        actor = create("actors")
        url = f"{live_server}/actors/{actor['id']}"
        age = 40 + round_number
        edited, removed = _send_at_once(
            [("PATCH", url, {"age": age}), ("DELETE", url, None)], producer
        )
        assert edited.status_code in (200, 404, 409), edited.text
        assert removed.status_code in (200, 409), removed.text
        if edited.status_code == 200:
            assert edited.json()["actor"] == {**actor, "age": age}
            assert edited.headers["ETag"] == '"2"'
        if removed.status_code == 409:
            # The delete lost to the edit: the edit is what the database holds.
            assert edited.status_code == 200
            kept[actor["id"]] = edited.json()["actor"]
    with app.app_context():
        stored = {a.id: (a.age, a.version) for a in db.session.scalars(db.select(Actor))}
    assert stored == {actor_id: (actor["age"], 2) for actor_id, actor in kept.items()}


@pytest.mark.postgres
def test_casting_while_the_movie_is_deleted_is_cast_or_refused_never_a_500(
    app: APIFlask, live_server: str, auth: Callable[[str], Headers], create: Create
) -> None:
    actor = create("actors")
    for _round in range(20):
        role = create("roles")
        cast, removed = _send_at_once(
            [
                ("PATCH", f"{live_server}/roles/{role['id']}", {"actor_id": actor["id"]}),
                ("DELETE", f"{live_server}/movies/{role['movie_id']}", None),
            ],
            auth("producer"),
        )
        assert removed.status_code == 200, removed.text
        assert cast.status_code in (200, 404, 409), cast.text
        if cast.status_code == 200:
            assert cast.json()["role"] == {**role, "actor_id": actor["id"]}
            assert cast.headers["ETag"] == '"2"'
    # The movies took their roles with them; the actor stays.
    assert _stored_ids(app, Role) == set()
    assert _stored_ids(app, Actor) == {actor["id"]}


@contextmanager
def _right_after_the_next_commit(action: Callable[[], None]) -> Iterator[None]:
    """Run `action` once, right after the next commit of any session and before the
    committing request answers: the moment a concurrent delete used to turn a stored
    write into a 500. The races above hit it now and then; this hits it every time."""
    fired = threading.Event()

    def listener(_session: Session) -> None:
        if not fired.is_set():
            fired.set()
            action()

    event.listen(Session, "after_commit", listener)
    try:
        yield
    finally:
        event.remove(Session, "after_commit", listener)
    assert fired.is_set(), "nothing was committed"


@pytest.mark.postgres  # the delete is served by another thread on its own connection
@pytest.mark.parametrize("write", ["create role", "edit actor", "cast role"])
def test_a_write_deleted_right_after_its_commit_answers_what_it_wrote(
    live_server: str, producer: Headers, create: Create, write: str
) -> None:
    actor = create("actors")
    role = create("roles")
    calls: dict[str, tuple[Call, str]] = {
        "create role": (
            (
                "POST",
                f"{live_server}/roles",
                {**VALID_BODIES["roles"], "movie_id": role["movie_id"]},
            ),
            f"{live_server}/movies/{role['movie_id']}",
        ),
        "edit actor": (
            ("PATCH", f"{live_server}/actors/{actor['id']}", {"age": 61}),
            f"{live_server}/actors/{actor['id']}",
        ),
        "cast role": (
            ("PATCH", f"{live_server}/roles/{role['id']}", {"actor_id": actor["id"]}),
            f"{live_server}/movies/{role['movie_id']}",
        ),
    }
    (method, url, body), delete_url = calls[write]
    deletions: list[int] = []

    def delete() -> None:
        deletions.append(requests.delete(delete_url, headers=producer, timeout=10).status_code)

    with _right_after_the_next_commit(delete):
        response = requests.request(method, url, json=body, headers=producer, timeout=10)

    assert deletions == [200]
    assert response.status_code in (200, 201), response.text
    written = response.json()["role" if "role" in write else "actor"]
    assert written == {**written, **(body or {})}
    assert response.headers["ETag"] == ('"1"' if method == "POST" else '"2"')
    follow_up = requests.get(
        f"{live_server}/{'actors' if write == 'edit actor' else 'roles'}/{written['id']}",
        headers=producer,
        timeout=10,
    )
    assert follow_up.status_code == 404


def test_a_record_deleted_while_a_request_reads_it_is_a_409(app: APIFlask) -> None:
    """The safety net under commit(): should a record ever be re-read after a concurrent
    delete, the answer is a lost race, never a 500."""
    with app.test_request_context():
        response = vanished_record(ObjectDeletedError(instance_state(Actor())))
    assert response.status_code == 409
    assert response.get_json() == {
        "success": False,
        "error": 409,
        "message": "Someone else deleted this record at the same moment.",
    }
