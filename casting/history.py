"""The history of every change: each write appends its events in its own transaction.

Recording is a session hook, not a call each view must remember: whatever a flush
creates, changes or deletes among movies, actors, roles and submissions becomes an
event, so there is no change without its event and (since both commit or roll back
together) no event without its change. Rows the database itself removes or reopens
(ON DELETE CASCADE / SET NULL when a movie, actor or role is deleted) are found before
the delete and recorded too.

Event ids are the order of the feed (`GET /events?after=`). On PostgreSQL two
transactions could take ids 7 and 8 and commit 8 first; a client that read 8 would then
never see 7. So events are written last, just before COMMIT, under a transaction-level
advisory lock: ids are handed out in commit order, and a poller never skips one. The
lock is held only for that INSERT and the COMMIT. SQLite runs one writer at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, insert, inspect, update
from sqlalchemy.orm import Session, SessionTransaction, attributes

from models import Actor, Event, Movie, Role, Submission, db, utc_now

ENTITIES: dict[type[Any], str] = {
    Movie: "movie",
    Actor: "actor",
    Role: "role",
    Submission: "submission",
}
# Bookkeeping columns: they change with every write and say nothing about it.
UNRECORDED = frozenset({"id", "version", "created_at", "updated_at"})
# pg_advisory_xact_lock's key: any constant no other code uses.
EVENTS_LOCK_KEY = 0x63617374  # "cast"
NOTES = "history_notes"
PENDING = "history_pending"
DELETED = "history_deleted"
SAVEPOINTS = "history_savepoints"
# The events table's `by` column; a longer subject is cut, never a failed write.
BY_LENGTH = 200
# Who a change is by when no token says so: a scheduled command, a migration.
SYSTEM = "system"


def note_change(record: Any, note: str | None = None, **facts: Any) -> None:
    """Attach a note (and facts beyond the changed fields, such as a conflict that was
    allowed) to the event the next flush records for `record`."""
    notes = db.session.info.setdefault(NOTES, {})
    entry = notes.setdefault(inspect(record), {"note": None, "facts": {}})
    if note is not None:
        entry["note"] = note
    entry["facts"].update(facts)


def recorded_by(session: Session) -> str:
    """The token's subject: a person (`auth0|...`), or a machine (`<client-id>@clients`)."""
    if has_request_context():
        claims = g.get("jwt_claims") or {}
        if isinstance(claims.get("sub"), str):
            return str(claims["sub"])[:BY_LENGTH]
    return str(session.info.get("history_by", SYSTEM))[:BY_LENGTH]


def _request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


def _columns(record: Any) -> list[str]:
    return [c.key for c in inspect(type(record)).column_attrs if c.key not in UNRECORDED]


def _changes(record: Any) -> dict[str, list[Any]]:
    changes = {}
    for key in _columns(record):
        history = attributes.get_history(record, key)
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [_json(old), _json(new)]
    return changes


def _row(
    session: Session,
    entity: str,
    entity_id: int,
    action: str,
    changes: dict[str, Any],
    note: str | None,
) -> dict[str, Any]:
    return {
        "at": utc_now(),
        "by": recorded_by(session),
        "request_id": _request_id(),
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "changes": changes,
        "note": note,
    }


def _pending(session: Session) -> list[dict[str, Any]]:
    return session.info.setdefault(PENDING, [])


def _annotation(session: Session, record: Any) -> dict[str, Any]:
    return session.info.get(NOTES, {}).get(inspect(record), {"note": None, "facts": {}})


def _record_what_the_database_will_cascade(session: Session, *_args: Any) -> None:
    """A deleted movie takes its roles and their submissions with it; a deleted role its
    submissions; a deleted actor their submissions, and the roles they were cast in
    reopen. The database does that; here those rows are found first (under the parent's
    row lock) and recorded. The reopened roles' versions are bumped too, so an ETag
    read before still fails."""
    for record in list(session.deleted):
        if isinstance(record, Movie | Role | Actor):
            _lock(session, record)
        if isinstance(record, Movie):
            role_ids = session.scalars(db.select(Role.id).where(Role.movie_id == record.id))
            _record_deleted(session, "role", list(role_ids), "movie deleted")
            submissions = db.select(Submission.id).join(Role).where(Role.movie_id == record.id)
            _record_deleted(
                session, "submission", list(session.scalars(submissions)), "movie deleted"
            )
        elif isinstance(record, Role):
            submissions = db.select(Submission.id).where(Submission.role_id == record.id)
            _record_deleted(
                session, "submission", list(session.scalars(submissions)), "role deleted"
            )
        elif isinstance(record, Actor):
            submissions = db.select(Submission.id).where(Submission.actor_id == record.id)
            _record_deleted(
                session, "submission", list(session.scalars(submissions)), "actor deleted"
            )
            reopened = session.scalars(
                update(Role)
                .where(Role.actor_id == record.id)
                .values(actor_id=None, version=Role.version + 1)
                .returning(Role.id)
                .execution_options(synchronize_session=False)
            )
            for role_id in reopened.all():
                _pending(session).append(
                    _row(
                        session,
                        "role",
                        role_id,
                        "updated",
                        {"actor_id": [record.id, None]},
                        "actor deleted",
                    )
                )


