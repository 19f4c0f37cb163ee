"""What the OpenAPI document says about signing in: the pages and redirects of /login,
/callback and /logout, and each refusal, as a page or the API's JSON error."""

from __future__ import annotations

from typing import Any

from auth import STAFF_PERMISSIONS


def _answers(*statuses: str, **described: str) -> dict[str, Any]:
    """OpenAPI responses: a refusal is a page or, for a client asking for JSON, the
    API's error shape; the successes are the ones described."""
    error = {"$ref": "#/components/schemas/HTTPError"}
    responses: dict[str, Any] = {
        status: {"description": text} for status, text in described.items()
    }
    for status in statuses:
        responses[status] = {
            "description": REFUSALS[status],
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/json": {"schema": error},
            },
        }
    return responses


REFUSALS = {
    "400": "Unknown role (local mode); missing or wrong state, expired or missing "
    "sign-in cookie, no code, or a code the tenant refuses",
    "403": "The user declined, or Auth0 refused them (error=access_denied)",
    "404": "Local mode has no callback",
    "501": "Sign-in is not configured: the message names the missing setting",
    "502": "Auth0 could not be reached, or issued a token this API does not accept",
}
PAGE = {"content": {"text/html": {"schema": {"type": "string"}}}}
QUERY = {"in": "query", "required": False, "schema": {"type": "string"}}
# Added to the OpenAPI document by api/openapi.py. x-browser-only: a browser follows
# these redirects, so the Postman collection leaves them out.
OPERATIONS: dict[str, dict[str, Any]] = {
    "/login": {
        "description": "Redirects to the tenant's /authorize (authorization code with "
        "PKCE, `audience` set to this API) and keeps the state and code verifier in a "
        "signed HttpOnly cookie for 10 minutes. Local mode: a page to pick a staff role; "
        "`?role=` answers the token page for it.",
        "parameters": [
            {
                **QUERY,
                "name": "role",
                "description": "Local mode: the staff role",
                "schema": {"type": "string", "enum": list(STAFF_PERMISSIONS)},
            },
        ],
        "responses": {
            "200": {"description": "Local mode: the role picker, or the token page", **PAGE},
            **_answers("400", "501", **{"302": "To the tenant's login page"}),
        },
    },
    "/callback": {
        "description": "Where Auth0 sends the browser back. Checks `state` against the "
        "cookie, exchanges the code once at the tenant's /oauth/token, verifies the token "
        "as every request is verified, and shows it (`Cache-Control: no-store`).",
        "parameters": [
            {**QUERY, "name": name} for name in ("code", "state", "error", "error_description")
        ],
        "responses": {
            "200": {
                "description": "The token page: the token, its expiry, its "
                "permissions, a curl line",
                **PAGE,
            },
            **_answers("400", "403", "404", "501", "502"),
        },
    },
    "/logout": {
        "description": "Clears the sign-in cookie and redirects to the tenant's "
        "/v2/logout with `client_id` and `returnTo` (local mode: to /login).",
        "responses": _answers("501", **{"302": "To the tenant's logout"}),
    },
}
