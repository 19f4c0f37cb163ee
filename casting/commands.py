"""Commands the service runs on a schedule (Heroku Scheduler): releasing expired holds."""

from __future__ import annotations

import click
from flask import Flask

from casting.moves import release_expired_holds
from models import db


def register(app: Flask) -> None:
    """Registered in every environment: these commands run in production."""

    @app.cli.command("release-expired-holds")
    def release_expired_holds_command() -> None:
        """Release every hold whose hold_until has passed (note "hold expired")."""
        # The history records these moves as by "system": no token is behind them.
        db.session.info["history_by"] = "system"
        released = release_expired_holds()
        db.session.commit()
        click.echo(f"Released {len(released)} expired hold(s).")
