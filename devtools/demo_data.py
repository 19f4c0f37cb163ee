"""A handful of movies, actors, roles and submissions, at every stage, to try the API with."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from models import Actor, Movie, Role, Submission, db, utc_now


def _movies() -> list[Movie]:
    return [
        Movie(
            title="The Long Goodbye Road",
            release_date=date(2027, 3, 12),
            company="Northlight Pictures",
            description="Two estranged sisters drive a vintage car across the desert.",
            genres=["Drama", "Road"],
        ),
        Movie(
            title="Orbit of Glass",
            release_date=date(2027, 9, 1),
            company="Halcyon Studios",
            description="A salvage crew finds a ship that should not exist.",
            genres=["Science Fiction", "Thriller"],
        ),
        Movie(
            title="Paper Crowns",
            release_date=date(2028, 1, 20),
            company="Northlight Pictures",
            genres=["Comedy", "Family"],
        ),
    ]


def _actors() -> list[Actor]:
    return [
        Actor(name="Maya Okafor", age=34, gender="female", location="Los Angeles, CA",
              passport=True, driver_license=True, ethnicity="black", hair_color="black",
              eye_color="brown", body_type="athletic", height=172, email="maya@example.com"),
        Actor(name="Daniel Reyes", age=41, gender="male", location="Austin, TX",
              driver_license=True, ethnicity="latino", hair_color="brown", eye_color="hazel",
              body_type="average", height=180, phone="+1 512 555 0134"),
        Actor(name="Sam Lindqvist", age=27, gender="non-binary", location="New York, NY",
              passport=True, ethnicity="white", hair_color="blond", eye_color="blue",
              body_type="slim", height=168),
        Actor(name="Priya Raman", age=52, gender="female", location="London, UK",
              passport=True, ethnicity="south asian", hair_color="gray", eye_color="brown",
              body_type="average", height=160, seeking_roles=False),
        Actor(name="Kenji Watanabe", age=9, gender="male", location="Los Angeles, CA",
              ethnicity="asian", hair_color="black", eye_color="brown", height=132),
        Actor(name="Lucía Fernández", age=49, gender="female", location="Madrid, ES",
              passport=True, driver_license=True, ethnicity="white", hair_color="chestnut",
              eye_color="brown", body_type="average", height=165),
        Actor(name="Tomás Novak", age=29, gender="male", location="Vancouver, BC",
              passport=True, ethnicity="white", hair_color="brown", eye_color="green",
              body_type="slim", height=183),
        Actor(name="Amara Eze", age=38, gender="female", location="Atlanta, GA",
              driver_license=True, ethnicity="black", hair_color="black", eye_color="brown",
              body_type="curvy", height=170, email="amara@example.com"),
    ]  # fmt: skip


def _submissions(roles: list[Role], actors: list[Actor], now: datetime) -> list[Submission]:
    """Every stage of the pipeline once or more. The cast roles' actors hold their one
    booked submission; Maya's two holds overlap (a first and a second hold on the same
    weeks, as agents give them) but not her booking: nobody is held, offered or booked
    on dates they are already booked for."""
    june, ada, ortiz, navigator, theo, bell = roles
    maya, daniel, sam, priya, kenji, lucia, tomas, amara = actors

    def submission(
        role: Role, actor: Actor, status: str, days_ago: int, **fields: object
    ) -> Submission:
        at = now - timedelta(days=days_ago)
        return Submission(
            role=role, actor=actor, status=status, created_at=at, updated_at=at, **fields
        )

    agent = {"source": "agent", "agent": "Bright Lane Talent"}
    return [
        submission(june, maya, "booked", 60, **agent),
        submission(june, amara, "released", 58, source="self",
                   note="Lovely read; June went to Maya."),
        submission(ada, priya, "withdrawn", 40, source="agent", agent="Hartley & Rowe",
                   note="Not taking roles this year."),
        submission(ada, lucia, "callback", 21, source="agent", agent="Hartley & Rowe",
                   note="Bring back with Maya for a chemistry read."),
        submission(ortiz, daniel, "booked", 45, source="staff"),
        submission(navigator, maya, "on_hold", 14, **agent,
                   hold_until=now + timedelta(days=10)),
        submission(navigator, sam, "auditioning", 9, source="self"),
        submission(navigator, tomas, "submitted", 2, source="agent", agent="Northshore Artists"),
        submission(theo, kenji, "booked", 30, source="agent", agent="Little Stars"),
        submission(bell, maya, "on_hold", 6, **agent, hold_until=now + timedelta(days=14),
                   note="Second hold: overlaps The Navigator."),
        submission(bell, daniel, "offered", 5, source="staff"),
        submission(bell, amara, "shortlisted", 4, source="self"),
        submission(bell, lucia, "submitted", 1, source="agent", agent="Hartley & Rowe"),
    ]  # fmt: skip


def load_demo_data() -> bool:
    """Load only into an empty database, so real data is never mixed with demo rows."""
    if db.session.scalar(db.select(db.func.count()).select_from(Movie)):
        return False
    movies, actors = _movies(), _actors()
    db.session.add_all([*movies, *actors])
    road, orbit, crowns = movies
    maya, daniel, _sam, _priya, kenji, *_ = actors
    # Work dates fall before each release; roles of one movie shoot on different weeks,
    # so casting one actor in two of them (the README casts Daniel as the Navigator) is
    # no date conflict.
    roles = [
        Role(movie=road, actor=maya, name="June", gender="female", min_age=30, max_age=40,
             work_start=date(2026, 12, 7), work_end=date(2027, 1, 29)),
        Role(movie=road, name="Ada", gender="female", min_age=45, max_age=60,
             description="The older sister, a retired mechanic.",
             work_start=date(2027, 1, 11), work_end=date(2027, 1, 29)),
        Role(movie=orbit, actor=daniel, name="Captain Ortiz", gender="male",
             min_age=38, max_age=50, work_start=date(2027, 2, 1), work_end=date(2027, 3, 19)),
        Role(movie=orbit, name="The Navigator", min_age=22, max_age=35,
             work_start=date(2027, 3, 22), work_end=date(2027, 4, 30)),
        Role(movie=crowns, actor=kenji, name="Theo", gender="male", min_age=8, max_age=11,
             work_start=date(2027, 5, 3), work_end=date(2027, 6, 25)),
        Role(movie=crowns, name="Ms. Bell", gender="any", min_age=30, max_age=60,
             work_start=date(2027, 4, 19), work_end=date(2027, 5, 28)),
    ]  # fmt: skip
    # Whole minutes read better in the demo's answers than microseconds.
    now = utc_now().replace(second=0, microsecond=0)
    db.session.add_all([*roles, *_submissions(roles, actors, now)])
    db.session.commit()
    return True
