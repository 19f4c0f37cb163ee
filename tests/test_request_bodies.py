"""Request bodies are read one way only: plain JSON, each key once."""

from __future__ import annotations

import gzip
import json

import pytest
from flask.testing import FlaskClient

from helpers import Headers, assert_error, valid_body


@pytest.mark.parametrize(
    "raw",
    [
        '{"name": "Dup", "age": 500, "gender": "male", "age": 40}',
        '{"name": "Dup", "age": 40, "gender": "male", "age": 500}',
        '{"name": "Dup", "age": 40, "gender": "male", "a\\u0067e": 41}',
    ],
    ids=["valid-last", "valid-first", "escaped"],
)
def test_a_key_given_twice_is_400_naming_it(
    client: FlaskClient, producer: Headers, raw: str
) -> None:
    response = client.post("/actors", data=raw, content_type="application/json", headers=producer)
    assert "'age'" in assert_error(response, 400)["message"]
    assert client.get("/actors", headers=producer).get_json()["total_actors"] == 0


def test_a_key_given_twice_in_a_nested_object_is_400(
    client: FlaskClient, producer: Headers
) -> None:
    raw = '{"name": "N", "age": 40, "gender": "male", "x": {"k": 1, "k": 2}}'
    response = client.post("/actors", data=raw, content_type="application/json", headers=producer)
    assert "'k'" in assert_error(response, 400)["message"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "GZIP, identity"])
def test_a_compressed_body_is_415_naming_the_encoding(
    client: FlaskClient, producer: Headers, encoding: str
) -> None:
    raw = gzip.compress(json.dumps(valid_body("actors")).encode())
    response = client.post(
        "/actors",
        data=raw,
        content_type="application/json",
        headers={**producer, "Content-Encoding": encoding},
    )
    assert encoding in assert_error(response, 415)["message"]


def test_an_identity_content_encoding_is_plain_json(client: FlaskClient, producer: Headers) -> None:
    response = client.post(
        "/actors",
        json=valid_body("actors"),
        headers={**producer, "Content-Encoding": "identity"},
    )
    assert response.status_code == 201
