"""Access tokens: header parsing, RS256 verification, claims, permissions, key set, CLI."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from apiflask import APIFlask
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from jose import jwk, jws, jwt
from werkzeug.test import TestResponse

from app import create_app
from auth import STAFF_PERMISSIONS
from config import LOCAL_AUDIENCE, LOCAL_ISSUER, ProductionConfig, SettingsError
from devtools.local_issuer import LocalIssuer
from helpers import VALID_BODIES, assert_error

TENANT_ISSUER = "https://tenant.test/"
TENANT_AUDIENCE = "casting-api"


# --- helpers -------------------------------------------------------------------------


def b64url(data: Any) -> str:
    """Base64url without padding, as JWTs write their parts; non-bytes become JSON first."""
    if not isinstance(data, bytes):
        data = json.dumps(data).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_for(
    issuer: str = LOCAL_ISSUER, audience: str = LOCAL_AUDIENCE, **overrides: Any
) -> dict[str, Any]:
    """Valid claims granting get:actors; a claim overridden with None is left out."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": "test|user",
        "iat": now,
        "exp": now + 600,
        "permissions": ["get:actors"],
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def assert_unauthorized(response: TestResponse) -> None:
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def assert_forbidden(response: TestResponse) -> None:
    assert_error(response, 403)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer")
    assert 'error="insufficient_scope"' in challenge


class SigningKey:
    """An RSA key made by the test, with a kid, that signs tokens and serves as a JWK."""

    def __init__(self) -> None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.kid = uuid.uuid4().hex
        # Parsed once: parsing a PEM checks the RSA numbers, some 40 ms every time.
        self.key = jwk.construct(self.pem, "RS256")
        public = self.key.public_key().to_dict()
        self.public_jwk = {"kty": "RSA", "n": public["n"], "e": public["e"]}

    def jwk_entry(self) -> dict[str, Any]:
        return {**self.public_jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        return jwt.encode(
            claims,
            self.key,  # type: ignore[arg-type]  # python-jose takes a Key too
            algorithm="RS256",
            headers={"kid": self.kid, **(headers or {})},
        )


@dataclass(frozen=True)
class Keys:
    tenant: SigningKey  # published by the tenant's key set
    rotated: SigningKey  # published later, or never
    attacker: SigningKey  # never published


@dataclass(frozen=True)
class Local:
    """The local-mode key material, plus an attacker key, for building forged tokens."""

    issuer: LocalIssuer
    kid: str
    pem: bytes
    public_pem: bytes
    attacker: SigningKey


@pytest.fixture(scope="module")
def keys() -> Keys:
    """Generated once: RSA key generation is slow."""
    return Keys(tenant=SigningKey(), rotated=SigningKey(), attacker=SigningKey())


@pytest.fixture
def local(issuer: LocalIssuer, signing_key_file: str, keys: Keys) -> Local:
    """The app's own signing key, read from its file, and the attacker's."""
    with open(signing_key_file, "rb") as key_file:
        pem = key_file.read()
    return Local(
        issuer=issuer, kid=issuer.kid, pem=pem, public_pem=_public_pem(pem), attacker=keys.attacker
    )


@functools.cache
def _public_pem(private_pem: bytes) -> bytes:
    """Once per key: parsing a PEM checks the RSA numbers, some 40 ms every time."""
    private = serialization.load_pem_private_key(private_pem, password=None)
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def unsigned(header: Any, claims: Any, signature: bytes = b"") -> str:
    return f"{b64url(header)}.{b64url(claims)}.{b64url(signature)}"


def hs256(header: Any, claims: Any, secret: bytes) -> str:
    signing_input = f"{b64url(header)}.{b64url(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def tampered(local: Local) -> str:
    header, _, signature = local.issuer.sign(claims_for()).split(".")
    return f"{header}.{b64url(claims_for(permissions=['delete:movies']))}.{signature}"


# --- where the token comes from ------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token {token}",
        "{token}",
        "Bearer",
        "Bearer ",
        "Bearer {token} extra",
        "Bearer {token} {token}",
        "Bearer,{token}",
    ],
    ids=[
        "missing",
        "empty",
        "basic scheme",
        "other scheme",
        "no scheme",
        "bearer alone",
        "bearer and space",
        "extra part",
        "two tokens",
        "comma",
    ],
)
def test_missing_or_malformed_authorization_header_is_rejected(client, token, authorization):
    headers = {}
    if authorization is not None:
        headers["Authorization"] = authorization.format(token=token("get:actors"))
    assert_unauthorized(client.get("/actors", headers=headers))


