"""The suite's own promise: a run asked to use PostgreSQL fails when it cannot reach it,
so a broken CI database can never pass as a green run with the PostgreSQL tests skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_run_with_unreachable_postgres_fails_instead_of_skipping() -> None:
    environment = {
        **os.environ,
        "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere",  # nothing listens
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_smoke.py"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0, result.stdout
    assert "PostgreSQL at postgresql://postgres@127.0.0.1:1/nowhere cannot be reached" in (
        result.stderr
    )
    assert "passed" not in result.stdout and "skipped" not in result.stdout
