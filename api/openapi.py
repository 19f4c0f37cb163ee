"""The OpenAPI document and /docs: security, permissions and errors added to what
APIFlask generates from the schemas, and Swagger UI served from the installed package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from apiflask import APIBlueprint, APIFlask
from flask import Response, current_app, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import Rule

from api import sign_in_docs
from api.versions import IF_MATCH_PARAMETER, IF_NONE_MATCH_PARAMETER

ASSETS = "/docs/assets"
SECURITY_SCHEME = "BearerAuth"
# Signing in from /docs with Auth0 (authorization code with PKCE), beside pasting a token.
SIGN_IN_SCHEME = "Auth0"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"  # APIFlask serves Swagger UI's page there, inline

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean", "const": False},
        "error": {"type": "integer", "description": "The HTTP status code."},
        "message": {"type": "string"},
        # What a pipeline 409 adds, so a client can act on it without parsing the message.
        "allowed": {
            "type": "array",
            "items": {"type": "string"},
            "description": "A refused move: the statuses the submission may move to from here.",
        },
        "submission_id": {
            "type": "integer",
            "description": "A second active submission: the one the actor already has.",
        },
        "conflicts": {
            "type": "array",
            "items": {"type": "object"},
            "description": "A booking on overlapping dates: the roles the actor is booked "
            "on (role_id, movie_id, name, work_start, work_end).",
        },
        "refused": {
            "type": "array",
            "items": {"type": "object"},
            "description": "A bulk move: each submission that may not move (id, status, "
            "allowed, reason, message); nothing moved.",
        },
    },
    "required": ["success", "error", "message"],
}
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    **ERROR_SCHEMA,
    "properties": {
        **ERROR_SCHEMA["properties"],
        "errors": {
            "type": "object",
            "description": "Messages by field (or query parameter).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Malformed JSON, a body that is not an object, or a bad query parameter",
    "401": "Missing, malformed or invalid access token",
    "403": "The token lacks the permission this operation needs",
    "404": "No such record",
    "405": "Method not allowed on this path",
    "409": "Someone else changed the record at the same moment, or a cast role was "
    "recast without If-Match",
    "413": "Body larger than 1 MiB",
    "412": "If-Match names a version that is no longer current",
    "415": "Body is not JSON",
    "422": "The body failed validation",
    "503": "The database or the token signing keys are unavailable; retry later",
}

# GET /movies/<id:movie_id> and its like: the reads that answer with an ETag.
ONE_RECORD = re.compile(r"/\w+/<id:\w+>")
# Writes that check If-Match: every PATCH and DELETE, and a POST that moves one record.
IF_MATCH_POSTS = re.compile(r"/submissions/<id:\w+>/transitions")
NOT_MODIFIED: dict[str, Any] = {
    "description": "If-None-Match names the current version: no body",
    "headers": {"ETag": {"description": "The current version", "schema": {"type": "string"}}},
}

assets_bp = APIBlueprint("docs_assets", __name__, enable_openapi=False)


@assets_bp.get(f"{ASSETS}/<path:filename>")
def docs_asset(filename: str) -> Response:
    """Swagger UI's files come from the Python package: /docs works with no internet."""
    return send_from_directory(swagger_ui_path, filename, max_age=3600)


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _error(status: str, schema: str) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _simplify_query_parameter(parameter: dict[str, Any]) -> None:
    """A query string cannot send null: an optional filter is just not required. Its
    description moves up to where Swagger UI shows it."""
    schema = parameter["schema"]
    options = schema.get("anyOf", [])
    if len(options) == 2 and {"type": "null"} in options:
        inner = next(option for option in options if option != {"type": "null"})
        extra = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        parameter["schema"] = schema = {**inner, **extra}
    if "description" in schema:
        parameter["description"] = schema.pop("description")


def _document_record_ids(rule: Rule, operation: dict[str, Any]) -> None:
    """APIFlask documents only Werkzeug's own converters; an <id:...> is an integer."""
    ids = set(re.findall(r"<id:(\w+)>", rule.rule))
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter["name"] in ids:
            parameter["schema"] = {"type": "integer"}


