"""Lists: filters, sorting and paging, checked against known data (the rules of each query
parameter are tables in test_field_rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import event

from helpers import Create, Dataset, Headers, Record
from models import Actor, db

Get = Callable[..., tuple[int, Any]]

MAX_ID = 2**31 - 1

# label -> fields; created in this order, so ids ascend down each table.
MOVIES = {
    "orbit": {
        "title": "Orbit of Glass",
        "release_date": "2027-09-01",
        "company": "Halcyon",
        "genres": ["Sci-Fi", "Drama"],
    },
    "paper": {"title": "Paper Crowns", "release_date": "2028-01-20", "genres": ["Drama"]},
    "glass": {
        "title": "Glass Harbor",
        "release_date": "2026-05-10",
        "company": "Halcyon",
        "genres": ["Thriller"],
    },
    "bright": {
        "title": "Bright Static",
        "release_date": "2025-03-15",
        "company": "Bluewave",
        "genres": ["Comedy"],
    },
    "night": {"title": "Night Ferry", "release_date": "2027-09-01", "genres": []},
    "echo": {
        "title": "Echo Valley",
        "release_date": "2024-12-31",
        "company": "Apex",
        "genres": ["sci-fi", "Music"],
    },
}


ACTOR_COLUMNS = (
    "name", "age", "gender", "location", "height", "passport", "driver_license", "seeking_roles",
    "ethnicity", "hair_color", "eye_color", "body_type",
)  # fmt: skip
# fmt: off
ACTOR_ROWS = {
    "maya": ("Maya Okafor", 34, "female", "Lagos, Nigeria", 170, True, True, True,
             "black", "black", "brown", "athletic"),
    "sam": ("Sam Lindqvist", 27, "non-binary", "Stockholm, Sweden", 182, True, False, False,
            "white", "blond", "blue", "slim"),
    "ramaya": ("Ramaya Rao", 41, "male", "Mumbai, India", 175, False, True, True,
               "south asian", "black", "brown", "average"),
    "lucia": ("Lucia Fernandez", 34, "female", "Buenos Aires, Argentina", None, False, False, True,
              "latino", "brown", "hazel", "curvy"),
    "tom": ("Tom Baker", 67, "male", None, 190, True, True, False,
            None, "gray", "blue", "heavyset"),
    "amaya": ("Amaya Stone", 19, "female", "lagos", 160, False, False, True,
              "mixed", "red", "green", "slim"),
}
# fmt: on
ACTORS = {label: dict(zip(ACTOR_COLUMNS, row, strict=True)) for label, row in ACTOR_ROWS.items()}

# label -> (movie label, actor label or None, name, gender, min_age, max_age)
ROLES = {
    "lead": ("orbit", "maya", "Lead", "female", 30, 40),
    "sidekick": ("orbit", None, "Sidekick", "any", 20, 30),
    "young": ("paper", None, "Young Lead", "male", 10, 18),
    "lead2": ("paper", "sam", "Lead", "any", 25, 50),
    "mentor": ("paper", "maya", "Mentor", "non-binary", 50, 70),
    "guard": ("orbit", None, "Guard", "male", 30, 45),
}


@pytest.fixture
def listed(dataset: Dataset, create: Create) -> dict[str, dict[str, int]]:
    """The MOVIES, ACTORS and ROLES, stored through the API (the ROLES in their movies
    and cast): resource -> label -> id."""

    def build() -> dict[str, dict[str, int]]:
        movies = {label: create("movies", **fields)["id"] for label, fields in MOVIES.items()}
        actors = {label: create("actors", **fields)["id"] for label, fields in ACTORS.items()}
        roles = {}
        for label, (movie, cast, name, gender, min_age, max_age) in ROLES.items():
            roles[label] = create(
                "roles",
                movie_id=movies[movie],
                actor_id=actors[cast] if cast else None,
                name=name,
                gender=gender,
                min_age=min_age,
                max_age=max_age,
            )["id"]
        return {"movies": movies, "actors": actors, "roles": roles}

    return dataset("listing", build)


@pytest.fixture
def movies(listed: dict[str, dict[str, int]]) -> dict[str, int]:
    """The MOVIES, stored: label -> id."""
    return listed["movies"]


@pytest.fixture
def actors(listed: dict[str, dict[str, int]]) -> dict[str, int]:
    """The ACTORS, stored: label -> id."""
    return listed["actors"]


@pytest.fixture
def roles(listed: dict[str, dict[str, int]]) -> dict[str, int]:
    """The ROLES, stored: label -> id."""
    return listed["roles"]


@pytest.fixture
def get(client: FlaskClient, producer: Headers) -> Get:
    """get("/actors", {"age": 34}) -> (status, JSON body), as the producer."""

    def fetch(path: str, query: dict[str, Any] | None = None) -> tuple[int, Any]:
        response = client.get(path, query_string=query or {}, headers=producer)
        return response.status_code, response.get_json()

    return fetch


def add_actors(app: APIFlask, count: int, **fields: Any) -> list[int]:
    """Insert actors straight into the database; returns their ids in insertion order."""
    with app.app_context():
        rows = [
            Actor(name=f"Actor {n:02d}", age=20 + n % 7, gender="female", **fields)
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def labels(items: list[Record], ids: dict[str, int]) -> list[str]:
    """The labels of `items`, in their order, from the label -> id map of a fixture."""
    by_id = {record_id: label for label, record_id in ids.items()}
    return [by_id[item["id"]] for item in items]


def resolve(query: dict[str, Any], ids: dict[str, int]) -> dict[str, str]:
    """Values written as "{orbit}" become that record's id."""
    return {name: str(value).format(**ids) for name, value in query.items()}


