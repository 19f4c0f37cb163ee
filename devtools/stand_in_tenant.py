"""A stand-in Auth0 tenant for make e2e and make bench: a signing key made for one run,
its key set served over HTTP on loopback, and staff tokens signed with it.

  python -m devtools.stand_in_tenant serve KEY_FILE PORT_FILE
      serve the JWKS on 127.0.0.1 (a free port, written to PORT_FILE once listening)
  python -m devtools.stand_in_tenant token KEY_FILE ROLE
      print an access token for a staff role

ISSUER and AUDIENCE come from AUTH0_ISSUER and API_AUDIENCE, as the app reads them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