def document_operations(spec: dict[str, Any]) -> dict[str, Any]:
    """Each operation states its permission and every error it can answer with."""
    auth0_sign_in = docs_sign_in(current_app.config)
    for rule in current_app.url_map.iter_rules():
        path = spec["paths"].get(_openapi_path(rule.rule))
        if path is None:
            continue
        view = current_app.view_functions[rule.endpoint]
        permissions = list(getattr(view, "required_permissions", ()))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation = path.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            statuses = ["405"]
            if permissions:
                operation["security"] = [{SECURITY_SCHEME: []}]
                if auth0_sign_in:
                    operation["security"].append({SIGN_IN_SCHEME: []})
                operation["x-permissions"] = permissions
                needed = " and ".join(f"`{p}`" for p in permissions)
                # A view's own description (a permission that depends on the body) follows.
                described = operation.get("description")
                operation["description"] = f"Requires {needed}." + (
                    f" {described}" if described else ""
                )
                statuses += ["401", "403", "503"]
            if rule.arguments:
                statuses.append("404")
                _document_record_ids(rule, operation)
            queries = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
            for parameter in queries:
                _simplify_query_parameter(parameter)
            if queries:
                statuses.append("400")
            if method == "GET" and ONE_RECORD.fullmatch(rule.rule):
                operation.setdefault("parameters", []).append(IF_NONE_MATCH_PARAMETER)
                responses["304"] = NOT_MODIFIED
            if method in ("PATCH", "DELETE") or IF_MATCH_POSTS.fullmatch(rule.rule):
                statuses += ["409", "412"]
                operation.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True
                statuses += ["400", "413", "415", "422"]
            else:
                responses.pop("422", None)  # query strings are a 400 here
            for status in statuses:
                schema = "ValidationError" if status in ("400", "422") else "HTTPError"
                responses[status] = _error(status, schema)
    for path, documented in sign_in_docs.OPERATIONS.items():
        operation = spec["paths"][path]["get"]
        operation.pop("parameters", None)
        operation["responses"] = {**documented["responses"], "405": _error("405", "HTTPError")}
        operation.update({k: v for k, v in documented.items() if k != "responses"})
        operation["x-browser-only"] = True
    schemes: dict[str, Any] = {
        SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    if auth0_sign_in:
        tenant = current_app.config["AUTH0_ISSUER"].rstrip("/")
        flow = {
            "authorizationUrl": f"{tenant}/authorize",
            "tokenUrl": f"{tenant}/oauth/token",
            "scopes": {"openid": "Sign in (the API's permissions come with the user's roles)"},
        }
        schemes[SIGN_IN_SCHEME] = {
            "type": "oauth2",
            "description": "Sign in at the Auth0 tenant (authorization code with PKCE).",
            "flows": {"authorizationCode": flow},
        }
    spec.setdefault("components", {})["securitySchemes"] = schemes
    return spec


def docs_sign_in(config: Mapping[str, Any]) -> bool:
    """Whether /docs offers Auth0 sign-in: an application to sign in with, and in
    production the public address to come back to (never the request's Host header)."""
    if not (config["AUTH0_DOMAIN"] and config["AUTH0_CLIENT_ID"]):
        return False
    return bool(config["PUBLIC_URL"]) or config["APP_ENV"] != "production"


def _docs_sign_in(app: APIFlask) -> None:
    """With an Auth0 application configured, /docs' Authorize dialog also signs in: Swagger
    UI runs the code flow with PKCE in a pop-up that returns to its redirect page, then
    fetches the token from the tenant, which the page's policy must therefore allow."""
    config = app.config
    if not docs_sign_in(config):
        return
    config["SWAGGER_UI_OAUTH_CONFIG"] = {
        "clientId": config["AUTH0_CLIENT_ID"],
        "usePkceWithAuthorizationCodeGrant": True,
        "additionalQueryStringParams": {"audience": config["API_AUDIENCE"]},
        "scopes": "openid",
    }
    if config["PUBLIC_URL"]:
        config["SWAGGER_UI_CONFIG"]["oauth2RedirectUrl"] = config["PUBLIC_URL"] + OAUTH2_REDIRECT
    else:  # outside production only: the address the browser used
        app.docs_oauth2_redirect_path_external = True
    tenant = urlsplit(config["AUTH0_ISSUER"])
    config["DOCS_CONNECT_SRC"] = f"{tenant.scheme}://{tenant.netloc}"


def init_openapi(app: APIFlask) -> None:
    app.config.update(
        HTTP_ERROR_SCHEMA=ERROR_SCHEMA,
        VALIDATION_ERROR_SCHEMA=VALIDATION_ERROR_SCHEMA,
        SWAGGER_UI_CSS=f"{ASSETS}/swagger-ui.css",
        SWAGGER_UI_BUNDLE_JS=f"{ASSETS}/swagger-ui-bundle.js",
        SWAGGER_UI_STANDALONE_PRESET_JS=f"{ASSETS}/swagger-ui-standalone-preset.js",
        DOCS_FAVICON=f"{ASSETS}/favicon-32x32.png",
        SWAGGER_UI_CONFIG={"persistAuthorization": True, "tryItOutEnabled": True},
        INFO={
            "description": "Movies, talent profiles and casting for a casting agency. "
            "Authorize with an Auth0 access token; each operation names its permission."
        },
    )
    _docs_sign_in(app)
    app.register_blueprint(assets_bp)
    app.spec_processor(document_operations)  # type: ignore[arg-type]
