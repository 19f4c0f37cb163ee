"""What the Postman collection does with the API: records, request bodies and checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from config import SERVICE_NAME

# Nothing here says which role may make which call: the generator decides that from
# x-permissions and STAFF_PERMISSIONS, and runs each call as every staff role.
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
    effect, `unchanged` reads that show a refused one changed nothing."""

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

# What every staff folder makes first: a movie with two roles, one cast with Xavier
# and one open, and Ana, who fits the open one.
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
        },
        stores="role",
        checks=(
            check(
                "open, any gender by default",
                includes("body.role", actor_id=None, gender="any", min_age=25, max_age=45),
            ),
        ),
    ),
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
                "fit: distance from the middle of the range, the range and the gender",
                equals(
                    "body.actors[0].fit",
                    {
                        "age_distance": 5,
                        "role_age_range": [25, 45],
                        "gender": "any",
                        "age_in_range": True,
                        "gender_matches": True,
                    },
                ),
            ),
        ),
    ),
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
