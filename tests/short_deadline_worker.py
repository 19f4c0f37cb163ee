"""The production gunicorn worker with a short header deadline (SHORT_HEADER_TIMEOUT in
the environment), so a test can watch the deadline pass without waiting the production
10 s. Loaded only by that test's gunicorn, never by the test process."""

from __future__ import annotations

import os

import api.worker

api.worker.HEADER_TIMEOUT_SECONDS = float(os.environ["SHORT_HEADER_TIMEOUT"])
ShortDeadlineWorker = api.worker.DeadlineThreadWorker