# Listing shape, defaults and paging


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
def test_list_body_has_items_total_page_and_page_size(get, roles, resource):
    status, body = get(f"/{resource}")
    assert status == 200
    assert set(body) == {"success", resource, f"total_{resource}", "page", "page_size"}
    assert body["success"] is True
    assert body[f"total_{resource}"] == 6
    assert (body["page"], body["page_size"]) == (1, 10)
    ids = [item["id"] for item in body[resource]]
    assert ids == sorted(ids) and len(ids) == 6


def test_defaults_are_first_page_of_ten_sorted_by_id(app, get):
    ids = add_actors(app, 12)
    status, body = get("/actors")
    assert status == 200
    assert [a["id"] for a in body["actors"]] == ids[:10]
    assert (body["total_actors"], body["page"], body["page_size"]) == (12, 1, 10)


def test_last_page_is_partial(app, get):
    ids = add_actors(app, 12)
    status, body = get("/actors", {"page": 2})
    assert status == 200
    assert [a["id"] for a in body["actors"]] == ids[10:]
    assert (body["total_actors"], body["page"], body["page_size"]) == (12, 2, 10)


def test_middle_page_skips_the_rows_before_it(app, get):
    ids = add_actors(app, 12)
    status, body = get("/actors", {"page": 2, "page_size": 5})
    assert status == 200
    assert [a["id"] for a in body["actors"]] == ids[5:10]
    assert (body["total_actors"], body["page"], body["page_size"]) == (12, 2, 5)


@pytest.mark.parametrize("page_size", [1, 100])
def test_page_size_limits_are_accepted(app, get, page_size):
    ids = add_actors(app, 12)
    status, body = get("/actors", {"page_size": page_size})
    assert status == 200
    assert [a["id"] for a in body["actors"]] == ids[:page_size]
    assert (body["total_actors"], body["page_size"]) == (12, page_size)


@pytest.mark.parametrize("resource", ["movies", "actors", "roles"])
@pytest.mark.parametrize("page", [3, 7, MAX_ID])
def test_page_past_the_end_is_empty_with_the_true_total(get, roles, resource, page):
    status, body = get(f"/{resource}", {"page": page, "page_size": 3})
    assert status == 200
    assert body[resource] == []
    assert (body[f"total_{resource}"], body["page"], body["page_size"]) == (6, page, 3)


