"""`flask seed` at a small size: the casting rules hold, and a seed repeats exactly."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apiflask import APIFlask
from sqlalchemy import func

from devtools.synthetic_data import seed_database
from models import Actor, Movie, Role, Submission, db, utc_now
from test_demo_data import NO_VIOLATIONS, pipeline_violations

SMALL = {"actors": 200, "movies": 20, "roles": 100}
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def seed(seed: int = 1, **options: Any) -> int:
    return seed_database(**{**SMALL, **options}, seed=seed, advance=lambda _: None)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row, with ids counted from each table's first one, so two seeds compare
    equal whatever ids the database handed out before."""
    first = {
        model: db.session.scalar(db.select(func.min(model.id))) or 0
        for model in (Movie, Actor, Role, Submission)
    }
    shifts = {"movie_id": first[Movie], "actor_id": first[Actor], "role_id": first[Role]}
    rows = {}
    for model in (Movie, Actor, Role, Submission):
        table = model.__table__
        rows[model.__tablename__] = [
            tuple(
                None if value is None else value - first[model] if column == "id"
                else value - shifts[column] if column in shifts else value
                for column, value in row._mapping.items()
            )
            for row in db.session.execute(db.select(table).order_by(table.c.id))
        ]  # fmt: skip
    return rows


def test_seed_keeps_every_casting_rule(app: APIFlask):
    with app.app_context():
        added = seed()
        assert pipeline_violations() == NO_VIOLATIONS
        assert db.session.scalar(db.select(func.count()).select_from(Submission)) == added


def test_seed_books_every_cast_role_and_puts_forward_actors_for_every_open_one(app: APIFlask):
    with app.app_context():
        seed()
        roles = db.session.execute(db.select(Role.id, Role.actor_id)).all()
        statuses = Counter(db.session.scalars(db.select(Submission.status)))
        per_role = Counter(db.session.scalars(db.select(Submission.role_id)))
        open_roles = [role_id for role_id, actor_id in roles if actor_id is None]
    cast = len(roles) - len(open_roles)
    assert statuses["booked"] == cast > 0
    assert all(per_role[role_id] >= 1 for role_id, _ in roles)
    # About five per open role, most of them early in the pipeline.
    assert 4 <= (sum(statuses.values()) - cast) / len(open_roles) <= 6
    assert statuses["submitted"] + statuses["shortlisted"] > sum(statuses.values()) / 2
    assert {"auditioning", "callback", "on_hold", "offered", "released", "withdrawn"} <= set(
        statuses
    )


def test_seed_gives_most_roles_work_dates_of_one_to_sixty_days(app: APIFlask):
    with app.app_context():
        seed(now=NOW)
        spans = db.session.execute(db.select(Role.work_start, Role.work_end)).all()
    dated = [(start, end) for start, end in spans if start is not None]
    assert len(dated) >= 0.7 * len(spans)
    assert all(timedelta(0) <= end - start < timedelta(days=60) for start, end in dated)
    assert min(start for start, _ in dated) >= NOW.date() - timedelta(days=180)
    assert max(end for _, end in dated) <= NOW.date() + timedelta(days=610)


def test_seed_holds_end_in_the_future(app: APIFlask):
    with app.app_context():
        seed(seed=3)
        holds = db.session.scalars(
            db.select(Submission.hold_until).where(Submission.status == "on_hold")
        ).all()
    assert holds and all(hold is not None and hold > utc_now() for hold in holds)


def test_same_seed_same_data_other_seed_other_data(app: APIFlask):
    with app.app_context():
        seed(seed=7, now=NOW)
        first = snapshot()
        for model in (Submission, Role, Movie, Actor):
            db.session.execute(db.delete(model))
        db.session.commit()
        seed(seed=7, now=NOW)
        assert snapshot() == first
        seed(seed=8, now=NOW)
        assert snapshot()["submissions"] != first["submissions"]


def test_no_submissions_per_role_leaves_only_the_bookings(app: APIFlask):
    with app.app_context():
        added = seed(submissions_per_role=0)
        statuses = set(db.session.scalars(db.select(Submission.status)))
        cast = db.session.scalar(db.select(func.count()).where(Role.actor_id.is_not(None)))
        assert statuses == {"booked"} and added == cast
        assert pipeline_violations() == NO_VIOLATIONS


def test_seed_command_reports_what_it_added(app: APIFlask):
    arguments = ["seed", "--actors", "50", "--movies", "5", "--roles", "20", "--seed", "2"]
    result = app.test_cli_runner().invoke(args=[*arguments, "--submissions-per-role", "3"])
    assert result.exit_code == 0, result.output
    assert "Added 5 movies, 50 actors, 20 roles, " in result.output
    with app.app_context():
        count = db.session.scalar(db.select(func.count()).select_from(Submission))
    assert f", {count} submissions in " in result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["--submissions-per-role", "-1"],
        ["--submissions-per-role", "101"],
        ["--submissions-per-role", "many"],
        ["--roles", "-5"],
        ["--movies", "0", "--roles", "3"],
    ],
)
def test_seed_command_refuses_bad_options_and_adds_nothing(app: APIFlask, arguments: list[str]):
    result = app.test_cli_runner().invoke(args=["seed", "--actors", "5", *arguments])
    assert result.exit_code == 2
    assert "Error: Invalid value" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(Actor)) == 0
