"""Generates the Postman collection from the OpenAPI document and STAFF_PERMISSIONS."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auth import STAFF_PERMISSIONS
from config import BASE_DIR, LOCAL_AUDIENCE, LOCAL_ISSUER, Config
from devtools import postman_scenario as scenario
from devtools.postman_scenario import Call, Check, Ref, check, header_is

COLLECTION_FILE = BASE_DIR / "postman" / "casting-agency.postman_collection.json"
RESPONSE_CHECKS_FILE = Path(__file__).with_name("postman_response_checks.js")
COMMAND = "python -m devtools.postman_collection"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "casting-agency-api:postman-collection")
POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
COMPONENTS = "#/components/schemas/"
INDENT = "    "
# Signing in from Postman: the tenant, the Auth0 application and the API identifier are
# collection variables; Postman's callback is the address the application must allow.
OAUTH_DOMAIN, OAUTH_CLIENT_ID, OAUTH_AUDIENCE = "auth0_domain", "auth0_client_id", "auth0_audience"
OAUTH_CALLBACK = "https://oauth.pstmn.io/v1/callback"
FRESH_TAG = (
    'pm.collectionVariables.set("run_tag", '
    '"e2e" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6));'
)

Json = dict[str, Any]


# --- What the OpenAPI document says ---------------------------------------------------


def openapi_document() -> Json:
    """The document the app serves, from the app itself: in-memory SQLite and a key made
    for the occasion, so it needs no database, no secret and nothing from the
    environment (which could otherwise change what is documented)."""
    from app import create_app  # app imports devtools: imported only when needed

    with tempfile.TemporaryDirectory() as keys:
        overrides = {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "LOCAL_SIGNING_KEY_FILE": str(Path(keys) / "signing-key.pem"),
            "JSON_LOGS": False,
            "APP_ENV": "development",
            "AUTH0_DOMAIN": None,
            "JWKS_URL": None,
            "AUTH0_ISSUER": LOCAL_ISSUER,
            "API_AUDIENCE": LOCAL_AUDIENCE,
            "WRITE_RATE_LIMIT": None,
        }
        app = create_app(Config, overrides)
        document: Json = app.test_client().get(scenario.SPEC_PATH).get_json()
    return document


@dataclass(frozen=True)
class Operation:
    """One operation as the collection needs it: its permissions, its documented answers
    (status to component schema; None for an inline schema), its query parameters."""

    method: str
    path: str
    permissions: tuple[str, ...]
    responses: Mapping[str, str | None]
    query: frozenset[str]
    has_body: bool

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def success(self) -> int:
        return min(int(status) for status in self.responses if status.startswith("2"))


def _schema_name(response: Json) -> str | None:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref")
    return ref.removeprefix(COMPONENTS) if isinstance(ref, str) else None


def _operation(method: str, path: str, operation: Json) -> Operation:
    parameters = operation.get("parameters", [])
    return Operation(
        method=method.upper(),
        path=path,
        permissions=tuple(operation.get("x-permissions", ())),
        responses={s: _schema_name(r) for s, r in sorted(operation["responses"].items())},
        query=frozenset(p["name"] for p in parameters if p["in"] == "query"),
        has_body="requestBody" in operation,
    )


def operations(spec: Json) -> dict[str, Operation]:
    """Every operation by "METHOD /path", ordered by path and method, so the output does
    not depend on the order the app registers its routes in. Signing in (x-browser-only)
    is a browser's redirects to Auth0, not calls a collection can make."""
    found = [
        _operation(method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method.upper() in METHOD_ORDER and not operation.get("x-browser-only")
    ]
    found.sort(key=lambda op: (op.path, METHOD_ORDER.index(op.method)))
    return {op.key: op for op in found}


def _referenced(components: Json, roots: set[str]) -> list[str]:
    found: set[str] = set()
    pending = sorted(roots)
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            text = json.dumps(components[name])
            pending.extend(re.findall(r'"#/components/schemas/([^"]+)"', text))
    return sorted(found)


def _closed(node: Any) -> Any:
    """Objects with no property beyond those documented, and references resolvable in
    the `definitions` the checks ship: an answer that grows an undocumented field is a
    change the document has to follow."""
    if isinstance(node, list):
        return [_closed(value) for value in node]
    if not isinstance(node, dict):
        return node
    closed = {key: _closed(value) for key, value in node.items()}
    if isinstance(closed.get("$ref"), str):
        closed["$ref"] = closed["$ref"].replace(COMPONENTS, "#/definitions/")
    if "properties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


def response_schemas(spec: Json, ops: Mapping[str, Operation]) -> Json:
    """The component schemas the answers use, closed, and `"success": true` in every
    success body, as README.md promises (the document only says it is a boolean)."""
    components = spec["components"]["schemas"]
    roots = {name for op in ops.values() for name in op.responses.values() if name}
    schemas = {name: _closed(components[name]) for name in _referenced(components, roots)}
    for op in ops.values():
        name = op.responses.get(str(op.success))
        if name and "success" in schemas[name]["properties"]:
            schemas[name]["properties"]["success"]["const"] = True
    return schemas


# --- Scripts --------------------------------------------------------------------------


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _event(listen: str, lines: Sequence[str]) -> Json:
    return {"listen": listen, "script": {"type": "text/javascript", "exec": list(lines)}}


def _test(test: Check) -> list[str]:
    """A pm.test that parses `body` itself, so a non-JSON answer fails that test alone
    and not the whole script."""
    uses_body = re.search(r"\bbody\b", "\n".join(test.lines))
    lines = (["const body = pm.response.json();"] if uses_body else []) + list(test.lines)
    return [f"pm.test({_js(test.title)}, () => {{", *(INDENT + line for line in lines), "});"]


def _helpers(prefix: str, tests: Sequence[Check]) -> list[str]:
    """`id` and `named`, in the scripts that use them."""
    text = "\n".join(line for test in tests for line in test.lines)
    helpers = []
    if re.search(r"(?<![\w.])id\(", text):
        variable = f'"{prefix}_" + record + "_id"'
        helpers.append(f"const id = (record) => Number(pm.collectionVariables.get({variable}));")
    if re.search(r"(?<![\w.])named\(", text):
        tagged = f'"{{{{run_tag}}}} {prefix} " + name'
        helpers.append(f"const named = (name) => pm.variables.replaceIn({tagged});")
    return helpers


def _status(status: int) -> str:
    return f'pm.test("status {status}", () => pm.response.to.have.status({status}));'


def _store(variable: str, status: int, key: str = "id") -> list[str]:
    return [
        f"if (pm.response.code === {status}) {{",
        f'{INDENT}pm.collectionVariables.set("{variable}", pm.response.json().{key});',
        "} else {",
        f'{INDENT}pm.collectionVariables.unset("{variable}");',
        "}",
    ]


def collection_prerequest() -> list[str]:
    return [
        "// Every name this collection makes carries run_tag, so searches find only this",
        "// run's records whatever else the database holds. The first record made starts",
        "// a new tag.",
        'if (!pm.collectionVariables.get("run_tag")) {',
        INDENT + FRESH_TAG,
        "}",
    ]


def collection_test(schemas: Json, ops: Mapping[str, Operation]) -> list[str]:
    """The data of the response checks, from the document, then their fixed logic."""
    fallback = next(op.responses["400"] for op in ops.values() if op.responses.get("400"))
    return [
        f"// Generated by `{COMMAND}` from the OpenAPI document.",
        "const RESPONSES = {",
        *(f"{INDENT}{_js(key)}: {_js(op.responses)}," for key, op in ops.items()),
        "};",
        "const SCHEMAS = {",
        *(f"{INDENT}{_js(name)}: {_js(schema)}," for name, schema in schemas.items()),
        "};",
        f"const UNDOCUMENTED_ERROR = {_js(fallback)};",
        f"const NOT_JSON = {_js([scenario.DOCS_PATH])};",
        *RESPONSE_CHECKS_FILE.read_text().splitlines(),
    ]


def permissions_check(ops: Mapping[str, Operation]) -> Check:
    """The served document has exactly the operations and permissions the collection
    was generated from, so a stale collection also fails against a running app."""
    expected = {f"{op.method.lower()} {op.path}": list(op.permissions) for op in ops.values()}
    return check(
        "every operation, with its x-permissions, as the collection was generated",
        "const served = {};",
        "for (const [path, item] of Object.entries(body.paths)) {",
        "    for (const [method, operation] of Object.entries(item)) {",
        '        if (operation["x-browser-only"]) continue;',
        '        served[method + " " + path] = operation["x-permissions"] || [];',
        "    }",
        "}",
        f"pm.expect(served).to.eql({_js(expected)});",
    )


# --- Folders --------------------------------------------------------------------------


def bearer(role: str) -> Json:
    token = {"key": "token", "value": f"{{{{{role}_token}}}}", "type": "string"}
    return {"type": "bearer", "bearer": [token]}


@dataclass
class Record:
    """A record a folder made and has not deleted yet, and the record it goes with."""

    name: str
    collection: str
    parent: str | None


@dataclass
class Folder:
    """A folder being written: whose token it sends (None: none), the prefix of its
    variables and names, its items, the records alive, the variables it uses and the
    operations called with its own token."""

    name: str
    role: str | None
    prefix: str
    description: str = ""
    items: list[Json] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)
    called: set[str] = field(default_factory=set)

    def variable(self, record: str) -> str:
        name = f"{self.prefix}_{record}_id"
        self.variables.add(name)
        return name

    def reference(self, record: str) -> str:
        return "{{" + self.variable(record) + "}}"

    def tagged(self, text: str, space: str = " ") -> str:
        tag = f"{{{{run_tag}}}}{space}{self.prefix}"
        return text.replace(scenario.TAG, tag).replace(scenario.RUN, "{{run_tag}}")

    def made(self, call: Call, collection: str) -> None:
        """A record in `collection` goes with the record a cascading body field names, or
        else with the one its create's path names (a submission with its role)."""
        body = call.body or {}
        parents = [body[k].record for k in scenario.CASCADE_FIELDS if isinstance(body.get(k), Ref)]
        bound = [call.ids.get(p, p.removesuffix("_id")) for p in _path_params(call.path)]
        parents += [record for record in bound if isinstance(record, str)]
        self.records.append(Record(call.stores or "", collection, next(iter(parents), None)))

    def deleted(self, record: str) -> None:
        """The record, and what goes with it."""
        gone = {record}
        while True:
            more = {r.name for r in self.records if r.parent in gone} - gone
            if not more:
                break
            gone |= more
        self.records = [r for r in self.records if r.name not in gone]