def test_valid_bearer_token_is_accepted(client, token):
    response = client.get("/actors", headers=bearer(token("get:actors")))
    assert response.status_code == 200
    assert response.get_json()["success"] is True


def test_token_outside_authorization_header_is_ignored(client, token):
    valid = token("get:actors")
    client.set_cookie("access_token", valid)
    responses = [
        client.get(f"/actors?access_token={valid}"),
        client.get("/actors", headers={"X-Access-Token": valid}),
        client.get("/actors"),
    ]
    for response in responses:
        assert_unauthorized(response)


# --- signature, algorithm and key id ---------------------------------------------------

FORGED_TOKENS = {
    "signed by another key": lambda f: f.attacker.sign(claims_for(), {"kid": f.kid}),
    "payload tampered": tampered,
    "signature stripped": lambda f: f.issuer.sign(claims_for()).rsplit(".", 1)[0] + ".",
    "alg none": lambda f: unsigned({"alg": "none", "kid": f.kid}, claims_for()),
    "alg None": lambda f: unsigned({"alg": "None", "kid": f.kid}, claims_for()),
    "alg missing": lambda f: unsigned({"kid": f.kid}, claims_for()),
    "HS256 with public key PEM": lambda f: hs256(
        {"alg": "HS256", "kid": f.kid}, claims_for(), f.public_pem
    ),
    "HS256 with public JWK": lambda f: hs256(
        {"alg": "HS256", "kid": f.kid}, claims_for(), json.dumps(f.issuer.public_jwk).encode()
    ),
    "RS384 by the right key": lambda f: jwt.encode(
        claims_for(), f.pem, algorithm="RS384", headers={"kid": f.kid}
    ),
    "RS512 by the right key": lambda f: jwt.encode(
        claims_for(), f.pem, algorithm="RS512", headers={"kid": f.kid}
    ),
    "alg as a list": lambda f: f.issuer.sign(claims_for(), {"alg": ["RS256"]}),
    "unknown kid": lambda f: f.issuer.sign(claims_for(), {"kid": "not-our-key"}),
    "kid missing": lambda f: jwt.encode(claims_for(), f.pem, algorithm="RS256"),
    "kid not a string": lambda f: f.issuer.sign(claims_for(), {"kid": 7}),
    "attacker key embedded as jwk": lambda f: f.attacker.sign(
        claims_for(), {"jwk": f.attacker.jwk_entry()}
    ),
    "attacker jwk under our kid": lambda f: f.attacker.sign(
        claims_for(), {"kid": f.kid, "jwk": {**f.attacker.public_jwk, "kid": f.kid}}
    ),
}


@pytest.mark.parametrize("forge", FORGED_TOKENS.values(), ids=FORGED_TOKENS.keys())
def test_forged_or_wrongly_signed_token_is_rejected(client, local, forge):
    assert_unauthorized(client.get("/actors", headers=bearer(forge(local))))


GARBAGE_TOKENS = {
    "one segment": "abc",
    "two segments": "abc.def",
    "three junk segments": "abc.def.ghi",
    "dots only": "..",
    "four segments": "a.b.c.d",
    "header not base64": "!!!.e30.e30",
    "header not JSON": f"{b64url(b'not json')}.e30.",
    "header a JSON list": f"{b64url([1, 2])}.e30.",
    "header a JSON string": f"{b64url('RS256')}.e30.",
    "header not UTF-8": f"{b64url(bytes([0xFF, 0xFE]))}.e30.",
    "header nested too deep": f"{b64url(b'[' * 5000)}.e30.",
    "long junk": "x" * 4000,
}


@pytest.mark.parametrize("garbage", GARBAGE_TOKENS.values(), ids=GARBAGE_TOKENS.keys())
def test_garbage_token_is_rejected(client, garbage):
    assert_unauthorized(client.get("/actors", headers=bearer(garbage)))


