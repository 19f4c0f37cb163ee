"""gunicorn settings for production; `gunicorn 'app:create_app()'` reads this file."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gthread with a change (api/worker.py): each request is read whole in the worker's event
# loop, under deadlines (10 s for headers, 20 s more for a body, else 408), and only then
# handed to a thread. A client that sends half a request holds a socket, not a thread; a
# sync worker would be frozen by it until killed.
worker_class = "api.worker.DeadlineThreadWorker"
threads = int(os.environ.get("WEB_THREADS", "8"))
# With threads, this only ends a worker whose main loop is stuck. Under Heroku's 30 s
# router limit; requests themselves are bounded by the read deadlines and the database
# timeouts in config.py.
timeout = 25
# On SIGTERM (a dyno cycling) in-flight requests get this long to finish.
graceful_timeout = 20
# The app writes one JSON line per request (with its X-Request-ID), so gunicorn's own
# access log would only repeat it.
accesslog = None
# No control socket: its default path is shared by every gunicorn on the machine.
control_socket_disable = True
# gunicorn would take the scheme (X-Forwarded-Proto, -Ssl, -Protocol) and the script
# path from any peer on 127.0.0.1 by default. Whether to trust forwarded headers is the
# app's decision alone (ProxyFix, only with TRUSTED_PROXY_HOPS), so gunicorn trusts none.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}


def on_starting(server: object) -> None:
    """Check the settings once, in the master, before any worker boots: a missing or
    malformed setting stops gunicorn with one line, not a traceback from every worker."""
    from click import ClickException  # what config's SettingsError is, even at import

    try:
        from config import check_settings, config_for_environment

        settings = config_for_environment()
        check_settings({name: getattr(settings, name) for name in dir(settings) if name.isupper()})
    except ClickException as error:
        raise SystemExit(f"Error: {error.message}") from None
