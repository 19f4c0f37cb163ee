"""Roles: the parts in a movie, and casting actors into them."""

import pytest

from helpers import valid_body


def test_create_open_role(client, producer, create):
    movie = create("movies")
    body = valid_body("roles", movie_id=movie["id"])
    response = client.post("/roles", json=body, headers=producer)
    assert response.status_code == 201
    role = response.get_json()["role"]
    assert role == {
        "id": response.get_json()["id"],
        "movie_id": movie["id"],
        "actor_id": None,
        "name": body["name"],
        "gender": "any",
        "min_age": body["min_age"],
        "max_age": body["max_age"],
        "description": None,
        "work_start": None,
        "work_end": None,
    }
    assert response.headers["Location"].endswith(f"/roles/{role['id']}")


def test_create_role_already_cast(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"], gender="female")
    assert role["actor_id"] == actor["id"]
    assert role["gender"] == "female"


def test_role_may_span_a_single_age(create):
    assert create("roles", min_age=30, max_age=30)["max_age"] == 30


@pytest.mark.parametrize(
    "change,field",
    [
        ({"movie_id": 999}, "movie_id"),
        ({"actor_id": 999}, "actor_id"),
        ({"min_age": 50, "max_age": 40}, "max_age"),
    ],
)
def test_create_role_refuses_what_the_database_would(client, producer, create, change, field):
    movie = create("movies")
    body = {**valid_body("roles", movie_id=movie["id"]), **change}
    response = client.post("/roles", json=body, headers=producer)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert client.get("/roles", headers=producer).get_json()["total_roles"] == 0


def test_cast_actor_into_open_role(client, auth, create):
    role = create("roles")
    actor = create("actors")
    response = client.patch(
        f"/roles/{role['id']}", json={"actor_id": actor["id"]}, headers=auth("director")
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "id": role["id"],
        "role": {**role, "actor_id": actor["id"]},
        # Maya is 34; the role is for any gender of 20 to 40, whose middle is 30.
        "fit": {
            "age_distance": 4.0,
            "role_age_range": [20, 40],
            "gender": "any",
            "age_in_range": True,
            "gender_matches": True,
            "overlapping_holds": [],
        },
    }


def test_reopen_role_by_setting_actor_to_null(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])
    response = client.patch(f"/roles/{role['id']}", json={"actor_id": None}, headers=producer)
    assert response.status_code == 200
    assert response.get_json()["role"]["actor_id"] is None


def test_cast_unknown_actor_is_refused_and_role_stays_open(client, producer, create):
    role = create("roles")
    response = client.patch(f"/roles/{role['id']}", json={"actor_id": 77}, headers=producer)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"actor_id": ["actor 77 does not exist"]}
    assert client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"] == role


def test_patch_max_age_below_stored_min_age_is_refused(client, producer, create):
    role = create("roles", min_age=30, max_age=40)
    response = client.patch(f"/roles/{role['id']}", json={"max_age": 20}, headers=producer)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"max_age": ["must be at least min_age (30)"]}
    assert client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"] == role


def test_patch_role_can_move_both_ages_at_once(client, producer, create):
    role = create("roles", min_age=30, max_age=40)
    response = client.patch(
        f"/roles/{role['id']}", json={"min_age": 50, "max_age": 60}, headers=producer
    )
    assert response.status_code == 200
    assert response.get_json()["role"]["min_age"] == 50


def test_move_role_to_another_movie(client, producer, create):
    role = create("roles")
    other = create("movies", title="Other")
    response = client.patch(
        f"/roles/{role['id']}", json={"movie_id": other["id"]}, headers=producer
    )
    assert response.get_json()["role"]["movie_id"] == other["id"]


def test_delete_role_leaves_movie_and_actor(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])
    response = client.delete(f"/roles/{role['id']}", headers=producer)
    assert response.get_json() == {"success": True, "deleted": role["id"]}
    assert client.get(f"/roles/{role['id']}", headers=producer).status_code == 404
    assert client.get(f"/movies/{role['movie_id']}", headers=producer).status_code == 200
    assert client.get(f"/actors/{actor['id']}", headers=producer).status_code == 200


