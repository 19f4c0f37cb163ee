"""The app as production serves it: gunicorn with gunicorn.conf.py on a loopback port,
driven over raw sockets, for what only a real server shows (stalled clients, framing,
the limits gunicorn enforces before the app sees a request)."""

from __future__ import annotations

import json
import logging
import os
import re
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config as GunicornConfig
from gunicorn.http import errors
from gunicorn.workers.gthread import TConn

from api.worker import (
    BODY_TIMEOUT_SECONDS,
    HEADER_TIMEOUT_SECONDS,
    DeadlineSocket,
    DeadlineThreadWorker,
    Gathering,
    ReadDeadlineExpired,
)
from app import create_app
from auth import STAFF_PERMISSIONS
from config import LOCAL_AUDIENCE, LOCAL_ISSUER
from conftest import TestConfig
from devtools.local_issuer import LocalIssuer
from models import db

ROOT = Path(__file__).resolve().parent.parent
SHORT_HEADER_TIMEOUT = 1.5  # seconds, for the server that watches a deadline pass
WORKERS = 2


@dataclass
class Served:
    port: int
    token: str
    log: Path

    def auth(self) -> str:
        return f"Authorization: Bearer {self.token}\r\n"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """gunicorn 'app:create_app(...)' with the repository's gunicorn.conf.py, local-mode
    tokens and an SQLite file; one server for the module, stopped however it ends."""
    with serving(tmp_path_factory.mktemp("served")) as server:
        yield server


