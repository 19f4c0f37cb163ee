"""Realistic, repeatable synthetic data at agency scale, for benchmarks and load tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert

from models import (
    BODY_TYPES,
    ETHNICITIES,
    EYE_COLORS,
    HAIR_COLORS,
    ROLE_GENDERS,
    Actor,
    Movie,
    Role,
    db,
)

FIRST_NAMES = (
    "Ada Alex Amara Ana Ari Aya Ben Bea Cara Chen Dara Dev Eli Ema Eva Femi Finn Gia Hana "
    "Ines Ivo Jade Jai Jon Kai Kemi Lars Lea Leo Lina Luca Maya Mei Milo Nia Noa Omar Ona "
    "Pia Raj Ren Rosa Sam Sara Tao Tess Uma Vera Wen Yara Yusuf Zoe Zain"
).split()
LAST_NAMES = (
    "Abara Adams Bauer Chen Costa Diaz Dubois Eze Fischer Garcia Haddad Ito Jensen Kim "
    "Kowalski Lim Lopez Mensah Moreau Nakamura Novak Okafor Olsen Patel Quinn Rahman Reyes "
    "Rossi Sato Schmidt Silva Singh Sousa Tanaka Torres Tran Varga Wang Weber Yilmaz Zhou"
).split()
CITIES = (
    "Los Angeles, CA|New York, NY|Atlanta, GA|Austin, TX|Chicago, IL|Vancouver, BC|"
    "Toronto, ON|London, UK|Dublin, IE|Berlin, DE|Paris, FR|Madrid, ES|Lisbon, PT|"
    "Mumbai, IN|Seoul, KR|Tokyo, JP|Sydney, AU|Lagos, NG|Mexico City, MX|Sao Paulo, BR"
).split("|")
TITLE_WORDS = (
    "Glass Orbit Paper Crown Silent River Long Road Last Summer Iron Garden Broken Compass "
    "Midnight Harbor Golden Hour Hidden Valley Distant Shore Winter Light Red Horizon Quiet "
    "Storm Velvet City Northern Lights Salt Fire Stone Echo"
).split()
COMPANIES = (
    "Northlight Pictures|Halcyon Studios|Blue Mesa Films|Kestrel Media|Open Sky Productions|"
    "Lantern House|Meridian Entertainment|Saltwater Films"
).split("|")
GENRES = (
    "Drama Comedy Thriller Horror Romance Action Adventure Documentary Family Fantasy "
    "Mystery Western Musical Animation Crime"
).split()
ROLE_NAMES = (
    "Lead|Best Friend|Detective|Mother|Father|Neighbour|Captain|Doctor|Teacher|Villain|"
    "Bartender|Reporter|Nurse|Pilot|Student|Grandmother|Chef|Lawyer|Stranger|Rival"
).split("|")
BATCH_SIZE = 5_000


def _actor(rng: random.Random) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return {
        "name": f"{first} {last}",
        "age": min(int(rng.triangular(5, 90, 32)), 130),
        "gender": rng.choices(("female", "male", "non-binary"), (48, 48, 4))[0],
        "location": rng.choice(CITIES),
        "passport": rng.random() < 0.6,
        "driver_license": rng.random() < 0.7,
        "seeking_roles": rng.random() < 0.85,
        "ethnicity": rng.choice(ETHNICITIES),
        "hair_color": rng.choice(HAIR_COLORS),
        "eye_color": rng.choice(EYE_COLORS),
        "body_type": rng.choice(BODY_TYPES),
        "height": int(rng.gauss(170, 10)),
        "description": None,
        "image_link": None,
        "phone": f"+1 555 {rng.randrange(10**7):07d}",
        "email": f"{first.lower()}.{last.lower()}{rng.randrange(10**6)}@example.com",
    }


def _movie(rng: random.Random) -> dict[str, Any]:
    return {
        "title": " ".join(rng.sample(TITLE_WORDS, rng.randint(2, 3))),
        "release_date": date(1990, 1, 1) + timedelta(days=rng.randrange(40 * 365)),
        "company": rng.choice(COMPANIES),
        "description": None,
        "genres": rng.sample(GENRES, rng.randint(1, 3)),
    }


def _role(rng: random.Random, movie_id: int, actor_id: int | None) -> dict[str, Any]:
    min_age = rng.randint(5, 75)
    return {
        "movie_id": movie_id,
        "actor_id": actor_id,
        "name": rng.choice(ROLE_NAMES),
        "gender": rng.choices(ROLE_GENDERS, (40, 40, 2, 18))[0],
        "min_age": min_age,
        "max_age": min(min_age + rng.randint(0, 20), 130),
        "description": None,
    }


def _batches(count: int) -> Iterator[int]:
    while count > 0:
        yield min(count, BATCH_SIZE)
        count -= BATCH_SIZE


def seed_database(
    actors: int, movies: int, roles: int, seed: int, advance: Callable[[int], None]
) -> None:
    """Insert in batches of multi-row INSERTs; ids come back with RETURNING so roles can
    point at real movies and actors whatever the database held before."""
    rng = random.Random(seed)
    movie_ids: list[int] = []
    actor_ids: list[int] = []
    for size in _batches(movies):
        rows = [_movie(rng) for _ in range(size)]
        movie_ids += db.session.scalars(insert(Movie).returning(Movie.id), rows).all()
        advance(size)
    for size in _batches(actors):
        rows = [_actor(rng) for _ in range(size)]
        actor_ids += db.session.scalars(insert(Actor).returning(Actor.id), rows).all()
        advance(size)
    for size in _batches(roles):
        rows = [
            _role(
                rng,
                rng.choice(movie_ids),
                rng.choice(actor_ids) if actor_ids and rng.random() < 0.4 else None,
            )
            for _ in range(size)
        ]
        db.session.execute(insert(Role), rows)
        advance(size)
    db.session.commit()
