"""Optional rate limiting of writes (off unless WRITE_RATE_LIMIT is set): a runaway
script cannot flood the talent database, while reads are never limited."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _is_read() -> bool:
    return request.method in READ_METHODS


def init_rate_limits(app: Flask) -> None:
    """One budget per client for all writes together, keyed by client address (the
    real one behind Heroku's router, via ProxyFix): limits are checked before the token
    is, so an unverified claim cannot be the key."""
    rate = app.config["WRITE_RATE_LIMIT"]
    if not rate:
        return
    app.extensions["write_limiter"] = Limiter(
        get_remote_address,
        app=app,
        application_limits=[rate],
        application_limits_exempt_when=_is_read,
        storage_uri=app.config["RATE_LIMIT_STORAGE_URI"],
        headers_enabled=True,
    )
