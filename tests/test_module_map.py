"""The README's module map lists every module in the tree, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAPPED_FOLDERS = (".", "api", "casting", "devtools", "bench", "migrations")


def modules_in_tree() -> set[str]:
    found = set()
    for folder in MAPPED_FOLDERS:
        for path in (ROOT / folder).glob("*.py"):
            found.add(path.relative_to(ROOT).as_posix())
    return found


def modules_in_map() -> set[str]:
    text = README.read_text()
    section = text.split("### Module map", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([\w/.]+\.py)`", row.split("|")[1])}


def test_module_map_lists_every_module_in_the_tree() -> None:
    assert modules_in_tree() - modules_in_map() == set(), "add these to the README's module map"


def test_module_map_names_no_module_that_is_gone() -> None:
    assert modules_in_map() - modules_in_tree() == set(), "remove these from the module map"
