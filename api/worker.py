"""The gunicorn worker that serves the API: gunicorn's threaded worker, reading each
request in its event loop (so slow clients hold no thread) under deadlines, and
answering what gunicorn itself refuses in JSON."""

from __future__ import annotations

import json
import re
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.http import errors
from gunicorn.workers.gthread import TConn, ThreadWorker
from werkzeug.exceptions import RequestTimeout

# A client gets this long from the first byte of a request to the end of its headers...
HEADER_TIMEOUT_SECONDS = 10.0
# ...and this long again for the body, however it is framed. 1 MiB in 20 s needs about
# 50 KB/s, a slow mobile upload.
BODY_TIMEOUT_SECONDS = 20.0
# A new connection gets this long to send its first byte (gthread's own wait), a
# kept-alive one gunicorn's keepalive; silent ones are closed without an answer.
FIRST_BYTE_SECONDS = 5.0
# Requests are gathered in the worker's event loop, costing no thread, up to this size:
# a body of up to 1 MiB (the app's limit) and its headers. Anything larger, or framed in
# a way only the parser can judge, is handed over as soon as its headers are in.
GATHER_LIMIT = 1024 * 1024 + 64 * 1024
# Unfinished requests a worker holds in memory at most (a thousand stalled 1 MiB bodies
# would be a gigabyte). Past it, requests go to a thread as soon as they arrive, where a
# stalled one holds that thread until its deadline: slower, never unbounded.
GATHER_BUDGET = 32 * 1024 * 1024
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d{1,8})[ \t]*\r?$", re.I | re.M)
_TRANSFER_ENCODING = re.compile(rb"^transfer-encoding:[ \t]*(.*?)[ \t]*\r?$", re.I | re.M)
_EXPECT = re.compile(rb"^expect:", re.I | re.M)

# What gunicorn refuses before the app sees a request, as (status, message).
_REFUSALS: tuple[tuple[type[Exception], int, str], ...] = (
    (errors.LimitRequestLine, 414, "The request line (method and URL) is too long."),
    (errors.LimitRequestHeaders, 431, "The request headers are too large or too many."),
    (errors.UnsupportedTransferCoding, 501, "That Transfer-Encoding is not supported."),
    (errors.ExpectationFailed, 417, "That Expect header is not supported."),
    (errors.ForbiddenProxyRequest, 403, "Proxy requests are not accepted."),
    (RequestTimeout, 408, "The request did not arrive in time."),
    (errors.ParseException, 400, "The request is not valid HTTP."),
)


class ReadDeadlineExpired(RequestTimeout):
    """Raised from a socket read past the deadline. An HTTP exception, so when the app is
    the one reading (a body), Flask answers it as a JSON 408 like any other."""

    description = "The request did not arrive in time."


class DeadlineSocket(socket.socket):
    """A client socket whose blocking reads give up at a deadline. gunicorn's parser and
    body readers block on recv() with no timeout of their own: without this, a client
    that sends half a request holds a thread for ever."""

    budget: float | None = None  # seconds for the current phase, from its first read
    deadline: float | None = None
    expired = False
    preread = b""  # bytes the event loop gathered, served before the socket's own

    @classmethod
    def adopt(cls, sock: socket.socket) -> DeadlineSocket:
        timeout = sock.gettimeout()
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.settimeout(timeout)
        return adopted

    def start_phase(self, seconds: float, now: bool = False) -> None:
        """The next reads must finish within `seconds`, counted from now or, for a
        request's headers, from its first read (a kept-alive connection may idle)."""
        self.budget = seconds
        self.deadline = time.monotonic() + seconds if now else None

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if self.preread:
            data, self.preread = self.preread[:bufsize], self.preread[bufsize:]
            return data
        if self.budget is None or self.gettimeout() == 0.0:  # non-blocking: the poller's
            return super().recv(bufsize, flags)
        if self.deadline is None:
            self.deadline = time.monotonic() + self.budget
        remaining = self.deadline - time.monotonic()
        current = self.gettimeout()
        if current is not None:  # a shorter timeout set by gunicorn (a drain) still holds
            remaining = min(remaining, current)
        if remaining <= 0:
            self.expired = True
            raise ReadDeadlineExpired()
        previous = current
        self.settimeout(remaining)
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            self.expired = True
            raise ReadDeadlineExpired() from None
        finally:
            self.settimeout(previous)


class Gathering:
    """A request being read by the event loop: its bytes so far and its deadline."""

    def __init__(self, conn: Any, first_byte_seconds: float) -> None:
        self.conn = conn
        self.received = bytearray()
        self.deadline = time.monotonic() + first_byte_seconds
        self.head_end: int | None = None

    def add(self, data: bytes) -> None:
        if not self.received:
            self.deadline = time.monotonic() + HEADER_TIMEOUT_SECONDS
        self.received += data
        if self.head_end is None:
            end = self.received.find(b"\r\n\r\n")
            if end >= 0:
                self.head_end = end + 4
                self.deadline = time.monotonic() + BODY_TIMEOUT_SECONDS

    def ready(self) -> bool:
        """Whether a thread can take the request now without waiting on the client."""
        if self.head_end is None:
            # A bare-LF head, or one past any limit: the parser refuses it at once.
            return b"\n\n" in self.received or len(self.received) > GATHER_LIMIT
        head = bytes(self.received[: self.head_end])
        lengths = _CONTENT_LENGTH.findall(head)
        codings = _TRANSFER_ENCODING.findall(head)
        if _EXPECT.search(head) or len(lengths) > 1 or codings not in ([], [b"chunked"]):
            return True  # the client waits for 100 Continue, or the parser must refuse
        if codings:
            # A whole chunked body ends with a blank line (after the last chunk and any
            # trailers). Handing over early on a look-alike is safe: the thread reads the
            # rest under the body deadline.
            body = len(self.received) - self.head_end
            return len(self.received) > GATHER_LIMIT or (
                body > 0 and self.received.endswith(b"\r\n\r\n")
            )
        length = int(lengths[0]) if lengths else 0
        return length > GATHER_LIMIT or len(self.received) >= self.head_end + length


