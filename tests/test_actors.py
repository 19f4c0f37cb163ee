"""Actors (talent profiles): create, read, update, delete, and reopening their roles."""

from helpers import VALID_BODIES
from models import Actor, Role, db

FULL_ACTOR = {
    "name": "Maya Okafor",
    "age": 34,
    "gender": "female",
    "location": "Los Angeles, CA",
    "passport": True,
    "driver_license": True,
    "seeking_roles": False,
    "ethnicity": "black",
    "hair_color": "black",
    "eye_color": "brown",
    "body_type": "athletic",
    "height": 172,
    "description": "Stage and screen; stunt trained.",
    "image_link": "https://images.example.com/maya.jpg",
    "phone": "+1 (310) 555-0101",
    "email": "maya@example.com",
}


def test_create_actor_with_every_field_returns_them_all(client, producer):
    response = client.post("/actors", json=FULL_ACTOR, headers=producer)
    assert response.status_code == 201
    body = response.get_json()
    assert body["actor"] == {"id": body["id"], **FULL_ACTOR}
    assert response.headers["Location"].endswith(f"/actors/{body['id']}")


def test_create_actor_defaults_optional_fields(client, producer):
    response = client.post("/actors", json=VALID_BODIES["actors"], headers=producer)
    actor = response.get_json()["actor"]
    assert actor["passport"] is False
    assert actor["driver_license"] is False
    assert actor["seeking_roles"] is True
    for field in ("location", "ethnicity", "height", "email", "phone", "image_link"):
        assert actor[field] is None


def test_director_can_create_actor(client, auth):
    response = client.post("/actors", json=VALID_BODIES["actors"], headers=auth("director"))
    assert response.status_code == 201


def test_get_actor(client, producer, create):
    actor = create("actors", **FULL_ACTOR)
    response = client.get(f"/actors/{actor['id']}", headers=producer)
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "actor": actor}


def test_patch_actor_changes_only_given_fields(client, producer, create):
    actor = create("actors", **FULL_ACTOR)
    change = {"age": 35, "location": None, "seeking_roles": True}
    response = client.patch(f"/actors/{actor['id']}", json=change, headers=producer)
    assert response.status_code == 200
    assert response.get_json()["actor"] == {**actor, **change}


def test_patch_actor_refuses_invalid_value_and_keeps_record(client, producer, create):
    actor = create("actors")
    response = client.patch(
        f"/actors/{actor['id']}", json={"age": 131, "name": "New"}, headers=producer
    )
    assert response.status_code == 422
    assert "age" in response.get_json()["errors"]
    assert client.get(f"/actors/{actor['id']}", headers=producer).get_json()["actor"] == actor


def test_delete_actor_reopens_their_roles(client, producer, create):
    actor = create("actors")
    role = create("roles", actor_id=actor["id"])

    response = client.delete(f"/actors/{actor['id']}", headers=producer)

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "deleted": actor["id"]}
    assert client.get(f"/actors/{actor['id']}", headers=producer).status_code == 404
    reopened = client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"]
    assert reopened == {**role, "actor_id": None}


def test_database_itself_reopens_roles_of_deleted_actor(app, create):
    """ON DELETE SET NULL holds even for a delete that bypasses the ORM."""
    actor = create("actors")
    create("roles", actor_id=actor["id"])
    with app.app_context():
        db.session.execute(db.delete(Actor).where(Actor.id == actor["id"]))
        db.session.commit()
        assert db.session.scalars(db.select(Role.actor_id)).all() == [None]


def test_delete_missing_actor_is_404(client, producer):
    response = client.delete("/actors/5", headers=producer)
    assert response.status_code == 404
    assert response.get_json()["message"] == "Actor 5 was not found."


def test_actor_roles_lists_the_roles_they_are_cast_in(client, producer, create):
    actor = create("actors")
    cast = create("roles", actor_id=actor["id"])
    create("roles")
    response = client.get(f"/actors/{actor['id']}/roles", headers=producer)
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "actor_id": actor["id"], "roles": [cast]}


def test_roles_of_missing_actor_is_404(client, producer):
    assert client.get("/actors/9/roles", headers=producer).status_code == 404