def test_list_of_an_empty_table_is_empty(get):
    status, body = get("/movies")
    assert status == 200
    assert body == {"success": True, "movies": [], "total_movies": 0, "page": 1, "page_size": 10}


@pytest.mark.parametrize(
    "resource, sort",
    [
        ("movies", "id"),
        ("movies", "company"),
        ("movies", "-release_date"),
        ("actors", "-age"),
        ("actors", "height"),
        ("actors", "-age,name"),
        ("roles", "name"),
        ("roles", "-movie_id,min_age"),
    ],
)
def test_walking_pages_of_one_returns_every_row_exactly_once(get, roles, resource, sort):
    _, whole = get(f"/{resource}", {"sort": sort, "page_size": 100})
    expected = [item["id"] for item in whole[resource]]
    walked = []
    for page in range(1, len(expected) + 2):
        status, body = get(f"/{resource}", {"sort": sort, "page_size": 1, "page": page})
        assert status == 200
        assert body[f"total_{resource}"] == 6
        walked += [item["id"] for item in body[resource]]
    assert walked == expected
    assert len(set(walked)) == 6


@pytest.mark.parametrize(
    "resource, query, total, page_labels",
    [
        ("actors", {"gender": "female", "page_size": 2, "page": 2}, 3, ["amaya"]),
        ("actors", {"passport": "true", "page_size": 2, "page": 1}, 3, ["maya", "sam"]),
        ("movies", {"genre": "drama", "page_size": 1, "page": 2}, 2, ["paper"]),
        ("roles", {"open": "true", "page_size": 2, "page": 2}, 3, ["guard"]),
        ("roles", {"open": "false", "page_size": 2, "page": 3}, 3, []),
    ],
)
def test_total_counts_filtered_rows_not_the_page(
    get, movies, actors, roles, resource, query, total, page_labels
):
    ids = {"movies": movies, "actors": actors, "roles": roles}[resource]
    status, body = get(f"/{resource}", query)
    assert status == 200
    assert labels(body[resource], ids) == page_labels
    assert body[f"total_{resource}"] == total


# Movies


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"title": "orbit of glass"}, ["orbit"]),
        ({"title": "ORBIT OF GLASS"}, ["orbit"]),
        ({"title": "  Orbit of Glass  "}, ["orbit"]),
        ({"title": "Orbit"}, []),
        ({"title": "Glass"}, []),
        ({"search_term": "glass"}, ["orbit", "glass"]),
        ({"search_term": "GLASS"}, ["orbit", "glass"]),
        ({"search_term": "t of g"}, ["orbit"]),
        ({"search_term": "ferries"}, []),
        ({"company": "halcyon"}, ["orbit", "glass"]),
        ({"company": "BLUEWAVE"}, ["bright"]),
        ({"company": "Halc"}, []),
        ({"genre": "sci-fi"}, ["orbit", "echo"]),
        ({"genre": "DRAMA"}, ["orbit", "paper"]),
        ({"genre": "Dram"}, []),
        ({"genre": "Horror"}, []),
        ({"release_date": "2027-09-01"}, ["orbit", "night"]),
        ({"release_date": "2027-09-02"}, []),
        ({"min_release_date": "2027-09-01"}, ["orbit", "paper", "night"]),
        ({"max_release_date": "2025-03-15"}, ["bright", "echo"]),
        (
            {"min_release_date": "2025-03-15", "max_release_date": "2027-09-01"},
            ["orbit", "glass", "bright", "night"],
        ),
        ({"genre": "drama", "min_release_date": "2028-01-01"}, ["paper"]),
        ({"company": "halcyon", "search_term": "harbor"}, ["glass"]),
        ({"genre": "sci-fi", "max_release_date": "2025-01-01"}, ["echo"]),
    ],
)
def test_movie_filters_match_exactly_the_expected_movies(get, movies, query, expected):
    status, body = get("/movies", query)
    assert status == 200
    assert labels(body["movies"], movies) == expected
    assert body["total_movies"] == len(expected)


