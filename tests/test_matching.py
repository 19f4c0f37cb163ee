"""Casting matches: candidates for a role and matching roles for an actor."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import TestResponse

from helpers import Create, Dataset


@pytest.fixture
def cast(dataset: Dataset, create: Create) -> dict[str, Any]:
    """A movie with a role for women of 30 to 40, and actors around it."""
    return dataset("cast", lambda: _cast(create))


def _cast(create: Create) -> dict[str, Any]:
    movie = create("movies", title="The Long Goodbye Road", release_date="2027-03-12")
    role = create(
        "roles", movie_id=movie["id"], name="June", gender="female", min_age=30, max_age=40
    )
    actors = {
        "centre": create("actors", name="Cara", age=35, gender="female", location="Lisbon"),
        "edge_b": create("actors", name="Bea", age=31, gender="female", passport=True),
        "edge_a": create("actors", name="Ana", age=39, gender="female"),
        "too_old": create("actors", name="Dee", age=41, gender="female"),
        "too_young": create("actors", name="Eve", age=29, gender="female"),
        "man": create("actors", name="Finn", age=35, gender="male"),
        "retired": create("actors", name="Gia", age=35, gender="female", seeking_roles=False),
        "busy": create("actors", name="Hana", age=35, gender="female"),
    }
    create("roles", movie_id=movie["id"], actor_id=actors["busy"]["id"], min_age=30, max_age=40)
    return {"movie": movie, "role": role, "actors": actors}


def _names(response: TestResponse) -> list[str]:
    return [actor["name"] for actor in response.get_json()["actors"]]


def test_candidates_are_ranked_by_age_fit_then_name(client, producer, cast):
    response = client.get(f"/roles/{cast['role']['id']}/candidates", headers=producer)
    assert response.status_code == 200
    body = response.get_json()
    # Cara is 0 years from the middle (35); Ana (39) and Bea (31) are 4 away: name decides.
    assert _names(response) == ["Cara", "Ana", "Bea"]
    assert body["total_actors"] == 3
    assert body["role_id"] == cast["role"]["id"]
    assert (body["page"], body["page_size"]) == (1, 10)


def test_candidate_carries_why_it_fits(client, producer, cast):
    body = client.get(f"/roles/{cast['role']['id']}/candidates", headers=producer).get_json()
    top = body["actors"][0]
    assert top["id"] == cast["actors"]["centre"]["id"]
    assert top["fit"] == {
        "age_distance": 0.0,
        "role_age_range": [30, 40],
        "gender": "female",
        "age_in_range": True,
        "gender_matches": True,
        "overlapping_holds": [],
    }
    assert body["actors"][1]["fit"]["age_distance"] == 4.0


def test_role_for_any_gender_takes_every_gender(client, producer, create, cast):
    role = create("roles", movie_id=cast["movie"]["id"], gender="any", min_age=35, max_age=35)
    names = _names(client.get(f"/roles/{role['id']}/candidates", headers=producer))
    # Hana is busy in this movie already; Gia is not seeking roles.
    assert names == ["Cara", "Finn"]


def test_actor_cast_in_another_movie_is_still_a_candidate(client, producer, create, cast):
    other = create("movies", title="Elsewhere")
    create("roles", movie_id=other["id"], actor_id=cast["actors"]["centre"]["id"])
    names = _names(client.get(f"/roles/{cast['role']['id']}/candidates", headers=producer))
    assert "Cara" in names


def test_cast_role_still_lists_candidates_for_recasting(client, producer, cast):
    role_id = cast["role"]["id"]
    client.patch(
        f"/roles/{role_id}", json={"actor_id": cast["actors"]["edge_a"]["id"]}, headers=producer
    )
    assert _names(client.get(f"/roles/{role_id}/candidates", headers=producer)) == [
        "Cara",
        "Ana",
        "Bea",
    ]


@pytest.mark.parametrize(
    "filters,expected",
    [
        ("passport=true", ["Bea"]),
        ("location=lis", ["Cara"]),
        ("search_term=a", ["Cara", "Ana", "Bea"]),
        ("max_age=35", ["Cara", "Bea"]),
    ],
)
def test_candidates_take_actor_filters(client, producer, cast, filters, expected):
    url = f"/roles/{cast['role']['id']}/candidates?{filters}"
    assert _names(client.get(url, headers=producer)) == expected


def test_candidates_page(client, producer, cast):
    url = f"/roles/{cast['role']['id']}/candidates?page=2&page_size=2"
    body = client.get(url, headers=producer).get_json()
    assert [a["name"] for a in body["actors"]] == ["Bea"]
    assert (body["total_actors"], body["page"], body["page_size"]) == (3, 2, 2)


def test_candidates_refuse_sort_and_unknown_parameters(client, producer, cast):
    url = f"/roles/{cast['role']['id']}/candidates?sort=name"
    response = client.get(url, headers=producer)
    assert response.status_code == 400
    assert "sort" in response.get_json()["message"]


def test_candidates_for_unknown_role_is_404(client, producer):
    assert client.get("/roles/404/candidates", headers=producer).status_code == 404


@pytest.fixture
def roles_for_actor(dataset: Dataset, create: Create) -> dict[str, Any]:
    """Open roles around a 35-year-old man, in two movies."""
    return dataset("roles for actor", lambda: _roles_for_actor(create))


def _roles_for_actor(create: Create) -> dict[str, Any]:
    early = create("movies", title="Early", release_date="2026-01-01")
    late = create("movies", title="Late", release_date="2029-01-01")
    actor = create("actors", name="Finn", age=35, gender="male")
    roles = {
        "late_centred": create("roles", movie_id=late["id"], name="A", min_age=30, max_age=40),
        "early_centred": create(
            "roles", movie_id=early["id"], name="B", gender="male", min_age=35, max_age=35
        ),
        "off_centre": create("roles", movie_id=early["id"], name="C", min_age=20, max_age=36),
        "women": create("roles", movie_id=late["id"], name="D", gender="female", min_age=30),
        "too_young": create("roles", movie_id=late["id"], name="E", min_age=10, max_age=20),
    }
    return {"actor": actor, "roles": roles, "early": early, "late": late}


def _role_names(response: TestResponse) -> list[str]:
    return [role["name"] for role in response.get_json()["roles"]]


def test_matching_roles_rank_by_centred_age_then_release_date(client, producer, roles_for_actor):
    url = f"/actors/{roles_for_actor['actor']['id']}/matching-roles"
    response = client.get(url, headers=producer)
    assert response.status_code == 200
    body = response.get_json()
    assert _role_names(response) == ["B", "A", "C"]
    assert body["total_roles"] == 3
    assert body["actor_id"] == roles_for_actor["actor"]["id"]


def test_matching_roles_skip_cast_roles_and_movies_the_actor_is_in(
    client, producer, create, roles_for_actor
):
    actor_id = roles_for_actor["actor"]["id"]
    other = create("actors", name="Ivo", age=35, gender="male")
    client.patch(
        f"/roles/{roles_for_actor['roles']['late_centred']['id']}",
        json={"actor_id": other["id"]},
        headers=producer,
    )
    create("roles", movie_id=roles_for_actor["early"]["id"], actor_id=actor_id, name="Cameo")
    url = f"/actors/{actor_id}/matching-roles"
    assert _role_names(client.get(url, headers=producer)) == []


def test_actor_not_seeking_roles_matches_nothing(client, producer, roles_for_actor):
    actor_id = roles_for_actor["actor"]["id"]
    client.patch(f"/actors/{actor_id}", json={"seeking_roles": False}, headers=producer)
    body = client.get(f"/actors/{actor_id}/matching-roles", headers=producer).get_json()
    assert (body["roles"], body["total_roles"]) == ([], 0)


def test_matching_roles_take_role_filters_paging_and_expand(client, producer, roles_for_actor):
    actor_id = roles_for_actor["actor"]["id"]
    url = f"/actors/{actor_id}/matching-roles?movie_id={roles_for_actor['early']['id']}"
    assert _role_names(client.get(url, headers=producer)) == ["B", "C"]
    url = f"/actors/{actor_id}/matching-roles?page=2&page_size=1&expand=movie"
    body = client.get(url, headers=producer).get_json()
    assert body["roles"][0]["name"] == "A"
    assert body["roles"][0]["movie"] == {"id": 2, "title": "Late", "release_date": "2029-01-01"}


def test_matching_roles_for_unknown_actor_is_404(client, producer):
    assert client.get("/actors/404/matching-roles", headers=producer).status_code == 404


@pytest.mark.parametrize("missing", ["get:roles", "get:actors"])
@pytest.mark.parametrize("path", ["/roles/1/candidates", "/actors/1/matching-roles"])
def test_matches_need_both_read_permissions(client, token, create, path, missing):
    create("roles")
    create("actors")
    granted = [p for p in ("get:roles", "get:actors") if p != missing]
    response = client.get(path, headers={"Authorization": f"Bearer {token(*granted)}"})
    assert response.status_code == 403
    assert missing in response.get_json()["message"]


@pytest.mark.parametrize("role", ["assistant", "director", "producer"])
@pytest.mark.parametrize("path", ["/roles/1/candidates", "/actors/1/matching-roles"])
def test_every_staff_role_may_see_matches(client, auth, create, path, role):
    create("roles")
    create("actors")
    assert client.get(path, headers=auth(role)).status_code == 200


def test_role_list_expands_movie_and_actor(client, producer, create):
    actor = create("actors", name="Maya")
    movie = create("movies", title="Orbit", release_date="2027-09-01")
    create("roles", movie_id=movie["id"], actor_id=actor["id"])
    create("roles", movie_id=movie["id"])
    roles = client.get("/roles?expand=movie,actor", headers=producer).get_json()["roles"]
    assert roles[0]["movie"] == {"id": movie["id"], "title": "Orbit", "release_date": "2027-09-01"}
    assert roles[0]["actor"] == {"id": actor["id"], "name": "Maya"}
    assert "actor" not in roles[1]
    plain = client.get("/roles", headers=producer).get_json()["roles"]
    assert "movie" not in plain[0] and "actor" not in plain[0]


@pytest.mark.parametrize("path", ["/roles", "/movies/1/roles", "/actors/1/roles"])
def test_unknown_expansion_is_refused(client, producer, create, path):
    create("roles", actor_id=create("actors")["id"])
    response = client.get(f"{path}?expand=director", headers=producer)
    assert response.status_code == 400
    assert "expand" in response.get_json()["message"]