class DeadlineThreadWorker(ThreadWorker):
    """Requests are read in the event loop and reach a thread whole, so a slow or stalled
    client holds no thread; each request must arrive by its deadlines (408 otherwise).
    gunicorn's own refusals use the API's JSON error shape."""

    def init_process(self) -> None:
        self.gathering: dict[int, Gathering] = {}
        self.gathered_bytes = 0
        super().init_process()

    def accept(self, listener: socket.socket) -> None:
        try:
            client, address = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return
        self.nr_conns += 1
        client.setblocking(False)
        conn = TConn(self.cfg, DeadlineSocket.adopt(client), address, listener.getsockname())
        self._gather(conn, FIRST_BYTE_SECONDS)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection's next request: gathered like a new one."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._gather(conn, float(self.cfg.keepalive))
        self._on_readable(conn.sock.fileno())

    def _gather(self, conn: Any, first_byte_seconds: float) -> None:
        conn.sock.setblocking(False)
        fd = conn.sock.fileno()
        self.gathering[fd] = Gathering(conn, first_byte_seconds)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, fd))

    def _on_readable(self, fd: int, _sock: Any = None) -> None:
        gathering = self.gathering.get(fd)
        if gathering is None:
            return
        sock = gathering.conn.sock
        try:
            while data := sock.recv(65536):
                gathering.add(data)
                self.gathered_bytes += len(data)
                if gathering.ready() or self.gathered_bytes > GATHER_BUDGET:
                    return self._hand_over(fd)
        except BlockingIOError:
            return  # all there is for now; the poller calls again when more arrives
        except OSError:
            pass
        self._drop(fd)  # the client closed (or reset) before its request was whole

    def _hand_over(self, fd: int) -> None:
        gathering = self.gathering.pop(fd)
        self.gathered_bytes -= len(gathering.received)
        conn = gathering.conn
        self.poller.unregister(conn.sock)
        conn.sock.preread = bytes(gathering.received)
        conn.data_ready = True  # skip gthread's wait for a first byte
        self.enqueue_req(conn)

    def _drop(self, fd: int, answer: bool = False) -> None:
        gathering = self.gathering.pop(fd)
        self.gathered_bytes -= len(gathering.received)
        conn = gathering.conn
        self.poller.unregister(conn.sock)
        if answer and gathering.received:
            try:  # one non-blocking send: the event loop never waits on a client
                conn.sock.send(self._refusal(ReadDeadlineExpired()))
            except OSError:
                pass
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """Each turn of the event loop: requests past their deadline are answered 408
        (or closed unanswered, when they never sent a byte)."""
        super().murder_pending()
        now = time.monotonic()
        for fd in [fd for fd, g in self.gathering.items() if g.deadline <= now]:
            self._drop(fd, answer=True)

    def enqueue_req(self, conn: Any) -> None:
        if not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket.adopt(conn.sock)
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        conn.sock.start_phase(HEADER_TIMEOUT_SECONDS)
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> bool:
        conn.sock.start_phase(BODY_TIMEOUT_SECONDS, now=True)
        return bool(super().handle_request(req, conn))

    def _keepalive_after(self, conn: Any, keepalive: bool) -> bool:
        # After a read past its deadline, where the next request starts is unknown.
        if conn.sock.expired:
            return False
        # A pipelined next request already gathered: the parser's buffer, where gthread
        # looks for one, rather than the socket, which will not signal it again.
        if conn.sock.preread and conn.parser is not None:
            conn.parser.unreader.unread(conn.sock.preread)
            conn.sock.preread = b""
        return bool(super()._keepalive_after(conn, keepalive))

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """gunicorn's refusals (and its rare own errors) in the API's error shape."""
        try:
            client.settimeout(1.0)  # a client that will not read cannot hold the thread
            client.sendall(self._refusal(exc))
        except OSError:
            self.log.debug("could not send the refusal")

    def _refusal(self, exc: BaseException) -> bytes:
        status, message = next(
            ((s, m) for kind, s, m in _REFUSALS if isinstance(exc, kind)),
            (500, "An unexpected error occurred."),
        )
        if status == 500:
            self.log.exception("error outside the app")
        else:
            self.log.info("refused a request: %s %s", status, type(exc).__name__)
        body = json.dumps({"success": False, "error": status, "message": message}).encode()
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            "Connection: close\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n"
            "X-Content-Type-Options: nosniff\r\n\r\n"
        )
        return head.encode("ascii") + body


_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    408: "Request Timeout",
    414: "URI Too Long",
    417: "Expectation Failed",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}