@pytest.mark.parametrize(
    "term, expected",
    [
        ("%", ["100% Proof"]),
        ("0%", ["100% Proof"]),
        ("%proof", []),
        ("_", ["Under_score"]),
        ("r_s", ["Under_score"]),
        ("\\", ["Back\\slash"]),
        ("k\\s", ["Back\\slash"]),
    ],
)
def test_movie_search_term_treats_like_wildcards_as_literal_characters(get, create, term, expected):
    for title in ("100% Proof", "1000 Proofs", "Under_score", "Underscore", "Back\\slash"):
        create("movies", title=title)
    create("movies", title="Backslash")
    status, body = get("/movies", {"search_term": term})
    assert status == 200
    assert [m["title"] for m in body["movies"]] == expected
    assert body["total_movies"] == len(expected)


@pytest.mark.parametrize(
    "resource, field, stored, parameter, value",
    [
        pytest.param("actors", "name", "Émilie Dubois", "name", "émilie dubois", id="actor-name"),
        pytest.param(
            "actors", "name", "Émilie Dubois", "search_term", "éMILIE", id="actor-search_term"
        ),
        pytest.param("actors", "location", "Zürich", "location", "ZÜRICH", id="actor-location"),
        pytest.param("movies", "title", "Ça Commence", "title", "ça commence", id="movie-title"),
        pytest.param("movies", "title", "Ça Commence", "search_term", "çA", id="movie-search_term"),
        pytest.param("movies", "company", "Ökofilm", "company", "ökofilm", id="movie-company"),
        pytest.param("movies", "genres", ["COMÉDIE"], "genre", "comédie", id="movie-genre"),
        pytest.param("roles", "name", "Élise", "name", "élise", id="role-name"),
        pytest.param("roles", "name", "Élise", "search_term", "éLI", id="role-search_term"),
    ],
)
def test_text_filters_ignore_case_of_accented_letters_too(
    get, create, resource, field, stored, parameter, value
):
    create(resource)
    record = create(resource, **{field: stored})
    status, body = get(f"/{resource}", {parameter: value})
    assert status == 200
    assert [item["id"] for item in body[resource]] == [record["id"]]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("id", ["orbit", "paper", "glass", "bright", "night", "echo"]),
        ("-id", ["echo", "night", "bright", "glass", "paper", "orbit"]),
        ("title", ["bright", "echo", "glass", "night", "orbit", "paper"]),
        ("-title", ["paper", "orbit", "night", "glass", "echo", "bright"]),
        ("release_date", ["echo", "bright", "glass", "orbit", "night", "paper"]),
        ("-release_date", ["paper", "orbit", "night", "glass", "bright", "echo"]),
        ("release_date,-id", ["echo", "bright", "glass", "night", "orbit", "paper"]),
        ("company", ["echo", "bright", "orbit", "glass", "paper", "night"]),
        ("-company", ["orbit", "glass", "bright", "echo", "paper", "night"]),
        ("company,-id", ["echo", "bright", "glass", "orbit", "night", "paper"]),
        ("-company,title", ["glass", "orbit", "bright", "echo", "night", "paper"]),
    ],
)
def test_movie_sort_orders_with_ties_by_id_and_null_company_last(get, movies, sort, expected):
    status, body = get("/movies", {"sort": sort})
    assert status == 200
    assert labels(body["movies"], movies) == expected


