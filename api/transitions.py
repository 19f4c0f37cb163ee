"""Moving submissions through the pipeline: one at a time, or several at once."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("transitions", __name__, tag="Pipeline")
