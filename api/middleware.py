"""What every response carries and every request leaves behind: security headers,
a request id, and one structured (JSON) log line."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("casting.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,128}")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI runs inline scripts and styles and calls the API from the page.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


class JSONFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is a request."""

    FIELDS = (
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "client_id",
        "reason",
        "remote",
    )

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if "request_id" not in entry:
            try:
                entry["request_id"] = g.request_id
            except (AttributeError, RuntimeError):
                pass
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    headers = response.headers
    headers["X-Request-ID"] = g.get("request_id", "")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    is_docs = request.path == "/docs" or request.path.startswith("/docs/")
    # A page of its own (signing in) sets the policy its nonce needs.
    headers["Content-Security-Policy"] = g.get("content_security_policy") or (
        _docs_csp() if is_docs else API_CSP
    )
    if not request.path.startswith("/docs/assets/"):
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # The path only: query strings can hold search terms, and headers hold tokens.
    log.info(
        "request",
        extra={
            "request_id": g.get("request_id"),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", 0.0)) * 1000, 2),
            "remote": request.remote_addr,
            "client_id": _client_id(g.get("jwt_claims")),
        },
    )
    return response


def _docs_csp() -> str:
    """Swagger UI's policy, plus the Auth0 tenant when /docs signs in there itself."""
    tenant = current_app.config.get("DOCS_CONNECT_SRC")
    return (
        DOCS_CSP.replace("connect-src 'self'", f"connect-src 'self' {tenant}")
        if tenant
        else DOCS_CSP
    )


def _client_id(claims: dict[str, Any] | None) -> str | None:
    """The Auth0 application a verified token was issued to, so a machine client's calls
    can be told apart in the logs: `azp`, or from a client-credentials token's subject
    ("<client id>@clients"). Never anything from an unverified token."""
    if not claims:
        return None
    azp = claims.get("azp")
    if isinstance(azp, str) and azp:
        return azp
    subject = claims.get("sub")
    if claims.get("gty") == "client-credentials" and isinstance(subject, str):
        return subject.removesuffix("@clients")
    return None


def init_middleware(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        # Behind Heroku's router: the client's address and scheme come in X-Forwarded-*.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    if app.config["JSON_LOGS"]:
        configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_start)
    app.after_request(_finish)