@pytest.fixture
def served_with_short_deadlines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The same server, with its worker's header deadline cut to SHORT_HEADER_TIMEOUT
    (tests/short_deadline_worker.py), so a test can watch a deadline pass quickly."""
    worker = ["--worker-class", "short_deadline_worker.ShortDeadlineWorker"]
    environment = {
        "PYTHONPATH": str(ROOT / "tests"),
        "SHORT_HEADER_TIMEOUT": str(SHORT_HEADER_TIMEOUT),
    }
    with serving(tmp_path_factory.mktemp("short"), worker, environment) as server:
        yield server


@contextmanager
def serving(
    work: Path, arguments: Sequence[str] = (), extra_environment: Mapping[str, str] = {}
) -> Iterator[Served]:
    key_file, database = str(work / "key.pem"), f"sqlite:///{work / 'casting.db'}"
    overrides = {"LOCAL_SIGNING_KEY_FILE": key_file, "SQLALCHEMY_DATABASE_URI": database}
    app = create_app(TestConfig, overrides)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    issuer = LocalIssuer(key_file, LOCAL_ISSUER, LOCAL_AUDIENCE)
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AUTH0_DOMAIN", "JWKS_URL", "API_AUDIENCE", "AUTH0_ISSUER", "APP_ENV")
        and k not in ("TRUSTED_PROXY_HOPS", "WRITE_RATE_LIMIT", "WEB_THREADS")
    }
    environment.update(WEB_CONCURRENCY=str(WORKERS), LOG_LEVEL="WARNING", **extra_environment)
    log = work / "gunicorn.log"
    factory = f"app:create_app(None, {overrides!r})"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with log.open("wb") as output:
        process = subprocess.Popen(
            [gunicorn, "--bind", "127.0.0.1:0", *arguments, factory],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        port = _wait_until_serving(process, log)
        yield Served(port, issuer.mint(list(STAFF_PERMISSIONS["producer"])), log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(process: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            port = int(found.group(1))
            try:
                if exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status == 200:
                    return port
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not serve in time:\n{log.read_text()}")


def exchange(port: int, request: bytes, timeout: float = 10.0) -> Answer:
    """Send `request` as given (plus Connection: close) and read the whole answer."""
    head, _, body = request.partition(b"\r\n\r\n")
    request = head + b"\r\nConnection: close\r\n\r\n" + body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        try:
            client.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed before reading everything: the answer is still there
        return read_answer(client)


def read_answer(client: socket.socket) -> Answer:
    received = bytearray()
    try:
        while data := client.recv(65536):
            received += data
    except ConnectionResetError:
        pass
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), headers, body)


def assert_json_error(answer: Answer, status: int) -> dict[str, Any]:
    assert answer.status == status, answer
    assert answer.headers["content-type"].startswith("application/json"), answer
    body = answer.json()
    assert body["success"] is False and body["error"] == status and body["message"], body
    return body


def test_stalled_clients_do_not_starve_the_workers(served: Served) -> None:
    """Half-sent headers and half-sent bodies (sized and chunked), more of them than the
    workers have threads (2 x 8): /health and an authenticated read still answer within a
    second each."""
    stalled = []
    for _ in range(30):
        client = socket.create_connection(("127.0.0.1", served.port))
        client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        stalled.append(client)
    post = f"POST /actors HTTP/1.1\r\nHost: x\r\n{served.auth()}Content-Type: application/json\r\n"
    for framing in [b"Content-Length: 100\r\n\r\n", b"Transfer-Encoding: chunked\r\n\r\n9\r\n"] * 5:
        client = socket.create_connection(("127.0.0.1", served.port))
        client.sendall(post.encode() + framing + b'{"name"')
        stalled.append(client)
    try:
        time.sleep(0.3)  # every stalled connection has been taken up by a worker
        for request in (
            b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
            f"GET /actors HTTP/1.1\r\nHost: x\r\n{served.auth()}\r\n".encode(),
        ):
            for _ in range(WORKERS * 4):
                started = time.monotonic()
                answer = exchange(served.port, request, timeout=5)
                assert answer.status == 200, answer
                assert time.monotonic() - started < 1.0
    finally:
        for client in stalled:
            client.close()


def test_kept_alive_and_pipelined_requests_are_all_answered(served: Served) -> None:
    """Requests gathered by the event loop still share a connection: one after another,
    and two sent at once."""
    request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    ok = b'{"status":"ok"}'
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as client:
        received = b""
        for answered in (1, 2):
            client.sendall(request)
            while received.count(ok) < answered:
                received += client.recv(65536)
        client.sendall(request + request[:-2] + b"Connection: close\r\n\r\n")
        while data := client.recv(65536):
            received += data
    assert received.count(b"HTTP/1.1 200") == received.count(ok) == 4, received


@pytest.mark.slow
def test_stalled_headers_are_answered_408_at_their_deadline(
    served_with_short_deadlines: Served,
) -> None:
    """A client that never finishes its headers gets a JSON 408 when the header deadline
    passes, and the connection closes: it cannot hold a thread for longer. (The deadline is
    cut from 10 s to SHORT_HEADER_TIMEOUT here, so the run does not wait it out.)"""
    port = served_with_short_deadlines.port
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert_json_error(read_answer(client), 408)
        elapsed = time.monotonic() - started
        assert SHORT_HEADER_TIMEOUT - 0.5 < elapsed < SHORT_HEADER_TIMEOUT + 3


def test_reads_past_the_deadline_raise_408_and_mark_the_socket() -> None:
    """The body deadline counts from when the headers were read, whatever each read
    brings: a client trickling a byte at a time still runs out of time."""
    ours, theirs = socket.socketpair()
    with theirs, DeadlineSocket.adopt(ours) as sock:
        sock.start_phase(0.3, now=True)
        for _ in range(2):
            theirs.sendall(b"x")
            assert sock.recv(10) == b"x"
            time.sleep(0.1)
        with pytest.raises(ReadDeadlineExpired) as raised:
            sock.recv(10)
        assert raised.value.code == 408 and sock.expired


def test_the_header_deadline_starts_at_the_first_read() -> None:
    """A kept-alive connection may idle before its next request; only the request's
    own bytes are timed."""
    ours, theirs = socket.socketpair()
    with theirs, DeadlineSocket.adopt(ours) as sock:
        sock.start_phase(0.2)
        time.sleep(0.3)
        theirs.sendall(b"GET")
        assert sock.recv(10) == b"GET" and not sock.expired


def chunked(body: bytes, size: int = 256 * 1024) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "Padded", "age": 40, "gender": "male"}' + b" " * (2 * 1024 * 1024),
        json.dumps(
            {"name": "Long", "age": 40, "gender": "male", "description": "x" * 2**21}
        ).encode(),
    ],
    ids=["padded", "long-field"],
)
def test_a_chunked_body_over_the_limit_is_413_like_a_sized_one(served: Served, body: bytes) -> None:
    head = (
        f"POST /actors HTTP/1.1\r\nHost: x\r\n{served.auth()}Content-Type: application/json\r\n"
    ).encode()
    sized = exchange(served.port, head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    framed = exchange(served.port, head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(body))
    assert_json_error(sized, 413)
    assert_json_error(framed, 413)
    listed = exchange(
        served.port, f"GET /actors HTTP/1.1\r\nHost: x\r\n{served.auth()}\r\n".encode()
    )
    assert listed.json()["total_actors"] == 0


def test_a_chunked_body_at_the_limit_is_read_whole(served: Served) -> None:
    body = b'{"name": "Exact", "age": 40, "gender": "male"}'
    body += b" " * (1024 * 1024 - len(body))
    created = exchange(
        served.port,
        f"POST /actors HTTP/1.1\r\nHost: x\r\n{served.auth()}Content-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
        + chunked(body),
    )
    assert created.status == 201, created
    actor = created.json()["id"]
    request = f"DELETE /actors/{actor} HTTP/1.1\r\nHost: x\r\n{served.auth()}\r\n"
    assert exchange(served.port, request.encode()).status == 200


@pytest.mark.parametrize(
    ("request_head", "status"),
    [
        (f"GET /actors?search_term={'a' * 5000} HTTP/1.1\r\nHost: x\r\n", 414),
        (f"GET /health HTTP/1.1\r\nHost: x\r\nX-Request-ID: {'r' * 10_000}\r\n", 431),
        (f"GET /actors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {'t' * 100_000}\r\n", 431),
        (f'GET /health HTTP/1.1\r\nHost: x\r\nIf-Match: "{"1" * 10_000}"\r\n', 431),
        ("GET /health HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n" * 200, 431),
        ("NOT A REQUEST LINE\r\n", 400),
        ("GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n", 400),
        ("GET /health HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n", 400),
        ("GET /health HTTP/1.1\nHost: x\n", 400),
        ("GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n", 400),
    ],
    ids=[
        "long-url",
        "long-header",
        "long-token",
        "long-if-match",
        "many-headers",
        "request-line",
        "nul",
        "header-name",
        "bare-lf",
        "transfer-coding",
    ],
)
def test_what_gunicorn_refuses_is_answered_in_json(
    served: Served, request_head: str, status: int
) -> None:
    """Requests refused before the app sees them get the API's error shape too."""
    answer = exchange(served.port, request_head.encode("latin-1") + b"\r\n")
    assert_json_error(answer, status)
    assert answer.headers["connection"] == "close"


