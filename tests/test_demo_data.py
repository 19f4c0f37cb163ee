"""The demo data `make run` loads: every pipeline stage, and the casting rules kept."""

from __future__ import annotations

from collections import Counter
from typing import Any

from apiflask import APIFlask
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased

from casting.conflicts import booked_conflicts, overlapping_holds
from devtools.demo_data import load_demo_data
from models import ACTIVE_STATUSES, Actor, Event, Movie, Role, Submission, db, utc_now


def pipeline_violations() -> dict[str, list[Any]]:
    """What would break the casting rules, by rule; every list is empty when they hold.
    A role is cast to X if and only if X has that role's one booked submission."""
    booked = db.select(func.count()).where(
        Submission.role_id == Role.id,
        Submission.actor_id == Role.actor_id,
        Submission.status == "booked",
    )
    other = aliased(Role)
    return {
        "cast role without its actor's booking": list(
            db.session.scalars(
                db.select(Role.id).where(Role.actor_id.is_not(None), booked.scalar_subquery() != 1)
            )
        ),
        "booking of an open role or of another actor": list(
            db.session.scalars(
                db.select(Submission.id)
                .join(Submission.role)
                .where(
                    Submission.status == "booked",
                    or_(Role.actor_id.is_(None), Role.actor_id != Submission.actor_id),
                )
            )
        ),
        "two active submissions of one actor for one role": list(
            db.session.execute(
                db.select(Submission.actor_id, Submission.role_id)
                .where(Submission.status.in_(ACTIVE_STATUSES))
                .group_by(Submission.actor_id, Submission.role_id)
                .having(func.count() > 1)
            )
        ),
        "hold without a future hold_until, or hold_until without a hold": list(
            db.session.scalars(
                db.select(Submission.id).where(
                    or_(
                        and_(
                            Submission.status == "on_hold",
                            or_(
                                Submission.hold_until.is_(None),
                                Submission.hold_until <= utc_now(),
                            ),
                        ),
                        and_(Submission.status != "on_hold", Submission.hold_until.is_not(None)),
                    )
                )
            )
        ),
        # Holding, offering or booking an actor on days they are booked elsewhere.
        "engaged against a booking": list(
            db.session.scalars(
                db.select(Submission.id)
                .join(Submission.role)
                .join(
                    other,
                    and_(
                        other.actor_id == Submission.actor_id,
                        other.id != Role.id,
                        other.work_start <= Role.work_end,
                        other.work_end >= Role.work_start,
                    ),
                )
                .where(Submission.status.in_(("on_hold", "offered", "booked")))
            )
        ),
    }


NO_VIOLATIONS: dict[str, list[Any]] = {
    "cast role without its actor's booking": [],
    "booking of an open role or of another actor": [],
    "two active submissions of one actor for one role": [],
    "hold without a future hold_until, or hold_until without a hold": [],
    "engaged against a booking": [],
}


def test_demo_data_loads_once_into_an_empty_database(app: APIFlask):
    with app.app_context():
        assert load_demo_data() is True
        assert load_demo_data() is False
        counts = [db.session.scalar(db.select(func.count()).select_from(model))
                  for model in (Movie, Actor, Role, Submission)]  # fmt: skip
    assert counts == [3, 8, 6, 13]


def test_demo_data_command_says_what_it_did(app: APIFlask):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).output == "Demo data loaded.\n"
    second = runner.invoke(args=["demo-data"]).output
    assert second == "Database not empty; demo data skipped.\n"


def test_demo_data_keeps_every_casting_rule(app: APIFlask):
    with app.app_context():
        load_demo_data()
        assert pipeline_violations() == NO_VIOLATIONS


def test_demo_data_shows_every_stage_of_the_pipeline(app: APIFlask):
    with app.app_context():
        load_demo_data()
        statuses = Counter(db.session.scalars(db.select(Submission.status)))
        cast = db.session.scalar(db.select(func.count()).where(Role.actor_id.is_not(None)))
    assert statuses["booked"] == cast == 3
    expected = {"submitted", "shortlisted", "auditioning", "callback", "on_hold", "offered"}
    assert expected | {"booked", "released", "withdrawn"} <= set(statuses)


def test_demo_roles_have_work_dates_and_one_actor_holds_overlapping_weeks(app: APIFlask):
    with app.app_context():
        load_demo_data()
        roles = db.session.scalars(db.select(Role)).all()
        assert all(r.work_start and r.work_end and r.work_start <= r.work_end for r in roles)
        assert all(r.work_end < r.movie.release_date for r in roles)
        holds = db.session.scalars(db.select(Submission).where(Submission.status == "on_hold"))
        overlapping = [overlapping_holds(h.actor_id, h.role) for h in holds]
        assert any(overlapping)
        engaged = db.session.scalars(
            db.select(Submission).where(Submission.status.in_(("on_hold", "offered")))
        )
        assert all(not booked_conflicts(s.actor_id, s.role) for s in engaged)


def test_demo_data_keeps_the_ids_and_versions_the_readme_uses(app: APIFlask):
    """The README's examples cast actor 2 as role 4 and actor 3 as role 1 with
    If-Match "1": neither actor has a submission there, and no role was re-saved."""
    with app.app_context():
        load_demo_data()
        role = db.session.get(Role, 4)
        assert role is not None and role.name == "The Navigator" and role.actor_id is None
        assert db.session.get(Role, 1).version == 1  # type: ignore[union-attr]
        pairs = set(db.session.execute(db.select(Submission.actor_id, Submission.role_id)))
    assert (2, 4) not in pairs and (3, 1) not in pairs


def test_demo_data_history_is_recorded_as_the_system(app: APIFlask):
    with app.app_context():
        # PostgreSQL runs keep earlier tests' events: count only the ones made here.
        before = db.session.scalar(db.select(func.coalesce(func.max(Event.id), 0)))
        load_demo_data()
        events = db.session.execute(
            db.select(Event.entity, Event.action, Event.by).where(Event.id > before)
        ).all()
    assert Counter(entity for entity, _, _ in events) == {
        "movie": 3,
        "actor": 8,
        "role": 6,
        "submission": 13,
    }
    assert {(action, by) for _, action, by in events} == {("created", "system")}


def test_demo_pipeline_reads_and_moves_through_the_api(app: APIFlask, client, producer):
    """What `make run` shows a user: Ms. Bell's four submissions; booking the offered
    actor casts the role and every casting rule still holds."""
    with app.app_context():
        load_demo_data()
    listed = client.get("/roles/6/submissions", headers=producer)
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["total_submissions"] == 4
    statuses = {item["status"]: item for item in body["submissions"]}
    assert set(statuses) == {"on_hold", "offered", "shortlisted", "submitted"}
    offered = statuses["offered"]["id"]
    moved = client.post(
        f"/submissions/{offered}/transitions", json={"to": "booked"}, headers=producer
    )
    assert moved.status_code == 200, moved.get_json()
    with app.app_context():
        assert db.session.get(Role, 6).actor_id == 2  # type: ignore[union-attr]
        assert pipeline_violations() == NO_VIOLATIONS