@pytest.mark.parametrize("payload", ["[1, 2]", '"a string"', "42", "null", "not json"], ids=str)
def test_signed_payload_that_is_not_a_json_object_is_rejected(client, local, payload):
    signed = jws.sign(payload.encode(), local.pem, headers={"kid": local.kid}, algorithm="RS256")
    assert_unauthorized(client.get("/actors", headers=bearer(signed)))


# --- registered claims -------------------------------------------------------------------


def _now() -> int:
    return int(time.time())


THIRTY_DAYS = 30 * 24 * 3600  # the default JWT_MAX_LIFETIME_SECONDS, Auth0's own maximum


BAD_CLAIMS = {
    "iss missing": lambda: claims_for(iss=None),
    "iss of another tenant": lambda: claims_for(iss="https://evil.test/"),
    "iss without trailing slash": lambda: claims_for(iss=LOCAL_ISSUER.rstrip("/")),
    "iss a list": lambda: claims_for(iss=[LOCAL_ISSUER]),
    "iss a number": lambda: claims_for(iss=1),
    "aud missing": lambda: claims_for(aud=None),
    "aud another api": lambda: claims_for(aud="other-api"),
    "aud a list without ours": lambda: claims_for(aud=["other-api", "more-api"]),
    "aud an empty list": lambda: claims_for(aud=[]),
    "aud a dict": lambda: claims_for(aud={LOCAL_AUDIENCE: True}),
    "aud a number": lambda: claims_for(aud=42),
    "aud a list with a number": lambda: claims_for(aud=[LOCAL_AUDIENCE, 42]),
    "exp missing": lambda: claims_for(exp=None),
    "expired beyond leeway": lambda: claims_for(iat=_now() - 600, exp=_now() - 90),
    # The leeway is at most a minute: 61 s late is refused, however slow the test runs.
    "expired 61 s ago": lambda: claims_for(iat=_now() - 600, exp=_now() - 61),
    "expired long ago": lambda: claims_for(iat=1, exp=2),
    "exp a numeric string": lambda: claims_for(exp=str(_now() + 600)),
    "exp a word": lambda: claims_for(exp="tomorrow"),
    "exp a list": lambda: claims_for(exp=[_now() + 600]),
    "exp a dict": lambda: claims_for(exp={"at": _now() + 600}),
    "exp infinite": lambda: claims_for(exp=float("inf")),
    "exp not a number": lambda: claims_for(exp=float("nan")),
    "iat missing": lambda: claims_for(iat=None),
    "iat a numeric string": lambda: claims_for(iat=str(_now())),
    "iat a list": lambda: claims_for(iat=[_now()]),
    "iat infinite": lambda: claims_for(iat=float("inf")),
    "nbf beyond leeway": lambda: claims_for(nbf=_now() + 120),
    "nbf a numeric string": lambda: claims_for(nbf=str(_now())),
    "nbf a list": lambda: claims_for(nbf=[_now()]),
    "nbf infinite": lambda: claims_for(nbf=float("-inf")),
    "sub a number": lambda: claims_for(sub=12),
    "iat a day ahead": lambda: claims_for(iat=_now() + 86400, exp=_now() + 90000),
    "iat beyond leeway": lambda: claims_for(iat=_now() + 120),
    "iat 10**20": lambda: claims_for(iat=10**20),
    "exp 10**20": lambda: claims_for(exp=10**20),
    "lifetime a second over 30 days": lambda: claims_for(exp=_now() + THIRTY_DAYS + 1),
    "lifetime a year": lambda: claims_for(iat=_now() - 60, exp=_now() + 365 * 86400),
}


@pytest.mark.parametrize("make_claims", BAD_CLAIMS.values(), ids=BAD_CLAIMS.keys())
def test_token_with_invalid_claims_is_rejected(client, issuer, make_claims):
    assert_unauthorized(client.get("/actors", headers=bearer(issuer.sign(make_claims()))))