def _item_name(call: Call, label: str, other: str | None, permissions: Sequence[str]) -> str:
    """ "GET /movies: finds the movie (get:movies)", with "Setup, as producer: " or
    "as producer: " before it when the call is made with another role's token."""
    name = f"{call.method} {call.path}: {call.title}"
    if permissions:
        name += f" ({' and '.join(permissions)})"
    who = f"as {other}" if other else ""
    if label:
        return f"{label}, {who}: {name}" if who else f"{label}: {name}"
    return f"{who}: {name}" if who else name


def _path_params(path: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", path)


def _path_record(call: Call) -> str | int:
    param = call.path.rsplit("{", 1)[1].rstrip("}")
    return call.ids.get(param, param.removesuffix("_id"))


class Writer:
    """Turns calls into Postman items; the one place that decides, from x-permissions (and
    a call's `needs`) and the permission table, whether a role's call must succeed or be
    refused."""

    def __init__(
        self, ops: Mapping[str, Operation], table: Mapping[str, Sequence[str]], schemas: Json
    ) -> None:
        self.ops, self.table, self.schemas = ops, table, schemas
        self.fresh_tag_sent = False

    # Who may call what.

    def operation(self, call: Call) -> Operation | None:
        op = self.ops.get(f"{call.method} {call.path}")
        if op is None and call.documented:
            raise ValueError(f"{call.method} {call.path} is not in the OpenAPI document")
        return op

    @staticmethod
    def needed(call: Call, op: Operation | None) -> tuple[str, ...]:
        """x-permissions, then what this call's body makes it need besides (a move that
        engages the actor needs patch:roles, which the document can only say in words)."""
        if op is None:
            return ()
        return (*op.permissions, *(p for p in call.needs if p not in op.permissions))

    def allows(self, role: str | None, needed: Sequence[str]) -> bool:
        if not needed:
            return True
        return role is not None and set(needed) <= set(self.table[role])

    def runner(self, call: Call, op: Operation | None, preferred: str | None) -> str | None:
        """The preferred role when it may make the call, else the first staff role that
        may: a folder gets what it needs made even where its own role may not."""
        needed = self.needed(call, op)
        if preferred is None or self.allows(preferred, needed):
            return preferred
        for role in self.table:
            if self.allows(role, needed):
                return role
        raise ValueError(f"no staff role may call {op.key if op else '?'} as {call.title!r}")

    def role_for_all(self, calls: Sequence[Call]) -> str:
        needed = {p for call in calls for p in self.needed(call, self.operation(call))}
        for role, granted in self.table.items():
            if needed <= set(granted):
                return role
        raise ValueError(f"no staff role holds all of {sorted(needed)}")

    # Requests.

    def url(self, folder: Folder, call: Call, op: Operation | None) -> Json:
        if op is not None and call.status is None and not set(call.query) <= op.query:
            raise ValueError(f"{op.key} documents no {sorted(set(call.query) - op.query)}")
        segments, variables = [], []
        for segment in call.path.strip("/").split("/"):
            if segment.startswith("{"):
                param = segment[1:-1]
                bound = call.ids.get(param, param.removesuffix("_id"))
                value = str(bound) if isinstance(bound, int) else folder.reference(bound)
                variables.append({"key": param, "value": value})
                segment = ":" + param
            segments.append(segment)
        query = [{"key": k, "value": self.query_value(folder, v)} for k, v in call.query.items()]
        raw = "{{base_url}}/" + "/".join(segments)
        if query:
            raw += "?" + "&".join(f"{q['key']}={q['value']}" for q in query)
        url: Json = {"raw": raw, "host": ["{{base_url}}"], "path": segments}
        if query:
            url["query"] = query
        if variables:
            url["variable"] = variables
        return url

    def query_value(self, folder: Folder, value: str | Ref) -> str:
        if isinstance(value, Ref):
            return folder.reference(value.record)
        return folder.tagged(value, "%20").replace(" ", "%20")

    def body(self, folder: Folder, call: Call) -> Json | None:
        """Records in a body are written as {{variables}}, unquoted: they are numbers."""
        if call.raw_body is not None:
            raw = call.raw_body
        elif call.body is not None:
            text = json.dumps(call.body, indent=2, default=lambda ref: f"\0{ref.record}\0")
            raw = re.sub(
                r'"\\u0000(\w+)\\u0000"', lambda m: folder.reference(m[1]), folder.tagged(text)
            )
        else:
            return None
        body: Json = {"mode": "raw", "raw": raw}
        if call.content_type == "application/json":
            body["options"] = {"raw": {"language": "json"}}
        return body

    def request(self, folder: Folder, call: Call, op: Operation | None, runner: str | None) -> Json:
        headers = dict(call.headers)
        body = self.body(folder, call)
        if body is not None:
            headers["Content-Type"] = call.content_type
        request: Json = {"method": call.method}
        if runner != folder.role and runner is not None:
            request["auth"] = bearer(runner)
        request["header"] = [{"key": key, "value": value} for key, value in headers.items()]
        request["url"] = self.url(folder, call, op)
        if body is not None:
            request["body"] = body
        return request

    def item(
        self, folder: Folder, name: str, request: Json, tests: list[str], pre: list[str]
    ) -> None:
        if any(existing["name"] == name for existing in folder.items):
            raise ValueError(f"two items of {folder.name!r} are named {name!r}")
        events = [_event("prerequest", pre)] if pre else []
        folder.items.append(
            {
                "id": str(uuid.uuid5(NAMESPACE, f"{folder.name}/{name}")),
                "name": name,
                "event": [*events, _event("test", tests)],
                "request": request,
            }
        )

    # Calls that must succeed, and calls that must be refused.

    def created(self, op: Operation) -> tuple[str, str]:
        """The key of the record a create answers with, and the collection it lives in."""
        name = op.responses[str(op.success)]
        if name is None:
            raise ValueError(f"{op.key} documents no schema for its {op.success}")
        # The record is the one required key besides success and id (a cast role's
        # answer also has fit, which an open one leaves out).
        required = self.schemas[name]["required"]
        (record_key,) = [key for key in required if key not in ("success", "id")]
        return record_key, self.collection(record_key)

    def creation_checks(self, record_key: str, collection: str) -> list[Check]:
        """A create answers with Location and with the id of the record it returns."""
        location = f'new RegExp("{collection}/" + body.id + "$")'
        return [
            check(
                f"Location is {collection}/<id>",
                f'pm.expect(pm.response.headers.get("Location")).to.match({location});',
            ),
            check("id is the record's id", f"pm.expect(body.id).to.eql(body.{record_key}.id);"),
        ]

    def collection(self, record_key: str) -> str:
        """Where a record lives, whatever path made it: the collection whose GET of one
        record answers with it (a submission made under its role is /submissions/<id>)."""
        for op in self.ops.values():
            name = op.responses.get(str(op.success))
            single = re.fullmatch(r"(/\w+)/\{\w+\}", op.path)
            if op.method == "GET" and single and name:
                if record_key in self.schemas[name]["required"]:
                    return single[1]
        raise ValueError(f"no GET operation answers with one {record_key}")

    def make(self, folder: Folder, call: Call, label: str = "", permissions: bool = False) -> None:
        """A call that must answer its success status (or the one it gives), made as the
        folder's role or, where that may not, as a role that may."""
        op = self.operation(call)
        runner = self.runner(call, op, folder.role)
        if op is not None and runner == folder.role:
            folder.called.add(op.key)
        status = call.status or (op.success if op else 200)
        tests = list(call.checks)
        collection = call.path
        if call.stores and op is not None:
            record_key, collection = self.created(op)
            tests = self.creation_checks(record_key, collection) + tests
        script = _helpers(folder.prefix, tests) + [_status(status)]
        for test in tests:
            script += _test(test)
        pre = []
        if call.stores:
            script += _store(folder.variable(call.stores), status)
            folder.made(call, collection)
            if not self.fresh_tag_sent:
                pre = [
                    "// A fresh tag for each run: every name this run makes carries it.",
                    FRESH_TAG,
                ]
                self.fresh_tag_sent = True
        for record, answer_field in call.keeps.items():
            script += _store(folder.variable(record), status, answer_field)
        if call.method == "DELETE" and status < 300 and isinstance(_path_record(call), str):
            folder.deleted(str(_path_record(call)))
        shown = self.needed(call, op) if permissions else ()
        name = _item_name(call, label, runner if runner != folder.role else None, shown)
        self.item(folder, name, self.request(folder, call, op, runner), script, pre)

    def refuse(self, folder: Folder, call: Call, op: Operation) -> None:
        """A call the folder's role may not make: 403, naming what it lacks."""
        assert folder.role is not None
        folder.called.add(op.key)
        missing = [p for p in self.needed(call, op) if p not in self.table[folder.role]]
        challenge = 'Bearer error="insufficient_scope"'
        tests = [check(f"WWW-Authenticate: {challenge}", header_is("WWW-Authenticate", challenge))]
        for permission in missing:
            expect = f"pm.expect(body.message).to.include(\"'{permission}'\");"
            tests.append(check(f"refused for lacking '{permission}'", expect))
        script = [_status(403)] + [line for test in tests for line in _test(test)]
        name = f"{call.method} {call.path} is refused (no {' and '.join(missing)}): {call.title}"
        self.item(folder, name, self.request(folder, call, op, folder.role), script, [])

    def scenario_call(self, folder: Folder, call: Call) -> None:
        """As the folder's role: the call succeeds and `then` shows it, or it is refused
        and `unchanged` shows that nothing changed."""
        op = self.operation(call)
        if op is not None and not self.allows(folder.role, self.needed(call, op)):
            self.refuse(folder, call, op)
            follow_ups = call.unchanged
        else:
            self.make(folder, call, permissions=True)
            follow_ups = call.then
        for follow_up in follow_ups:
            self.make(folder, follow_up)

    def clean_up(self, folder: Folder) -> None:
        """Deletes what the folder made and has not deleted, newest first; a record that
        goes with another one is left to go with it."""
        alive = {record.name for record in folder.records}
        for record in reversed([r for r in folder.records if r.parent not in alive]):
            delete = self.delete_path(record.collection)
            param = delete.rsplit("{", 1)[1].rstrip("}")
            dependants = [r.name for r in folder.records if r.parent == record.name]
            with_it = f", with its {' and '.join(dependants)}" if dependants else ""
            title = f"the {record.name}{with_it}".replace("_", " ")
            call = Call(
                "DELETE",
                delete,
                title,
                ids={param: record.name},
                checks=(scenario.deleted(record.name),),
            )
            self.make(folder, call, label="Clean up")

    def delete_path(self, collection: str) -> str:
        pattern = re.compile(re.escape(collection) + r"/\{\w+\}")
        for op in self.ops.values():
            if op.method == "DELETE" and pattern.fullmatch(op.path):
                return op.path
        raise ValueError(f"no DELETE operation for {collection}")


def _token_check(role: str) -> list[str]:
    """Stops a folder whose token variable is empty with a message saying where tokens
    come from, unless the collection is set up to sign in with OAuth 2.0, whose token
    folders set to inherit send instead."""
    variable = f"{role}_token"
    return [
        f'if (!pm.variables.get("{variable}") && !pm.variables.get("{OAUTH_CLIENT_ID}")) {{',
        f'{INDENT}throw new Error("{variable} is empty: scripts/e2e.sh mints it for each run; '
        "in Postman, paste one printed by `make run` into the environment, or sign in with "
        'OAuth 2.0 (README.md, Postman).");',
        "}",
    ]


def oauth2() -> Json:
    """The collection's own auth: sign in at the Auth0 tenant (authorization code with
    PKCE, no client secret in the collection), the tenant, client id and audience taken
    from collection variables. Only a folder or request switched to inherit uses it:
    every folder sends a token variable or nothing, so make e2e's minted tokens are
    what its requests send."""

    def setting(key: str, value: Any, kind: str = "string") -> Json:
        return {"key": key, "value": value, "type": kind}

    tenant = "https://{{" + OAUTH_DOMAIN + "}}"
    # Without an audience Auth0 issues a token for its own userinfo, not for this API.
    audience = {
        "key": "audience",
        "value": "{{" + OAUTH_AUDIENCE + "}}",
        "enabled": True,
        "send_as": "request_url",
    }
    return {
        "type": "oauth2",
        "oauth2": [
            setting("grant_type", "authorization_code_with_pkce"),
            setting("challengeAlgorithm", "S256"),
            setting("authUrl", tenant + "/authorize"),
            setting("accessTokenUrl", tenant + "/oauth/token"),
            setting("clientId", "{{" + OAUTH_CLIENT_ID + "}}"),
            setting("client_authentication", "body"),
            setting("redirect_uri", OAUTH_CALLBACK),
            setting("useBrowser", True, "boolean"),
            setting("scope", "openid profile email"),
            setting("authRequestParams", [audience], "any"),
            setting("tokenName", "Auth0"),
            setting("addTokenTo", "header"),
            setting("headerPrefix", "Bearer"),
        ],
    }


def _folder(folder: Folder) -> Json:
    auth = bearer(folder.role) if folder.role else {"type": "noauth"}
    events = [_event("prerequest", _token_check(folder.role))] if folder.role else []
    return {
        "id": str(uuid.uuid5(NAMESPACE, folder.name)),
        "name": folder.name,
        "description": folder.description,
        "auth": auth,
        "event": events,
        "item": folder.items,
    }


def _public_paths(ops: Mapping[str, Operation]) -> list[str]:
    documented = [op.path for op in ops.values() if op.method == "GET" and not op.permissions]
    return [*documented, scenario.SPEC_PATH, scenario.DOCS_PATH]


def no_token_folder(writer: Writer) -> Folder:
    description = (
        "Public endpoints answer anyone; every other operation is 401 without a token, "
        "or with credentials that are not a valid bearer token."
    )
    folder = Folder("No token", None, "none", description)
    for path in _public_paths(writer.ops):
        checks = scenario.PUBLIC_CHECKS.get(path, ())
        if path == scenario.SPEC_PATH:
            checks = (*checks, permissions_check(writer.ops))
        documented = f"GET {path}" in writer.ops
        writer.make(
            folder, Call("GET", path, "answers anyone", checks=checks, documented=documented)
        )
    for op in writer.ops.values():
        if op.permissions:
            params = re.findall(r"\{(\w+)\}", op.path)
            call = Call(
                op.method,
                op.path,
                "without a token is 401",
                ids=dict.fromkeys(params, 1),
                body={} if op.has_body else None,
                status=401,
                checks=scenario.NO_TOKEN_CHECKS,
            )
            writer.make(folder, call)
    for call in scenario.BAD_CREDENTIALS:
        writer.make(folder, call)
    return folder


def role_folder(writer: Writer, role: str) -> Folder:
    description = (
        f"Holds {', '.join(writer.table[role])}. Every operation is called with this "
        "token: those these permissions allow must answer their success status, the others "
        "403, and a read then shows that the refused call changed nothing. What the folder "
        "needs and may not make itself is made by a role that may, and all of it is "
        "deleted at the end."
    )
    title = scenario.ROLE_TITLES.get(role, role.capitalize())
    folder = Folder(title, role, role, description)
    for call in scenario.SETUP:
        writer.make(folder, call, label="Setup")
    for path in _public_paths(writer.ops):
        documented = f"GET {path}" in writer.ops
        checks = scenario.PUBLIC_CHECKS.get(path, ())
        call = Call("GET", path, "answers with a token too", checks=checks, documented=documented)
        writer.make(folder, call)
    for call in (*scenario.READS, *scenario.WRITES):
        writer.scenario_call(folder, call)
    writer.clean_up(folder)
    missed = [key for key in writer.ops if key not in folder.called]
    if missed:
        raise ValueError(f"devtools/postman_scenario.py never calls {missed} as {role}")
    return folder


def errors_folder(writer: Writer) -> Folder:
    role = writer.role_for_all(scenario.ERRORS)
    description = (
        f"As the {role}, who may make every call here: only the input is wrong. 422 with "
        "`errors` by field, JSON 404s, 400, 405, 415. Ends by checking that nothing this "
        "run made is left."
    )
    folder = Folder("Errors", role, "errors", description)
    for call in scenario.ERRORS:
        writer.make(folder, call)
    writer.clean_up(folder)
    for call in scenario.CLOSING:
        writer.make(folder, call)
    return folder


def build_collection(spec: Json, table: Mapping[str, Sequence[str]]) -> Json:
    """The whole collection, from the document and the permission table alone."""
    ops = operations(spec)
    schemas = response_schemas(spec, ops)
    writer = Writer(ops, table, schemas)
    folders = [no_token_folder(writer)]
    folders += [role_folder(writer, role) for role in table]
    folders.append(errors_folder(writer))
    oauth = {OAUTH_DOMAIN, OAUTH_CLIENT_ID, OAUTH_AUDIENCE}
    variables = sorted({"run_tag", *oauth}.union(*(folder.variables for folder in folders)))
    description = (
        f"Generated by `{COMMAND}` from the OpenAPI document and the permission table "
        "in auth.py: edit those or devtools/postman_scenario.py, never this file.\n\n"
        "End-to-end checks for each staff role: every operation it may call succeeds, "
        "every other one is refused (403) and changes nothing; the public endpoints; 401 "
        "without a token; error answers. Every answer is also checked against the shape "
        "the OpenAPI document gives (collection-level test script).\n\n"
        "Run it with `make e2e` (scripts/e2e.sh), which serves the app under gunicorn on "
        "PostgreSQL and mints the tokens. By hand: `make run`, then set base_url and the "
        "three tokens it prints in the environment.\n\n"
        "To sign in with Auth0 instead, set the collection variables "
        f"{OAUTH_DOMAIN}, {OAUTH_CLIENT_ID} and {OAUTH_AUDIENCE}, get a token in the "
        "collection's Authorization tab (OAuth 2.0, authorization code with PKCE), and "
        "set a folder's or request's Authorization to inherit it; README.md, Postman, "
        "has each step.\n\n"
        "Folders run in order and each is self-contained: it makes what it needs, chains "
        "ids through collection variables, and deletes it all again."
    )
    return {
        "info": {
            "_postman_id": str(uuid.uuid5(NAMESPACE, "collection")),
            "name": spec["info"]["title"],
            "description": description,
            "schema": POSTMAN_SCHEMA,
        },
        "item": [_folder(folder) for folder in folders],
        "auth": oauth2(),
        "event": [
            _event("prerequest", collection_prerequest()),
            _event("test", collection_test(schemas, ops)),
        ],
        "variable": [{"key": name, "value": "", "type": "string"} for name in variables],
    }


def render(collection: Json) -> str:
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def generate() -> str:
    return render(build_collection(openapi_document(), STAFF_PERMISSIONS))


def stale_message() -> str:
    return f"{COLLECTION_FILE.relative_to(BASE_DIR)} is stale: regenerate it with `{COMMAND}`."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="only say whether the committed file is current"
    )
    args = parser.parse_args(argv)
    text = generate()
    current = COLLECTION_FILE.read_text() if COLLECTION_FILE.exists() else ""
    if args.check:
        if text != current:
            print(stale_message(), file=sys.stderr)
            return 1
        print(f"{COLLECTION_FILE.relative_to(BASE_DIR)} is current.")
        return 0
    if text == current:
        print(f"{COLLECTION_FILE.relative_to(BASE_DIR)} is already current.")
    else:
        COLLECTION_FILE.write_text(text)
        print(f"wrote {COLLECTION_FILE.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
