"""Lists and matches issue a fixed number of SQL statements, whatever the page size."""

from __future__ import annotations

import pytest

from helpers import Create


@pytest.fixture
def catalogue(create: Create) -> dict[str, int]:
    movies = [create("movies", title=f"Movie {n}") for n in range(3)]
    actors = [create("actors", name=f"Actor {n}", age=30 + n % 5) for n in range(12)]
    for n in range(12):
        actor_id = actors[n]["id"] if n % 2 else None
        create("roles", movie_id=movies[n % 3]["id"], actor_id=actor_id, min_age=25, max_age=40)
    return {"movie": movies[0]["id"], "actor": actors[1]["id"]}


ENDPOINTS = [
    "/movies?search_term=movie",
    "/actors?min_age=30&search_term=actor",
    "/roles?open=false",
    "/roles?expand=movie,actor",
    "/roles/1/candidates?min_age=20",
    "/actors/{actor}/matching-roles",
    "/actors/{actor}/matching-roles?expand=movie,actor",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_statement_count_does_not_grow_with_page_size(
    client, producer, catalogue, statements, path
):
    url = path.format(**catalogue)
    separator = "&" if "?" in url else "?"
    counts, sizes = [], []
    for page_size in (1, 100):
        statements.clear()
        response = client.get(f"{url}{separator}page_size={page_size}", headers=producer)
        assert response.status_code == 200, response.get_json()
        items = next(v for v in response.get_json().values() if isinstance(v, list))
        sizes.append(len(items))
        counts.append(len(statements))
    assert sizes[0] == 1 and sizes[1] > 1, "the big page must hold several rows to prove anything"
    assert counts[0] == counts[1]
    # A count and a page, plus the role or actor itself for the match lists.
    assert counts[0] <= 3


@pytest.mark.parametrize("parent", ["movies", "actors"])
def test_nested_role_list_statements_do_not_grow_with_roles(
    client, producer, create, statements, parent
):
    """A movie or actor with one role costs what one with six does: no query per row."""
    counts = []
    for role_count in (1, 6):
        movie = create("movies")
        actor = create("actors")
        for _ in range(role_count):
            create("roles", movie_id=movie["id"], actor_id=actor["id"])
        parent_id = movie["id"] if parent == "movies" else actor["id"]
        statements.clear()
        response = client.get(f"/{parent}/{parent_id}/roles?expand=movie,actor", headers=producer)
        assert len(response.get_json()["roles"]) == role_count
        counts.append(len(statements))
    assert counts[0] == counts[1] == 2


@pytest.mark.parametrize("path", ["/actors?min_age=30", "/roles?expand=movie,actor"])
def test_a_deep_page_costs_what_the_first_page_costs(client, producer, catalogue, statements, path):
    """Pages past the first select ids first, then the rows: still one page statement."""
    pages = {}
    counts = []
    for page in (1, 5):
        statements.clear()
        response = client.get(f"{path}&page_size=2&page={page}", headers=producer)
        pages[page] = response.get_json()
        counts.append(len(statements))
    assert counts == [2, 2]
    whole = client.get(f"{path}&page_size=100", headers=producer).get_json()
    items = next(key for key, value in whole.items() if isinstance(value, list))
    assert pages[1][items] == whole[items][0:2]
    assert pages[5][items] == whole[items][8:10]
    assert len(pages[5][items]) == 2
