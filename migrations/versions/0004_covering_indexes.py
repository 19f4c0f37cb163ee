"""covering indexes for deep pages and matches

Revision ID: 0004
Revises: 0003

A page is selected as ids first (listing.paginate); these indexes carry the ids, and
for candidates the names they are ranked by, so PostgreSQL answers that step from the
index alone. SQLite has no INCLUDE: there the indexes keep their key columns.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_ROLES = sa.text("actor_id IS NULL")


def _replace_index(name: str, table: str, columns: list[str], **options) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns, **options)


def upgrade():
    _replace_index("ix_actors_gender_age", "actors", ["gender", "age"], postgresql_include=["id"])
    op.create_index(
        "ix_actors_seeking_gender_age",
        "actors",
        ["gender", "age"],
        postgresql_include=["id", "name"],
        postgresql_where=sa.text("seeking_roles IS true"),
        sqlite_where=sa.text("seeking_roles IS 1"),
    )
    _replace_index(
        "ix_roles_open_age_range",
        "roles",
        ["min_age", "max_age"],
        postgresql_include=["id", "gender", "movie_id"],
        postgresql_where=OPEN_ROLES,
        sqlite_where=OPEN_ROLES,
    )


def downgrade():
    _replace_index(
        "ix_roles_open_age_range",
        "roles",
        ["min_age", "max_age"],
        postgresql_where=OPEN_ROLES,
        sqlite_where=OPEN_ROLES,
    )
    op.drop_index("ix_actors_seeking_gender_age", table_name="actors")
    _replace_index("ix_actors_gender_age", "actors", ["gender", "age"])
