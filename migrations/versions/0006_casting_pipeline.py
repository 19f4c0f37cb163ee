"""the casting pipeline: submissions, roles' work dates, and the history of changes

Revision ID: 0006
Revises: 0005

Submissions put an actor forward for a role; two partial unique indexes keep one
active submission per actor and role, and one booking per role, even when requests
race. Events are the history: no foreign keys, so they outlive what they describe.
Every role already cast gets its booked submission. Roles get optional work dates. SQLite cannot add a table constraint to an existing
table, so there the work-date rule is a column constraint on work_end, added with it.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE = "status IN ('submitted', 'shortlisted', 'auditioning', 'callback', 'on_hold', 'offered', 'booked')"
STATUSES = (
    "status IS NULL OR status IN ('submitted', 'shortlisted', 'auditioning', 'callback', "
    "'on_hold', 'offered', 'booked', 'released', 'withdrawn', 'declined')"
)
WORK_DATES = "work_start IS NULL OR work_end IS NULL OR work_start <= work_end"
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def _partial(condition: str) -> dict:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.add_column("roles", sa.Column("work_start", sa.Date(), nullable=True))
        op.execute(
            "ALTER TABLE roles ADD COLUMN work_end DATE "
            f"CONSTRAINT ck_roles_work_start_not_after_work_end CHECK ({WORK_DATES})"
        )
    else:
        op.add_column("roles", sa.Column("work_start", sa.Date(), nullable=True))
        op.add_column("roles", sa.Column("work_end", sa.Date(), nullable=True))
        op.create_check_constraint("work_start_not_after_work_end", "roles", WORK_DATES)

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("hold_until", MOMENT, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status = 'on_hold') = (hold_until IS NOT NULL)",
            name=op.f("ck_submissions_hold_until_only_on_hold"),
        ),
        sa.CheckConstraint(
            "source IS NULL OR source IN ('agent', 'self', 'staff')",
            name=op.f("ck_submissions_source_known"),
        ),
        sa.CheckConstraint(STATUSES, name=op.f("ck_submissions_status_known")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_submissions_actor_id_actors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_submissions_role_id_roles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sqlite_autoincrement=True,
    )
    # A role cast before the pipeline existed is cast to X iff X holds its one booked
    # submission from now on: each gets that booking here, as casting through the API does.
    op.execute(
        "INSERT INTO submissions (role_id, actor_id, status, source, created_at, updated_at) "
        "SELECT id, actor_id, 'booked', 'staff', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP "
        "FROM roles WHERE actor_id IS NOT NULL ORDER BY id"
    )
    op.create_index("ix_submissions_actor_created", "submissions", ["actor_id", "created_at"])
    op.create_index("ix_submissions_role_created", "submissions", ["role_id", "created_at"])
    op.create_index(
        "ix_submissions_hold_until",
        "submissions",
        ["hold_until"],
        **_partial("hold_until IS NOT NULL"),
    )
    op.create_index(
        "uq_submissions_active_actor_role",
        "submissions",
        ["actor_id", "role_id"],
        unique=True,
        **_partial(ACTIVE),
    )
    op.create_index(
        "uq_submissions_booked_role",
        "submissions",
        ["role_id"],
        unique=True,
        **_partial("status = 'booked'"),
    )

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=200), nullable=True),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IS NULL OR action IN ('created', 'updated', 'deleted', 'moved')",
            name=op.f("ck_events_action_known"),
        ),
        sa.CheckConstraint(
            "entity IS NULL OR entity IN ('movie', 'actor', 'role', 'submission')",
            name=op.f("ck_events_entity_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_entity_entity_id_id", "events", ["entity", "entity_id", "id"])
    op.create_index("ix_events_entity_id", "events", ["entity", "id"])


def downgrade():
    op.drop_table("events")
    op.drop_table("submissions")
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode, which rebuilds the table (see 0005). work_end goes first, with
        # the CHECK it carries; SQLite refuses to drop a column another CHECK names.
        op.execute("ALTER TABLE roles DROP COLUMN work_end")
        op.execute("ALTER TABLE roles DROP COLUMN work_start")
    else:
        op.drop_constraint("work_start_not_after_work_end", "roles", type_="check")
        op.drop_column("roles", "work_end")
        op.drop_column("roles", "work_start")
