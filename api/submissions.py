"""Submission endpoints: an actor put forward for a role, read, listed, edited, deleted."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("submissions", __name__, tag="Submissions")