# Actors


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"name": "maya okafor"}, ["maya"]),
        ({"name": "MAYA OKAFOR"}, ["maya"]),
        ({"name": "Maya"}, []),
        ({"search_term": "maya"}, ["maya", "ramaya", "amaya"]),
        ({"search_term": "MAYA"}, ["maya", "ramaya", "amaya"]),
        ({"search_term": "a o"}, ["maya"]),
        ({"search_term": "%"}, []),
        ({"age": 34}, ["maya", "lucia"]),
        ({"min_age": 34}, ["maya", "ramaya", "lucia", "tom"]),
        ({"max_age": 34}, ["maya", "sam", "lucia", "amaya"]),
        ({"min_age": 27, "max_age": 41}, ["maya", "sam", "ramaya", "lucia"]),
        ({"gender": "female"}, ["maya", "lucia", "amaya"]),
        ({"gender": "male"}, ["ramaya", "tom"]),
        ({"gender": "non-binary"}, ["sam"]),
        ({"location": "LAGOS"}, ["maya", "amaya"]),
        ({"location": "nigeria"}, ["maya"]),
        ({"location": "os"}, ["maya", "lucia", "amaya"]),
        ({"passport": "true"}, ["maya", "sam", "tom"]),
        ({"passport": "false"}, ["ramaya", "lucia", "amaya"]),
        ({"driver_license": "true"}, ["maya", "ramaya", "tom"]),
        ({"driver_license": "false"}, ["sam", "lucia", "amaya"]),
        ({"seeking_roles": "true"}, ["maya", "ramaya", "lucia", "amaya"]),
        ({"seeking_roles": "false"}, ["sam", "tom"]),
        ({"ethnicity": "south asian"}, ["ramaya"]),
        ({"ethnicity": "black"}, ["maya"]),
        ({"ethnicity": "asian"}, []),
        ({"hair_color": "black"}, ["maya", "ramaya"]),
        ({"eye_color": "blue"}, ["sam", "tom"]),
        ({"body_type": "slim"}, ["sam", "amaya"]),
        ({"height": 175}, ["ramaya"]),
        ({"min_height": 175}, ["sam", "ramaya", "tom"]),
        ({"max_height": 170}, ["maya", "amaya"]),
        ({"min_height": 170, "max_height": 182}, ["maya", "sam", "ramaya"]),
        ({"gender": "female", "passport": "true"}, ["maya"]),
        ({"gender": "male", "passport": "false"}, ["ramaya"]),
        ({"search_term": "maya", "seeking_roles": "true", "max_age": 40}, ["maya", "amaya"]),
        ({"location": "lagos", "min_age": 20}, ["maya"]),
        ({"hair_color": "black", "eye_color": "brown", "body_type": "average"}, ["ramaya"]),
        ({"gender": "female", "seeking_roles": "true", "ethnicity": "latino"}, ["lucia"]),
        ({"gender": "female", "min_height": 100}, ["maya", "amaya"]),
    ],
)
def test_actor_filters_match_exactly_the_expected_actors(get, actors, query, expected):
    status, body = get("/actors", query)
    assert status == 200
    assert labels(body["actors"], actors) == expected
    assert body["total_actors"] == len(expected)


def test_actor_search_term_matches_part_of_name_in_any_case(get, actors):
    status, body = get("/actors", {"search_term": "oKaF"})
    assert status == 200
    assert [a["name"] for a in body["actors"]] == ["Maya Okafor"]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["amaya", "lucia", "maya", "ramaya", "sam", "tom"]),
        ("-name", ["tom", "sam", "ramaya", "maya", "lucia", "amaya"]),
        ("age", ["amaya", "sam", "maya", "lucia", "ramaya", "tom"]),
        ("-age", ["tom", "ramaya", "maya", "lucia", "sam", "amaya"]),
        ("-age,name", ["tom", "ramaya", "lucia", "maya", "sam", "amaya"]),
        ("age,-id", ["amaya", "sam", "lucia", "maya", "ramaya", "tom"]),
        ("height", ["amaya", "maya", "ramaya", "sam", "tom", "lucia"]),
        ("-height", ["tom", "sam", "ramaya", "maya", "amaya", "lucia"]),
        ("-id", ["amaya", "tom", "lucia", "ramaya", "sam", "maya"]),
    ],
)
def test_actor_sort_orders_with_ties_by_id(get, actors, sort, expected):
    status, body = get("/actors", {"sort": sort})
    assert status == 200
    assert labels(body["actors"], actors) == expected