def _lock(session: Session, record: Movie | Role | Actor) -> None:
    """The row a DELETE will cascade from is locked before its children are read: a
    submission created or a role cast at the same moment then either commits first (and
    is read here) or waits and fails its foreign key check, never goes unrecorded."""
    model = type(record)
    session.execute(db.select(model.id).where(model.id == record.id).with_for_update())


def _record_deleted(session: Session, entity: str, ids: list[int], note: str) -> None:
    _pending(session).extend(
        _row(session, entity, i, "deleted", {}, note)
        for i in ids
        if _first_deletion(session, entity, i)
    )


def _first_deletion(session: Session, entity: str, entity_id: int) -> bool:
    """A role the session had loaded is deleted by the ORM's cascade as well as found as
    the database's: one deletion, one event."""
    seen = session.info.setdefault(DELETED, set())
    if (entity, entity_id) in seen:
        return False
    seen.add((entity, entity_id))
    return True


def _record_the_flush(session: Session, *_args: Any) -> None:
    """New records have their ids here, and every attribute still has its history."""
    for record in session.new:
        if (entity := ENTITIES.get(type(record))) is not None:
            changes = {
                k: [None, _json(v)]
                for k in _columns(record)
                if (v := getattr(record, k)) is not None
            }
            _append(session, record, entity, "created", changes)
    for record in session.dirty:
        if (entity := ENTITIES.get(type(record))) is not None and (changes := _changes(record)):
            action = "moved" if entity == "submission" and "status" in changes else "updated"
            _append(session, record, entity, action, changes)
    for record in session.deleted:
        if (entity := ENTITIES.get(type(record))) is not None:
            record_id = inspect(record).identity[0]
            if _first_deletion(session, entity, record_id):
                _append(session, record, entity, "deleted", {}, record_id)


def _append(
    session: Session,
    record: Any,
    entity: str,
    action: str,
    changes: dict[str, Any],
    entity_id: int | None = None,
) -> None:
    annotation = _annotation(session, record)
    changes = changes | {k: _json(v) for k, v in annotation["facts"].items()}
    row = _row(session, entity, entity_id or record.id, action, changes, annotation["note"])
    _pending(session).append(row)


def _write_events(session: Session) -> None:
    """Flush first, so every change is known, then write the events in commit order."""
    session.flush()
    rows = session.info.pop(PENDING, [])
    session.info.pop(NOTES, None)
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({EVENTS_LOCK_KEY})")
    connection.execute(insert(Event), rows)


def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    """begin_nested() has flushed: the events recorded so far are the savepoint's base."""
    if transaction.nested:
        session.info.setdefault(SAVEPOINTS, {})[transaction] = len(_pending(session))


def _undo_savepoint(session: Session, previous_transaction: SessionTransaction) -> None:
    """Rolling back to a savepoint drops the events of what it undid, and only those:
    the changes before it are still to be committed, with their events."""
    if previous_transaction.nested:
        mark = session.info.get(SAVEPOINTS, {}).pop(previous_transaction, None)
        if mark is not None:
            del _pending(session)[mark:]


def _forget_events(session: Session, transaction: SessionTransaction) -> None:
    """The transaction is over: committed (its events written) or rolled back (its
    events with it). A savepoint's or a flush's end is not the transaction's."""
    if transaction.parent is not None:
        return
    for key in (PENDING, NOTES, DELETED, SAVEPOINTS):
        session.info.pop(key, None)


LISTENERS = (
    ("before_flush", _record_what_the_database_will_cascade),
    ("after_flush", _record_the_flush),
    ("before_commit", _write_events),
    ("after_transaction_create", _mark_savepoint),
    ("after_soft_rollback", _undo_savepoint),
    ("after_transaction_end", _forget_events),
)


def init_history() -> None:
    """Every session records history: the app's, the tests' and the commands' alike."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
