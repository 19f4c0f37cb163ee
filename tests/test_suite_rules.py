"""The suite's own promises: what it needs and cannot find fails the run, never skips,
so a broken CI database or a missing browser can never pass as a green run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts a whole pytest process: a few seconds the quick loop can spare.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """The suite, or part of it, run the way make runs it, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_with_unreachable_postgres_fails_instead_of_skipping() -> None:
    nowhere = "postgresql://postgres@127.0.0.1:1/nowhere_test"  # nothing listens on port 1
    result = run_pytest("tests/test_smoke.py", TEST_DATABASE_URL=nowhere)
    assert result.returncode != 0, result.stdout
    assert "PostgreSQL at postgresql://postgres@127.0.0.1:1/nowhere_test cannot be reached" in (
        result.stderr
    )
    assert "passed" not in result.stdout and "skipped" not in result.stdout


def test_browser_test_without_chromium_fails_and_says_to_run_make_browser(tmp_path: Path) -> None:
    # A plugin that points the browser test at a Chromium that is not there.
    (tmp_path / "no_chromium.py").write_text(
        "def pytest_collection_finish(session):\n"
        "    import test_docs_browser\n"
        "    test_docs_browser.CHROMIUM = '/nonexistent/chromium'\n"
    )
    environment = {"PYTHONPATH": str(tmp_path)}
    result = run_pytest("-p", "no_chromium", "-rA", "tests/test_docs_browser.py", **environment)
    assert result.returncode == 1, result.stdout
    assert "/nonexistent/chromium not found: run `make browser`" in result.stdout
    assert "1 error" in result.stdout and "skipped" not in result.stdout
