"""The database: typed models whose rules are also constraints in the schema."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, get_args

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
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

GENDERS: tuple[str, ...] = get_args(Gender)
ROLE_GENDERS: tuple[str, ...] = get_args(RoleGender)
ETHNICITIES: tuple[str, ...] = get_args(Ethnicity)
HAIR_COLORS: tuple[str, ...] = get_args(HairColor)
EYE_COLORS: tuple[str, ...] = get_args(EyeColor)
BODY_TYPES: tuple[str, ...] = get_args(BodyType)

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
GenreList = JSON().with_variant(JSONB(), "postgresql")


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
    genres: Mapped[list[str]] = mapped_column(GenreList, default=list)
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
