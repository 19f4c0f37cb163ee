"""A handful of movies, actors and roles, open and filled, to try the API with."""

from __future__ import annotations

from datetime import date

from models import Actor, Movie, Role, db


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
    ]  # fmt: skip


def load_demo_data() -> bool:
    """Load only into an empty database, so real data is never mixed with demo rows."""
    if db.session.scalar(db.select(db.func.count()).select_from(Movie)):
        return False
    movies, actors = _movies(), _actors()
    db.session.add_all([*movies, *actors])
    road, orbit, crowns = movies
    maya, daniel, _sam, _priya, kenji = actors
    db.session.add_all([
        Role(movie=road, actor=maya, name="June", gender="female", min_age=30, max_age=40),
        Role(movie=road, name="Ada", gender="female", min_age=45, max_age=60,
             description="The older sister, a retired mechanic."),
        Role(movie=orbit, actor=daniel, name="Captain Ortiz", gender="male",
             min_age=38, max_age=50),
        Role(movie=orbit, name="The Navigator", min_age=22, max_age=35),
        Role(movie=crowns, actor=kenji, name="Theo", gender="male", min_age=8, max_age=11),
        Role(movie=crowns, name="Ms. Bell", gender="any", min_age=30, max_age=60),
    ])  # fmt: skip
    db.session.commit()
    return True
