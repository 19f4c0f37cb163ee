"""Signing in from a browser: /login, /callback and /logout against a stand-in Auth0
tenant, every refusal on the way, the local-mode role picker, and machine tokens."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from apiflask import APIFlask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.test import TestResponse

from api import sign_in
from api.middleware import _client_id
from auth import STAFF_PERMISSIONS
from config import LOCAL_AUDIENCE, LOCAL_ISSUER
from devtools.local_issuer import LocalIssuer
from devtools.stand_in_tenant import StandInTenant
from helpers import assert_error, serving_in_thread
from test_docs_browser import ARTIFACTS, WAIT_SECONDS, browser  # noqa: F401  (Chromium)

CLIENT_ID = "stand-in-client"
JSON = {"Accept": "application/json"}


@pytest.fixture
def tenant(signing_key_file: str) -> Iterator[StandInTenant]:
    server = StandInTenant(signing_key_file, LOCAL_AUDIENCE, CLIENT_ID)
    with serving_in_thread(server, poll_interval=0.01):
        yield server


def tenant_settings(tenant: StandInTenant) -> dict[str, str]:
    return {
        "AUTH0_DOMAIN": urlsplit(tenant.url).netloc,
        "AUTH0_ISSUER": tenant.url,
        "JWKS_URL": f"{tenant.url}.well-known/jwks.json",
        "API_AUDIENCE": LOCAL_AUDIENCE,
        "AUTH0_CLIENT_ID": CLIENT_ID,
    }


@pytest.fixture
def app(make_app: Callable[..., APIFlask], tenant: StandInTenant) -> APIFlask:
    """The app signing in through the stand-in tenant (this module's `app`)."""
    return make_app(**tenant_settings(tenant))


def authorize(client: FlaskClient) -> str:
    """GET /login, then what the tenant does: the /callback path Auth0 redirects to."""
    started = client.get("/login")
    assert started.status_code == 302, started.get_data(as_text=True)
    back = requests.get(started.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    url = urlsplit(back.headers["Location"])
    assert url.path == "/callback"
    return f"{url.path}?{url.query}"


def shown_token(page: TestResponse) -> str:
    text = page.get_data(as_text=True)
    return text.split("readonly>", 1)[1].split("</textarea>", 1)[0]


def test_login_redirects_to_the_tenant_with_pkce_and_a_short_lived_cookie(
    client: FlaskClient, tenant: StandInTenant
) -> None:
    response = client.get("/login")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}/" == tenant.url
    assert location.path == "/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["audience"] == LOCAL_AUDIENCE
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == "http://localhost/callback"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=600" in cookie
    assert query["state"] not in cookie  # signed, not readable as it stands


def test_callback_shows_the_token_which_then_reads_actors(client: FlaskClient) -> None:
    page = client.get(authorize(client))
    assert page.status_code == 200, page.get_data(as_text=True)
    assert page.mimetype == "text/html"
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    nonce = page.headers["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in page.get_data(as_text=True)
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    token = shown_token(page)
    text = page.get_data(as_text=True)
    assert f'curl -H "Authorization: Bearer {token}" http://localhost/actors' in text
    assert "<code>get:actors</code>" in text and 'href="/docs"' in text
    assert "casting_sign_in=;" in page.headers["Set-Cookie"]  # the attempt is over
    actors = client.get("/actors", headers={"Authorization": f"Bearer {token}"})
    assert actors.status_code == 200


def test_public_url_builds_the_callback_whatever_the_host_header(
    make_app: Callable[..., APIFlask], tenant: StandInTenant
) -> None:
    app = make_app(**tenant_settings(tenant), PUBLIC_URL="https://casting.example.com")
    response = app.test_client().get("/login", headers={"Host": "evil.example"})
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["redirect_uri"] == ["https://casting.example.com/callback"]
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_without_public_url_names_it(
    make_app: Callable[..., APIFlask], tenant: StandInTenant
) -> None:
    app = make_app(**tenant_settings(tenant), APP_ENV="production")
    body = assert_error(app.test_client().get("/login"), 501)
    assert "PUBLIC_URL" in body["message"]


def test_login_without_a_client_id_names_the_setting(
    make_app: Callable[..., APIFlask], tenant: StandInTenant
) -> None:
    client = make_app(**{**tenant_settings(tenant), "AUTH0_CLIENT_ID": None}).test_client()
    body = assert_error(client.get("/login"), 501)
    assert "AUTH0_CLIENT_ID" in body["message"]
    assert_error(client.get("/logout"), 501)


def test_a_code_is_used_once(client: FlaskClient) -> None:
    callback = authorize(client)
    cookie = client.get_cookie(sign_in.COOKIE)
    assert cookie is not None
    assert client.get(callback).status_code == 200
    # The same answer again: the cookie is gone, so nothing is exchanged.
    assert_error(client.get(callback, headers=JSON), 400)
    # Even with the old cookie put back, the tenant refuses a code it already redeemed.
    client.set_cookie(sign_in.COOKIE, cookie.value)
    body = assert_error(client.get(callback, headers=JSON), 400)
    assert "Auth0 refused the sign-in: Invalid authorization code" in body["message"]


def test_wrong_state_is_refused_with_a_page(client: FlaskClient) -> None:
    callback = authorize(client).replace("state=", "state=x")
    page = client.get(callback)
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    assert "does not match the one started here" in page.get_data(as_text=True)


def test_missing_state_is_refused(client: FlaskClient, tenant: StandInTenant) -> None:
    code = parse_qs(urlsplit(authorize(client)).query)["code"][0]
    body = assert_error(client.get(f"/callback?code={code}", headers=JSON), 400)
    assert "does not match" in body["message"]
    assert code in tenant.codes  # refused before the code reached the tenant


def test_callback_without_a_sign_in_in_progress_is_refused(client: FlaskClient) -> None:
    body = assert_error(client.get("/callback?code=abc&state=def", headers=JSON), 400)
    assert "No sign-in is in progress" in body["message"]


def test_expired_cookie_is_refused(
    client: FlaskClient, app: APIFlask, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback = authorize(client)
    state = parse_qs(urlsplit(callback).query)["state"][0]
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="sign-in")
    then = int(time.time()) - sign_in.COOKIE_MAX_AGE_SECONDS - 1
    with monkeypatch.context() as patched:  # a cookie signed 10 minutes ago, otherwise valid
        patched.setattr(TimestampSigner, "get_timestamp", lambda _signer: then)
        stale = serializer.dumps({"state": state, "verifier": "v"})
    assert serializer.loads(stale)["state"] == state
    client.set_cookie(sign_in.COOKIE, stale)
    body = assert_error(client.get(callback, headers=JSON), 400)
    assert "expired" in body["message"]


def test_forged_cookie_is_refused(client: FlaskClient) -> None:
    callback = authorize(client)
    state = parse_qs(urlsplit(callback).query)["state"][0]
    forged = URLSafeTimedSerializer("another key", salt="sign-in").dumps({"state": state})
    client.set_cookie(sign_in.COOKIE, forged)
    assert "not valid" in assert_error(client.get(callback, headers=JSON), 400)["message"]


def test_access_denied_is_a_clear_refusal(client: FlaskClient, tenant: StandInTenant) -> None:
    tenant.deny = True
    page = client.get(authorize(client))
    assert page.status_code == 403
    assert "Auth0 did not sign you in: The user said no." in page.get_data(as_text=True)
    assert "casting_sign_in=;" in page.headers["Set-Cookie"]


def test_other_tenant_errors_are_a_400_naming_what_auth0_said(client: FlaskClient) -> None:
    authorize(client)
    said = "Client has not been granted scopes"
    response = client.get(f"/callback?error=invalid_scope&error_description={said}", headers=JSON)
    assert f"Auth0 did not sign you in: {said}" in assert_error(response, 400)["message"]
    assert client.get_cookie(sign_in.COOKIE) is None  # that attempt is over


def test_code_the_tenant_refuses_is_a_400(client: FlaskClient) -> None:
    callback = authorize(client).replace("code=", "code=forged")
    body = assert_error(client.get(callback, headers=JSON), 400)
    assert "Auth0 refused the sign-in" in body["message"]


def test_callback_without_a_code_is_refused(client: FlaskClient) -> None:
    callback = authorize(client)
    state = parse_qs(urlsplit(callback).query)["state"][0]
    body = assert_error(client.get(f"/callback?state={state}", headers=JSON), 400)
    assert "no authorization code" in body["message"]


@pytest.mark.parametrize(
    "answer,said",
    [
        ({"access_token": "not-a-jwt"}, "not accepted here: The token is malformed."),
        ({"token_type": "Bearer"}, "answered without an access token"),
    ],
    ids=["token the API refuses", "no token"],
)
def test_tenant_answer_without_a_usable_token_is_a_502(
    client: FlaskClient, tenant: StandInTenant, answer: dict[str, str], said: str
) -> None:
    callback = authorize(client)
    tenant.redeem = lambda form: (200, answer)  # type: ignore[method-assign]
    assert said in assert_error(client.get(callback, headers=JSON), 502)["message"]


def test_a_confidential_application_sends_its_secret(
    make_app: Callable[..., APIFlask], tenant: StandInTenant
) -> None:
    client = make_app(**tenant_settings(tenant), AUTH0_CLIENT_SECRET="s3cret").test_client()
    callback = authorize(client)
    sent: list[dict[str, str]] = []
    redeem = tenant.redeem

    def recording(form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        sent.append(form)
        return redeem(form)

    tenant.redeem = recording  # type: ignore[method-assign]
    assert client.get(callback).status_code == 200
    assert sent[0]["client_secret"] == "s3cret"


def test_unreachable_tenant_is_a_502(make_app: Callable[..., APIFlask], tenant) -> None:
    app = make_app(**{**tenant_settings(tenant), "AUTH0_ISSUER": "http://127.0.0.1:1/"})
    client = app.test_client()
    location = client.get("/login").headers["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    response = client.get(f"/callback?code=abc&state={state}", headers=JSON)
    assert "could not be reached" in assert_error(response, 502)["message"]


def test_logout_clears_the_cookie_and_signs_out_of_the_tenant(client: FlaskClient) -> None:
    authorize(client)
    response = client.get("/logout")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/v2/logout"
    assert parse_qs(location.query) == {"client_id": [CLIENT_ID], "returnTo": ["http://localhost/"]}
    assert client.get_cookie(sign_in.COOKIE) is None


def test_the_token_is_never_logged(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        page = client.get(authorize(client))
        token = shown_token(page)
        client.get("/actors", headers={"Authorization": f"Bearer {token}"})
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert token not in logged and token.split(".")[2] not in logged


# --- local mode ----------------------------------------------------------------------


def test_local_mode_login_offers_each_staff_role(make_app: Callable[..., APIFlask]) -> None:
    page = make_app().test_client().get("/login")
    assert page.status_code == 200 and page.mimetype == "text/html"
    for role in STAFF_PERMISSIONS:
        assert f'href="?role={role}"' in page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["assistant", "director", "producer"])
def test_local_mode_gives_a_token_for_the_role(
    make_app: Callable[..., APIFlask], role: str
) -> None:
    client = make_app().test_client()
    page = client.get(f"/login?role={role}")
    assert page.status_code == 200
    token = shown_token(page)
    for permission in STAFF_PERMISSIONS[role]:
        assert f"<code>{permission}</code>" in page.get_data(as_text=True)
    assert client.get("/actors", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    allowed = "post:movies" in STAFF_PERMISSIONS[role]
    created = client.post(
        "/movies",
        json={"title": "T", "release_date": "2030-01-01"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == (201 if allowed else 403)


def test_local_mode_refuses_an_unknown_role(make_app: Callable[..., APIFlask]) -> None:
    client = make_app().test_client()
    assert_error(client.get("/login?role=admin", headers=JSON), 400)
    assert client.get("/login?role=<b>admin</b>").status_code == 400
    assert_error(client.get("/callback?code=a&state=b", headers=JSON), 404)
    assert client.get("/logout").headers["Location"] == "/login"


# --- machine clients -----------------------------------------------------------------


def test_machine_token_works_and_is_logged_with_its_client_id(
    make_app: Callable[..., APIFlask], signing_key_file: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Auth0's client-credentials tokens: no user, `sub` is "<client id>@clients"."""
    client = make_app().test_client()
    now = int(time.time())
    machine = LocalIssuer(signing_key_file, LOCAL_ISSUER, LOCAL_AUDIENCE).sign(
        {
            "iss": LOCAL_ISSUER,
            "sub": "m2m-reporting@clients",
            "aud": LOCAL_AUDIENCE,
            "iat": now,
            "exp": now + 86400,
            "gty": "client-credentials",
            "azp": "m2m-reporting",
            "permissions": ["get:actors"],
        }
    )
    with caplog.at_level(logging.INFO, logger="casting.requests"):
        read = client.get("/actors", headers={"Authorization": f"Bearer {machine}"})
        write = client.post("/actors", json={}, headers={"Authorization": f"Bearer {machine}"})
    assert read.status_code == 200
    assert_error(write, 403)
    lines = [r for r in caplog.records if r.name == "casting.requests"]
    assert [(r.path, r.status, r.client_id) for r in lines] == [  # type: ignore[attr-defined]
        ("/actors", 200, "m2m-reporting"),
        ("/actors", 403, "m2m-reporting"),  # verified, though not allowed to write
    ]
    assert all(machine not in f"{r.__dict__}" for r in caplog.records)


def test_machine_client_id_comes_from_the_subject_without_azp() -> None:
    claims = {"gty": "client-credentials", "sub": "abc123@clients"}
    assert _client_id(claims) == "abc123"
    assert _client_id({"sub": "auth0|user"}) is None
    assert _client_id(None) is None


def test_stand_in_tenant_refuses_a_wrong_code_verifier(
    client: FlaskClient, tenant: StandInTenant, tmp_path: Path
) -> None:
    callback = authorize(client)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    answer = requests.post(
        f"{tenant.url}oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "code": code,
            "code_verifier": "not-the-verifier",
            "redirect_uri": "http://localhost/callback",
        },
        timeout=5,
    )
    assert answer.status_code == 403 and answer.json()["error"] == "invalid_grant"


def test_sign_in_is_documented_as_public_pages(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/login", "/callback", "/logout"):
        operation = paths[path]["get"]
        assert "security" not in operation and operation["x-browser-only"] is True
        assert operation["tags"] == ["Sign in"]
    assert "text/html" in paths["/callback"]["get"]["responses"]["200"]["content"]
    assert "302" in paths["/login"]["get"]["responses"]
    assert "501" in paths["/logout"]["get"]["responses"]


def test_docs_offer_auth0_sign_in_with_pkce(client: FlaskClient, tenant: StandInTenant) -> None:
    spec = client.get("/openapi.json").get_json()
    flow = spec["components"]["securitySchemes"]["Auth0"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{tenant.url}authorize"
    assert flow["tokenUrl"] == f"{tenant.url}oauth/token"
    assert spec["paths"]["/actors"]["get"]["security"] == [{"BearerAuth": []}, {"Auth0": []}]
    docs = client.get("/docs")
    page = docs.get_data(as_text=True)
    assert '"usePkceWithAuthorizationCodeGrant": true' in page
    assert f'"audience": "{LOCAL_AUDIENCE}"' in page
    assert f"connect-src 'self' {tenant.url.rstrip('/')}" in docs.headers["Content-Security-Policy"]
    redirect_page = client.get("/docs/oauth2-redirect")
    assert redirect_page.status_code == 200
    assert "<script src=" not in redirect_page.get_data(as_text=True)  # inline: offline


def test_docs_offer_no_sign_in_in_local_mode(make_app: Callable[..., APIFlask]) -> None:
    spec = make_app().test_client().get("/openapi.json").get_json()
    assert set(spec["components"]["securitySchemes"]) == {"BearerAuth"}


# --- in a real browser -----------------------------------------------------------------

AUTH0_IN_DIALOG = "//div[contains(@class, 'auth-container')][.//h4[contains(., 'Auth0')]]"
GET_ACTORS = "#operations-Actors-get_actors"


@pytest.mark.slow
def test_browser_signs_in_at_login_and_from_the_docs_and_reads_actors(
    live_server: str,
    tenant: StandInTenant,
    browser: webdriver.Chrome,  # noqa: F811
) -> None:
    """One browser for both ways in (each start costs a second): /login to the token
    page, whose link opens /docs authorized; then the docs' own Auth0 sign-in."""
    wait = WebDriverWait(browser, WAIT_SECONDS)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        browser.get(f"{live_server}/login")  # to the tenant and straight back
        wait.until(ec.url_contains("/callback"))
        token = wait.until(ec.presence_of_element_located((By.ID, "token"))).get_attribute("value")
        assert browser.current_url.split("?")[0] == f"{live_server}/callback"
        browser.find_element(By.ID, "copy").click()  # the nonce lets the page's script run
        wait.until(lambda _: browser.find_element(By.ID, "copied").text)
        permissions = browser.find_element(By.ID, "permissions").text
        browser.save_screenshot(str(ARTIFACTS / "sign-in.png"))
        browser.find_element(By.ID, "docs").click()
        locked = (By.CSS_SELECTOR, ".auth-wrapper button.authorize.locked")
        wait.until(ec.visibility_of_element_located(locked))

        # Forget that token, then sign in from the docs' Authorize dialog with PKCE.
        browser.execute_script("localStorage.clear()")
        browser.refresh()
        authorize = (By.CSS_SELECTOR, ".auth-wrapper button.authorize")
        wait.until(ec.element_to_be_clickable(authorize)).click()
        sign_in = (By.XPATH, f"{AUTH0_IN_DIALOG}//button[.='Authorize']")
        wait.until(ec.element_to_be_clickable(sign_in)).click()
        # A pop-up signs in at the tenant and comes back to /docs/oauth2-redirect.
        signed_in = (By.XPATH, f"{AUTH0_IN_DIALOG}//button[.='Logout']")
        wait.until(ec.presence_of_element_located(signed_in))
        browser.find_element(By.CSS_SELECTOR, ".auth-container button.btn-done").click()
        wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-ux")))
        browser.find_element(By.CSS_SELECTOR, f"{GET_ACTORS} .opblock-summary-control").click()
        try_out = wait.until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, f"{GET_ACTORS} .try-out__btn"))
        )
        if "cancel" not in (try_out.get_attribute("class") or "").split():
            try_out.click()
        execute = (By.CSS_SELECTOR, f"{GET_ACTORS} button.execute")
        wait.until(ec.element_to_be_clickable(execute)).click()
        status_cell = f"{GET_ACTORS} .live-responses-table tr.response .response-col_status"
        status = wait.until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, status_cell))
        ).text.strip()
        curl = browser.find_element(By.CSS_SELECTOR, f"{GET_ACTORS} .curl-command").text
    finally:
        browser.save_screenshot(str(ARTIFACTS / "sign-in-last.png"))
    assert token and "get:actors" in permissions
    actors = requests.get(
        f"{live_server}/actors", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert actors.status_code == 200, actors.text
    assert status == "200"
    assert "Authorization: Bearer ey" in curl and token not in curl  # the docs' own token
    assert tenant.codes == {}  # both codes were redeemed, each with its PKCE verifier
