"""Movies: create, read, update and delete, and what deleting takes with it."""

from helpers import VALID_BODIES
from models import Movie, Role, db

FULL_MOVIE = {
    "title": "The Long Goodbye Road",
    "release_date": "2027-03-12",
    "company": "Northlight Pictures",
    "description": "Two sisters drive across the desert.",
    "genres": ["Drama", "Road"],
}


def test_create_movie_returns_it_with_location(client, producer):
    response = client.post("/movies", json=FULL_MOVIE, headers=producer)
    assert response.status_code == 201
    body = response.get_json()
    assert body["success"] is True
    assert body["movie"] == {"id": body["id"], **FULL_MOVIE}
    assert response.headers["Location"].endswith(f"/movies/{body['id']}")
    assert (
        client.get(response.headers["Location"], headers=producer).get_json()["movie"]
        == (body["movie"])
    )


def test_create_movie_fills_optional_fields_with_defaults(client, producer):
    response = client.post("/movies", json=VALID_BODIES["movies"], headers=producer)
    movie = response.get_json()["movie"]
    assert movie["company"] is None
    assert movie["description"] is None
    assert movie["genres"] == []


def test_create_movie_trims_surrounding_whitespace(client, producer):
    body = {"title": "  Orbit of Glass ", "release_date": "2027-09-01"}
    movie = client.post("/movies", json=body, headers=producer).get_json()["movie"]
    assert movie["title"] == "Orbit of Glass"


def test_create_movie_without_required_fields_names_them(client, producer):
    response = client.post("/movies", json={}, headers=producer)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"title", "release_date"}


def test_get_movie_that_does_not_exist_is_404(client, producer):
    response = client.get("/movies/42", headers=producer)
    assert response.status_code == 404
    assert response.get_json() == {
        "success": False,
        "error": 404,
        "message": "Movie 42 was not found.",
    }


def test_patch_movie_changes_only_given_fields(client, producer, create):
    movie = create("movies", **FULL_MOVIE)
    response = client.patch(
        f"/movies/{movie['id']}", json={"company": None, "genres": ["Drama"]}, headers=producer
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == movie["id"]
    assert body["movie"] == {**movie, "company": None, "genres": ["Drama"]}


def test_patch_movie_cannot_null_a_required_field(client, producer, create):
    movie = create("movies")
    response = client.patch(f"/movies/{movie['id']}", json={"title": None}, headers=producer)
    assert response.status_code == 422
    assert "title" in response.get_json()["errors"]
    assert client.get(f"/movies/{movie['id']}", headers=producer).get_json()["movie"] == movie


def test_patch_with_empty_body_changes_nothing(client, producer, create):
    movie = create("movies")
    response = client.patch(f"/movies/{movie['id']}", json={}, headers=producer)
    assert response.status_code == 200
    assert response.get_json()["movie"] == movie


def test_patch_missing_movie_is_404(client, producer):
    assert client.patch("/movies/7", json={"title": "X"}, headers=producer).status_code == 404


def test_delete_movie_deletes_its_roles(app, client, producer, create):
    movie = create("movies")
    other = create("movies", title="Other")
    create("roles", movie_id=movie["id"])
    create("roles", movie_id=movie["id"])
    kept = create("roles", movie_id=other["id"])

    response = client.delete(f"/movies/{movie['id']}", headers=producer)

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "deleted": movie["id"]}
    assert client.get(f"/movies/{movie['id']}", headers=producer).status_code == 404
    roles = client.get("/roles", headers=producer).get_json()
    assert [role["id"] for role in roles["roles"]] == [kept["id"]]


def test_database_itself_cascades_movie_deletes(app, create):
    """The cascade is a foreign key rule, not only ORM behaviour."""
    movie = create("movies")
    create("roles", movie_id=movie["id"])
    with app.app_context():
        db.session.execute(db.delete(Movie).where(Movie.id == movie["id"]))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(Role)) == 0


def test_delete_missing_movie_is_404(client, producer):
    assert client.delete("/movies/3", headers=producer).status_code == 404


def test_movie_roles_lists_every_role_of_that_movie(client, producer, create):
    movie = create("movies")
    first = create("roles", movie_id=movie["id"], name="June")
    second = create("roles", movie_id=movie["id"], name="Ada")
    create("roles")
    response = client.get(f"/movies/{movie['id']}/roles", headers=producer)
    assert response.status_code == 200
    body = response.get_json()
    assert body["movie_id"] == movie["id"]
    assert body["roles"] == [first, second]


def test_roles_of_missing_movie_is_404(client, producer):
    assert client.get("/movies/9/roles", headers=producer).status_code == 404
