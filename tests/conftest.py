"""Fixtures: a fresh app per test, its client, and tokens signed by a key made here.

Without TEST_DATABASE_URL the suite runs on in-memory SQLite built from the models.
With it, the schema comes from the real migrations, applied once per run, and each
test starts from empty tables: tests commit for real, so constraints and cascades
are exercised exactly as in production.
"""

from __future__ import annotations

import copy
import gc
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import flask_migrate
import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Dialect, Engine, create_engine, event, make_url, text
from sqlalchemy.engine.interfaces import CompiledCacheType
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool
from sqlalchemy.util import LRUCache
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from app import create_app
from auth import STAFF_PERMISSIONS
from config import LOCAL_AUDIENCE, LOCAL_ISSUER, Config, database_url, env_setting
from devtools.local_issuer import LocalIssuer
from helpers import Dataset, T, serving_in_thread, valid_body
from models import Actor, Movie, Role, db


class TestConfig(Config):
    """The app under test: local tokens, no JSON log lines (pytest captures records),
    in-memory SQLite unless TEST_DATABASE_URL names a PostgreSQL database."""

    __test__ = False  # a settings class, not tests for pytest to collect
    TESTING = True
    JSON_LOGS = False
    APP_ENV = "test"
    SQLALCHEMY_DATABASE_URI = database_url(env_setting("TEST_DATABASE_URL"), "sqlite://")
    AUTH0_DOMAIN = None
    API_AUDIENCE = LOCAL_AUDIENCE
    AUTH0_ISSUER = LOCAL_ISSUER
    JWKS_URL = None


_compile_builder = Rule._compile_builder
_builders: dict[tuple[Any, ...], Any] = {}