@pytest.mark.parametrize(
    "forwarded",
    ["X-Forwarded-Proto: https", "X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl"],
)
def test_forwarded_headers_are_not_trusted_without_trusted_proxy_hops(
    served: Served, forwarded: str
) -> None:
    """gunicorn trusts these from 127.0.0.1 unless told otherwise; the app alone decides
    (ProxyFix, only with TRUSTED_PROXY_HOPS), so a local caller cannot claim https."""
    answer = exchange(served.port, f"GET /health HTTP/1.1\r\nHost: x\r\n{forwarded}\r\n".encode())
    assert answer.status == 200
    assert "strict-transport-security" not in answer.headers


HEAD = b"POST /actors HTTP/1.1\r\nHost: x\r\n"


@pytest.mark.parametrize(
    ("received", "ready"),
    [
        (b"GET /health HTTP/1.1\r\nHost: x\r\n", False),
        (b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n", True),
        (HEAD + b"Content-Length: 10\r\n\r\n123456789", False),
        (HEAD + b"content-length: 10\r\n\r\n1234567890", True),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n", False),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", False),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", True),
        (HEAD + b"Transfer-Encoding: gzip\r\n\r\n", True),  # the parser refuses it
        (HEAD + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n", True),
        (HEAD + b"Content-Length: 9999999\r\n\r\n", True),  # over the limit: a 413
        (HEAD + b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\n", True),
        (b"GET /health HTTP/1.1\nHost: x\n\n", True),
    ],
)
def test_a_request_reaches_a_thread_only_when_whole_or_refusable(
    received: bytes, ready: bool
) -> None:
    """What the event loop gathers before a thread takes over: the whole request, or as
    much as the parser needs to refuse it, never a wait on the client in a thread."""
    gathering = Gathering(conn=None, first_byte_seconds=1.0)
    gathering.add(received)
    assert gathering.ready() is ready


def test_the_event_loop_times_each_phase_of_a_request() -> None:
    """Silence before the first byte, then the headers, then the body: each phase has
    its own deadline, counted from when it starts."""
    gathering = Gathering(conn=None, first_byte_seconds=2.0)
    assert gathering.deadline == pytest.approx(time.monotonic() + 2.0, abs=0.1)
    gathering.add(HEAD)
    assert gathering.deadline == pytest.approx(time.monotonic() + HEADER_TIMEOUT_SECONDS, abs=0.1)
    gathering.add(b"Content-Length: 10\r\n\r\n12345")
    assert gathering.deadline == pytest.approx(time.monotonic() + BODY_TIMEOUT_SECONDS, abs=0.1)
    assert not gathering.ready()


class EventLoopOnly(DeadlineThreadWorker):
    """The worker's event-loop half, in this process: what it hands to a thread is kept
    instead of run, so a test can see exactly when and with what bytes."""

    def __init__(self) -> None:
        super().__init__(0, os.getppid(), [], None, 30, GunicornConfig(), logging.getLogger())
        self.poller = selectors.DefaultSelector()
        self.gathering, self.gathered_bytes = {}, 0
        self.handed_over: list[Any] = []

    def enqueue_req(self, conn: Any) -> None:
        self.handed_over.append(conn)

    def connect(self) -> tuple[socket.socket, int]:
        ours, theirs = socket.socketpair()
        self.nr_conns += 1
        conn = TConn(self.cfg, DeadlineSocket.adopt(ours), ("127.0.0.1", 1), ("127.0.0.1", 2))
        self._gather(conn, 5.0)
        return theirs, conn.sock.fileno()


@pytest.fixture
def loop() -> Iterator[EventLoopOnly]:
    worker = EventLoopOnly()
    yield worker
    worker.poller.close()
    worker.tmp.close()


def test_the_event_loop_hands_over_a_request_only_once_it_is_whole(loop: EventLoopOnly) -> None:
    client, fd = loop.connect()
    with client:
        request = HEAD + b"Content-Length: 2\r\n\r\n{}"
        client.sendall(request[:-1])
        loop._on_readable(fd)
        assert not loop.handed_over and loop.gathered_bytes == len(request) - 1
        client.sendall(request[-1:])
        loop._on_readable(fd)
        (conn,) = loop.handed_over
        assert conn.sock.preread == request and conn.data_ready
        assert loop.gathering == {} and loop.gathered_bytes == 0
        conn.sock.close()


def test_the_event_loop_answers_408_past_the_deadline_and_closes(loop: EventLoopOnly) -> None:
    client, fd = loop.connect()
    silent, silent_fd = loop.connect()
    with client, silent:
        client.sendall(b"GET /health HTTP/1.1\r\n")
        loop._on_readable(fd)
        for gathering in loop.gathering.values():
            gathering.deadline = time.monotonic() - 1
        loop.murder_pending()
        assert loop.gathering == {} and loop.nr_conns == 0 and not loop.handed_over
        client.settimeout(2)
        assert_json_error(read_answer(client), 408)
        silent.settimeout(2)
        assert silent.recv(100) == b""  # never sent a byte: closed without an answer


def test_the_event_loop_drops_a_client_that_leaves_halfway(loop: EventLoopOnly) -> None:
    client, fd = loop.connect()
    client.sendall(b"GET /health HTTP/1.1\r\n")
    client.close()
    loop._on_readable(fd)
    assert loop.gathering == {} and loop.nr_conns == 0 and not loop.handed_over


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.LimitRequestLine(5000, 4094), 414),
        (errors.InvalidRequestLine("x"), 400),
        (ReadDeadlineExpired(), 408),
        (RuntimeError("a bug outside the app"), 500),
    ],
)
def test_a_refusal_from_the_worker_is_the_api_error_shape(
    loop: EventLoopOnly, error: Exception, status: int
) -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        loop.handle_error(None, ours, ("127.0.0.1", 1), error)
        ours.close()
        answer = read_answer(theirs)
    assert_json_error(answer, status)
    assert answer.headers["connection"] == "close"
