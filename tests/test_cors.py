"""CORS: a front end on another origin can send conditional requests and read ETags;
the browser test runs the whole recast in headless Chromium, from another port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from selenium import webdriver

from auth import STAFF_PERMISSIONS
from helpers import Create, serving_in_thread
from test_docs_browser import browser  # noqa: F401  (the Chromium fixture)

FRONT_END = "https://casting.example.com"


def _listed(value: str | None) -> set[str]:
    return {item.strip().lower() for item in (value or "").split(",") if item.strip()}


def test_preflight_allows_conditional_writes_and_request_ids(client: FlaskClient) -> None:
    response = client.options(
        "/roles/1",
        headers={
            "Origin": FRONT_END,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match, "
            "if-none-match, x-request-id",
        },
    )
    assert response.status_code == 200
    assert _listed(response.headers.get("Access-Control-Allow-Headers")) >= {
        "authorization",
        "content-type",
        "if-match",
        "if-none-match",
        "x-request-id",
    }
    assert _listed(response.headers.get("Access-Control-Allow-Methods")) == {
        "get",
        "head",
        "post",
        "patch",
        "delete",
        "options",
    }


def test_answers_expose_the_headers_a_front_end_reads(
    client: FlaskClient, producer: dict[str, str], create: Create
) -> None:
    actor = create("actors")
    response = client.get(f"/actors/{actor['id']}", headers={**producer, "Origin": FRONT_END})
    assert response.status_code == 200
    assert _listed(response.headers.get("Access-Control-Expose-Headers")) >= {
        "etag",
        "location",
        "retry-after",
        "x-request-id",
    }


def test_only_the_configured_origins_are_allowed(make_app: Callable[..., APIFlask]) -> None:
    client = make_app(CORS_ORIGINS=[FRONT_END]).test_client()
    allowed = client.get("/", headers={"Origin": FRONT_END})
    other = client.get("/", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == FRONT_END
    assert "Access-Control-Allow-Origin" not in other.headers
    # A bearer-token API: browsers are never told to send cookies along.
    assert "Access-Control-Allow-Credentials" not in allowed.headers


# --- in a real browser, from another origin ------------------------------------------

FRONT_END_PAGE = b"<!doctype html><title>Casting front end</title><p>front end</p>"

# Runs in the front end's page: read the role's ETag, recast with it, then try again
# with the ETag that is now stale. Reports statuses and the ETags it could read.
RECAST = """
const [api, token, roleId, actorId, done] = arguments;
const auth = {"Authorization": "Bearer " + token};
const patch = (etag) => fetch(`${api}/roles/${roleId}`, {
  method: "PATCH",
  headers: {...auth, "Content-Type": "application/json", "If-Match": etag},
  body: JSON.stringify({actor_id: actorId}),
});
(async () => {
  const read = await fetch(`${api}/roles/${roleId}`, {headers: auth});
  const etag = read.headers.get("ETag");
  const recast = await patch(etag);
  const stale = await patch(etag);
  return {
    read: read.status, etag, recast: recast.status,
    newEtag: recast.headers.get("ETag"), requestId: recast.headers.get("X-Request-ID"),
    stale: stale.status, staleBody: await stale.json(),
  };
})().then(done, (error) => done({error: String(error)}));
"""


@pytest.fixture
def front_end() -> Iterator[str]:
    """A page served from another loopback port: another origin than the API's."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(FRONT_END_PAGE)))
            self.end_headers()
            self.wfile.write(FRONT_END_PAGE)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    with serving_in_thread(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.slow
def test_front_end_on_another_origin_recasts_with_if_match(
    app: APIFlask,
    live_server: str,
    front_end: str,
    browser: webdriver.Chrome,  # noqa: F811
    create: Create,
) -> None:
    role = create("roles")
    actor = create("actors")
    token = app.extensions["local_issuer"].mint(list(STAFF_PERMISSIONS["director"]))
    assert front_end != live_server

    browser.get(f"{front_end}/")
    result = browser.execute_async_script(RECAST, live_server, token, role["id"], actor["id"])

    assert "error" not in result, result
    assert result["read"] == 200
    assert result["etag"] == '"1"', result  # readable: ETag is exposed
    assert result["recast"] == 200
    assert result["newEtag"] and result["newEtag"] != result["etag"]
    assert result["requestId"]
    assert result["stale"] == 412
    assert result["staleBody"]["error"] == 412