GOOD_CLAIMS = {
    "aud a list with ours": lambda: claims_for(aud=["other-api", LOCAL_AUDIENCE]),
    "expired 30 s ago (leeway)": lambda: claims_for(iat=_now() - 600, exp=_now() - 30),
    "nbf 30 s ahead (leeway)": lambda: claims_for(nbf=_now() + 30),
    "nbf in the past": lambda: claims_for(nbf=_now() - 30),
    "extra claims": lambda: claims_for(scope="openid", azp="client", gty="x"),
    "iat 30 s ahead (leeway)": lambda: claims_for(iat=_now() + 30),
    "lifetime exactly 30 days": lambda: claims_for(exp=_now() + THIRTY_DAYS),
}


@pytest.mark.parametrize("make_claims", GOOD_CLAIMS.values(), ids=GOOD_CLAIMS.keys())
def test_token_with_valid_claims_is_accepted(client, issuer, make_claims):
    response = client.get("/actors", headers=bearer(issuer.sign(make_claims())))
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(
    "crit",
    [["b64"], ["exp"], ["http://example.com/unknown"], [], "b64"],
    ids=["b64", "a registered claim", "an unknown extension", "empty", "not a list"],
)
def test_token_with_a_crit_header_is_rejected(client, issuer, crit):
    """RFC 7515: extensions a recipient does not understand must be refused; none are."""
    signed = issuer.sign(claims_for(), {"crit": crit, "b64": True})
    assert_unauthorized(client.get("/actors", headers=bearer(signed)))


def test_maximum_token_lifetime_is_a_setting(make_app):
    client = make_app(JWT_MAX_LIFETIME_SECONDS=3600).test_client()
    issuer = client.application.extensions["local_issuer"]
    hour = issuer.sign(claims_for(exp=_now() + 3600))
    two_hours = issuer.sign(claims_for(exp=_now() + 7200))
    assert client.get("/actors", headers=bearer(hour)).status_code == 200
    assert_unauthorized(client.get("/actors", headers=bearer(two_hours)))


# --- permissions -------------------------------------------------------------------------

NOT_GRANTING_GET_ACTORS = {
    "claim missing": None,
    "empty list": [],
    "string equal to the permission": "get:actors",
    "space separated string": "get:actors get:movies",
    "dict": {"get:actors": True},
    "number": 1,
    "prefix": ["get:actor"],
    "longer permission": ["get:actors:extra"],
    "upper case": ["GET:ACTORS"],
    "surrounding space": [" get:actors "],
    "wildcard": ["get:*"],
    "star": ["*"],
    "nested list": [["get:actors"]],
    "other permissions": ["get:movies", "post:actors", "get:roles"],
}


@pytest.mark.parametrize(
    "permissions", NOT_GRANTING_GET_ACTORS.values(), ids=NOT_GRANTING_GET_ACTORS.keys()
)
def test_valid_token_without_exact_permission_is_forbidden(client, issuer, permissions):
    response = client.get(
        "/actors", headers=bearer(issuer.sign(claims_for(permissions=permissions)))
    )
    assert_forbidden(response)
    assert response.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'


def test_exact_permission_among_others_is_granted(client, issuer):
    claims = claims_for(permissions=["get:movies", "get:actors", "get:actors:extra"])
    assert client.get("/actors", headers=bearer(issuer.sign(claims))).status_code == 200


# --- the token command (local mode) -------------------------------------------------------


def cli_token(app: APIFlask, role: str) -> str:
    result = app.test_cli_runner().invoke(args=["token", role])
    assert result.exit_code == 0, result.output
    return result.output.strip()


@pytest.mark.parametrize(
    "role,allowed,forbidden",
    [
        ("assistant", ("GET", "/actors", None, 200), ("POST", "/actors", VALID_BODIES["actors"])),
        (
            "director",
            ("POST", "/actors", VALID_BODIES["actors"], 201),
            ("POST", "/movies", VALID_BODIES["movies"]),
        ),
        ("producer", ("POST", "/movies", VALID_BODIES["movies"], 201), None),
    ],
)
def test_token_command_prints_a_working_token_for_the_role(app, client, role, allowed, forbidden):
    printed = cli_token(app, role)
    assert jwt.get_unverified_claims(printed)["permissions"] == list(STAFF_PERMISSIONS[role])

    method, path, body, status = allowed
    response = client.open(path, method=method, json=body, headers=bearer(printed))
    assert response.status_code == status, response.get_json()
    if forbidden:
        method, path, body = forbidden
        assert_forbidden(client.open(path, method=method, json=body, headers=bearer(printed)))


