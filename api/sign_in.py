"""Signing in from a browser: /login, /callback and /logout run Auth0's authorization code
flow with PKCE and end on a page showing the access token; in local mode /login lets
the user pick a staff role instead."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlencode

import requests
from apiflask import APIBlueprint, HTTPError
from flask import current_app, redirect, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.wrappers import Response  # what redirect() makes; Flask's is a subclass

from api.errors import error_response
from api.sign_in_pages import PICK_ROLE_PAGE, REFUSAL_PAGE, page, token_page
from auth import STAFF_PERMISSIONS, AuthError

log = logging.getLogger(__name__)

bp = APIBlueprint("sign_in", __name__, tag="Sign in")

COOKIE = "casting_sign_in"
# Long enough to type a password and answer a second factor, short enough that a
# forgotten attempt cannot be finished much later.
COOKIE_MAX_AGE_SECONDS = 600
TENANT_TIMEOUT_SECONDS = 10


class SignInError(HTTPError):
    """A sign-in that cannot go on: a page for a browser, JSON for a client that asks."""

    def __init__(self, status_code: int, reason: str, message: str) -> None:
        super().__init__(status_code, message)
        self.reason = reason


def _local_mode() -> bool:
    """No tenant to sign in at: the app signs its own tokens (never in production)."""
    return "local_issuer" in current_app.extensions


def _setting(name: str) -> str:
    """A setting sign-in cannot work without; the API itself can (machine clients)."""
    value = current_app.config.get(name)
    if not value:
        raise HTTPError(
            501, f"Sign-in is not configured: set {name} (see the README's Configuration table)."
        )
    return str(value)


def _tenant(path: str) -> str:
    """Auth0's endpoints hang off the issuer, so a stand-in tenant serves them in tests."""
    return current_app.config["AUTH0_ISSUER"].rstrip("/") + path


def _public_url(endpoint: str) -> str:
    """Built from PUBLIC_URL, never from the Host header, when the service is deployed:
    a forged Host would otherwise send the code to another site."""
    if current_app.config["PUBLIC_URL"] or current_app.config["APP_ENV"] == "production":
        return _setting("PUBLIC_URL") + url_for(endpoint)
    return url_for(endpoint, _external=True)


def _serializer() -> URLSafeTimedSerializer:
    """Signs and dates the cookie: it cannot be forged, and is refused once too old."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-in")


def _code_challenge(verifier: str) -> str:
    """RFC 7636 S256: the tenant keeps this, and hands a token only for its verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@bp.get("/login")
def login() -> Response:
    """Start signing in: Auth0's login page, or in local mode a page to pick a role."""
    if _local_mode():
        return _local_login()
    client_id = _setting("AUTH0_CLIENT_ID")
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": _public_url("sign_in.callback"),
        "audience": current_app.config["API_AUDIENCE"],
        "scope": "openid",
        "state": state,
        "code_challenge": _code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    response = redirect(f"{_tenant('/authorize')}?{urlencode(query)}")
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"state": state, "verifier": verifier}),
        max_age=COOKIE_MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",  # sent on Auth0's top-level redirect back, not on cross-site posts
        secure=request.is_secure or _public_url("sign_in.callback").startswith("https:"),
    )
    return response


def _local_login() -> Response:
    """The same token page as Auth0's, for a role picked on a page: no tenant needed."""
    role = request.args.get("role")
    if role is None:
        return page(PICK_ROLE_PAGE, title="Sign in (local mode)", roles=STAFF_PERMISSIONS)
    if role not in STAFF_PERMISSIONS:
        raise SignInError(400, "unknown_role", "Pick assistant, director or producer.")
    token = current_app.extensions["local_issuer"].mint(
        list(STAFF_PERMISSIONS[role]), subject=f"local|{role}"
    )
    claims = current_app.extensions["token_verifier"].verify(token)
    return token_page(token, claims, request.host_url.rstrip("/"))