def test_sort_ties_fall_back_to_id_even_after_rows_are_updated(get, create, client, producer):
    ids = [create("actors", name=f"Twin {n}", age=30)["id"] for n in range(4)]
    # An update can move a row physically (PostgreSQL rewrites it at the heap's end).
    response = client.patch(f"/actors/{ids[0]}", json={"location": "Oslo"}, headers=producer)
    assert response.status_code == 200
    for sort in ("age", "-age"):
        for page_size in (4, 3):
            _, body = get("/actors", {"sort": sort, "page_size": page_size})
            assert [a["id"] for a in body["actors"]] == ids[:page_size]


# Roles


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"movie_id": "{orbit}"}, ["lead", "sidekick", "guard"]),
        ({"movie_id": "{paper}"}, ["young", "lead2", "mentor"]),
        ({"movie_id": "{glass}"}, []),
        ({"movie_id": MAX_ID}, []),
        ({"actor_id": "{maya}"}, ["lead", "mentor"]),
        ({"actor_id": "{sam}"}, ["lead2"]),
        ({"actor_id": "{tom}"}, []),
        ({"name": "LEAD"}, ["lead", "lead2"]),
        ({"name": "lead"}, ["lead", "lead2"]),
        ({"name": "Lea"}, []),
        ({"search_term": "LEAD"}, ["lead", "young", "lead2"]),
        ({"search_term": "ent"}, ["mentor"]),
        ({"gender": "male"}, ["young", "guard"]),
        ({"gender": "any"}, ["sidekick", "lead2"]),
        ({"gender": "female"}, ["lead"]),
        ({"gender": "non-binary"}, ["mentor"]),
        ({"age": 30}, ["lead", "sidekick", "lead2", "guard"]),
        ({"age": 10}, ["young"]),
        ({"age": 18}, ["young"]),
        ({"age": 50}, ["lead2", "mentor"]),
        ({"age": 70}, ["mentor"]),
        ({"age": 71}, []),
        ({"min_age": 30}, ["lead", "mentor", "guard"]),
        ({"min_age": 31}, ["mentor"]),
        ({"max_age": 30}, ["sidekick", "young"]),
        ({"max_age": 29}, ["young"]),
        ({"min_age": 20, "max_age": 45}, ["lead", "sidekick", "guard"]),
        ({"open": "true"}, ["sidekick", "young", "guard"]),
        ({"open": "false"}, ["lead", "lead2", "mentor"]),
        ({"movie_id": "{orbit}", "open": "true"}, ["sidekick", "guard"]),
        ({"gender": "any", "open": "false"}, ["lead2"]),
        ({"age": 35, "movie_id": "{orbit}"}, ["lead", "guard"]),
        ({"actor_id": "{maya}", "movie_id": "{paper}"}, ["mentor"]),
    ],
)
def test_role_filters_match_exactly_the_expected_roles(get, movies, actors, roles, query, expected):
    status, body = get("/roles", resolve(query, {**movies, **actors}))
    assert status == 200
    assert labels(body["roles"], roles) == expected
    assert body["total_roles"] == len(expected)


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["guard", "lead", "lead2", "mentor", "sidekick", "young"]),
        ("-name", ["young", "sidekick", "mentor", "lead", "lead2", "guard"]),
        ("min_age", ["young", "sidekick", "lead2", "lead", "guard", "mentor"]),
        ("-max_age", ["mentor", "lead2", "guard", "lead", "sidekick", "young"]),
        ("movie_id", ["lead", "sidekick", "guard", "young", "lead2", "mentor"]),
        ("movie_id,-min_age", ["lead", "guard", "sidekick", "mentor", "lead2", "young"]),
        ("-movie_id,name", ["lead2", "mentor", "young", "guard", "lead", "sidekick"]),
        ("-id", ["guard", "mentor", "lead2", "young", "sidekick", "lead"]),
    ],
)
def test_role_sort_orders_with_ties_by_id(get, roles, sort, expected):
    status, body = get("/roles", {"sort": sort})
    assert status == 200
    assert labels(body["roles"], roles) == expected