@pytest.mark.parametrize("hours", ["0", "-1", str(30 * 24 + 1)])
def test_token_command_prints_no_token_the_service_would_refuse(app, hours):
    result = app.test_cli_runner().invoke(args=["token", "producer", "--hours", hours])
    assert result.exit_code != 0
    assert "--hours" in result.output


def test_token_command_prints_a_token_of_the_longest_accepted_lifetime(app, client):
    result = app.test_cli_runner().invoke(args=["token", "producer", "--hours", str(30 * 24)])
    assert result.exit_code == 0, result.output
    assert client.get("/actors", headers=bearer(result.output.strip())).status_code == 200


def test_token_command_refuses_unknown_role(app):
    result = app.test_cli_runner().invoke(args=["token", "admin"])
    assert result.exit_code != 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"AUTH0_DOMAIN": "tenant.test", "JWKS_URL": "https://tenant.test/.well-known/jwks.json"},
        {"JWKS_URL": "http://127.0.0.1:9/jwks.json"},
    ],
    ids=["auth0 domain", "jwks url"],
)
def test_token_command_refuses_when_auth0_is_configured(make_app, overrides):
    app = make_app(AUTH0_ISSUER=TENANT_ISSUER, API_AUDIENCE=TENANT_AUDIENCE, **overrides)
    result = app.test_cli_runner().invoke(args=["token", "producer"])
    assert result.exit_code != 0
    assert "Auth0" in result.output
    assert "local_issuer" not in app.extensions


# --- production settings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"AUTH0_DOMAIN": None, "API_AUDIENCE": TENANT_AUDIENCE},
        {"AUTH0_DOMAIN": "tenant.test", "API_AUDIENCE": None},
        {"AUTH0_DOMAIN": "", "API_AUDIENCE": ""},
    ],
    ids=["no domain", "no audience", "neither"],
)
def test_production_refuses_to_start_without_auth0_settings(overrides):
    with pytest.raises(SettingsError, match="AUTH0_DOMAIN|API_AUDIENCE"):
        create_app(ProductionConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", **overrides})


def test_production_starts_with_auth0_settings_and_signs_nothing_itself():
    app = create_app(
        ProductionConfig,
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "AUTH0_DOMAIN": "tenant.test",
            "API_AUDIENCE": TENANT_AUDIENCE,
            "AUTH0_ISSUER": TENANT_ISSUER,
            "JWKS_URL": "https://tenant.test/.well-known/jwks.json",
            "SECRET_KEY": "a-secret-for-the-sign-in-cookie",
        },
    )
    assert "local_issuer" not in app.extensions
    assert app.test_cli_runner().invoke(args=["token", "producer"]).exit_code != 0


# --- the tenant's key set over HTTP -------------------------------------------------------------


class JWKSServer:
    """A key set endpoint on 127.0.0.1 whose answer the test sets and whose hits it counts."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.status = 200
        self.body: bytes | None = None  # raw bytes served instead of the key set
        self.fetches = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.fetches += 1
                body = server.body
                if body is None:
                    body = json.dumps({"keys": server.keys}).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/jwks.json"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)


@pytest.fixture
def start_jwks_server() -> Iterator[Callable[..., JWKSServer]]:
    """start_jwks_server(key, ...) -> a running key set publishing those keys; all are
    stopped after the test."""
    started: list[JWKSServer] = []

    def start(*signing_keys: SigningKey) -> JWKSServer:
        server = JWKSServer()
        server.keys = [key.jwk_entry() for key in signing_keys]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def jwks(start_jwks_server: Callable[..., JWKSServer], keys: Keys) -> JWKSServer:
    """The tenant's key set, publishing the tenant key."""
    return start_jwks_server(keys.tenant)


@pytest.fixture
def tenant_app(make_app: Callable[..., APIFlask], jwks: JWKSServer) -> Callable[..., FlaskClient]:
    """tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=...) -> a client of an app using `jwks`."""

    def make(**overrides: Any) -> FlaskClient:
        app = make_app(
            JWKS_URL=jwks.url,
            AUTH0_ISSUER=TENANT_ISSUER,
            API_AUDIENCE=TENANT_AUDIENCE,
            **overrides,
        )
        assert "local_issuer" not in app.extensions
        return app.test_client()

    return make


