"""The Postman collection is generated: a stale one fails here, and it calls every
operation of the OpenAPI document as every staff role and without a token."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest

from auth import STAFF_PERMISSIONS
from casting.statuses import CASTING_PERMISSION, ENGAGING_STATUSES
from devtools import postman_collection as generator

Calls = dict[str | None, set[tuple[str, str, int]]]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return generator.openapi_document()


@pytest.fixture(scope="module")
def committed() -> str:
    return generator.COLLECTION_FILE.read_text()


def test_the_committed_collection_is_what_the_generator_makes(
    spec: dict[str, Any], committed: str
) -> None:
    built = generator.render(generator.build_collection(spec, STAFF_PERMISSIONS))
    # Not an assert: pytest would diff two strings of some 300 kB, slowly and unreadably.
    if built != committed:
        pytest.fail(generator.stale_message(), pytrace=False)


def _role(auth: dict[str, Any]) -> str | None:
    """The staff role whose token a request sends, from its {{<role>_token}}."""
    if auth["type"] == "noauth":
        return None
    (token,) = [entry["value"] for entry in auth["bearer"] if entry["key"] == "token"]
    match = re.fullmatch(r"\{\{(\w+)_token\}\}", token)
    assert match, token
    return match[1]


def _expected_status(item: dict[str, Any]) -> int:
    tests = [e for e in item["event"] if e["listen"] == "test"]
    match = re.search(r"to\.have\.status\((\d+)\)", "\n".join(tests[0]["script"]["exec"]))
    assert match, item["name"]
    return int(match[1])


def calls_by_role(collection: dict[str, Any]) -> Calls:
    """(method, OpenAPI path, status it must answer) of every request, by the role
    whose token it sends (None: no token). Requests with an Authorization header of
    their own send something else and are left out."""
    calls: Calls = defaultdict(set)
    for folder in collection["item"]:
        for item in folder["item"]:
            request = item["request"]
            if any(header["key"] == "Authorization" for header in request["header"]):
                continue
            segments = [f"{{{s[1:]}}}" if s.startswith(":") else s for s in request["url"]["path"]]
            role = _role(request.get("auth") or folder["auth"])
            calls[role].add((request["method"], "/" + "/".join(segments), _expected_status(item)))
    return calls


def expected_calls(spec: dict[str, Any], role: str | None) -> set[tuple[str, str, int]]:
    """Each operation with the status it must answer for `role`: its success status when
    the role holds every permission in x-permissions, 403 when it does not, and 401 for
    a protected operation called without a token."""
    expected = set()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if operation.get("x-browser-only"):  # signing in: a browser's redirects
                continue
            needed = set(operation.get("x-permissions", ()))
            success = min(int(status) for status in operation["responses"] if status[0] == "2")
            if not needed:
                status = success
            elif role is None:
                status = 401
            else:
                status = success if needed <= set(STAFF_PERMISSIONS[role]) else 403
            expected.add((method.upper(), path, status))
    return expected


@pytest.mark.parametrize("role", [*STAFF_PERMISSIONS, None], ids=str)
def test_every_operation_is_called_as_every_role_and_without_a_token(
    spec: dict[str, Any], committed: str, role: str | None
) -> None:
    calls = calls_by_role(json.loads(committed))[role]
    missing = expected_calls(spec, role) - calls
    who = role or "without a token"
    assert not missing, f"{who}, the collection never makes these calls: {sorted(missing)}"


def test_a_move_that_engages_the_actor_is_refused_without_patch_roles(committed: str) -> None:
    """x-permissions say patch:submissions; a move to on_hold, offered or booked needs
    patch:roles too, which the document says only in words. Each such move in the
    collection must expect 403 exactly when the token it sends lacks patch:roles, and
    the assistant's folder must show at least one such refusal."""
    refused = []
    for folder in json.loads(committed)["item"]:
        for item in folder["item"]:
            request = item["request"]
            if request["method"] != "POST" or request["url"]["path"][-1] != "transitions":
                continue
            role = _role(request.get("auth") or folder["auth"])
            target = re.search(r'"to": "(\w+)"', request.get("body", {}).get("raw", ""))
            if role is None or target is None:
                continue
            engages = target[1] in ENGAGING_STATUSES
            lacks = CASTING_PERMISSION not in STAFF_PERMISSIONS[role]
            status = _expected_status(item)
            assert (status == 403) == (engages and lacks), (folder["name"], item["name"])
            if status == 403:
                refused.append(role)
    assert "assistant" in refused


def test_oauth2_is_offered_at_the_collection_level_and_no_folder_inherits_it(
    committed: str,
) -> None:
    """Signing in from Postman uses the collection's OAuth 2.0 settings only where a user
    switches a folder to inherit them: make e2e's folders keep sending their minted
    tokens (or none), whatever the collection's auth says."""
    collection = json.loads(committed)
    settings = {entry["key"]: entry["value"] for entry in collection["auth"]["oauth2"]}
    assert collection["auth"]["type"] == "oauth2"
    assert settings["grant_type"] == "authorization_code_with_pkce"
    assert settings["challengeAlgorithm"] == "S256"
    assert settings["authUrl"] == "https://{{auth0_domain}}/authorize"
    assert settings["accessTokenUrl"] == "https://{{auth0_domain}}/oauth/token"
    assert settings["clientId"] == "{{auth0_client_id}}"
    assert "clientSecret" not in settings
    assert {"key": "audience", "value": "{{auth0_audience}}"}.items() <= next(
        iter(settings["authRequestParams"])
    ).items()
    variables = {variable["key"] for variable in collection["variable"]}
    assert {"auth0_domain", "auth0_client_id", "auth0_audience"} <= variables
    assert {folder["auth"]["type"] for folder in collection["item"]} == {"bearer", "noauth"}
