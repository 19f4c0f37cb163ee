"""The history of each record, and the feed of every event for integrations to poll."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("history", __name__, tag="History")