def tenant_token(key: SigningKey, **claims: Any) -> str:
    return key.sign(claims_for(TENANT_ISSUER, TENANT_AUDIENCE, **claims))


def get_actors(client: FlaskClient, token: str) -> TestResponse:
    return client.get("/actors", headers=bearer(token))


def test_tenant_token_is_accepted_and_keys_are_cached(tenant_app, jwks, keys):
    client = tenant_app()
    assert jwks.fetches == 0  # nothing is downloaded before the first token

    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert jwks.fetches == 1
    for _ in range(3):
        assert get_actors(client, tenant_token(keys.tenant, sub="other")).status_code == 200
    assert jwks.fetches == 1


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": LOCAL_ISSUER},
        {"aud": LOCAL_AUDIENCE},
        {"aud": [LOCAL_AUDIENCE, "other"]},
        {"exp": _now() - 120},
    ],
    ids=["local issuer", "local audience", "audience list without ours", "expired"],
)
def test_tenant_token_with_wrong_claims_is_rejected(tenant_app, keys, claims):
    assert_unauthorized(get_actors(tenant_app(), tenant_token(keys.tenant, **claims)))


def test_tenant_token_with_audience_list_is_accepted(tenant_app, keys):
    token = tenant_token(keys.tenant, aud=["https://tenant.test/userinfo", TENANT_AUDIENCE])
    assert get_actors(tenant_app(), token).status_code == 200


def test_token_signed_by_unpublished_key_is_rejected(tenant_app, keys):
    forged = keys.attacker.sign(
        claims_for(TENANT_ISSUER, TENANT_AUDIENCE), {"kid": keys.tenant.kid}
    )
    assert_unauthorized(get_actors(tenant_app(), forged))


def test_key_added_to_the_set_is_accepted_after_one_refetch(tenant_app, jwks, keys):
    client = tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=0)
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert jwks.fetches == 1

    jwks.keys.append(keys.rotated.jwk_entry())
    assert get_actors(client, tenant_token(keys.rotated)).status_code == 200
    assert jwks.fetches == 2
    assert get_actors(client, tenant_token(keys.rotated)).status_code == 200
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert jwks.fetches == 2


def test_flood_of_unknown_kids_fetches_at_most_once_per_cooldown(tenant_app, jwks, keys):
    client = tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=60)
    _, payload, signature = tenant_token(keys.tenant).split(".")
    for _ in range(25):
        header = b64url({"alg": "RS256", "typ": "JWT", "kid": uuid.uuid4().hex})
        assert_unauthorized(get_actors(client, f"{header}.{payload}.{signature}"))
    assert jwks.fetches == 1
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert jwks.fetches == 1


def test_unknown_kid_is_refetched_again_once_the_cooldown_has_passed(tenant_app, jwks, keys):
    client = tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=0.2)
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert_unauthorized(get_actors(client, tenant_token(keys.rotated)))
    assert jwks.fetches == 1  # still inside the cooldown

    jwks.keys.append(keys.rotated.jwk_entry())
    time.sleep(0.3)
    assert get_actors(client, tenant_token(keys.rotated)).status_code == 200
    assert jwks.fetches == 2


def test_key_set_unreachable_with_no_cached_keys_is_service_unavailable(tenant_app, jwks, keys):
    client = tenant_app()
    jwks.stop()
    body = assert_error(get_actors(client, tenant_token(keys.tenant)), 503)
    assert "key" in body["message"].lower()


def test_cached_keys_keep_working_when_key_set_becomes_unreachable(tenant_app, jwks, keys):
    client = tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=0)
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    jwks.stop()
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    # An unknown kid is still an invalid token, not an outage, while keys are cached.
    assert_unauthorized(get_actors(client, tenant_token(keys.rotated)))


