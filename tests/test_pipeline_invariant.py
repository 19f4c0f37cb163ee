"""Whatever sequence of calls is made, a role is cast to X if and only if X holds that
role's one booked submission: random walks through casting, moves and deletions."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from apiflask import APIFlask
from flask.testing import FlaskClient

from casting.statuses import MOVES
from helpers import Create, Headers
from models import SUBMISSION_STATUSES, Actor, Role, Submission, db

STEPS = 200
FUTURE = "2030-01-01T18:00:00Z"


class Walk:
    """The calls a casting office makes, chosen at random, each through the API."""

    def __init__(self, app: APIFlask, client: FlaskClient, headers: Headers, seed: int) -> None:
        self.app, self.client, self.headers = app, client, headers
        self.random = random.Random(seed)
        self.statuses: list[int] = []
        # Successful calls by what they did, e.g. "POST transitions booked".
        self.done: Counter[str] = Counter()

    def ids(self, model: type[Any]) -> list[int]:
        with self.app.app_context():
            return list(db.session.scalars(db.select(model.id).order_by(model.id)))

    def pick(self, model: type[Any]) -> int:
        """A stored id, or now and then one that is gone or never was."""
        ids = self.ids(model)
        return self.random.choice(ids) if ids and self.random.random() < 0.95 else 9999

    def call(self, method: str, url: str, body: Any = None, **headers: str) -> None:
        response = self.client.open(
            url, method=method, json=body, headers={**self.headers, **headers}
        )
        assert response.status_code < 500, (method, url, body, response.get_json())
        self.statuses.append(response.status_code)
        if response.status_code < 300:
            what = url.rstrip("/0123456789").rsplit("/", 1)[-1]
            self.done[f"{method} {what} {(body or {}).get('to', '')}".strip()] += 1

    def cast(self) -> None:
        actor = self.pick(Actor) if self.random.random() < 0.8 else None
        self.call("PATCH", f"/roles/{self.pick(Role)}", {"actor_id": actor}, **{"If-Match": "*"})

    def submit(self) -> None:
        body = {"actor_id": self.pick(Actor), "source": self.random.choice(["staff", "agent"])}
        self.call("POST", f"/roles/{self.pick(Role)}/submissions", body)

    def move(self) -> None:
        to = self.random.choice(SUBMISSION_STATUSES)
        body: dict[str, Any] = {"to": to, "allow_conflict": self.random.random() < 0.5}
        if to == "on_hold":
            body["hold_until"] = FUTURE
        self.call("POST", f"/submissions/{self.pick(Submission)}/transitions", body)

    def move_forward(self) -> None:
        """A move the table allows, so bookings and releases happen often."""
        with self.app.app_context():
            rows = db.session.execute(
                db.select(Submission.id, Submission.status).where(
                    Submission.status.not_in(("withdrawn", "declined"))
                )
            ).all()
        if not rows:
            return
        submission_id, status = self.random.choice(rows)
        # Towards booking half the time: bookings are what the invariant is about.
        forward = [to for to in ("offered", "booked") if to in MOVES[status]]
        to = self.random.choice(
            forward if forward and self.random.random() < 0.5 else MOVES[status]
        )
        body = {"to": to, **({"hold_until": FUTURE} if to == "on_hold" else {})}
        self.call("POST", f"/submissions/{submission_id}/transitions", body)

    def move_several(self) -> None:
        role_id = self.pick(Role)
        with self.app.app_context():
            ids = list(
                db.session.scalars(db.select(Submission.id).where(Submission.role_id == role_id))
            )
        if ids:
            chosen = self.random.sample(ids, self.random.randint(1, len(ids)))
            to = self.random.choice(["shortlisted", "released", "withdrawn", "booked"])
            self.call(
                "POST", f"/roles/{role_id}/submissions/transitions", {"ids": chosen, "to": to}
            )

    def delete_submission(self) -> None:
        self.call("DELETE", f"/submissions/{self.pick(Submission)}")

    def delete_actor(self) -> None:
        self.call("DELETE", f"/actors/{self.pick(Actor)}")
        self.call("POST", "/actors", {"name": "Stand-in", "age": 30, "gender": "male"})

    def delete_role(self) -> None:
        self.call("DELETE", f"/roles/{self.pick(Role)}")
        self.call("POST", "/roles", {"movie_id": 1, "name": "Extra", "min_age": 20, "max_age": 40})

    def step(self) -> None:
        actions: list[tuple[Callable[[], None], int]] = [
            (self.cast, 2),
            (self.submit, 5),
            (self.move, 2),
            (self.move_forward, 12),
            (self.move_several, 2),
            (self.delete_submission, 1),
            (self.delete_actor, 1),
            (self.delete_role, 1),
        ]
        action = self.random.choices([a for a, _ in actions], [w for _, w in actions])[0]
        action()


def assert_pipeline_is_true(app: APIFlask) -> None:
    """Read from the database, not the API: each cast role has exactly its actor's one
    booked submission, no open role has one, and no role has two."""
    with app.app_context():
        cast = dict(db.session.execute(db.select(Role.id, Role.actor_id)).tuples().all())
        booked = (
            db.session.execute(
                db.select(Submission.role_id, Submission.actor_id).where(
                    Submission.status == "booked"
                )
            )
            .tuples()
            .all()
        )
        holds = db.session.execute(
            db.select(Submission.status, Submission.hold_until).where(
                (Submission.status == "on_hold") != Submission.hold_until.is_not(None)
            )
        ).all()
    booked_roles = [role_id for role_id, _ in booked]
    assert len(booked_roles) == len(set(booked_roles)), f"a role booked twice: {booked}"
    bookings = dict(booked)
    for role_id, actor_id in cast.items():
        assert bookings.get(role_id) == actor_id, (role_id, actor_id, bookings.get(role_id))
    assert set(bookings) <= set(cast)
    assert holds == []


def test_a_role_is_cast_to_x_iff_x_holds_its_one_booking(
    app: APIFlask, client: FlaskClient, producer: Headers, create: Create
) -> None:
    movie = create("movies")
    actors = [create("actors", name=f"Actor {n}")["id"] for n in range(5)]
    roles = [create("roles", movie_id=movie["id"], name=f"Role {n}")["id"] for n in range(4)]
    with app.app_context():
        # Two pairs of roles shooting on overlapping dates, so conflicts come up.
        for index, role_id in enumerate(roles):
            role = db.session.get_one(Role, role_id)
            role.work_start = date(2030, 3, 1 + 5 * (index // 2))
            role.work_end = date(2030, 3, 8 + 5 * (index // 2))
        db.session.commit()
    create("roles", movie_id=movie["id"], actor_id=actors[0])
    walk = Walk(app, client, producer, seed=7)

    for _ in range(STEPS):
        walk.step()
        assert_pipeline_is_true(app)

    # The walk did the things that matter, not just refusals.
    for done in ("PATCH roles", "POST submissions", "DELETE submissions", "DELETE actors"):
        assert walk.done[done] > 0, walk.done
    for to in ("booked", "released"):
        assert walk.done[f"POST transitions {to}"] > 0, walk.done
    assert 409 in walk.statuses
