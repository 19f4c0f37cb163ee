"""gunicorn settings for production; `gunicorn 'app:create_app()'` reads this file."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Under Heroku's 30 s router limit, so a stuck request is ended by us, not by the router.
timeout = 25
# On SIGTERM (a dyno cycling) in-flight requests get this long to finish.
graceful_timeout = 20
# The app writes one JSON line per request (with its X-Request-ID), so gunicorn's own
# access log would only repeat it.
accesslog = None
# No control socket: its default path is shared by every gunicorn on the machine.
control_socket_disable = True
