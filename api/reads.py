"""Reads in one round trip, and reads that survive a dead database connection.

A GET or HEAD sends its statements in autocommit: no BEGIN before them and no ROLLBACK
after, so reading one record is one round trip to PostgreSQL. A read never writes, and
at READ COMMITTED each statement of a transaction sees its own snapshot anyway, so a
page and its count see what they saw before. Every other request keeps its
transaction. (SQLAlchemy's AUTOCOMMIT isolation level would do the same, but resets the
level with a SET on every return to the pool: a second round trip per read. Here the
driver's own flag is set when the read's transaction starts and cleared when the
connection goes back to the pool, both without a round trip.)

There is no ping before each checkout either (config.engine_options). A read that meets
a dead connection runs once more on a fresh one, since running a read twice changes
nothing; the first disconnect invalidates the pool's older connections with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import Pool

from models import db

log = logging.getLogger(__name__)

READS = frozenset({"GET", "HEAD"})
# Marks, on the pooled connection, that a read set its driver to autocommit.
AUTOCOMMIT_READ = "autocommit_read"


def _read_without_transaction(
    _session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    """Before the first statement: psycopg2 then sends no BEGIN, and rollback() is a
    no-op. (SQLite, used only outside production, keeps its transactions.)"""
    if not (has_request_context() and request.method in READS):
        return
    if connection.dialect.driver == "psycopg2":
        pooled = connection.connection
        pooled.dbapi_connection.autocommit = True  # type: ignore[union-attr]
        pooled.info[AUTOCOMMIT_READ] = True


def _back_to_transactions(dbapi_connection: Any, record: Any) -> None:
    """A connection leaves the read it served as it found it: the next request may
    write, and its writes need their transaction."""
    if record.info.pop(AUTOCOMMIT_READ, False) and dbapi_connection is not None:
        dbapi_connection.autocommit = False


def retried_once(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def read(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            if not error.connection_invalidated or request.method not in READS:
                raise
            # SQLAlchemy has invalidated the pool's older connections with this one:
            # the retry gets a new connection, not another that died with it.
            db.session.rollback()
            log.warning("database connection lost during a read; retrying once")
            return view(*args, **kwargs)

    return read


def init_reads(app: Flask) -> None:
    """Every view that answers GET (HEAD runs the same view) is retried once; every
    session reads without a transaction."""
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and rule.endpoint in app.view_functions:
            app.view_functions[rule.endpoint] = retried_once(app.view_functions[rule.endpoint])
    if not event.contains(Session, "after_begin", _read_without_transaction):
        event.listen(Session, "after_begin", _read_without_transaction)
        event.listen(Pool, "checkin", _back_to_transactions)
