"""Paths are matched as sent: no redirect ever builds a URL from the client's Host."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from helpers import Headers, Record, assert_error


def get_raw_path(client: FlaskClient, path: str, headers: Headers) -> Any:
    # The raw path: the test client would read a leading // as a host name.
    return client.get(
        "/", headers={**headers, "Host": "evil.example"}, environ_overrides={"PATH_INFO": path}
    )


@pytest.mark.parametrize(
    "path", ["/actors//1", "/actors//", "/movies/1//roles", "/roles/1//candidates", "/docs//"]
)
def test_a_doubled_slash_inside_a_path_is_404_not_a_redirect(
    client: FlaskClient, producer: Headers, records: dict[str, Record], path: str
) -> None:
    response = get_raw_path(client, path, producer)
    assert_error(response, 404)
    assert "Location" not in response.headers


@pytest.mark.parametrize("path", ["//actors", "//health", "///"])
def test_leading_slashes_are_never_a_redirect(
    client: FlaskClient, producer: Headers, records: dict[str, Record], path: str
) -> None:
    """Werkzeug reads any number of leading slashes as one: the same resource, answered
    in place, never a redirect."""
    response = get_raw_path(client, path, producer)
    assert response.status_code == 200 and response.is_json
    assert "Location" not in response.headers
