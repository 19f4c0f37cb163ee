"""The database: typed models whose rules are also constraints in the schema."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    event,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The words the agency's data is made of, defined once: the schemas validate against
# these literals and the check constraints below are built from the same values.
Gender = Literal["female", "male", "non-binary"]
RoleGender = Literal["female", "male", "non-binary", "any"]
Ethnicity = Literal[
    "asian",
    "black",
    "latino",
    "middle eastern",
    "south asian",
    "southeast asian",
    "white",
    "mixed",
    "other",
]
HairColor = Literal["black", "brown", "blond", "auburn", "chestnut", "red", "gray", "white", "bald"]
EyeColor = Literal["amber", "blue", "brown", "gray", "green", "hazel", "red", "violet"]
BodyType = Literal["average", "slim", "athletic", "muscular", "curvy", "heavyset", "plus-sized"]
# A submission's place in the casting pipeline; casting/statuses.py says which moves
# are allowed. The first seven are active (the actor is still in the running).
SubmissionStatus = Literal[
    "submitted",
    "shortlisted",
    "auditioning",
    "callback",
    "on_hold",
    "offered",
    "booked",
    "released",
    "withdrawn",
    "declined",
]
SubmissionSource = Literal["agent", "self", "staff"]
# What a history event describes, and what happened to it.
EventEntity = Literal["movie", "actor", "role", "submission"]
EventAction = Literal["created", "updated", "deleted", "moved"]

GENDERS: tuple[str, ...] = get_args(Gender)
ROLE_GENDERS: tuple[str, ...] = get_args(RoleGender)
ETHNICITIES: tuple[str, ...] = get_args(Ethnicity)
HAIR_COLORS: tuple[str, ...] = get_args(HairColor)
EYE_COLORS: tuple[str, ...] = get_args(EyeColor)
BODY_TYPES: tuple[str, ...] = get_args(BodyType)
SUBMISSION_STATUSES: tuple[str, ...] = get_args(SubmissionStatus)
ACTIVE_STATUSES: tuple[str, ...] = SUBMISSION_STATUSES[:7]
CLOSED_STATUSES: tuple[str, ...] = SUBMISSION_STATUSES[7:]
SUBMISSION_SOURCES: tuple[str, ...] = get_args(SubmissionSource)
EVENT_ENTITIES: tuple[str, ...] = get_args(EventEntity)
EVENT_ACTIONS: tuple[str, ...] = get_args(EventAction)

MIN_AGE, MAX_AGE = 0, 130
MIN_HEIGHT, MAX_HEIGHT = 30, 300
# The widest id PostgreSQL's INTEGER column holds; larger ones could never match a row.
MAX_ID = 2**31 - 1

# Predictable constraint names, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, compact); plain JSON text on SQLite.
JsonColumn = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# mypy cannot see through db.Model, which Flask-SQLAlchemy builds at run time.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, and would accept rows PostgreSQL rejects.
    Its lower() folds only A-Z, so 'ÉMILIE' would not find 'Émilie' as it does on
    PostgreSQL; Python's str.lower takes its place (ILIKE is lower() LIKE lower() here)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC on both databases. PostgreSQL keeps the zone; SQLite keeps text
    without one, so values are stored as UTC and read back marked as UTC, and a
    comparison with an aware datetime never fails on one database only."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _trigram_index(name: str, table: str, column: str) -> Index:
    """Substring search (ILIKE '%term%') served by a PostgreSQL trigram index; SQLite,
    which has no pg_trgm, scans instead and still answers correctly."""
    return Index(
        name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
    ).ddl_if(dialect="postgresql")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IS NULL OR {column} IN ({quoted})"


# SQLite would otherwise give a new record the id of the newest deleted one, so a stale
# link or If-Match could reach a different record; PostgreSQL's sequences never reuse.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}

# Every record carries a version that each UPDATE and DELETE checks and bumps
# (optimistic locking): a write based on a stale read fails instead of silently
# overwriting a colleague's change. It is the ETag clients see.


class Movie(Model):
    __tablename__ = "movies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    release_date: Mapped[date] = mapped_column(Date)
    company: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    genres: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    version: Mapped[int] = mapped_column(server_default="1")
    __mapper_args__ = {"version_id_col": version}

    # The database deletes the roles (ON DELETE CASCADE); passive_deletes stops
    # SQLAlchemy from loading every role first just to delete it itself.
    roles: Mapped[list[Role]] = relationship(
        back_populates="movie",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Role.id",
    )

    __table_args__ = (
        CheckConstraint("length(title) >= 1", name="title_not_empty"),
        Index("ix_movies_release_date", "release_date"),
        Index("ix_movies_lower_title", func.lower(title)),
        _trigram_index("ix_movies_title_trgm", "movies", "title"),
        NEVER_REUSE_IDS,
    )


class Actor(Model):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    age: Mapped[int] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(200))
    passport: Mapped[bool] = mapped_column(default=False)
    driver_license: Mapped[bool] = mapped_column(default=False)
    seeking_roles: Mapped[bool] = mapped_column(default=True)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    hair_color: Mapped[str | None] = mapped_column(String(20))
    eye_color: Mapped[str | None] = mapped_column(String(20))
    body_type: Mapped[str | None] = mapped_column(String(20))
    height: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    image_link: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    version: Mapped[int] = mapped_column(server_default="1")
    __mapper_args__ = {"version_id_col": version}

    # Deleting an actor reopens their roles: ON DELETE SET NULL does it in the database.
    roles: Mapped[list[Role]] = relationship(
        back_populates="actor", passive_deletes=True, order_by="Role.id"
    )

    __table_args__ = (
        CheckConstraint("length(name) >= 1", name="name_not_empty"),
        CheckConstraint(f"age BETWEEN {MIN_AGE} AND {MAX_AGE}", name="age_range"),
        CheckConstraint(
            f"height IS NULL OR height BETWEEN {MIN_HEIGHT} AND {MAX_HEIGHT}",
            name="height_range",
        ),
        CheckConstraint(_one_of("gender", GENDERS), name="gender_known"),
        CheckConstraint(_one_of("ethnicity", ETHNICITIES), name="ethnicity_known"),
        CheckConstraint(_one_of("hair_color", HAIR_COLORS), name="hair_color_known"),
        CheckConstraint(_one_of("eye_color", EYE_COLORS), name="eye_color_known"),
        CheckConstraint(_one_of("body_type", BODY_TYPES), name="body_type_known"),
        # The common profile filters narrow by gender and age first; the id rides along
        # so a page of ids is read from the index alone (see listing.paginate).
        Index("ix_actors_gender_age", "gender", "age", postgresql_include=["id"]),
        # Candidates: only actors seeking roles, ranked by age and name, all in the index.
        Index(
            "ix_actors_seeking_gender_age",
            "gender",
            "age",
            postgresql_include=["id", "name"],
            postgresql_where=text("seeking_roles IS true"),
            sqlite_where=text("seeking_roles IS 1"),
        ),
        Index("ix_actors_age", "age"),
        Index("ix_actors_height", "height"),
        Index("ix_actors_name", "name"),
        Index("ix_actors_lower_name", func.lower(name)),
        _trigram_index("ix_actors_name_trgm", "actors", "name"),
        _trigram_index("ix_actors_location_trgm", "actors", "location"),
        NEVER_REUSE_IDS,
    )


class Role(Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    movie_id: Mapped[int] = mapped_column(ForeignKey("movies.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str] = mapped_column(String(20), default="any")
    min_age: Mapped[int] = mapped_column(Integer)
    max_age: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    # The shoot days the part needs, both ends included: holds and bookings on
    # overlapping dates are conflicts (casting/conflicts.py).
    work_start: Mapped[date | None] = mapped_column(Date)
    work_end: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(server_default="1")
    __mapper_args__ = {"version_id_col": version}

    movie: Mapped[Movie] = relationship(back_populates="roles")
    actor: Mapped[Actor | None] = relationship(back_populates="roles")

    __table_args__ = (
        CheckConstraint("length(name) >= 1", name="name_not_empty"),
        CheckConstraint(_one_of("gender", ROLE_GENDERS), name="gender_known"),
        CheckConstraint(
            f"min_age BETWEEN {MIN_AGE} AND {MAX_AGE} AND max_age BETWEEN {MIN_AGE} AND {MAX_AGE}",
            name="age_range",
        ),
        CheckConstraint("min_age <= max_age", name="min_age_not_above_max_age"),
        CheckConstraint(
            "work_start IS NULL OR work_end IS NULL OR work_start <= work_end",
            name="work_start_not_after_work_end",
        ),
        # Matching roles look only at open roles, by age range, and rank them by it.
        Index(
            "ix_roles_open_age_range",
            "min_age",
            "max_age",
            postgresql_include=["id", "gender", "movie_id"],
            postgresql_where=text("actor_id IS NULL"),
            sqlite_where=text("actor_id IS NULL"),
        ),
        _trigram_index("ix_roles_name_trgm", "roles", "name"),
        NEVER_REUSE_IDS,
    )


def _status_in(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class Submission(Model):
    """One actor put forward for one role, and where that stands in the pipeline."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A submission goes with its role and its actor (ON DELETE CASCADE); its history
    # stays, because events refer to it by id only.
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    source: Mapped[str] = mapped_column(String(10), default="staff")
    agent: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    hold_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(server_default="1")
    __mapper_args__ = {"version_id_col": version}

    role: Mapped[Role] = relationship()
    actor: Mapped[Actor] = relationship()

    __table_args__ = (
        CheckConstraint(_one_of("status", SUBMISSION_STATUSES), name="status_known"),
        CheckConstraint(_one_of("source", SUBMISSION_SOURCES), name="source_known"),
        CheckConstraint(
            "(status = 'on_hold') = (hold_until IS NOT NULL)", name="hold_until_only_on_hold"
        ),
        # The database, not only the code, keeps the pipeline whole when requests race:
        # one active submission per actor and role, and one booking per role.
        Index(
            "uq_submissions_active_actor_role",
            "actor_id",
            "role_id",
            unique=True,
            postgresql_where=text(_status_in(ACTIVE_STATUSES)),
            sqlite_where=text(_status_in(ACTIVE_STATUSES)),
        ),
        Index(
            "uq_submissions_booked_role",
            "role_id",
            unique=True,
            postgresql_where=text("status = 'booked'"),
            sqlite_where=text("status = 'booked'"),
        ),
        # Lists by role or actor, newest first or by status, read from these.
        Index("ix_submissions_role_created", "role_id", "created_at"),
        Index("ix_submissions_actor_created", "actor_id", "created_at"),
        Index(
            "ix_submissions_hold_until",
            "hold_until",
            postgresql_where=text("hold_until IS NOT NULL"),
            sqlite_where=text("hold_until IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )


class Event(Model):
    """One change, as it was made: appended in the transaction of the change, never
    updated or deleted, and kept when the record it describes is deleted (so it refers
    to the record by entity and id, not by foreign key)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    by: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(_one_of("entity", EVENT_ENTITIES), name="entity_known"),
        CheckConstraint(_one_of("action", EVENT_ACTIONS), name="action_known"),
        Index("ix_events_entity_entity_id_id", "entity", "entity_id", "id"),
        Index("ix_events_entity_id", "entity", "id"),
        NEVER_REUSE_IDS,
    )
