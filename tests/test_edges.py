"""Security headers, request ids and logs on every response."""

import json
import logging

import pytest

from api.middleware import JSONFormatter


@pytest.mark.parametrize("path", ["/", "/actors", "/nope", "/openapi.json"])
def test_every_response_has_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Strict-Transport-Security" not in response.headers


def test_docs_page_gets_a_csp_that_lets_swagger_ui_run(client):
    csp = client.get("/docs").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp
    assert "connect-src 'self'" in csp
    assert "http" not in csp  # nothing from other origins


def test_request_id_is_echoed_or_made(client):
    given = client.get("/", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/").headers["X-Request-ID"]


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "<script>", "semi;colon"])
def test_unsafe_request_id_is_replaced(client, bad):
    response = client.get("/", headers={"X-Request-ID": bad})
    assert response.headers["X-Request-ID"] != bad
    assert len(response.headers["X-Request-ID"]) == 32


def test_hsts_only_over_https_behind_a_trusted_proxy(make_app):
    trusting = make_app(TRUSTED_PROXY_HOPS=1).test_client()
    secure = trusting.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    untrusting = make_app().test_client()
    spoofed = untrusting.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_each_request_is_logged_with_its_id_and_never_the_token(client, token, caplog):
    secret = token("get:actors")
    with caplog.at_level(logging.INFO):
        client.get("/actors?search_term=x", headers={"Authorization": f"Bearer {secret}"})
        client.get("/actors", headers={"Authorization": f"Bearer {secret}x"})
    lines = [JSONFormatter().format(record) for record in caplog.records]
    assert all(secret not in line for line in lines)
    requests_logged = [json.loads(line) for line in lines if '"message": "request"' in line]
    assert [entry["status"] for entry in requests_logged] == [200, 401]
    assert all(len(entry["request_id"]) == 32 for entry in requests_logged)
    assert requests_logged[0]["path"] == "/actors"  # the query string stays out


def test_auth_failure_is_logged_with_a_reason_code(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/actors", headers={"Authorization": "Bearer not-a-token"})
    reasons = [getattr(r, "reason", None) for r in caplog.records]
    assert "malformed_token" in reasons


def test_json_formatter_writes_one_json_object():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
    entry = json.loads(JSONFormatter().format(record))
    assert entry["message"] == "hello you"
    assert entry["level"] == "warning"
