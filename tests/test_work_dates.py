"""Roles' work dates: their rules, the works_on filter, and what they do to candidates
(actors booked on overlapping dates are left out, overlapping holds are reported)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from api.schemas import RoleIn, RolePatch
from helpers import VALID_BODIES, Create, assert_error, store_submission, valid_body

MAY = {"work_start": "2027-05-10", "work_end": "2027-05-20"}
HOLD_UNTIL = datetime.now(UTC) + timedelta(days=7)

# --- Field rules ---------------------------------------------------------------------------

BAD_DATES = [
    "",
    "2027-5-10",
    "10/05/2027",
    "2027-02-30",
    "2201-01-01",
    "2027-05-10T09:00",
    20270510,
]


@pytest.mark.parametrize("field", ["work_start", "work_end"])
@pytest.mark.parametrize("value", BAD_DATES, ids=repr)
def test_role_schemas_refuse_a_bad_work_date_naming_it(field: str, value: Any) -> None:
    for schema, body in ((RoleIn, VALID_BODIES["roles"]), (RolePatch, {})):
        with pytest.raises(ValidationError) as refused:
            schema.model_validate({**body, field: value})
        assert [error["loc"] for error in refused.value.errors()] == [(field,)]


@pytest.mark.parametrize(
    "dates",
    [{}, MAY, {"work_start": "2027-05-10"}, {"work_end": "2027-05-20"}, {"work_start": None}],
    ids=["none", "both", "start-only", "end-only", "null"],
)
def test_work_dates_are_optional_and_either_may_be_alone(dates: dict[str, Any]) -> None:
    body = RoleIn.model_validate({**VALID_BODIES["roles"], **dates})
    assert {k: v and v.isoformat() for k, v in body.model_dump(include=set(dates)).items()} == {
        **dates
    }


@pytest.mark.parametrize("field", ["work_start", "work_end"])
def test_bad_work_date_over_http_is_422_and_stores_nothing(client, producer, create, field):
    role = create("roles", **MAY)
    sent = valid_body("roles", movie_id=role["movie_id"], **{field: "2027-02-30"})
    assert field in assert_error(client.post("/roles", json=sent, headers=producer), 422)["errors"]
    patched = client.patch(f"/roles/{role['id']}", json={field: "2027-13-01"}, headers=producer)
    assert field in assert_error(patched, 422)["errors"]
    assert client.get("/roles", headers=producer).get_json()["roles"] == [role]


def test_role_answers_with_its_work_dates(client, producer, create):
    role = create("roles", **MAY)
    assert (role["work_start"], role["work_end"]) == ("2027-05-10", "2027-05-20")
    read = client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"]
    assert read == role
    assert create("roles")["work_start"] is None


def test_one_day_part_is_allowed(create):
    role = create("roles", work_start="2027-05-10", work_end="2027-05-10")
    assert role["work_end"] == "2027-05-10"


def test_create_with_start_after_end_is_422(client, producer, create):
    movie = create("movies")
    body = valid_body("roles", movie_id=movie["id"], work_start="2027-05-21", work_end="2027-05-20")
    response = client.post("/roles", json=body, headers=producer)
    errors = assert_error(response, 422)["errors"]
    assert errors == {"work_end": ["must be on or after work_start (2027-05-21)"]}
    assert client.get("/roles", headers=producer).get_json()["total_roles"] == 0


@pytest.mark.parametrize(
    "change,message",
    [
        ({"work_end": "2027-05-09"}, "must be on or after work_start (2027-05-10)"),
        ({"work_start": "2027-05-21"}, "must be on or after work_start (2027-05-21)"),
        (
            {"work_start": "2027-06-01", "work_end": "2027-05-01"},
            "must be on or after work_start (2027-06-01)",
        ),
    ],
    ids=["end-before-stored-start", "start-after-stored-end", "both-reversed"],
)
def test_patch_is_judged_on_the_merged_dates(client, producer, create, change, message):
    role = create("roles", **MAY)
    response = client.patch(f"/roles/{role['id']}", json=change, headers=producer)
    assert assert_error(response, 422)["errors"] == {"work_end": [message]}
    assert client.get(f"/roles/{role['id']}", headers=producer).get_json()["role"] == role


def test_patch_can_move_both_dates_or_clear_one(client, producer, create):
    role = create("roles", **MAY)
    url = f"/roles/{role['id']}"
    moved = client.patch(
        url, json={"work_start": "2027-06-01", "work_end": "2027-06-03"}, headers=producer
    )
    assert moved.status_code == 200
    assert moved.get_json()["role"]["work_start"] == "2027-06-01"
    cleared = client.patch(url, json={"work_start": None}, headers=producer).get_json()["role"]
    assert (cleared["work_start"], cleared["work_end"]) == (None, "2027-06-03")
    # With no start, any end is fine; setting a start after it is not.
    late = client.patch(url, json={"work_start": "2027-07-01"}, headers=producer)
    assert assert_error(late, 422)["errors"] == {
        "work_end": ["must be on or after work_start (2027-07-01)"]
    }


# --- works_on and sorting ------------------------------------------------------------------


@pytest.fixture
def dated_roles(create: Create) -> dict[str, dict[str, Any]]:
    movie = create("movies")
    make = {"movie_id": movie["id"]}
    return {
        "may": create("roles", name="May", **make, **MAY),
        "june": create(
            "roles", name="June", work_start="2027-06-01", work_end="2027-06-30", **make
        ),
        "undated": create("roles", name="Undated", **make),
        "start_only": create("roles", name="Start", work_start="2027-05-01", **make),
    }


@pytest.mark.parametrize(
    "day,names",
    [
        ("2027-05-09", []),
        ("2027-05-10", ["May"]),
        ("2027-05-15", ["May"]),
        ("2027-05-20", ["May"]),
        ("2027-05-21", []),
        ("2027-06-30", ["June"]),
    ],
)
def test_works_on_lists_roles_whose_dates_include_the_day(
    client, producer, dated_roles, day, names
):
    body = client.get(f"/roles?works_on={day}", headers=producer).get_json()
    assert [role["name"] for role in body["roles"]] == names
    assert body["total_roles"] == len(names)


@pytest.mark.parametrize("value", ["", "2027-02-30", "tomorrow", "2027-5-1", "2201-01-01"])
def test_bad_works_on_is_400_naming_it(client, producer, value):
    response = client.get(f"/roles?works_on={value}", headers=producer)
    assert "works_on" in assert_error(response, 400)["errors"]


def test_roles_sort_by_work_dates_undated_last(client, producer, dated_roles):
    names = [
        r["name"]
        for r in client.get("/roles?sort=work_start", headers=producer).get_json()["roles"]
    ]
    assert names == ["Start", "May", "June", "Undated"]
    names = [
        r["name"] for r in client.get("/roles?sort=-work_end", headers=producer).get_json()["roles"]
    ]
    assert names == ["June", "May", "Undated", "Start"]


# --- Candidates ----------------------------------------------------------------------------


@pytest.fixture
def shoot(create: Create) -> dict[str, Any]:
    """A May part, three actors who fit it, and other parts around it in other movies."""
    role = create("roles", name="Lead", min_age=30, max_age=40, **MAY)
    actors = {name: create("actors", name=name, age=35) for name in ("Ana", "Bea", "Cara")}
    others = {
        "overlapping": create("roles", work_start="2027-05-20", work_end="2027-05-25"),
        "before": create("roles", work_start="2027-05-01", work_end="2027-05-09"),
        "undated": create("roles"),
    }
    return {"role": role, "actors": actors, "others": others}


def _candidates(client, producer, role_id: int, query: str = "") -> dict[str, dict[str, Any]]:
    response = client.get(f"/roles/{role_id}/candidates{query}", headers=producer)
    assert response.status_code == 200, response.get_json()
    return {actor["name"]: actor for actor in response.get_json()["actors"]}


def _cast(client, producer, role_id: int, actor_id: int | None) -> None:
    response = client.patch(f"/roles/{role_id}", json={"actor_id": actor_id}, headers=producer)
    assert response.status_code == 200, response.get_json()


def test_actor_booked_on_overlapping_dates_is_not_a_candidate(client, producer, shoot):
    actors, others = shoot["actors"], shoot["others"]
    _cast(client, producer, others["overlapping"]["id"], actors["Ana"]["id"])
    _cast(client, producer, others["before"]["id"], actors["Bea"]["id"])
    _cast(client, producer, others["undated"]["id"], actors["Cara"]["id"])
    body = client.get(f"/roles/{shoot['role']['id']}/candidates", headers=producer).get_json()
    # The last shoot day of May's part is the first of the other: both ends count.
    assert [actor["name"] for actor in body["actors"]] == ["Bea", "Cara"]
    assert body["total_actors"] == 2


def test_actor_booked_elsewhere_is_a_candidate_for_an_undated_role(client, producer, create, shoot):
    _cast(client, producer, shoot["others"]["overlapping"]["id"], shoot["actors"]["Ana"]["id"])
    undated = create("roles", min_age=30, max_age=40)
    assert "Ana" in _candidates(client, producer, undated["id"])


def test_a_cast_role_still_lists_its_own_actor_for_recasting(client, producer, shoot):
    _cast(client, producer, shoot["role"]["id"], shoot["actors"]["Ana"]["id"])
    assert set(_candidates(client, producer, shoot["role"]["id"])) == {"Ana", "Bea", "Cara"}


def test_overlapping_holds_are_reported_in_the_fit(app, client, producer, create, shoot):
    actors, others = shoot["actors"], shoot["others"]
    second = create("roles", work_start="2027-05-01", work_end="2027-05-10")
    for role in (others["overlapping"], others["before"], others["undated"], second):
        store_submission(app, role["id"], actors["Ana"]["id"], "on_hold", HOLD_UNTIL)
    # A hold on this very role, and a mere submission elsewhere, are not conflicts.
    store_submission(app, shoot["role"]["id"], actors["Bea"]["id"], "on_hold", HOLD_UNTIL)
    store_submission(app, others["overlapping"]["id"], actors["Bea"]["id"], "shortlisted")
    candidates = _candidates(client, producer, shoot["role"]["id"])
    assert candidates["Ana"]["fit"]["overlapping_holds"] == [
        second["id"],
        others["overlapping"]["id"],
    ]
    assert candidates["Bea"]["fit"]["overlapping_holds"] == []
    assert candidates["Cara"]["fit"]["overlapping_holds"] == []


def test_holds_mean_nothing_to_an_undated_role(app, client, producer, create, shoot):
    store_submission(
        app,
        shoot["others"]["overlapping"]["id"],
        shoot["actors"]["Ana"]["id"],
        "on_hold",
        HOLD_UNTIL,
    )
    undated = create("roles", min_age=30, max_age=40)
    assert _candidates(client, producer, undated["id"])["Ana"]["fit"]["overlapping_holds"] == []


def test_casting_reports_the_same_overlapping_holds_as_candidates(app, client, producer, shoot):
    ana = shoot["actors"]["Ana"]["id"]
    held = shoot["others"]["overlapping"]["id"]
    store_submission(app, held, ana, "on_hold", HOLD_UNTIL)
    candidate = _candidates(client, producer, shoot["role"]["id"])["Ana"]
    response = client.patch(
        f"/roles/{shoot['role']['id']}", json={"actor_id": ana}, headers=producer
    )
    assert response.get_json()["fit"] == candidate["fit"]
    assert candidate["fit"]["overlapping_holds"] == [held]


def test_creating_a_cast_role_reports_overlapping_holds(app, client, producer, shoot):
    ana = shoot["actors"]["Ana"]["id"]
    held = shoot["others"]["overlapping"]["id"]
    store_submission(app, held, ana, "on_hold", HOLD_UNTIL)
    body = valid_body("roles", movie_id=shoot["role"]["movie_id"], actor_id=ana, **MAY)
    response = client.post("/roles", json=body, headers=producer)
    assert response.status_code == 201
    assert response.get_json()["fit"]["overlapping_holds"] == [held]


def test_candidate_holds_cost_one_statement_whatever_the_page_size(
    app, client, producer, create, statements, shoot
):
    for n in range(6):
        actor = create("actors", name=f"Extra {n}", age=35)
        store_submission(
            app, shoot["others"]["overlapping"]["id"], actor["id"], "on_hold", HOLD_UNTIL
        )
    counts = []
    for page_size in (1, 50):
        statements.clear()
        _candidates(client, producer, shoot["role"]["id"], f"?page_size={page_size}")
        counts.append(len(statements))
    # The role, the count, the page, and the page's holds.
    assert counts == [4, 4]
