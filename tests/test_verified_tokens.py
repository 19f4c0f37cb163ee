"""A token is verified once per process, and never trusted past its expiry or max_age."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

import auth
from auth import VerifiedTokens

NOW = 1_900_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each full signature check, as the JWT library is asked for it."""
    calls: list[str] = []
    decode = auth.jwt.decode

    def counted(token: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", counted)
    return calls


def test_a_clients_next_requests_skip_the_signature_check(
    client: FlaskClient, token: Any, decodes: list[str]
) -> None:
    headers = {"Authorization": f"Bearer {token('get:actors')}"}
    assert [client.get("/actors", headers=headers).status_code for _ in range(3)] == [200] * 3
    assert len(decodes) == 1
    other = {"Authorization": f"Bearer {token('get:actors', 'get:movies')}"}
    assert client.get("/movies", headers=other).status_code == 200
    assert len(decodes) == 2


def test_a_refused_token_is_checked_again_every_time(
    client: FlaskClient, token: Any, decodes: list[str]
) -> None:
    forged = token("get:actors")[:-4] + "AAAA"
    for _ in range(2):
        assert (
            client.get("/actors", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
        )
    assert len(decodes) == 2


def test_permissions_are_still_checked_for_a_remembered_token(
    client: FlaskClient, token: Any
) -> None:
    headers = {"Authorization": f"Bearer {token('get:actors')}"}
    assert client.get("/actors", headers=headers).status_code == 200
    assert client.get("/movies", headers=headers).status_code == 403


CLAIMS = {"sub": "auth0|1", "exp": NOW + 60, "permissions": ["get:actors"]}


@pytest.mark.parametrize(
    ("exp", "max_age", "later", "remembered"),
    [
        (NOW + 60, 300, 59, True),  # before exp
        (NOW + 60, 300, 60, False),  # at exp: never past the token's own expiry
        (NOW + 900, 300, 299, True),
        (NOW + 900, 300, 300, False),  # max_age: a withdrawn signing key stops working
        (NOW - 1, 300, 0, False),  # expired within the leeway: checked every time
    ],
)
def test_a_token_is_remembered_until_its_expiry_or_max_age(
    clock: Clock, exp: float, max_age: float, later: float, remembered: bool
) -> None:
    tokens = VerifiedTokens(max_age=max_age, clock=clock)
    tokens.put("token", {**CLAIMS, "exp": exp})
    clock.now += later
    assert (tokens.get("token") is not None) is remembered


def test_the_least_recently_used_token_goes_first(clock: Clock) -> None:
    tokens = VerifiedTokens(size=2, clock=clock)
    tokens.put("a", CLAIMS)
    tokens.put("b", CLAIMS)
    assert tokens.get("a") is not None  # a is now the most recent
    tokens.put("c", CLAIMS)
    assert [tokens.get(name) is not None for name in "abc"] == [True, False, True]


def test_tokens_are_kept_by_hash_and_claims_are_copies(clock: Clock) -> None:
    tokens = VerifiedTokens(clock=clock)
    tokens.put("secret-token", CLAIMS)
    assert "secret-token" not in repr(vars(tokens))
    claims = tokens.get("secret-token")
    assert claims == CLAIMS
    assert claims is not None
    claims["permissions"] = ["delete:everything"]
    assert tokens.get("secret-token") == CLAIMS
    assert tokens.get("secret-tokeN") is None
