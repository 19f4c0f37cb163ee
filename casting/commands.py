"""Commands the service runs on a schedule (Heroku Scheduler): releasing expired holds."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Registered in every environment: these commands run in production."""
