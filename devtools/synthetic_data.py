"""Realistic, repeatable synthetic data at agency scale, for benchmarks and load tests."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
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
    Submission,
    db,
    utc_now,
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
AGENCIES = (
    "Bright Lane Talent|Hartley & Rowe|Northshore Artists|Little Stars|Meridian Talent|"
    "Open Door Management|Cobalt Agency|Silverline Artists"
).split("|")
# Where open roles' submissions stand: most are early in the pipeline, as in any office.
STATUS_WEIGHTS = {
    "submitted": 40,
    "shortlisted": 25,
    "auditioning": 8,
    "callback": 6,
    "on_hold": 4,
    "offered": 3,
    "released": 8,
    "withdrawn": 4,
    "declined": 2,
}
# Statuses that engage the actor for the role's dates: never given against a booking.
ENGAGING = frozenset({"on_hold", "offered"})
SOURCES, SOURCE_WEIGHTS = ("agent", "self", "staff"), (60, 25, 15)
# Roles shoot from half a year ago to a year and a half ahead; one in ten has no dates.
WORK_DATES_SHARE, WORK_WINDOW_START, WORK_WINDOW_DAYS = 0.9, -180, 730
BATCH_SIZE = 5_000

# The ORM's bulk INSERT leaves out a row's None values, so rows with None in different
# places would become separate statements; sending every column, NULLs included, keeps
# each batch one multi-row INSERT. (Submissions, which need no ids back, skip the ORM.)
ALL_COLUMNS: dict[str, Any] = {"execution_options": {"render_nulls": True}}
SUBMISSIONS = Submission.metadata.tables["submissions"]

Span = tuple[date, date]


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


def _role(rng: random.Random, movie_id: int, actor_id: int | None, today: date) -> dict[str, Any]:
    min_age = rng.randint(5, 75)
    work_start = work_end = None
    if rng.random() < WORK_DATES_SHARE:
        work_start = today + timedelta(days=WORK_WINDOW_START + rng.randrange(WORK_WINDOW_DAYS))
        work_end = work_start + timedelta(days=rng.randint(1, 60) - 1)  # both ends count
    return {
        "movie_id": movie_id,
        "actor_id": actor_id,
        "name": rng.choice(ROLE_NAMES),
        "gender": rng.choices(ROLE_GENDERS, (40, 40, 2, 18))[0],
        "min_age": min_age,
        "max_age": min(min_age + rng.randint(0, 20), 130),
        "description": None,
        "work_start": work_start,
        "work_end": work_end,
    }


def _overlaps(spans: Sequence[Span], start: date | None, end: date | None) -> bool:
    return start is not None and end is not None and any(s <= end and e >= start for s, e in spans)


def _keep_bookings_apart(row: dict[str, Any], bookings: dict[int, list[Span]]) -> None:
    """An actor is never booked twice on the same days: a cast role that would overlap
    one of its actor's bookings gets no dates instead (a role without dates conflicts
    with nothing)."""
    actor_id, start, end = row["actor_id"], row["work_start"], row["work_end"]
    if actor_id is None or start is None:
        return
    if _overlaps(bookings[actor_id], start, end):
        row["work_start"] = row["work_end"] = None
    else:
        bookings[actor_id].append((start, end))


def _submission(
    rng: random.Random, role: dict[str, Any], actor_id: int, status: str, now: datetime
) -> dict[str, Any]:
    created = now - timedelta(seconds=rng.randrange(1, 120 * 86_400))
    moved = status != "submitted"
    updated = created + timedelta(seconds=rng.randrange(int((now - created).total_seconds())))
    source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
    return {
        "role_id": role["id"],
        "actor_id": actor_id,
        "status": status,
        "source": source,
        "agent": rng.choice(AGENCIES) if source == "agent" else None,
        "note": None,
        "hold_until": now + timedelta(hours=rng.randint(24, 21 * 24))
        if status == "on_hold"
        else None,
        "created_at": created,
        "updated_at": updated if moved else created,
    }


class CastingPool:
    """Actors seeking roles by gender and age, so a role's submissions come mostly from
    actors who fit it, as agents submit them; anyone may be put forward otherwise."""

    def __init__(self, actors: Sequence[Sequence[Any]]) -> None:
        self.everyone = [actor_id for actor_id, *_ in actors]
        self.fitting: dict[tuple[str, int], list[int]] = defaultdict(list)
        for actor_id, gender, age, seeking in actors:
            if seeking:
                self.fitting[gender, age].append(actor_id)
                self.fitting["any", age].append(actor_id)

    def pick(self, rng: random.Random, role: dict[str, Any], count: int) -> list[int]:
        """Up to `count` different actors: one actor, one submission per role."""
        chosen: list[int] = []
        for _ in range(count * 3):
            if len(chosen) == count or not self.everyone:
                break
            fitting = self.fitting.get(
                (role["gender"], rng.randint(role["min_age"], role["max_age"]))
            )
            actor_id = rng.choice(fitting) if fitting else rng.choice(self.everyone)
            if actor_id not in chosen:
                chosen.append(actor_id)
        return chosen


def _role_submissions(
    rng: random.Random,
    role: dict[str, Any],
    pool: CastingPool,
    bookings: dict[int, list[Span]],
    per_role: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """A cast role has its actor's one booked submission; an open role has `per_role`
    on average, none booked, and no hold or offer against the actor's bookings."""
    if role["actor_id"] is not None:
        return [_submission(rng, role, role["actor_id"], "booked", now)]
    if per_role == 0:
        return []
    fewest = max(1, per_role // 2)
    rows = []
    for actor_id in pool.pick(rng, role, rng.randint(fewest, 2 * per_role - fewest)):
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        if status in ENGAGING and _overlaps(
            bookings[actor_id], role["work_start"], role["work_end"]
        ):
            status = "shortlisted"
        rows.append(_submission(rng, role, actor_id, status, now))
    return rows


def _batches(count: int) -> Iterator[int]:
    while count > 0:
        yield min(count, BATCH_SIZE)
        count -= BATCH_SIZE


def seed_database(
    actors: int,
    movies: int,
    roles: int,
    seed: int,
    advance: Callable[[int], None],
    submissions_per_role: int = 5,
    now: datetime | None = None,
) -> int:
    """Insert in batches of multi-row INSERTs; ids come back with RETURNING so roles and
    submissions point at real rows whatever the database held before. Returns how many
    submissions were added. `now` fixes the dates, so a seed repeats exactly."""
    now = now or utc_now()
    rng = random.Random(seed)
    movie_ids: list[int] = []
    actor_rows: list[Sequence[Any]] = []
    for size in _batches(movies):
        rows = [_movie(rng) for _ in range(size)]
        movie_ids += db.session.scalars(insert(Movie).returning(Movie.id), rows).all()
        advance(size)
    for size in _batches(actors):
        rows = [_actor(rng) for _ in range(size)]
        returning = insert(Actor).returning(Actor.id, Actor.gender, Actor.age, Actor.seeking_roles)
        actor_rows += db.session.execute(returning, rows).all()
        advance(size)
    actor_rows.sort(key=lambda row: row[0])
    actor_ids = [row[0] for row in actor_rows]
    bookings: dict[int, list[Span]] = defaultdict(list)
    role_rows: list[dict[str, Any]] = []
    for size in _batches(roles):
        rows = [
            _role(
                rng,
                rng.choice(movie_ids),
                rng.choice(actor_ids) if actor_ids and rng.random() < 0.4 else None,
                now.date(),
            )
            for _ in range(size)
        ]
        for row in rows:
            _keep_bookings_apart(row, bookings)
        returned = db.session.execute(
            insert(Role).returning(Role.id, sort_by_parameter_order=True), rows, **ALL_COLUMNS
        )
        for row, (role_id,) in zip(rows, returned, strict=True):
            row["id"] = role_id
        role_rows += rows
        advance(size)
    pool = CastingPool(actor_rows)
    added = 0
    for start in range(0, len(role_rows), BATCH_SIZE):
        batch = role_rows[start : start + BATCH_SIZE]
        rows = [
            submission
            for role in batch
            for submission in _role_submissions(
                rng, role, pool, bookings, submissions_per_role, now
            )
        ]
        if rows:
            db.session.execute(insert(SUBMISSIONS), rows)
        added += len(rows)
        advance(len(batch))
    db.session.commit()
    return added
