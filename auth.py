"""Auth0 access tokens: the only module that knows how they are checked, and which
staff role carries which permission."""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import requests
from apiflask import HTTPError
from flask import Flask, current_app, g, request
from jose import jwk, jwt
from jose.backends.base import Key
from jose.exceptions import ExpiredSignatureError, JWKError, JWTClaimsError, JWTError

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])

# Every staff member works the pipeline (submissions and the moves that do not engage
# an actor); moves that engage one also need patch:roles (casting/statuses.py).
PIPELINE = ("get:submissions", "post:submissions", "patch:submissions")
STAFF_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "assistant": ("get:movies", "get:actors", "get:roles", *PIPELINE),
    "director": (
        "get:movies",
        "get:actors",
        "get:roles",
        "post:actors",
        "patch:actors",
        "delete:actors",
        "patch:movies",
        "post:roles",
        "patch:roles",
        "delete:roles",
        *PIPELINE,
        "get:history",
    ),
}
STAFF_PERMISSIONS["producer"] = (
    *STAFF_PERMISSIONS["director"],
    "post:movies",
    "delete:movies",
    "delete:submissions",
)
# A failed key set download is retried sooner than the unknown-kid cooldown, so a
# brief Auth0 outage at start-up does not lock everyone out for a whole minute.
FAILED_FETCH_RETRY_SECONDS = 5.0


class AuthError(HTTPError):
    """A rejected request; `reason` is a short code for logs, never the token."""

    def __init__(self, status_code: int, reason: str, message: str) -> None:
        # RFC 6750: no error code when no token was sent, invalid_request for a
        # malformed header, invalid_token for a token that fails verification.
        if status_code == 401:
            challenge = 'Bearer realm="casting-agency"'
            if reason == "invalid_header":
                challenge += ', error="invalid_request"'
            elif reason != "authorization_header_missing":
                challenge += ', error="invalid_token"'
            headers = {"WWW-Authenticate": challenge}
        elif status_code == 403:
            headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope"'}
        else:
            headers = {"Retry-After": str(int(FAILED_FETCH_RETRY_SECONDS))}
        super().__init__(status_code, message, headers=headers)
        self.reason = reason


class KeySet:
    """Signing keys by kid, downloaded once and again only for an unknown kid,
    at most once per cooldown, so a flood of forged kids cannot hammer the tenant."""

    def __init__(self, fetch: Callable[[], Any], cooldown: float) -> None:
        self._fetch = fetch
        self._cooldown = cooldown
        self._keys: dict[str, Key] = {}
        self._next_fetch_at = 0.0
        self._lock = threading.Lock()

    def key_for(self, kid: str) -> Key:
        key = self._keys.get(kid)
        if key is None:
            with self._lock:
                key = self._keys.get(kid) or self._refresh(kid)
        return key

    def _refresh(self, kid: str) -> Key:
        now = time.monotonic()
        if now >= self._next_fetch_at:
            try:
                self._keys = parse_key_set(self._fetch())
                self._next_fetch_at = now + self._cooldown
            except (requests.RequestException, ValueError) as error:
                self._next_fetch_at = now + min(self._cooldown, FAILED_FETCH_RETRY_SECONDS)
                log.warning("jwks fetch failed: %s", type(error).__name__)
        if not self._keys:
            raise AuthError(503, "jwks_unavailable", "The token signing keys are unavailable.")
        key = self._keys.get(kid)
        if key is None:
            raise AuthError(401, "unknown_kid", "The token was signed by an unknown key.")
        return key


