"""What the Postman collection does with the API: records, request bodies and checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from config import SERVICE_NAME

# Nothing here says which role may make which call: the generator decides that from
# x-permissions and STAFF_PERMISSIONS (and `needs`, a permission a call's body asks for
# beyond them), and runs each call as every staff role.
# Every name a folder makes starts with TAG, "{{run_tag}} <folder>", so a search finds
# only this folder's records of this run; RUN alone matches everything the run made.
TAG = "$tag"
RUN = "$run"
SPEC_PATH = "/openapi.json"
DOCS_PATH = "/docs"
# A record goes with the record one of these body fields names (a role with its movie).
CASCADE_FIELDS = ("movie_id",)
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
ROLE_TITLES = {
    "assistant": "Casting assistant",
    "director": "Casting director",
    "producer": "Executive producer",
}


@dataclass(frozen=True)
class Ref:
    """The id of a record made earlier in the folder, sent as a number."""

    record: str


@dataclass(frozen=True)
class Check:
    """One pm.test. Its lines may use `body` (the parsed answer), `id("record")` (a
    stored id) and `named("Ana Lima")` (a name with this folder's tag)."""

    title: str
    lines: tuple[str, ...]


def check(title: str, *lines: str) -> Check:
    return Check(title, lines)


@dataclass(frozen=True)
class Js:
    """A JavaScript expression in an expected value, written as it is."""

    code: str


def record_id(record: str) -> Js:
    return Js(f'id("{record}")')


def named(name: str) -> Js:
    return Js(f'named("{name}")')


def js(value: Any) -> str:
    """A value as a JavaScript literal; Js expressions as they are."""
    if isinstance(value, Js):
        return value.code
    if isinstance(value, list | tuple):
        return "[" + ", ".join(js(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key}: {js(item)}" for key, item in value.items()) + " }"
    if isinstance(value, str) and '"' in value and "'" not in value and "\\" not in value:
        return f"'{value}'"  # reads better than escaped double quotes
    return json.dumps(value)


def includes(target: str, **fields: Any) -> str:
    """A JS line: `target` has these fields with these values, and maybe others."""
    return f"pm.expect({target}).to.include({js(fields)});"


def equals(target: str, value: Any) -> str:
    """A JS line: `target` deeply equals `value`."""
    return f"pm.expect({target}).to.eql({js(value)});"


def header_is(name: str, value: str) -> str:
    return equals(f'pm.response.headers.get("{name}")', value)


@dataclass(frozen=True)
class Call:
    """One request: an operation of the OpenAPI document, its arguments, and what its
    answer must show. Path parameters name records ("movie_id" the record "movie"
    unless `ids` says otherwise); `then` are reads that show an allowed write took
    effect, `unchanged` reads that show a refused one changed nothing. `needs` are
    permissions this body needs beyond the operation's x-permissions (the document says
    so in words only: a move that engages the actor needs patch:roles); `keeps` stores
    a field of the answer as a record's id, for later calls to send (an event's id as a
    cursor)."""

    method: str
    path: str
    title: str
    ids: Mapping[str, str | int] = field(default_factory=dict)
    query: Mapping[str, str | Ref] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    raw_body: str | None = None
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    stores: str | None = None
    keeps: Mapping[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    then: tuple[Call, ...] = ()
    unchanged: tuple[Call, ...] = ()
    status: int | None = None  # None: the success status the document gives
    documented: bool = True  # False: a method or path the API deliberately lacks


NOT_FOUND = check(
    "the message says what was not found", "pm.expect(body.message).to.match(/not found/i);"
)


def deleted(record: str) -> Check:
    return check("deleted is the id", f'pm.expect(body.deleted).to.eql(id("{record}"));')


def gone(path: str, record: str, title: str) -> Call:
    """A read after a delete: the record is no longer there."""
    param = path.rsplit("{", 1)[1].rstrip("}")
    return Call("GET", path, title, ids={param: record}, status=404, checks=(NOT_FOUND,))


def still_there(path: str, record: str, title: str, *lines: str) -> Call:
    """A read after a refused delete: the record is still there, as it was."""
    param = path.rsplit("{", 1)[1].rstrip("}")
    key = path.strip("/").split("/")[0][:-1]
    expect = f'pm.expect(body.{key}.id).to.eql(id("{record}"));'
    return Call(
        "GET", path, title, ids={param: record}, checks=(check("still there", expect, *lines),)
    )


def ids_are(listing: str, records: str, records_and_actors: bool = False) -> str:
    """A JS line: the ids of a list in the answer are these records' ids, in order."""
    if records_and_actors:
        return f"pm.expect(body.{listing}.map((r) => [r.id, r.actor_id])).to.eql({records});"
    return f"pm.expect(body.{listing}.map((r) => r.id)).to.eql({records});"


PUBLIC_CHECKS: dict[str, tuple[Check, ...]] = {
    "/": (
        check(
            "service, version and where the docs are",
            'pm.expect(body).to.have.all.keys("success", "service", "version", "docs");',
            f"pm.expect(body.service).to.eql({json.dumps(SERVICE_NAME)});",
            r"pm.expect(body.version).to.match(/^\d+\.\d+\.\d+/);",
            f'pm.expect(body.docs).to.eql("{DOCS_PATH}");',
        ),
    ),
    "/health": (check("status ok", 'pm.expect(body).to.eql({ status: "ok" });'),),
    SPEC_PATH: (
        check("OpenAPI 3.1", 'pm.expect(body.openapi).to.eql("3.1.0");'),
        check(
            "bearer security scheme",
            "const schemes = Object.values(body.components.securitySchemes);",
            f"pm.expect(schemes).to.deep.include({js(BEARER_SCHEME)});",
        ),
    ),
    DOCS_PATH: (
        check(
            "Swagger UI, as HTML",
            'pm.expect(pm.response.headers.get("Content-Type")).to.match(/^text\\/html/);',
            'pm.expect(pm.response.text()).to.include("swagger-ui");',
        ),
    ),
}

NO_TOKEN_CHECKS = (
    check(
        "challenge without an error code (no token was sent)",
        header_is("WWW-Authenticate", 'Bearer realm="casting-agency"'),
    ),
)

BAD_CREDENTIALS = (
    Call(
        "GET",
        "/actors",
        "a token that is not a JWT is 401 invalid_token",
        headers={"Authorization": "Bearer not.a.token"},
        status=401,
        checks=(
            check(
                "invalid_token",
                'pm.expect(pm.response.headers.get("WWW-Authenticate")).to.include(\'error="invalid_token"\');',
            ),
        ),
    ),
    Call(
        "GET",
        "/actors",
        "Basic credentials are 401",
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
        status=401,
        checks=(check("asks for a bearer token", 'pm.expect(body.message).to.include("Bearer");'),),
    ),
)

# The pipeline's dates: the roles' shoots, and a hold sent with an offset that the answer
# gives in UTC.
SHERIFF_DATES = {"work_start": "2030-03-02", "work_end": "2030-04-18"}
DRIFTER_DATES = {"work_start": "2030-04-06", "work_end": "2030-05-16"}
HOLD_SENT, HOLD_STORED = "2031-06-01T20:00:00+02:00", "2031-06-01T18:00:00Z"
# A move that engages the actor (on hold, offered, booked) needs this beside
# patch:submissions; the assistant may move submissions, not engage actors.
CASTING = ("patch:roles",)


def last_event(title: str, **fields: Any) -> Check:
    """The newest event of a history has these fields; `status` is its [old, new]."""
    status = fields.pop("status", None)
    lines = ["const last = body.events[body.events.length - 1];", includes("last", **fields)]
    if status is not None:
        lines.append(equals("last.changes.status", status))
    return check(title, *lines)


def submission_is(title: str, check_title: str, record: str = "submission", **fields: Any) -> Call:
    """A read of one submission that shows where it stands."""
    return Call(
        "GET",
        "/submissions/{submission_id}",
        title,
        ids={"submission_id": record},
        checks=(check(check_title, includes("body.submission", **fields)),),
    )


def role_cast_with(title: str, actor: str | None) -> Call:
    cast = "null" if actor is None else f'id("{actor}")'
    return Call(
        "GET",
        "/roles/{role_id}",
        title,
        checks=(
            check("cast" if actor else "open", f"pm.expect(body.role.actor_id).to.eql({cast});"),
        ),
    )


def moved(status: str, **fields: Any) -> tuple[Check, ...]:
    """A single move's answer: the submission, at its new status, and no holds beside."""
    return (
        check("id", 'pm.expect(body.id).to.eql(id("submission"));'),
        check(status, includes("body.submission", status=status, **fields)),
        check("no other holds to report", 'pm.expect(body).to.not.have.property("conflicts");'),
    )


SUBMISSION_MADE = Call(
    "POST",
    "/roles/{role_id}/submissions",
    "Ana put forward for the Drifter by her agent",
    body={
        "actor_id": Ref("actor"),
        "source": "agent",
        "agent": "Lima Talent",
        "note": "Self-tape attached.",
    },
    stores="submission",
    checks=(
        check(
            "submitted, as sent",
            includes(
                "body.submission",
                role_id=record_id("role"),
                actor_id=record_id("actor"),
                status="submitted",
                source="agent",
                agent="Lima Talent",
                hold_until=None,
                hold_expired=False,
            ),
        ),
    ),
)

PIPELINE_READS = (
    Call(
        "GET",
        "/submissions/{submission_id}",
        "Ana's submission",
        checks=(
            check(
                "as made",
                includes(
                    "body.submission",
                    id=record_id("submission"),
                    role_id=record_id("role"),
                    actor_id=record_id("actor"),
                    status="submitted",
                    source="agent",
                    agent="Lima Talent",
                    note="Self-tape attached.",
                    hold_until=None,
                    hold_expired=False,
                ),
            ),
            check("ETag is its first version", header_is("ETag", '"1"')),
        ),
    ),
    Call(
        "GET",
        "/roles/{role_id}/submissions",
        "the Drifter's submissions, actors embedded",
        query={"expand": "actor"},
        checks=(
            check(
                "Ana's",
                "pm.expect(body.total_submissions).to.eql(1);",
                ids_are("submissions", '[id("submission")]'),
                equals(
                    "body.submissions[0].actor",
                    {"id": record_id("actor"), "name": named("Ana Lima")},
                ),
                'pm.expect(body.submissions[0]).to.not.have.property("role");',
            ),
        ),
    ),
    Call(
        "GET",
        "/submissions",
        "the movie's submissions: Xavier's booking from his casting, then Ana's",
        query={"movie_id": Ref("movie"), "expand": "role"},
        checks=(
            check(
                "both, by id",
                "pm.expect(body.total_submissions).to.eql(2);",
                "pm.expect(body.submissions.map((s) => [s.role_id, s.actor_id, s.status, "
                's.source])).to.eql([[id("cast_role"), id("cast_actor"), "booked", "staff"], '
                '[id("role"), id("actor"), "submitted", "agent"]]);',
            ),
            check(
                "expand=role",
                equals(
                    "body.submissions[1].role",
                    {
                        "id": record_id("role"),
                        "movie_id": record_id("movie"),
                        "name": named("Drifter"),
                        "actor_id": None,
                    },
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/submissions",
        "the movie's bookings",
        query={"movie_id": Ref("movie"), "status": "booked"},
        keeps={"booking": "submissions[0].id"},
        checks=(
            check(
                "Xavier's, for the Sheriff",
                "pm.expect(body.total_submissions).to.eql(1);",
                includes(
                    "body.submissions[0]",
                    role_id=record_id("cast_role"),
                    actor_id=record_id("cast_actor"),
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/submissions",
        "Ana's submissions, roles embedded",
        query={"expand": "role"},
        checks=(
            check(
                "the Drifter's",
                "pm.expect(body.total_submissions).to.eql(1);",
                ids_are("submissions", '[id("submission")]'),
                'pm.expect(body.submissions[0].role.name).to.eql(named("Drifter"));',
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/schedule",
        "Xavier's schedule: the Sheriff's dates",
        ids={"actor_id": "cast_actor"},
        checks=(
            check("actor_id", 'pm.expect(body.actor_id).to.eql(id("cast_actor"));'),
            check(
                "his booking",
                equals(
                    "body.schedule",
                    [
                        {
                            "submission_id": record_id("booking"),
                            "status": "booked",
                            "role_id": record_id("cast_role"),
                            "role_name": named("Sheriff"),
                            "movie_id": record_id("movie"),
                            "movie_title": named("Harbour Lights"),
                            **SHERIFF_DATES,
                            "hold_until": None,
                            "hold_expired": False,
                        }
                    ],
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/schedule",
        "Ana's schedule: a submission engages no dates",
        checks=(check("empty", "pm.expect(body.schedule).to.eql([]);"),),
    ),
    Call(
        "GET",
        "/movies/{movie_id}/history",
        "the movie's history",
        keeps={"movie_event": "events[0].id"},
        checks=(
            check(
                "its creation",
                "pm.expect(body.events).to.have.lengthOf(1);",
                includes(
                    "body.events[0]",
                    entity="movie",
                    entity_id=record_id("movie"),
                    action="created",
                    note=None,
                ),
                equals("body.events[0].changes.title", [None, named("Harbour Lights")]),
                equals("body.events[0].changes.release_date", [None, "2030-10-02"]),
                'pm.expect(body.events[0].by).to.be.a("string").that.is.not.empty;',
            ),
            check("next_after is its id", "pm.expect(body.next_after).to.eql(body.events[0].id);"),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/history",
        "Ana's history",
        checks=(
            check(
                "her creation",
                'pm.expect(body.events.map((e) => e.action)).to.eql(["created"]);',
                equals("body.events[0].changes.name", [None, named("Ana Lima")]),
            ),
        ),
    ),
    Call(
        "GET",
        "/roles/{role_id}/history",
        "the Sheriff's history",
        ids={"role_id": "cast_role"},
        checks=(
            check(
                "created cast with Xavier, with its dates",
                'pm.expect(body.events.map((e) => e.action)).to.eql(["created"]);',
                equals("body.events[0].changes.actor_id", [None, record_id("cast_actor")]),
                equals("body.events[0].changes.work_start", [None, SHERIFF_DATES["work_start"]]),
            ),
        ),
    ),
    Call(
        "GET",
        "/submissions/{submission_id}/history",
        "the submission's history",
        checks=(
            check(
                "its creation, submitted",
                "pm.expect(body.events).to.have.lengthOf(1);",
                includes("body.events[0]", entity="submission", action="created"),
                equals("body.events[0].changes.status", [None, "submitted"]),
                equals("body.events[0].changes.role_id", [None, record_id("role")]),
            ),
        ),
    ),
    Call(
        "GET",
        "/events",
        "the actor events since the movie's, in commit order",
        query={"after": Ref("movie_event"), "entity": "actor", "limit": "2"},
        checks=(
            check(
                "Ana's creation, then Xavier's",
                "pm.expect(body.events.map((e) => [e.entity, e.entity_id, e.action])).to.eql("
                '[["actor", id("actor"), "created"], ["actor", id("cast_actor"), "created"]]);',
                "pm.expect(body.events[0].id).to.be.below(body.events[1].id);",
            ),
            check(
                "next_after is the last one's id",
                "pm.expect(body.next_after).to.eql(body.events[1].id);",
            ),
        ),
    ),
)

# Ana moves through the pipeline: the moves that engage her are refused to a role
# without patch:roles, and leave her at callback; releasing her is allowed from there
# too, so every folder ends the pipeline with the submission released.
PIPELINE_WRITES = (
    Call(
        "PATCH",
        "/submissions/{submission_id}",
        "changes the note, clears the agent",
        body={"agent": None, "note": "Strong self-tape; asked back."},
        checks=(
            check("id", 'pm.expect(body.id).to.eql(id("submission"));'),
            check(
                "changed and cleared; the status is the transitions' to change",
                includes(
                    "body.submission",
                    agent=None,
                    note="Strong self-tape; asked back.",
                    status="submitted",
                    source="agent",
                ),
            ),
        ),
    ),
    Call(
        "POST",
        "/roles/{role_id}/submissions",
        "Xavier put forward for the Drifter too",
        body={"actor_id": Ref("cast_actor")},
        stores="second_submission",
        checks=(
            check(
                "submitted by the staff, the default",
                includes(
                    "body.submission",
                    actor_id=record_id("cast_actor"),
                    status="submitted",
                    source="staff",
                    agent=None,
                ),
            ),
        ),
        then=(
            Call(
                "GET",
                "/roles/{role_id}/submissions",
                "the Drifter's active submissions",
                query={"active": "true", "sort": "-id"},
                checks=(
                    check(
                        "Xavier's, then Ana's",
                        ids_are("submissions", '[id("second_submission"), id("submission")]'),
                    ),
                ),
            ),
        ),
    ),
    Call(
        "POST",
        "/roles/{role_id}/submissions/transitions",
        "shortlists both at once",
        body={
            "ids": [Ref("submission"), Ref("second_submission")],
            "to": "shortlisted",
            "note": "Both reels reviewed.",
        },
        checks=(
            check("role_id", 'pm.expect(body.role_id).to.eql(id("role"));'),
            check(
                "both shortlisted",
                "pm.expect(body.submissions.map((s) => [s.id, s.status])).to.eql("
                '[[id("submission"), "shortlisted"], [id("second_submission"), "shortlisted"]]);',
            ),
        ),
        then=(
            Call(
                "GET",
                "/submissions/{submission_id}/history",
                "the move is in Ana's history, with its note",
                checks=(
                    last_event(
                        "moved from submitted",
                        action="moved",
                        note="Both reels reviewed.",
                        status=["submitted", "shortlisted"],
                    ),
                ),
            ),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "calls Ana back, If-Match naming the version the batch left",
        # Version 1 made, 2 edited, 3 shortlisted: every folder gets here the same way.
        headers={"If-Match": '"3"'},
        body={"to": "callback"},
        checks=(
            *moved("callback", hold_until=None),
            check("ETag is the next version", header_is("ETag", '"4"')),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "puts Ana on hold",
        body={"to": "on_hold", "hold_until": HOLD_SENT, "note": "First hold."},
        needs=CASTING,
        checks=moved("on_hold", hold_until=HOLD_STORED, hold_expired=False),
        then=(
            Call(
                "GET",
                "/actors/{actor_id}/schedule",
                "Ana's schedule shows the hold",
                checks=(
                    check(
                        "the Drifter's dates, held",
                        equals(
                            "body.schedule",
                            [
                                {
                                    "submission_id": record_id("submission"),
                                    "status": "on_hold",
                                    "role_id": record_id("role"),
                                    "role_name": named("Drifter"),
                                    "movie_id": record_id("movie"),
                                    "movie_title": named("Harbour Lights"),
                                    **DRIFTER_DATES,
                                    "hold_until": HOLD_STORED,
                                    "hold_expired": False,
                                }
                            ],
                        ),
                    ),
                ),
            ),
        ),
        unchanged=(
            submission_is("the refused hold left Ana at callback", "callback", status="callback"),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "offers Ana the part",
        body={"to": "offered"},
        needs=CASTING,
        checks=moved("offered", hold_until=None),
        unchanged=(
            submission_is("the refused offer left Ana at callback", "callback", status="callback"),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "books Ana",
        body={"to": "booked", "note": "Deal signed."},
        needs=CASTING,
        checks=moved("booked"),
        then=(
            role_cast_with("the booking cast the Drifter with Ana", "actor"),
            Call(
                "GET",
                "/roles/{role_id}/history",
                "the casting is in the role's history",
                checks=(
                    check(
                        "actor_id from null to Ana",
                        "const last = body.events[body.events.length - 1];",
                        'pm.expect(last.action).to.eql("updated");',
                        equals("last.changes.actor_id", [None, record_id("actor")]),
                    ),
                ),
            ),
            submission_is(
                "booking Ana released Xavier's submission",
                "released",
                "second_submission",
                status="released",
            ),
            Call(
                "GET",
                "/actors/{actor_id}/schedule",
                "Ana's schedule shows the booking",
                checks=(
                    check(
                        "booked for the Drifter's dates",
                        "pm.expect(body.schedule).to.have.lengthOf(1);",
                        includes(
                            "body.schedule[0]",
                            submission_id=record_id("submission"),
                            status="booked",
                            hold_until=None,
                            **DRIFTER_DATES,
                        ),
                    ),
                ),
            ),
        ),
        unchanged=(
            role_cast_with("the refused booking left the Drifter open", None),
            submission_is(
                "the refused booking left Xavier's submission shortlisted",
                "shortlisted",
                "second_submission",
                status="shortlisted",
            ),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "releases Ana; out of booked, that reopens the role",
        body={"to": "released", "note": "Dates moved."},
        checks=moved("released", hold_until=None),
        then=(
            role_cast_with("the Drifter is open", None),
            Call(
                "GET",
                "/submissions/{submission_id}/history",
                "the release is in Ana's history",
                checks=(
                    check(
                        "released, with its note",
                        "const last = body.events[body.events.length - 1];",
                        includes("last", action="moved", note="Dates moved."),
                        'pm.expect(last.changes.status[1]).to.eql("released");',
                    ),
                ),
            ),
        ),
    ),
    Call(
        "DELETE",
        "/submissions/{submission_id}",
        "deletes Ana's submission",
        checks=(deleted("submission"),),
        then=(
            gone("/submissions/{submission_id}", "submission", "the deleted submission is gone"),
            Call(
                "GET",
                "/submissions/{submission_id}/history",
                "its history outlives it",
                checks=(last_event("deleted last", action="deleted", entity="submission"),),
            ),
        ),
        unchanged=(
            still_there(
                "/submissions/{submission_id}",
                "submission",
                "the refused delete left the submission",
                'pm.expect(body.submission.status).to.eql("released");',
            ),
        ),
    ),
)

# What every staff folder makes first: a movie with two roles, one cast with Xavier
# (which books him in the pipeline) and one open, Ana, who fits the open one, and her
# submission for it.
SETUP = (
    Call(
        "POST",
        "/movies",
        "the movie the folder works on",
        body={
            "title": f"{TAG} Harbour Lights",
            "release_date": "2030-10-02",
            "company": "Harbour Films",
            "genres": ["Drama"],
        },
        stores="movie",
    ),
    Call(
        "POST",
        "/actors",
        "Ana, who fits the open role",
        body={
            "name": f"{TAG} Ana Lima",
            "age": 30,
            "gender": "female",
            "location": "Lisbon",
            "passport": True,
            "ethnicity": "latino",
            "hair_color": "brown",
            "eye_color": "green",
            "body_type": "athletic",
            "height": 168,
            "image_link": "https://example.com/ana.jpg",
            "phone": "+351 555 0100",
            "email": "ana.lima@example.com",
        },
        stores="actor",
    ),
    Call(
        "POST",
        "/actors",
        "Xavier, cast in the movie at once",
        body={"name": f"{TAG} Xavier Moss", "age": 40, "gender": "male"},
        stores="cast_actor",
    ),
    Call(
        "POST",
        "/roles",
        "the Sheriff, cast with Xavier",
        body={
            "movie_id": Ref("movie"),
            "actor_id": Ref("cast_actor"),
            "name": f"{TAG} Sheriff",
            "gender": "male",
            "min_age": 35,
            "max_age": 45,
            **SHERIFF_DATES,
        },
        stores="cast_role",
        checks=(
            check("cast at creation", 'pm.expect(body.role.actor_id).to.eql(id("cast_actor"));'),
        ),
    ),
    Call(
        "POST",
        "/roles",
        "the Drifter, open",
        body={
            "movie_id": Ref("movie"),
            "name": f"{TAG} Drifter",
            "min_age": 25,
            "max_age": 45,
            "description": "Passes through town.",
            **DRIFTER_DATES,
        },
        stores="role",
        checks=(
            check(
                "open, any gender by default",
                includes("body.role", actor_id=None, gender="any", min_age=25, max_age=45),
            ),
        ),
    ),
    SUBMISSION_MADE,
)

READS = (
    Call(
        "GET",
        "/movies",
        "finds the movie by part of its title",
        query={"search_term": TAG, "sort": "-release_date"},
        checks=(
            check(
                "exactly this movie",
                "pm.expect(body.total_movies).to.eql(1);",
                ids_are("movies", '[id("movie")]'),
            ),
            check(
                "default paging",
                "pm.expect(body.page).to.eql(1);",
                "pm.expect(body.page_size).to.eql(10);",
            ),
        ),
    ),
    Call(
        "GET",
        "/movies",
        "finds it by exact title, any case",
        query={"title": f"{TAG} harbour lights"},
        checks=(check("the movie", ids_are("movies", '[id("movie")]')),),
    ),
    Call(
        "GET",
        "/movies/{movie_id}",
        "the movie",
        checks=(
            check(
                "as made",
                includes(
                    "body.movie",
                    id=record_id("movie"),
                    title=named("Harbour Lights"),
                    company="Harbour Films",
                    description=None,
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/movies/{movie_id}/roles",
        "its roles, actors embedded",
        query={"expand": "actor"},
        checks=(
            check("movie_id", 'pm.expect(body.movie_id).to.eql(id("movie"));'),
            check(
                "both roles by id, the Sheriff cast with Xavier",
                ids_are("roles", '[[id("cast_role"), id("cast_actor")], [id("role"), null]]', True),
                'pm.expect(body.roles[0].actor.id).to.eql(id("cast_actor"));',
                'pm.expect(body.roles[0]).to.not.have.property("movie");',
            ),
        ),
    ),
    Call(
        "GET",
        "/actors",
        "finds Ana with filters",
        query={
            "search_term": TAG,
            "gender": "female",
            "min_age": "25",
            "max_age": "35",
            "passport": "true",
            "sort": "-age,name",
        },
        checks=(
            check(
                "exactly Ana",
                "pm.expect(body.total_actors).to.eql(1);",
                ids_are("actors", '[id("actor")]'),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors",
        "pages by name",
        query={"search_term": TAG, "sort": "name", "page_size": "1", "page": "2"},
        checks=(
            check(
                "page 2 of 2, one a page",
                "pm.expect(body.total_actors).to.eql(2);",
                "pm.expect(body.page).to.eql(2);",
                "pm.expect(body.page_size).to.eql(1);",
                ids_are("actors", '[id("cast_actor")]'),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}",
        "Ana",
        checks=(
            check(
                "fields as sent, defaults for the rest",
                includes(
                    "body.actor",
                    id=record_id("actor"),
                    name=named("Ana Lima"),
                    age=30,
                    gender="female",
                    location="Lisbon",
                    passport=True,
                    driver_license=False,
                    seeking_roles=True,
                    height=168,
                    email="ana.lima@example.com",
                    description=None,
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/roles",
        "the roles Xavier plays, movie and actor embedded",
        ids={"actor_id": "cast_actor"},
        query={"expand": "movie,actor"},
        checks=(
            check("actor_id", 'pm.expect(body.actor_id).to.eql(id("cast_actor"));'),
            check(
                "the Sheriff",
                ids_are("roles", '[id("cast_role")]'),
                equals(
                    "body.roles[0].movie",
                    {
                        "id": record_id("movie"),
                        "title": named("Harbour Lights"),
                        "release_date": "2030-10-02",
                    },
                ),
                equals(
                    "body.roles[0].actor",
                    {"id": record_id("cast_actor"), "name": named("Xavier Moss")},
                ),
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/matching-roles",
        "the open role Ana fits, movie embedded",
        query={"search_term": TAG, "expand": "movie"},
        checks=(
            check("actor_id", 'pm.expect(body.actor_id).to.eql(id("actor"));'),
            check(
                "the Drifter",
                "pm.expect(body.total_roles).to.eql(1);",
                ids_are("roles", '[id("role")]'),
            ),
            check(
                "expand=movie",
                'pm.expect(body.roles[0].movie.id).to.eql(id("movie"));',
                'pm.expect(body.roles[0]).to.not.have.property("actor");',
            ),
        ),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/matching-roles",
        "nothing for Xavier in a movie he is cast in",
        ids={"actor_id": "cast_actor"},
        query={"search_term": TAG},
        checks=(
            check(
                "none",
                "pm.expect(body.total_roles).to.eql(0);",
                "pm.expect(body.roles).to.eql([]);",
            ),
        ),
    ),
    Call(
        "GET",
        "/roles",
        "the movie's open role",
        query={"movie_id": Ref("movie"), "open": "true"},
        checks=(
            check(
                "the Drifter",
                "pm.expect(body.total_roles).to.eql(1);",
                ids_are("roles", '[id("role")]'),
            ),
        ),
    ),
    Call(
        "GET",
        "/roles",
        "finds the cast role by name",
        query={"search_term": TAG, "open": "false"},
        checks=(check("the Sheriff", ids_are("roles", '[id("cast_role")]')),),
    ),
    Call(
        "GET",
        "/roles/{role_id}",
        "the cast role",
        ids={"role_id": "cast_role"},
        checks=(
            check(
                "Xavier in the movie",
                'pm.expect(body.role).to.include({ id: id("cast_role"), movie_id: id("movie"), '
                'actor_id: id("cast_actor") });',
            ),
        ),
    ),
    Call(
        "GET",
        "/roles/{role_id}/candidates",
        "Ana, not Xavier who plays another part in the movie",
        query={"search_term": TAG},
        checks=(
            check("role_id", 'pm.expect(body.role_id).to.eql(id("role"));'),
            check(
                "only Ana",
                ids_are("actors", '[id("actor")]'),
                "pm.expect(body.total_actors).to.eql(1);",
            ),
            check(
                "fit: distance from the middle of the range, the range, the gender, no holds",
                equals(
                    "body.actors[0].fit",
                    {
                        "age_distance": 5,
                        "role_age_range": [25, 45],
                        "gender": "any",
                        "age_in_range": True,
                        "gender_matches": True,
                        "overlapping_holds": [],
                    },
                ),
            ),
        ),
    ),
    *PIPELINE_READS,
)

WRITES = (
    Call(
        "POST",
        "/movies",
        "a second movie",
        body={
            "title": f"{TAG} Night Ferry",
            "release_date": "2029-05-04",
            "company": "Northlight Pictures",
            "genres": ["Drama", "Mystery"],
        },
        stores="new_movie",
        checks=(
            check(
                "fields as sent, defaults for the rest",
                includes(
                    "body.movie",
                    title=named("Night Ferry"),
                    release_date="2029-05-04",
                    company="Northlight Pictures",
                    description=None,
                ),
                'pm.expect(body.movie.genres).to.eql(["Drama", "Mystery"]);',
            ),
        ),
        then=(
            Call(
                "GET",
                "/movies",
                "finds the second movie",
                query={"search_term": f"{TAG} Night Ferry"},
                checks=(check("it", ids_are("movies", '[id("new_movie")]')),),
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/movies",
                "the refused create made nothing",
                query={"search_term": f"{TAG} Night Ferry"},
                checks=(check("no such movie", "pm.expect(body.total_movies).to.eql(0);"),),
            ),
        ),
    ),
    Call(
        "PATCH",
        "/movies/{movie_id}",
        "changes only what is sent",
        body={
            "company": None,
            "description": "A harbour that never sleeps.",
            "genres": ["Thriller"],
        },
        checks=(
            check("id", 'pm.expect(body.id).to.eql(id("movie"));'),
            check(
                "changed, cleared and kept",
                includes(
                    "body.movie",
                    company=None,
                    description="A harbour that never sleeps.",
                    title=named("Harbour Lights"),
                    release_date="2030-10-02",
                ),
                'pm.expect(body.movie.genres).to.eql(["Thriller"]);',
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/movies/{movie_id}",
                "the refused change changed nothing",
                checks=(
                    check(
                        "as made",
                        includes("body.movie", company="Harbour Films", description=None),
                        'pm.expect(body.movie.genres).to.eql(["Drama"]);',
                    ),
                ),
            ),
        ),
    ),
    Call(
        "POST",
        "/actors",
        "another actor",
        body={
            "name": f"{TAG} Idris Vale",
            "age": 41,
            "gender": "male",
            "driver_license": True,
            "hair_color": "black",
        },
        stores="new_actor",
        checks=(
            check(
                "fields as sent, defaults for the rest",
                includes(
                    "body.actor",
                    name=named("Idris Vale"),
                    age=41,
                    gender="male",
                    driver_license=True,
                    hair_color="black",
                    passport=False,
                    seeking_roles=True,
                    location=None,
                ),
            ),
        ),
        then=(
            Call(
                "GET",
                "/actors",
                "finds the new actor",
                query={"search_term": f"{TAG} Idris", "driver_license": "true"},
                checks=(
                    check(
                        "exactly them",
                        "pm.expect(body.total_actors).to.eql(1);",
                        ids_are("actors", '[id("new_actor")]'),
                    ),
                ),
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/actors",
                "the refused create made nothing",
                query={"search_term": f"{TAG} Idris"},
                checks=(check("no such actor", "pm.expect(body.total_actors).to.eql(0);"),),
            ),
        ),
    ),
    Call(
        "PATCH",
        "/actors/{actor_id}",
        "changes, clears and keeps",
        body={"location": "Porto", "phone": None},
        checks=(
            check("id", 'pm.expect(body.id).to.eql(id("actor"));'),
            check(
                "changed, cleared and kept",
                'pm.expect(body.actor).to.include({ location: "Porto", phone: null, age: 30, '
                'name: named("Ana Lima") });',
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/actors/{actor_id}",
                "the refused change changed nothing",
                checks=(
                    check(
                        "as made",
                        includes("body.actor", location="Lisbon", phone="+351 555 0100"),
                    ),
                ),
            ),
        ),
    ),
    Call(
        "POST",
        "/roles",
        "another role",
        body={"movie_id": Ref("movie"), "name": f"{TAG} Stowaway", "min_age": 8, "max_age": 12},
        stores="new_role",
        checks=(
            check(
                "open, as sent",
                'pm.expect(body.role).to.include({ movie_id: id("movie"), actor_id: null, '
                'name: named("Stowaway"), gender: "any", min_age: 8, max_age: 12 });',
            ),
        ),
        then=(
            Call(
                "GET",
                "/roles",
                "finds the new role",
                query={"search_term": f"{TAG} Stowaway"},
                checks=(check("it", ids_are("roles", '[id("new_role")]')),),
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/roles",
                "the refused create made nothing",
                query={"search_term": f"{TAG} Stowaway"},
                checks=(check("no such role", "pm.expect(body.total_roles).to.eql(0);"),),
            ),
        ),
    ),
    *PIPELINE_WRITES,
    Call(
        "PATCH",
        "/roles/{role_id}",
        "casts Ana",
        body={"actor_id": Ref("actor")},
        checks=(
            check("cast", 'pm.expect(body.role.actor_id).to.eql(id("actor"));'),
            check(
                "the answer says how Ana fits, as the candidates list did",
                equals(
                    "body.fit",
                    {
                        "age_distance": 5,
                        "role_age_range": [25, 45],
                        "gender": "any",
                        "age_in_range": True,
                        "gender_matches": True,
                        "overlapping_holds": [],
                    },
                ),
            ),
        ),
        then=(
            Call(
                "GET",
                "/roles",
                "the movie's cast roles",
                query={"movie_id": Ref("movie"), "open": "false"},
                checks=(
                    check(
                        "the Sheriff and the Drifter",
                        "pm.expect(body.total_roles).to.eql(2);",
                        ids_are(
                            "roles",
                            '[[id("cast_role"), id("cast_actor")], [id("role"), id("actor")]]',
                            True,
                        ),
                    ),
                ),
            ),
            Call(
                "GET",
                "/actors/{actor_id}/roles",
                "the role Ana now plays",
                query={"expand": "movie,actor"},
                checks=(
                    check(
                        "the Drifter, movie and actor embedded",
                        ids_are("roles", '[id("role")]'),
                        'pm.expect(body.roles[0].movie.id).to.eql(id("movie"));',
                        equals(
                            "body.roles[0].actor",
                            {"id": record_id("actor"), "name": named("Ana Lima")},
                        ),
                    ),
                ),
            ),
            Call(
                "GET",
                "/actors/{actor_id}/matching-roles",
                "a filled role no longer matches",
                query={"search_term": TAG},
                checks=(check("none", "pm.expect(body.total_roles).to.eql(0);"),),
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/roles/{role_id}",
                "the refused cast left the role open",
                checks=(check("open", "pm.expect(body.role.actor_id).to.eql(null);"),),
            ),
        ),
    ),
    Call(
        "PATCH",
        "/roles/{role_id}",
        "reopens it with actor_id null",
        body={"actor_id": None},
        checks=(check("open again", "pm.expect(body.role.actor_id).to.eql(null);"),),
        then=(
            Call(
                "GET",
                "/actors/{actor_id}/matching-roles",
                "the reopened role matches Ana again",
                query={"search_term": TAG},
                checks=(check("the Drifter", ids_are("roles", '[id("role")]')),),
            ),
        ),
        unchanged=(
            Call(
                "GET",
                "/roles/{role_id}",
                "the refused reopening changed nothing",
                checks=(check("open", "pm.expect(body.role.actor_id).to.eql(null);"),),
            ),
        ),
    ),
    Call(
        "DELETE",
        "/roles/{role_id}",
        "deletes the open role",
        checks=(deleted("role"),),
        then=(gone("/roles/{role_id}", "role", "the deleted role is gone"),),
        unchanged=(still_there("/roles/{role_id}", "role", "the refused delete left the role"),),
    ),
    Call(
        "DELETE",
        "/actors/{actor_id}",
        "deletes Xavier",
        ids={"actor_id": "cast_actor"},
        checks=(deleted("cast_actor"),),
        then=(
            gone("/actors/{actor_id}", "cast_actor", "the deleted actor is gone"),
            Call(
                "GET",
                "/roles/{role_id}",
                "the deleted actor's role is open again",
                ids={"role_id": "cast_role"},
                checks=(check("open", "pm.expect(body.role.actor_id).to.eql(null);"),),
            ),
        ),
        unchanged=(
            still_there(
                "/actors/{actor_id}",
                "cast_actor",
                "the refused delete left Xavier",
                'pm.expect(body.actor.name).to.eql(named("Xavier Moss"));',
            ),
            still_there(
                "/roles/{role_id}",
                "cast_role",
                "the refused delete left Xavier in his role",
                'pm.expect(body.role.actor_id).to.eql(id("cast_actor"));',
            ),
        ),
    ),
    Call(
        "DELETE",
        "/movies/{movie_id}",
        "deletes the movie and its roles",
        checks=(deleted("movie"),),
        then=(
            gone("/movies/{movie_id}", "movie", "the deleted movie is gone"),
            gone("/roles/{role_id}", "cast_role", "the movie's roles went with it"),
        ),
        unchanged=(
            still_there(
                "/movies/{movie_id}",
                "movie",
                "the refused delete left the movie",
                'pm.expect(body.movie.title).to.eql(named("Harbour Lights"));',
            ),
            still_there(
                "/roles/{role_id}", "cast_role", "the refused delete left the movie's roles"
            ),
        ),
    ),
)

# Only the input is wrong here: the folder runs as a role that may make every call.
ERRORS = (
    Call(
        "POST",
        "/movies",
        "a movie to send bad changes to",
        body={"title": f"{TAG} Test Reel", "release_date": "2032-01-01"},
        stores="movie",
    ),
    Call(
        "POST",
        "/roles",
        "a role to submit an actor for",
        body={"movie_id": Ref("movie"), "name": f"{TAG} Test Part", "min_age": 20, "max_age": 60},
        stores="role",
    ),
    Call(
        "POST",
        "/actors",
        "an actor to submit",
        body={"name": f"{TAG} Test Actor", "age": 33, "gender": "female"},
        stores="actor",
    ),
    Call(
        "POST",
        "/roles/{role_id}/submissions",
        "a submission to send bad moves to",
        body={"actor_id": Ref("actor")},
        stores="submission",
    ),
    Call(
        "POST",
        "/actors",
        "invalid fields are 422, each named",
        status=422,
        body={
            "name": "",
            "age": 131,
            "gender": "robot",
            "passport": "yes",
            "email": "not-an-address",
        },
        checks=(
            check(
                "errors names name, age, gender, passport, email",
                'pm.expect(body.errors).to.have.all.keys("name", "age", "gender", "passport", '
                '"email");',
            ),
            check(
                "the body is invalid",
                'pm.expect(body.message).to.eql("The request body is invalid.");',
            ),
        ),
    ),
    Call(
        "POST",
        "/actors",
        '"30" as the age is 422 (strict JSON types)',
        status=422,
        body={"name": f"{TAG} Strict", "age": "30", "gender": "female"},
        checks=(check("errors names age", 'pm.expect(body.errors).to.have.all.keys("age");'),),
    ),
    Call(
        "POST",
        "/movies",
        "no title and 30 February are 422",
        status=422,
        body={"release_date": "2027-02-30"},
        checks=(
            check(
                "errors names title, release_date",
                'pm.expect(body.errors).to.have.all.keys("title", "release_date");',
            ),
        ),
    ),
    Call(
        "POST",
        "/movies",
        "an unknown field is 422",
        status=422,
        body={"title": f"{TAG} Unknown Field", "release_date": "2027-01-01", "rating": 5},
        checks=(
            check("errors names rating", 'pm.expect(body.errors).to.have.all.keys("rating");'),
        ),
    ),
    Call(
        "PATCH",
        "/movies/{movie_id}",
        "a required field cannot be cleared (422)",
        status=422,
        body={"title": None},
        checks=(check("errors names title", 'pm.expect(body.errors).to.have.all.keys("title");'),),
    ),
    Call(
        "POST",
        "/roles",
        "min_age above max_age is 422",
        status=422,
        body={"movie_id": Ref("movie"), "name": f"{TAG} Backwards", "min_age": 50, "max_age": 20},
        checks=(
            check("errors names max_age", 'pm.expect(body.errors).to.have.all.keys("max_age");'),
            check(
                "says why",
                'pm.expect(body.errors.max_age).to.eql(["must be at least min_age (50)"]);',
            ),
        ),
    ),
    Call(
        "POST",
        "/roles",
        "a movie that does not exist is 422",
        status=422,
        body={"movie_id": 2147483647, "name": f"{TAG} Orphan", "min_age": 20, "max_age": 30},
        checks=(
            check("errors names movie_id", 'pm.expect(body.errors).to.have.all.keys("movie_id");'),
        ),
    ),
    Call(
        "GET",
        "/movies/{movie_id}",
        "no such movie is 404",
        ids={"movie_id": 2147483647},
        status=404,
        checks=(
            NOT_FOUND,
            check(
                "names the id", 'pm.expect(body.message).to.eql("Movie 2147483647 was not found.");'
            ),
        ),
    ),
    Call(
        "PATCH",
        "/actors/{actor_id}",
        "no such actor is 404",
        ids={"actor_id": 2147483647},
        status=404,
        body={"age": 30},
        checks=(NOT_FOUND,),
    ),
    Call(
        "DELETE",
        "/roles/{role_id}",
        "no such role is 404",
        ids={"role_id": 2147483647},
        status=404,
        checks=(NOT_FOUND,),
    ),
    Call(
        "GET",
        "/roles/{role_id}/candidates",
        "no such role is 404",
        ids={"role_id": 2147483647},
        status=404,
        checks=(NOT_FOUND,),
    ),
    Call(
        "POST",
        "/roles/{role_id}/submissions",
        "an actor that does not exist is 422",
        status=422,
        body={"actor_id": 2147483647},
        checks=(
            check("errors names actor_id", 'pm.expect(body.errors).to.have.all.keys("actor_id");'),
        ),
    ),
    Call(
        "PATCH",
        "/submissions/{submission_id}",
        "setting the status is 422: it changes only through transitions",
        status=422,
        body={"status": "booked"},
        checks=(
            check("errors names status", 'pm.expect(body.errors).to.have.all.keys("status");'),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "a hold without hold_until is 422",
        status=422,
        body={"to": "on_hold"},
        checks=(
            check(
                "errors names hold_until",
                'pm.expect(body.errors).to.have.all.keys("hold_until");',
            ),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "If-Match naming another version is 412",
        status=412,
        headers={"If-Match": '"7"'},
        body={"to": "shortlisted"},
        checks=(
            check("the current version", header_is("ETag", '"1"')),
            check("says so", "pm.expect(body.message).to.match(/has changed since/);"),
        ),
    ),
    Call(
        "POST",
        "/submissions/{submission_id}/transitions",
        "an unknown status is 422",
        status=422,
        body={"to": "famous"},
        checks=(check("errors names to", 'pm.expect(body.errors).to.have.property("to");'),),
    ),
    Call(
        "POST",
        "/roles/{role_id}/submissions/transitions",
        "the same id twice is 422",
        status=422,
        body={"ids": [Ref("submission"), Ref("submission")], "to": "shortlisted"},
        checks=(check("errors names ids", 'pm.expect(body.errors).to.have.all.keys("ids");'),),
    ),
    Call(
        "GET",
        "/submissions/{submission_id}",
        "the refused moves left the submission submitted",
        checks=(check("submitted", 'pm.expect(body.submission.status).to.eql("submitted");'),),
    ),
    Call(
        "GET",
        "/submissions/{submission_id}",
        "no such submission is 404",
        ids={"submission_id": 2147483647},
        status=404,
        checks=(NOT_FOUND,),
    ),
    Call(
        "GET",
        "/submissions",
        "an unknown status in the filter is 400",
        query={"status": "famous"},
        status=400,
        checks=(check("names status", "pm.expect(body.message).to.include(\"'status'\");"),),
    ),
    Call(
        "GET",
        "/actors/{actor_id}/schedule",
        "no such actor is 404",
        ids={"actor_id": 2147483647},
        status=404,
        checks=(NOT_FOUND,),
    ),
    Call(
        "GET",
        "/movies/{movie_id}/history",
        "a movie that never existed has no history (404)",
        ids={"movie_id": 2147483647},
        status=404,
        checks=(
            check(
                "says so",
                'pm.expect(body.message).to.eql("Movie 2147483647 was not found and has no '
                'history.");',
            ),
        ),
    ),
    Call(
        "GET",
        "/events",
        "limit=501 is 400 naming the parameter",
        query={"limit": "501"},
        status=400,
        checks=(check("names limit", "pm.expect(body.message).to.include(\"'limit'\");"),),
    ),
    Call(
        "GET",
        "/no-such-thing",
        "an unknown route is a JSON 404",
        status=404,
        documented=False,
        checks=(NOT_FOUND,),
    ),
    Call(
        "GET",
        "/actors",
        "page_size=101 is 400 naming the parameter",
        query={"page_size": "101"},
        status=400,
        checks=(
            check(
                "names page_size",
                "pm.expect(body.message).to.include(\"'page_size'\");",
                'pm.expect(body.errors).to.have.property("page_size");',
            ),
        ),
    ),
    Call(
        "GET",
        "/roles",
        "an unknown parameter is 400",
        query={"colour": "red"},
        status=400,
        checks=(check("names colour", 'pm.expect(body.message).to.include("colour");'),),
    ),
    Call(
        "POST",
        "/movies",
        "malformed JSON is 400",
        raw_body='{"title": "Half a',
        status=400,
        checks=(check("says so", "pm.expect(body.message).to.match(/not valid JSON/);"),),
    ),
    Call(
        "POST",
        "/movies",
        "a text/plain body is 415",
        raw_body='{"title": "Plain", "release_date": "2027-01-01"}',
        content_type="text/plain",
        status=415,
    ),
    Call(
        "PUT",
        "/movies/{movie_id}",
        "is 405, and Allow names the methods there are",
        body={"title": "Put"},
        status=405,
        documented=False,
        checks=(
            check(
                "Allow lists GET, PATCH and DELETE",
                'const allow = pm.response.headers.get("Allow").split(",").map((m) => m.trim());',
                'pm.expect(allow).to.include.members(["GET", "PATCH", "DELETE"]);',
            ),
        ),
    ),
)

# After every folder has cleaned up: nothing this run made is left.
CLOSING = (
    Call(
        "GET",
        "/movies",
        "nothing of this run is left",
        query={"search_term": RUN},
        checks=(check("no movie", "pm.expect(body.total_movies).to.eql(0);"),),
    ),
    Call(
        "GET",
        "/actors",
        "nothing of this run is left",
        query={"search_term": RUN},
        checks=(check("no actor", "pm.expect(body.total_actors).to.eql(0);"),),
    ),
    Call(
        "GET",
        "/roles",
        "nothing of this run is left",
        query={"search_term": RUN},
        checks=(check("no role", "pm.expect(body.total_roles).to.eql(0);"),),
    ),
)
