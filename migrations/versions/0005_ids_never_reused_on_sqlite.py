"""ids are never reused on SQLite

Revision ID: 0005
Revises: 0004

Without AUTOINCREMENT, SQLite hands the next record the highest id plus one, so after
deleting the newest actor the next one got its id (and ETag "1"): a stale link or
If-Match could then reach a different record. PostgreSQL's sequences never hand out a
number twice, so there this is a no-op.

SQLite cannot add AUTOINCREMENT to a table, so each table is rebuilt from its own
CREATE TABLE statement with the primary key made AUTOINCREMENT. Not with batch mode:
it would lose the expression indexes SQLite cannot reflect, and dropping a table that
roles still refer to would fire ON DELETE SET NULL / CASCADE (foreign keys are on) and
empty the roles' actor_id and movie_id. So roles are set aside first, the parents are
rebuilt while nothing refers to them, roles are rebuilt last, and every index is
created again from its own statement. Ids deleted before this migration, above the
highest that remains, cannot be known; from here on none is reused.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PARENTS = ("movies", "actors")
TABLES = ("roles", *PARENTS)


def _statement(bind, kind: str, name: str) -> str:
    return bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = :kind AND name = :name"),
        {"kind": kind, "name": name},
    ).scalar_one()


def _with_autoincrement(create_table: str, table: str, new_name: str) -> str:
    """The table's own CREATE TABLE, renamed, with `id` as an AUTOINCREMENT key."""
    steps = [
        (rf"^CREATE TABLE {table} \(", f"CREATE TABLE {new_name} ("),
        (
            r"\bid INTEGER NOT NULL,",
            f"id INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT,",
        ),
        (rf"\bCONSTRAINT pk_{table} PRIMARY KEY \(id\),\s*", ""),
    ]
    for pattern, replacement in steps:
        create_table, count = re.subn(pattern, replacement, create_table, count=1)
        if count != 1:
            raise RuntimeError(f"unexpected schema for {table}: {pattern!r} not found")
    return create_table


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    tables = {table: _statement(bind, "table", table) for table in TABLES}
    if all("AUTOINCREMENT" in statement for statement in tables.values()):
        return
    indexes = (
        bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('movies', 'actors', 'roles')"
            )
        )
        .scalars()
        .all()
    )

    op.execute("CREATE TABLE _roles_set_aside AS SELECT * FROM roles")
    op.execute("DROP TABLE roles")
    for table in PARENTS:
        rebuilt = f"_{table}_rebuilt"
        op.execute(_with_autoincrement(tables[table], table, rebuilt))
        op.execute(f"INSERT INTO {rebuilt} SELECT * FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE {rebuilt} RENAME TO {table}")
    op.execute(_with_autoincrement(tables["roles"], "roles", "roles"))
    op.execute("INSERT INTO roles SELECT * FROM _roles_set_aside")
    op.execute("DROP TABLE _roles_set_aside")
    for statement in indexes:
        op.execute(statement)


def downgrade():
    # Never reusing ids is harmless under the older revisions: nothing to undo.
    pass
