"""The service answers at all: index and health."""


def test_index_names_the_service(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.get_json()["service"] == "Casting Agency API"


def test_health_is_ok_when_database_answers(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_create_helper_makes_records(create, client, producer):
    role = create("roles")
    assert client.get(f"/roles/{role['id']}", headers=producer).status_code == 200
