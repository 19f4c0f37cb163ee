"""An actor's schedule: their bookings and holds, in date order."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("schedule", __name__, tag="Schedule")
