"""Optional rate limiting of writes: off by default, 429 JSON with Retry-After when on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from helpers import VALID_BODIES, assert_error

BODY = VALID_BODIES["actors"]


def test_writes_are_not_limited_by_default(client, producer):
    for _ in range(30):
        assert client.post("/actors", json=BODY, headers=producer).status_code == 201


@pytest.fixture
def limited(make_app: Callable[..., APIFlask]) -> FlaskClient:
    return make_app(WRITE_RATE_LIMIT="3/minute").test_client()


def test_writes_past_the_limit_get_429_json_with_retry_after(limited, producer):
    for _ in range(3):
        assert limited.post("/actors", json=BODY, headers=producer).status_code == 201
    assert_error(limited.post("/actors", json=BODY, headers=producer), 429)
    assert limited.get("/actors?page_size=1", headers=producer).get_json()["total_actors"] == 3


def test_reads_are_never_limited(limited, producer):
    for _ in range(10):
        assert limited.get("/actors", headers=producer).status_code == 200


def test_limit_counts_every_write_method(limited, producer, create):
    actor = limited.post("/actors", json=BODY, headers=producer).get_json()["actor"]
    url = f"/actors/{actor['id']}"
    assert limited.patch(url, json={"age": 31}, headers=producer).status_code == 200
    assert limited.delete(url, headers=producer).status_code == 200
    assert limited.post("/actors", json=BODY, headers=producer).status_code == 429
