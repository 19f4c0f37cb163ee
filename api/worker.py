"""The gunicorn worker that serves the API: gunicorn's threaded worker, with deadlines on
reading each request, and the requests gunicorn itself refuses answered in JSON."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import RequestTimeout

# A client gets this long from the first byte of a request to the end of its headers...
HEADER_TIMEOUT_SECONDS = 10.0
# ...and this long again for the body, however it is framed. 1 MiB in 20 s needs about
# 50 KB/s, a slow mobile upload; a client slower than that holds a thread for no one.
BODY_TIMEOUT_SECONDS = 20.0

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


class DeadlineThreadWorker(ThreadWorker):
    """Threads serve requests, so a slow client holds one thread, not the worker, and
    only until its deadline; gunicorn's own refusals use the API's JSON error shape."""

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
        return bool(super()._keepalive_after(conn, keepalive))

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
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
        try:
            client.settimeout(1.0)  # a client that will not read cannot hold the thread
            client.sendall(head.encode("ascii") + body)
        except OSError:
            self.log.debug("could not send the refusal")


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