def parse_key_set(document: Any) -> dict[str, Key]:
    """RSA signing keys only; anything else in the set could never verify an RS256 token."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JSON Web Key Set")
    keys: dict[str, Key] = {}
    for entry in document["keys"]:
        if (
            isinstance(entry, dict)
            and entry.get("kty") == "RSA"
            and entry.get("use", "sig") == "sig"
            and entry.get("alg", "RS256") == "RS256"
            and isinstance(entry.get("kid"), str)
        ):
            try:
                keys[entry["kid"]] = jwk.construct(entry, "RS256")
            except (JWKError, TypeError, ValueError):
                log.warning("jwks key skipped: not a usable RSA key")
    return keys


def download_key_set(url: str, timeout: float) -> Callable[[], Any]:
    def fetch() -> Any:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        return response.json()

    return fetch


class VerifiedTokens:
    """Tokens this process has verified, so a client's next requests skip the RSA check.

    Keyed by the token's SHA-256 (the token itself is never kept), bounded in number
    (the least recently used goes first), and each kept until its own `exp` at the
    latest, or `max_age` seconds, whichever comes first: so a key withdrawn from the
    tenant's key set stops working within `max_age` here too. Only tokens that passed
    every check are kept; any change to a token is a different hash."""

    def __init__(
        self, size: int = 1024, max_age: float = 300.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.size, self.max_age, self.clock = size, max_age, clock
        self._entries: OrderedDict[bytes, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> dict[str, Any] | None:
        key = self._key(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() >= entry[0]:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return dict(entry[1])

    def put(self, token: str, claims: dict[str, Any]) -> None:
        now = self.clock()
        until = min(float(claims["exp"]), now + self.max_age)
        if until <= now:
            return
        with self._lock:
            self._entries[self._key(token)] = (until, dict(claims))
            self._entries.move_to_end(self._key(token))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class TokenVerifier:
    """Checks an access token end to end; the one place that calls the JWT library."""

    def __init__(
        self, key_set: KeySet, issuer: str, audience: str, leeway: int, max_lifetime: int
    ) -> None:
        self.key_set, self.issuer, self.audience, self.leeway = key_set, issuer, audience, leeway
        self.max_lifetime = max_lifetime
        self.verified = VerifiedTokens()

    def verify(self, token: str) -> dict[str, Any]:
        """A token verified before, and not expired since, is not checked again."""
        claims = self.verified.get(token)
        if claims is None:
            claims = self.check(token)
            self.verified.put(token, claims)
        return claims

    def check(self, token: str) -> dict[str, Any]:
        """Every check, every time: header, key, signature and claims."""
        try:
            header = jwt.get_unverified_header(token)
        except JWTError:
            raise AuthError(401, "malformed_token", "The token is malformed.") from None
        if header.get("alg") != "RS256":
            raise AuthError(401, "bad_algorithm", "The token must be signed with RS256.")
        # RFC 7515 4.1.11: a recipient must reject a token whose crit names extensions
        # it does not understand, and this service understands none.
        if "crit" in header:
            raise AuthError(401, "unsupported_crit", "The token requires header extensions (crit).")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise AuthError(401, "missing_kid", "The token header has no key id.")
        # Only keys from our own key set are used: jku, x5u and jwk headers are ignored.
        key = self.key_set.key_for(kid)
        options = {
            "require_exp": True,
            "require_aud": True,
            "require_iat": True,
            "require_iss": True,
            "leeway": self.leeway,
        }
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options=options,
            )
        except ExpiredSignatureError:
            raise AuthError(401, "token_expired", "The token has expired.") from None
        except JWTClaimsError:
            raise AuthError(
                401, "invalid_claims", "The token's claims are not valid here."
            ) from None
        except (JWTError, JWKError):
            raise AuthError(401, "invalid_token", "The token could not be verified.") from None
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
            # python-jose lets these escape for claims of an unexpected type.
            raise AuthError(401, "invalid_claims", "The token's claims are malformed.") from None
        # python-jose runs int() on the time claims, so "exp": "1999999999" would pass.
        if not all(_is_numeric_date(claims[name]) for name in TIME_CLAIMS if name in claims):
            raise AuthError(401, "invalid_claims", "The token's time claims must be numbers.")
        self._check_lifetime(claims["iat"], claims["exp"])
        return claims

    def _check_lifetime(self, issued_at: float, expires_at: float) -> None:
        """python-jose checks exp and nbf, not iat: a token dated in the future, or one
        valid for centuries (exp=10**20), would otherwise pass. Auth0 issues access
        tokens for 30 days at most; anything longer did not come from the tenant as
        configured, and a leaked one must not stay usable indefinitely."""
        if issued_at > time.time() + self.leeway:
            raise AuthError(401, "issued_in_future", "The token's issue time is in the future.")
        if expires_at - issued_at > self.max_lifetime:
            raise AuthError(
                401, "lifetime_too_long", "The token's lifetime exceeds the maximum accepted."
            )


TIME_CLAIMS = ("exp", "iat", "nbf")


def _is_numeric_date(value: Any) -> bool:
    """RFC 7519 NumericDate: a finite JSON number, never a string that looks like one."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def bearer_token() -> str:
    header = request.headers.get("Authorization")
    if not header:
        raise AuthError(401, "authorization_header_missing", "Authorization header is expected.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
        raise AuthError(
            401, "invalid_header", "Authorization header must be 'Bearer <access token>'."
        )
    return token.strip()


def require_permissions(*permissions: str) -> None:
    """The verified token must grant every one of `permissions`, matched exactly: 403
    otherwise. Called by requires_auth, and inside a view whose extra permission depends
    on what is asked (a move that engages an actor also needs patch:roles)."""
    granted = (g.get("jwt_claims") or {}).get("permissions")
    granted = granted if isinstance(granted, list) else []
    missing = [p for p in permissions if p not in granted]
    if missing:
        needed = " and ".join(f"'{p}'" for p in missing)
        noun = "Permission" if len(missing) == 1 else "Permissions"
        verb = "is" if len(missing) == 1 else "are"
        raise AuthError(403, "permission_missing", f"{noun} {needed} {verb} required.")


def requires_auth(*permissions: str) -> Callable[[View], View]:
    """Let the request through only with a valid token that grants every one of
    `permissions`, matched exactly."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            claims = current_app.extensions["token_verifier"].verify(bearer_token())
            # Verified: the request log names its client even when a permission is missing.
            g.jwt_claims = claims
            require_permissions(*permissions)
            return view(*args, **kwargs)

        guarded.required_permissions = permissions  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def init_auth(app: Flask) -> None:
    """Local mode signs its own tokens; the verification path is the same in both modes."""
    config = app.config
    if config["AUTH0_DOMAIN"] or config["JWKS_URL"]:
        fetch = download_key_set(config["JWKS_URL"], config["JWKS_TIMEOUT_SECONDS"])
    else:
        from devtools.local_issuer import LocalIssuer  # local mode only, never in production

        issuer = LocalIssuer(
            config["LOCAL_SIGNING_KEY_FILE"], config["AUTH0_ISSUER"], config["API_AUDIENCE"]
        )
        app.extensions["local_issuer"] = issuer
        fetch = issuer.key_set
    key_set = KeySet(fetch, config["JWKS_REFETCH_COOLDOWN_SECONDS"])
    app.extensions["token_verifier"] = TokenVerifier(
        key_set,
        config["AUTH0_ISSUER"],
        config["API_AUDIENCE"],
        config["JWT_LEEWAY_SECONDS"],
        config["JWT_MAX_LIFETIME_SECONDS"],
    )
