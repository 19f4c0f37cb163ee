"""indexes for filters, search and matching

Revision ID: 0002
Revises: 0001

Substring search uses trigram (pg_trgm) GIN indexes on PostgreSQL where the extension
is available; SQLite has no such index and scans, with the same answers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PLAIN_INDEXES = [
    ("ix_actors_age", "actors", ["age"]),
    ("ix_actors_gender_age", "actors", ["gender", "age"]),
    ("ix_actors_height", "actors", ["height"]),
    ("ix_actors_name", "actors", ["name"]),
    ("ix_actors_lower_name", "actors", [sa.text("lower(name)")]),
    ("ix_movies_release_date", "movies", ["release_date"]),
    ("ix_movies_lower_title", "movies", [sa.text("lower(title)")]),
]
TRIGRAM_INDEXES = [
    ("ix_actors_name_trgm", "actors", "name"),
    ("ix_actors_location_trgm", "actors", "location"),
    ("ix_movies_title_trgm", "movies", "title"),
    ("ix_roles_name_trgm", "roles", "name"),
]


def _has_trigram_support() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    return bool(available)


def upgrade():
    for name, table, columns in PLAIN_INDEXES:
        op.create_index(name, table, columns)
    op.create_index(
        "ix_roles_open_age_range",
        "roles",
        ["min_age", "max_age"],
        postgresql_where=sa.text("actor_id IS NULL"),
        sqlite_where=sa.text("actor_id IS NULL"),
    )
    if _has_trigram_support():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in TRIGRAM_INDEXES:
            op.create_index(
                name,
                table,
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade():
    for name, table, _column in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_roles_open_age_range", table_name="roles")
    for name, table, _columns in reversed(PLAIN_INDEXES):
        op.drop_index(name, table_name=table)