@pytest.mark.parametrize(
    "status,body",
    [
        (500, None),
        (503, b'{"error": "down"}'),
        (404, b"not found"),
        (200, b"<html>maintenance</html>"),
        (200, b"[]"),
        (200, b'{"keys": "none"}'),
        (200, b'{"keys": []}'),
    ],
    ids=[
        "server error",
        "unavailable",
        "not found",
        "not JSON",
        "JSON list",
        "keys not a list",
        "no keys",
    ],
)
def test_unusable_key_set_with_no_cached_keys_is_service_unavailable(
    tenant_app, jwks, keys, status, body
):
    jwks.status, jwks.body = status, body
    assert_error(get_actors(tenant_app(), tenant_token(keys.tenant)), 503)


def test_failed_key_set_download_is_retried_after_a_pause(tenant_app, jwks, keys):
    client = tenant_app(JWKS_REFETCH_COOLDOWN_SECONDS=0.2)
    jwks.status = 500
    assert_error(get_actors(client, tenant_token(keys.tenant)), 503)
    assert_error(get_actors(client, tenant_token(keys.tenant)), 503)
    assert jwks.fetches == 1  # an outage is not hammered

    jwks.status = 200
    time.sleep(0.3)
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert jwks.fetches == 2


def test_unusable_entries_in_the_key_set_are_skipped(tenant_app, jwks, keys):
    jwks.keys = [
        {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
        {**keys.rotated.jwk_entry(), "use": "enc"},
        {**keys.attacker.jwk_entry(), "kid": 5},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        keys.tenant.jwk_entry(),
    ]
    client = tenant_app()
    assert get_actors(client, tenant_token(keys.tenant)).status_code == 200
    assert_unauthorized(get_actors(client, tenant_token(keys.rotated)))


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_key_set_download_times_out_as_service_unavailable(make_app, silent_port, keys):
    app = make_app(
        JWKS_URL=f"http://127.0.0.1:{silent_port}/jwks.json",
        AUTH0_ISSUER=TENANT_ISSUER,
        API_AUDIENCE=TENANT_AUDIENCE,
        JWKS_TIMEOUT_SECONDS=0.2,
    )
    started = time.monotonic()
    assert_error(get_actors(app.test_client(), tenant_token(keys.tenant)), 503)
    assert time.monotonic() - started < 3


@pytest.mark.slow  # waits out the default timeout
def test_key_set_that_never_answers_costs_a_request_at_most_ten_seconds_by_default(
    make_app: Callable[..., APIFlask], silent_port: int, keys: Keys
) -> None:
    """With the settings production runs with, a hung Auth0 cannot hold a worker long."""
    app = make_app(
        JWKS_URL=f"http://127.0.0.1:{silent_port}/jwks.json",
        AUTH0_ISSUER=TENANT_ISSUER,
        API_AUDIENCE=TENANT_AUDIENCE,
    )
    started = time.monotonic()
    assert_error(get_actors(app.test_client(), tenant_token(keys.tenant)), 503)
    assert time.monotonic() - started <= 10


@pytest.mark.parametrize("header", ["jku", "x5u"])
def test_key_url_in_token_header_is_never_followed(
    tenant_app, start_jwks_server, jwks, keys, header
):
    attacker_jwks = start_jwks_server(keys.attacker)
    forged = keys.attacker.sign(
        claims_for(TENANT_ISSUER, TENANT_AUDIENCE), {header: attacker_jwks.url}
    )
    assert_unauthorized(get_actors(tenant_app(), forged))
    assert attacker_jwks.fetches == 0


def test_key_embedded_in_token_header_is_never_used(tenant_app, keys):
    client = tenant_app()
    for kid in (keys.attacker.kid, keys.tenant.kid):
        forged = keys.attacker.sign(
            claims_for(TENANT_ISSUER, TENANT_AUDIENCE),
            {"kid": kid, "jwk": {**keys.attacker.jwk_entry(), "kid": kid}},
        )
        assert_unauthorized(get_actors(client, forged))


@pytest.mark.parametrize(
    "header,error",
    [
        (None, None),
        ("Basic dXNlcjpwYXNz", "invalid_request"),
        ("Bearer not.a.token", "invalid_token"),
    ],
)
def test_challenge_error_code_follows_rfc_6750(client, header, error):
    headers = {"Authorization": header} if header else {}
    challenge = client.get("/actors", headers=headers).headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="casting-agency"')
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)