@bp.get("/callback")
def callback() -> Response:
    """Finish signing in: check the state, trade the code for a token, show the token."""
    if _local_mode():
        raise SignInError(404, "local_mode", "Local mode has no Auth0 callback: use /login.")
    if request.args.get("error"):
        status = 403 if request.args["error"] == "access_denied" else 400
        said = request.args.get("error_description") or request.args["error"]
        raise SignInError(status, "tenant_error", f"Auth0 did not sign you in: {said[:200]}")
    pending = _pending_sign_in()
    if not hmac.compare_digest(request.args.get("state", ""), pending["state"]):
        raise SignInError(400, "bad_state", "The sign-in does not match the one started here.")
    code = request.args.get("code")
    if not code:
        raise SignInError(400, "missing_code", "Auth0 sent no authorization code.")
    token = _exchange(code, pending["verifier"])
    try:
        claims = current_app.extensions["token_verifier"].verify(token)
    except AuthError as error:
        message = f"The token Auth0 issued is not accepted here: {error.message}"
        raise SignInError(502, "token_rejected", message) from None
    response = token_page(token, claims, _public_url("service.index").rstrip("/"))
    response.delete_cookie(COOKIE)  # the attempt is over: the same answer cannot be replayed
    return response


def _pending_sign_in() -> dict[str, str]:
    """The state and code verifier /login kept in the signed cookie."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise SignInError(400, "no_sign_in", "No sign-in is in progress in this browser.")
    try:
        pending = _serializer().loads(cookie, max_age=COOKIE_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise SignInError(400, "expired", "The sign-in took too long and expired.") from None
    except BadSignature:
        raise SignInError(400, "bad_cookie", "The sign-in cookie is not valid.") from None
    return pending  # type: ignore[no-any-return]


def _exchange(code: str, verifier: str) -> str:
    """The code and verifier for an access token, at the tenant's token endpoint."""
    form = {
        "grant_type": "authorization_code",
        "client_id": _setting("AUTH0_CLIENT_ID"),
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": _public_url("sign_in.callback"),
    }
    if current_app.config["AUTH0_CLIENT_SECRET"]:
        form["client_secret"] = current_app.config["AUTH0_CLIENT_SECRET"]
    try:
        answer = requests.post(_tenant("/oauth/token"), data=form, timeout=TENANT_TIMEOUT_SECONDS)
        body: Any = answer.json()
    except (requests.RequestException, ValueError):
        raise SignInError(502, "tenant_unavailable", "Auth0 could not be reached.") from None
    body = body if isinstance(body, dict) else {}
    if 400 <= answer.status_code < 500:
        said = str(body.get("error_description") or body.get("error") or answer.status_code)
        raise SignInError(400, "code_refused", f"Auth0 refused the sign-in: {said[:200]}")
    token = body.get("access_token")
    if answer.status_code != 200 or not isinstance(token, str):
        raise SignInError(502, "no_token", "Auth0 answered without an access token.")
    return token


@bp.get("/logout")
def logout() -> Response:
    """Forget any sign-in in progress and sign out of Auth0 too."""
    if _local_mode():
        target = url_for("sign_in.login")
    else:
        query = {
            "client_id": _setting("AUTH0_CLIENT_ID"),
            "returnTo": _public_url("service.index"),
        }
        target = f"{_tenant('/v2/logout')}?{urlencode(query)}"
    response = redirect(target)
    response.delete_cookie(COOKIE)
    return response


@bp.errorhandler(SignInError)
def refused(error: SignInError) -> Response:
    """Clear pages for people, the API's JSON error for clients that ask for JSON; a
    failed callback also ends the attempt, so it cannot be retried with the same state."""
    log.info("sign-in refused", extra={"reason": error.reason, "status": error.status_code})
    message = f"{error.message} Start again at /login."
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json":
        response = error_response(error.status_code, message)
    else:
        response = page(REFUSAL_PAGE, error.status_code, title="Not signed in", message=message)
    response.delete_cookie(COOKIE)
    return response
