"""No lost updates: versions as ETags, If-Match, and casting under real concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests
from apiflask import APIFlask

from helpers import VALID_BODIES, Create, Headers, assert_error
from models import Actor, Role, db


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


def _race(
    url: str, bodies: list[dict[str, Any]], headers: dict[str, str]
) -> list[requests.Response]:
    """Send the bodies at the same moment, one thread each; return the responses in the
    order of the bodies."""
    barrier = threading.Barrier(len(bodies))
    results: dict[int, requests.Response] = {}

    def send(index: int, body: dict[str, Any]) -> None:
        with requests.Session() as session:
            barrier.wait()
            results[index] = session.patch(url, json=body, headers=headers, timeout=10)

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(bodies), "a request of the race never got an answer"
    return [results[index] for index in range(len(bodies))]


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
