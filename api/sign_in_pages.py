"""The few HTML pages of signing in (the token, the local role picker, a refusal), each
with a Content-Security-Policy that lets only its own nonce-tagged script and style run."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask import Response, g, render_template_string

STYLE = """<style nonce="{{ nonce }}">
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
textarea, pre { width: 100%; font-family: monospace; font-size: .85rem; }
pre { white-space: pre-wrap; word-break: break-all; background: #f4f4f4; padding: .5rem; }
li { margin: .3rem 0; }
</style>"""

LAYOUT = (
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">"""
    + STYLE
    + """</head><body><h1>{{ title }}</h1>{% block body %}{% endblock %}</body></html>"""
)

# The copy button and the /docs link are the page's only script. Opening /docs through
# the link stores the token where Swagger UI's persistAuthorization looks for it, so the
# docs open already authorized; the token never travels in a URL.
TOKEN_PAGE = LAYOUT.replace(
    "{% block body %}{% endblock %}",
    """<p>Signed in{% if subject %} as <code>{{ subject }}</code>{% endif %}. Your access token
expires at <strong id="expires">{{ expires }}</strong>.</p>
<textarea id="token" rows="6" readonly>{{ token }}</textarea>
<p><button id="copy" type="button">Copy the token</button> <span id="copied"></span></p>
<h2>Permissions</h2>
{% if permissions %}<ul id="permissions">{% for p in permissions %}<li><code>{{ p }}</code></li>
{% endfor %}</ul>{% else %}<p id="permissions">None: this token can call only the public
endpoints.</p>{% endif %}
<h2>Try it</h2>
<pre id="curl">curl -H "Authorization: Bearer {{ token }}" {{ base_url }}/actors</pre>
<p><a id="docs" href="/docs">Open the interactive docs, authorized with this token</a>
&middot; <a href="/logout">Sign out</a></p>
<script nonce="{{ nonce }}">
const token = document.getElementById("token").value;
document.getElementById("copy").addEventListener("click", async () => {
  const note = document.getElementById("copied");
  try { await navigator.clipboard.writeText(token); note.textContent = "Copied."; }
  catch { document.getElementById("token").select(); note.textContent = "Press Ctrl+C."; }
});
document.getElementById("docs").addEventListener("click", () => {
  const scheme = {type: "http", scheme: "bearer", bearerFormat: "JWT"};
  localStorage.setItem("authorized", JSON.stringify(
    {BearerAuth: {name: "BearerAuth", schema: scheme, value: token}}));
});
</script>""",
)

PICK_ROLE_PAGE = LAYOUT.replace(
    "{% block body %}{% endblock %}",
    """<p>Local mode: no Auth0 tenant is configured, so this service signs tokens itself.
Pick the staff role to sign in as.</p>
<ul id="roles">{% for role, permissions in roles.items() %}
<li><a href="?role={{ role }}">{{ role }}</a>: {{ permissions | join(", ") }}</li>
{% endfor %}</ul>""",
)

REFUSAL_PAGE = LAYOUT.replace(
    "{% block body %}{% endblock %}",
    """<p id="message">{{ message }}</p><p><a href="/login">Sign in again</a></p>""",
)


def page(template: str, status: int = 200, **context: Any) -> Response:
    """The page with a fresh nonce, and a policy that allows that nonce and nothing else
    (the middleware sends it instead of the API's, which allows nothing at all)."""
    nonce = secrets.token_urlsafe(16)
    response = Response(render_template_string(template, nonce=nonce, **context), status)
    response.mimetype = "text/html"
    g.content_security_policy = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response


def token_page(token: str, claims: dict[str, Any], base_url: str) -> Response:
    """What a signed-in user needs to use the token: it, its expiry and permissions."""
    expires = datetime.fromtimestamp(claims["exp"], UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    permissions = claims.get("permissions")
    return page(
        TOKEN_PAGE,
        title="Your access token",
        token=token,
        expires=expires,
        subject=claims.get("sub") if isinstance(claims.get("sub"), str) else None,
        permissions=permissions if isinstance(permissions, list) else [],
        base_url=base_url,
    )