def _compile_builder_once(rule: Rule, append_unknown: bool = True) -> Any:
    """A fresh app per test registers every route again, and Werkzeug generates and
    compiles Python source for each route's URL builder: a third of the suite's time.
    The builder depends only on the rule's parsed parts, its defaults and the flag, and
    is bound to its rule when called, so one compiled builder serves every app."""
    key = (rule.rule, tuple(rule._trace), repr(rule.defaults), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


Rule._compile_builder = _compile_builder_once  # type: ignore[method-assign, assignment]

TEST_DATABASE = TestConfig.SQLALCHEMY_DATABASE_URI
ON_POSTGRES = TEST_DATABASE.startswith("postgresql")
TABLES = ("events", "submissions", "roles", "actors", "movies")
# What a database's name must contain for the suite to wipe it.
TEST_DATABASE_MARK = "test"


def pytest_sessionstart(session: pytest.Session) -> None:
    """TEST_DATABASE_URL asks for a PostgreSQL run, which wipes that database: it must
    say it is for tests, it is created when missing, and if it cannot be reached the run
    fails here, once, with the reason, instead of skipping what needs it."""
    if ON_POSTGRES:
        refuse_unless_test_database(TEST_DATABASE)
        ensure_database_exists(TEST_DATABASE)


def refuse_unless_test_database(url: str) -> None:
    """The suite drops the whole public schema of the database it is given, so a URL
    pasted from the wrong shell must not reach a database that holds real data."""
    name = make_url(url).database or ""
    if TEST_DATABASE_MARK not in name.lower():
        raise pytest.UsageError(
            f"TEST_DATABASE_URL names the database {name!r}, whose name does not contain "
            f"{TEST_DATABASE_MARK!r}: the suite wipes it (DROP SCHEMA public CASCADE), so it "
            "only runs on a database named for tests, e.g. casting_test."
        )


def ensure_database_exists(url: str) -> None:
    """Connect to the test database, creating it first when the server is reachable but
    the database is not there yet, so a fresh clone needs no psql step."""
    error = _connection_error(url)
    if error is None:
        return
    target = make_url(url)
    maintenance = create_engine(
        target.set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with maintenance.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                quoted = maintenance.dialect.identifier_preparer.quote(target.database or "")
                connection.execute(text(f"CREATE DATABASE {quoted}"))
                error = _connection_error(url)
    except OperationalError:
        pass  # the server itself cannot be reached: the first error says why
    finally:
        maintenance.dispose()
    if error is not None:
        where = target.render_as_string(hide_password=True)
        raise pytest.UsageError(
            f"TEST_DATABASE_URL is set, but PostgreSQL at {where} cannot be reached: "
            f"{str(error.orig).strip()}"
        ) from None


def _connection_error(url: str) -> OperationalError | None:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except OperationalError as error:
        return error
    finally:
        engine.dispose()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (modules, the models, the collected
    tests) lives for the whole run: frozen, the garbage collector stops scanning it again
    on every full collection, which took a tenth of the run."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres (real concurrency, connection faults, the migrated schema)
    mean nothing on SQLite: there they are skipped, and the summary says why."""
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql://... to run it"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One RSA key for the run: generating one per test would dominate the run time."""
    path = str(tmp_path_factory.mktemp("keys") / "signing-key.pem")
    LocalIssuer(path, LOCAL_ISSUER, LOCAL_AUDIENCE)
    return path


@pytest.fixture(scope="session")
def migrated_database(signing_key_file: str) -> None:
    """On PostgreSQL: an empty schema brought up by the migrations themselves."""
    if not ON_POSTGRES:
        return
    app = create_app(TestConfig, {"LOCAL_SIGNING_KEY_FILE": signing_key_file})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_schema() -> Iterator[sqlite3.Connection]:
    """An empty SQLite database built from the models once per run, for each test's own
    database to start as a copy of: create_all issues some thirty CREATE statements,
    compiled anew for every fresh engine, and would cost each test more than its requests."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    db.metadata.create_all(engine)
    with engine.connect() as connection:
        yield _sqlite3(connection)
    engine.dispose()


def _sqlite3(connection: Connection) -> sqlite3.Connection:
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection), raw
    return raw


# The dialect and statement cache of the first SQLite engine of each URL and options.
_compilers: dict[str, tuple[Dialect, CompiledCacheType]] = {}


def _share_compiled_sql(engine: Engine, options: dict[str, Any]) -> None:
    """A fresh app per test means a fresh engine, whose statement cache starts empty, so
    every statement a test sent was compiled again: a fifth of the suite's time. Compiled
    SQL depends only on the statement and the dialect (SQLAlchemy keys its cache by the
    dialect object), and a SQLite dialect holds no per-database state once set up, so
    the engines of one URL and options share the first one's dialect and cache; each
    still has its own pool, connection and database."""
    key = repr((engine.url, sorted(options.items())))
    if key not in _compilers:
        _compilers[key] = (engine.dialect, LRUCache(5000))
    dialect, cache = _compilers[key]
    engine.dialect = dialect
    engine.update_execution_options(compiled_cache=cache)


@pytest.fixture
def make_app(
    signing_key_file: str, migrated_database: None, sqlite_schema: sqlite3.Connection
) -> Iterator[Callable[..., APIFlask]]:
    """Build apps with config overrides; every one is torn down after the test. On SQLite
    each app's database, its own, starts as a copy of the empty schema (sqlite_schema)."""
    made: list[APIFlask] = []

    def make(create_schema: bool = True, **overrides: Any) -> APIFlask:
        app = create_app(TestConfig, {"LOCAL_SIGNING_KEY_FILE": signing_key_file, **overrides})
        with app.app_context():
            if create_schema and db.engine.dialect.name == "sqlite":
                # The first connection also sets the dialect up for this SQLite version.
                with db.engine.connect() as connection:
                    sqlite_schema.backup(_sqlite3(connection))
                _share_compiled_sql(db.engine, app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            test_database = app.config["SQLALCHEMY_DATABASE_URI"] == TEST_DATABASE
            if test_database and db.engine.dialect.name == "postgresql":
                db.session.rollback()
                db.session.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
                db.session.commit()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., APIFlask]) -> APIFlask:
    return make_app()


@pytest.fixture
def client(app: APIFlask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def live_server(app: APIFlask) -> Iterator[str]:
    """The app served on a free loopback port, for real HTTP clients; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    with serving_in_thread(server):
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def issuer(app: APIFlask) -> LocalIssuer:
    return app.extensions["local_issuer"]


@pytest.fixture
def token(issuer: LocalIssuer) -> Callable[..., str]:
    """token("get:actors", ...) -> a valid access token granting exactly those permissions."""

    def make(*permissions: str) -> str:
        return issuer.mint(list(permissions))

    return make


@pytest.fixture
def sign(issuer: LocalIssuer) -> Callable[..., str]:
    """sign(exp=..., aud=...) -> a token with valid claims except those overridden;
    a claim set to None is left out."""

    def make(headers: dict[str, Any] | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": LOCAL_ISSUER,
            "aud": LOCAL_AUDIENCE,
            "sub": "test|user",
            "iat": now,
            "exp": now + 600,
            "permissions": list(STAFF_PERMISSIONS["producer"]),
        }
        claims.update(overrides)
        return issuer.sign({k: v for k, v in claims.items() if v is not None}, headers)

    return make


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[[str], dict[str, str]]:
    """auth("director") -> the Authorization header of that staff role."""

    def make(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(*STAFF_PERMISSIONS[role])}"}

    return make


@pytest.fixture
def producer(auth: Callable[[str], dict[str, str]]) -> dict[str, str]:
    return auth("producer")


@pytest.fixture
def create(client: FlaskClient, producer: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """create("movies", title=...) -> the created record, through the API itself; a role
    gets a new movie of its own unless given a movie_id."""

    def make(resource: str, **fields: Any) -> dict[str, Any]:
        if resource == "roles" and "movie_id" not in fields:
            fields["movie_id"] = make("movies")["id"]
        body = valid_body(resource, **fields)
        response = client.post(f"/{resource}", json=body, headers=producer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()[resource[:-1]]

    return make


# What dataset() built, by name: a copy of the database it left and what build() returned.
_datasets: dict[str, tuple[sqlite3.Connection, Any]] = {}


@pytest.fixture
def dataset(app: APIFlask) -> Dataset:
    """dataset(name, build) -> what build() returns, with the records it made through the
    API stored in this test's database. On SQLite build() runs once per run and every
    later test starts from a copy of the database it left, made in the test's own app:
    the same rows, ids and history, without a hundred tests each sending the same
    requests. The database must still be empty. On PostgreSQL build() runs every time."""

    def load(name: str, build: Callable[[], T]) -> T:
        with app.app_context():
            engine = db.engine
        if engine.dialect.name != "sqlite":
            return build()
        with engine.connect() as connection:
            database = _sqlite3(connection)
            assert not any(
                database.execute(f"SELECT 1 FROM {table}").fetchone() for table in TABLES
            ), f"dataset({name!r}) needs an empty database"
            if name in _datasets:
                snapshot, built = _datasets[name]
                snapshot.backup(database)
                return copy.deepcopy(built)  # type: ignore[no-any-return]
        built = build()
        snapshot = sqlite3.connect(":memory:")
        with engine.connect() as connection:
            _sqlite3(connection).backup(snapshot)
        _datasets[name] = (snapshot, copy.deepcopy(built))
        return built

    return load


@pytest.fixture
def records(dataset: Dataset, create: Callable[..., dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One stored movie, actor and role (ages 20 to 40, cast), by resource name."""

    def build() -> dict[str, dict[str, Any]]:
        movie = create("movies")
        actor = create("actors")
        role = create("roles", movie_id=movie["id"], actor_id=actor["id"])
        return {"movies": movie, "actors": actor, "roles": role}

    return dataset("records", build)


@pytest.fixture
def stored(app: APIFlask) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """stored() -> every row of every table, to show a rejected write changed nothing."""

    def read() -> dict[str, list[tuple[Any, ...]]]:
        with app.app_context():
            return {
                model.__tablename__: [
                    tuple(row)
                    for row in db.session.execute(
                        db.select(model.__table__).order_by(model.__table__.c.id)
                    )
                ]
                for model in (Movie, Actor, Role)
            }

    return read


@pytest.fixture
def statements(app: APIFlask) -> Iterator[list[str]]:
    """A list that collects every SQL statement the app sends while a request runs."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)