def test_get_missing_role_is_404(client, producer):
    response = client.get("/roles/12", headers=producer)
    assert response.status_code == 404
    assert response.get_json()["message"] == "Role 12 was not found."


# --- Casting and fit ----------------------------------------------------------------------


def test_casting_against_type_is_allowed_and_the_answer_says_so(client, auth, create):
    """A 30-year-old woman in a part written for a man of 55 to 70: a director's choice,
    cast as asked, and the answer says how far from the part she is."""
    role = create("roles", gender="male", min_age=55, max_age=70)
    actor = create("actors", age=30, gender="female")
    response = client.patch(
        f"/roles/{role['id']}", json={"actor_id": actor["id"]}, headers=auth("director")
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"]["actor_id"] == actor["id"]
    assert body["fit"] == {
        "age_distance": 32.5,
        "role_age_range": [55, 70],
        "gender": "male",
        "age_in_range": False,
        "gender_matches": False,
        "overlapping_holds": [],
    }


@pytest.mark.parametrize(
    ("age", "gender", "in_range", "matches"),
    [(40, "male", True, True), (71, "male", False, True), (60, "non-binary", True, False)],
)
def test_casting_fit_judges_age_and_gender_apart(
    client, producer, create, age, gender, in_range, matches
):
    role = create("roles", gender="male", min_age=55, max_age=70)
    actor = create("actors", age=age, gender=gender)
    fit = client.patch(
        f"/roles/{role['id']}", json={"actor_id": actor["id"], "min_age": 40}, headers=producer
    ).get_json()["fit"]
    assert (fit["age_in_range"], fit["gender_matches"]) == (in_range, matches)
    assert fit["role_age_range"] == [40, 70]  # the role as this PATCH left it


def test_creating_a_cast_role_answers_with_the_fit(client, producer, create):
    movie = create("movies")
    actor = create("actors", age=34, gender="female")
    body = valid_body("roles", movie_id=movie["id"], actor_id=actor["id"], gender="male")
    response = client.post("/roles", json=body, headers=producer)
    assert response.status_code == 201
    assert response.get_json()["fit"]["gender_matches"] is False


def test_an_open_role_answers_without_fit(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])
    movie = create("movies")
    opened = client.patch(f"/roles/{role['id']}", json={"actor_id": None}, headers=producer)
    created = client.post(
        "/roles", json=valid_body("roles", movie_id=movie["id"]), headers=producer
    )
    assert "fit" not in opened.get_json() and "fit" not in created.get_json()


def test_casting_fit_is_the_candidates_fit(client, producer, create):
    """One computation for both: the candidates list and the casting say the same."""
    role = create("roles", gender="female", min_age=30, max_age=45)
    actor = create("actors", age=31, gender="female")
    candidates = client.get(f"/roles/{role['id']}/candidates", headers=producer).get_json()
    (candidate,) = candidates["actors"]
    cast = client.patch(f"/roles/{role['id']}", json={"actor_id": actor["id"]}, headers=producer)
    assert cast.get_json()["fit"] == candidate["fit"]


def test_one_actor_may_play_two_roles_in_one_movie(client, producer, create):
    """Dual roles (twins, a double) are allowed; the candidates list leaves out actors
    already cast in the movie, but casting one of them is a choice, not an error."""
    movie = create("movies")
    actor = create("actors")
    first = create("roles", movie_id=movie["id"], name="Twin A", actor_id=actor["id"])
    second = create("roles", movie_id=movie["id"], name="Twin B")
    response = client.patch(
        f"/roles/{second['id']}", json={"actor_id": actor["id"]}, headers=producer
    )
    assert response.status_code == 200
    assert response.get_json()["fit"]["age_in_range"] is True
    roles = client.get(f"/actors/{actor['id']}/roles", headers=producer).get_json()["roles"]
    assert [r["id"] for r in roles] == [first["id"], second["id"]]
