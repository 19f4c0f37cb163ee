"""A stand-in Auth0 tenant for make e2e, make bench and the sign-in tests: a signing key
made for one run, its key set served over HTTP on loopback, staff tokens signed with it,
and (StandInTenant) the endpoints a browser signs in through.

  python -m devtools.stand_in_tenant serve KEY_FILE PORT_FILE
      serve the JWKS on 127.0.0.1 (a free port, written to PORT_FILE once listening)
  python -m devtools.stand_in_tenant token KEY_FILE ROLE
      print an access token for a staff role

ISSUER and AUDIENCE come from AUTH0_ISSUER and API_AUDIENCE, as the app reads them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from auth import STAFF_PERMISSIONS
from devtools.local_issuer import LocalIssuer

TOKEN_LIFETIME_SECONDS = 3600


def issuer_for(key_file: str) -> LocalIssuer:
    """The key is created on first use and read back afterwards, so every call of this
    script in one run signs with the same key the JWKS publishes."""
    return LocalIssuer(key_file, os.environ["AUTH0_ISSUER"], os.environ["API_AUDIENCE"])


def key_set_server(document: dict[str, Any]) -> ThreadingHTTPServer:
    """The tenant's JWKS endpoint on a free loopback port, fetched by the app over HTTP
    exactly as it fetches Auth0's; the caller runs serve_forever."""
    body = json.dumps(document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


class StandInTenant(ThreadingHTTPServer):
    """Auth0's sign-in endpoints as the app uses them, on a free loopback port; its
    issuer is its own URL, so the app derives every endpoint from AUTH0_ISSUER.

    /authorize redirects straight back with a code (or error=access_denied when `deny`
    is set), as if the user had signed in; /oauth/token takes each code once, only with
    the S256 code verifier it was issued for, and answers an RS256 token granting
    `permissions`; /v2/logout redirects to returnTo; anything else is the key set."""

    def __init__(self, key_file: str, audience: str, client_id: str) -> None:
        super().__init__(("127.0.0.1", 0), _TenantHandler)
        self.url = f"http://127.0.0.1:{self.server_port}/"
        self.signer = LocalIssuer(key_file, self.url, audience)
        self.client_id = client_id
        self.permissions: list[str] = list(STAFF_PERMISSIONS["assistant"])
        self.deny = False
        self.codes: dict[str, dict[str, str]] = {}  # unused codes and what they were for
        self.logouts: list[dict[str, str]] = []

    def redeem(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        issued = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if (
            form.get("grant_type") != "authorization_code"
            or issued is None
            or challenge.rstrip(b"=").decode() != issued["challenge"]
            or form.get("redirect_uri") != issued["redirect_uri"]
            or form.get("client_id") != self.client_id
        ):
            return 403, {
                "error": "invalid_grant",
                "error_description": "Invalid authorization code",
            }
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": "auth0|stand-in-user",
            "aud": [self.signer.audience, f"{self.url}userinfo"],
            "azp": self.client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "scope": "openid",
            "permissions": self.permissions,
        }
        token = self.signer.sign(claims)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}


class _TenantHandler(BaseHTTPRequestHandler):
    server: StandInTenant

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        if url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/v2/logout":
            self.server.logouts.append(query)
            self._redirect(query.get("returnTo", self.server.url))
        else:
            self._json(200, self.server.signer.key_set())

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if urlsplit(self.path).path != "/oauth/token":
            self._json(404, {"error": "not_found"})
            return
        self._json(*self.server.redeem(form))

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A browser's preflight: Auth0 lets its Allowed Web Origins fetch tokens."""
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, X-Requested-With")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _authorize(self, query: dict[str, str]) -> None:
        back = {"state": query.get("state", "")}
        if self.server.deny:
            back |= {"error": "access_denied", "error_description": "The user said no."}
        elif (
            query.get("response_type") != "code"
            or query.get("client_id") != self.server.client_id
            or query.get("code_challenge_method") != "S256"
            or query.get("audience") != self.server.signer.audience
        ):
            back |= {"error": "invalid_request", "error_description": "Bad authorize request"}
        else:
            code = secrets.token_urlsafe(16)
            self.server.codes[code] = {
                "challenge": query.get("code_challenge", ""),
                "redirect_uri": query.get("redirect_uri", ""),
            }
            back["code"] = code
        self._redirect(f"{query.get('redirect_uri', '')}?{urlencode(back)}")

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _json(self, status: int, document: Any) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")  # Swagger UI fetches tokens
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def serve(key_file: str, port_file: str) -> None:
    server = key_set_server(issuer_for(key_file).key_set())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Written whole under another name, then renamed, so a reader never sees half a port.
    partial = Path(f"{port_file}.partial")
    partial.write_text(str(server.server_port))
    partial.replace(port_file)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def token(key_file: str, role: str) -> None:
    if role not in STAFF_PERMISSIONS:
        sys.exit(f"unknown role {role!r}; one of: {', '.join(sorted(STAFF_PERMISSIONS))}")
    permissions = list(STAFF_PERMISSIONS[role])
    print(issuer_for(key_file).mint(permissions, f"e2e|{role}", TOKEN_LIFETIME_SECONDS))


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "serve":
        serve(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "token":
        token(argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
