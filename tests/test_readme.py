"""Every curl example in the README runs against a live app, so the README cannot drift."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apiflask import APIFlask

from auth import STAFF_PERMISSIONS
from devtools.demo_data import load_demo_data

README = Path(__file__).resolve().parent.parent / "README.md"
DOCUMENTED_BASE = "http://127.0.0.1:5000"


def readme_curl_commands() -> list[str]:
    """The curl lines of the README's bash blocks, continuation lines joined, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("curl "):
                commands.append(re.sub(r"\s+", " ", line.strip()))
    return commands


@pytest.fixture
def live_demo(app: APIFlask, live_server: str) -> str:
    """The app with the demo data `make run` loads, served on a free port."""
    with app.app_context():
        load_demo_data()
    return live_server


def test_readme_has_curl_examples_for_every_resource():
    commands = readme_curl_commands()
    paths = ("/movies", "/actors", "/roles", "/candidates", "/matching-roles", "/submissions")
    for path in (*paths, "/transitions", "/schedule", "/history", "/events"):
        assert any(path in command for command in commands), path


def test_every_readme_curl_example_succeeds(live_demo, app, token):
    hold_until = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    environment = {
        **os.environ,
        "TOKEN": token(*STAFF_PERMISSIONS["producer"]),
        "HOLD_UNTIL": hold_until,  # the walk-through's "any future time"
    }
    for command in readme_curl_commands():
        runnable = command.replace(DOCUMENTED_BASE, live_demo).replace(
            "curl ", "curl --silent --show-error --fail-with-body --max-time 10 ", 1
        )
        result = subprocess.run(
            ["bash", "-c", runnable], capture_output=True, text=True, env=environment
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert '"success":true' in result.stdout.replace(" ", ""), command


def test_auth0_set_up_names_every_permission_the_api_checks():
    """Step 3 of "Setting up Auth0": a permission missing there could never be granted."""
    step = README.read_text().split("In its **Permissions** tab", 1)[1].split("\n4. ", 1)[0]
    every_permission = {p for permissions in STAFF_PERMISSIONS.values() for p in permissions}
    assert set(re.findall(r"`([a-z]+:[a-z]+)`", step)) == every_permission
