"""record versions for optimistic locking and ETags

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("movies", "actors", "roles")


# Plain ALTER TABLE on both databases: SQLite's batch mode would rebuild each table
# and lose the expression indexes it cannot reflect.


def upgrade():
    for table in TABLES:
        op.add_column(
            table, sa.Column("version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