# Roles of one movie or one actor


def test_movie_roles_lists_every_role_of_that_movie_in_id_order(get, movies, actors, roles):
    status, body = get(f"/movies/{movies['orbit']}/roles")
    assert status == 200
    assert set(body) == {"success", "movie_id", "roles"}
    assert (body["success"], body["movie_id"]) == (True, movies["orbit"])
    assert labels(body["roles"], roles) == ["lead", "sidekick", "guard"]
    assert [r["actor_id"] for r in body["roles"]] == [actors["maya"], None, None]


def test_actor_roles_lists_the_roles_that_actor_is_cast_in(get, movies, actors, roles):
    status, body = get(f"/actors/{actors['maya']}/roles")
    assert status == 200
    assert set(body) == {"success", "actor_id", "roles"}
    assert (body["success"], body["actor_id"]) == (True, actors["maya"])
    assert labels(body["roles"], roles) == ["lead", "mentor"]
    assert [r["movie_id"] for r in body["roles"]] == [movies["orbit"], movies["paper"]]


@pytest.mark.parametrize(
    "resource, label, key", [("movies", "glass", "movie_id"), ("actors", "tom", "actor_id")]
)
def test_record_without_roles_lists_none(get, movies, actors, roles, resource, label, key):
    record_id = {**movies, **actors}[label]
    status, body = get(f"/{resource}/{record_id}/roles")
    assert status == 200
    assert body == {"success": True, key: record_id, "roles": []}


@pytest.mark.parametrize("resource", ["movies", "actors"])
@pytest.mark.parametrize("record_id", [999, MAX_ID])
def test_roles_of_unknown_record_are_a_json_404(get, roles, resource, record_id):
    status, body = get(f"/{resource}/{record_id}/roles")
    assert status == 404
    assert body["success"] is False
    assert body["error"] == 404
    assert str(record_id) in body["message"]


@pytest.mark.parametrize("resource, label", [("movies", "orbit"), ("actors", "maya")])
def test_roles_of_one_record_need_get_roles_permission(
    client, token, movies, actors, roles, resource, label
):
    path = f"/{resource}/{({**movies, **actors})[label]}/roles"
    denied = client.get(path, headers={"Authorization": f"Bearer {token(f'get:{resource}')}"})
    allowed = client.get(path, headers={"Authorization": f"Bearer {token('get:roles')}"})
    assert denied.status_code == 403
    assert denied.get_json()["success"] is False
    assert allowed.status_code == 200


# The work happens in SQL


def test_actor_list_makes_one_count_and_one_page_statement_whatever_the_page_size(
    app, client, producer
):
    add_actors(app, 30)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
    try:
        per_request = {}
        for page_size in (1, 100):
            statements.clear()
            response = client.get(
                "/actors",
                query_string={"page_size": page_size, "min_age": 21, "sort": "-age,name"},
                headers=producer,
            )
            assert response.status_code == 200
            body = response.get_json()
            assert body["total_actors"] == 25  # ages 20..26 cycle; five actors are 20
            assert len(body["actors"]) == min(page_size, 25)
            per_request[page_size] = list(statements)
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert len(per_request[1]) == len(per_request[100]) == 2
    for count, page in per_request.values():
        assert "count(" in count.lower()
        assert "where" in count.lower() and "where" in page.lower()
        assert "limit" in page.lower() and "order by" in page.lower()


@pytest.mark.parametrize(
    "query", ["page=1&page=2", "gender=female&gender=male", "sort=id&sort=-id"]
)
def test_repeated_query_parameter_is_refused(client, producer, query):
    response = client.get(f"/actors?{query}", headers=producer)
    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.get_json()["message"] == f"Query parameter '{name}' is given more than once."


def test_repeated_parameter_without_token_is_unauthorized_first(client):
    assert client.get("/actors?page=1&page=2").status_code == 401
