"""A submission's move through the pipeline and everything it does to the role."""

from __future__ import annotations
