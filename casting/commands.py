"""Commands the service runs on a schedule (Heroku Scheduler): releasing expired holds."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy.orm.exc import StaleDataError

from casting.moves import expired_holds, release_hold
from models import Submission, db, utc_now


def register(app: Flask) -> None:
    """Registered in every environment: these commands run in production."""

    @app.cli.command("release-expired-holds")
    def release_expired_holds() -> None:
        """Release every hold whose hold_until has passed (note "hold expired")."""
        # No token is behind these moves: the history records them as by "system".
        db.session.info["history_by"] = "system"
        now, released = utc_now(), 0
        # One transaction per hold: a hold moved by someone at the same moment keeps
        # that move (its version has changed), and the others are still released.
        for submission_id in expired_holds(now):
            submission = db.session.get(Submission, submission_id)
            # Moved, or held again until later, since the list was read: not expired now.
            if submission is None or submission.hold_until is None or submission.hold_until > now:
                continue
            release_hold(submission)
            try:
                db.session.commit()
                released += 1
            except StaleDataError:
                db.session.rollback()
        click.echo(f"Released {released} expired hold(s).")
