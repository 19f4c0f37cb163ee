"""The request class the app uses: JSON bodies that are objects, query parameters once."""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType


class StrictRequest(Request):
    """Request bodies are JSON objects and query parameters appear once: anything else
    is refused when the view reads it, so authentication still answers first."""

    @property
    def args(self) -> MultiDict[str, str]:
        args = super().args
        for name, values in args.lists():
            if len(values) > 1:
                # ?page=1&page=2 is ambiguous; answering with either would be a guess.
                raise BadRequest(f"Query parameter '{name}' is given more than once.")
        return args

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """Parsed once and cached; `force` and `silent` cannot loosen the rules."""
        if self._cached_json[False] is not Ellipsis:
            return self._cached_json[False]
        if not self.is_json:
            raise UnsupportedMediaType(
                "The request body must be JSON (Content-Type: application/json)."
            )
        encoding = self.headers.get("Content-Encoding", "").strip()
        if encoding and encoding.lower() != "identity":
            # Reading compressed bytes as JSON would answer a misleading 400.
            raise UnsupportedMediaType(
                f"Content-Encoding '{encoding[:50]}' is not supported: send the body uncompressed."
            )
        data = self.get_data(cache=True)
        self._refuse_overlong_stream(data)
        try:
            body = json.loads(
                data, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicate_keys
            )
        except DuplicateKey as error:
            raise BadRequest(
                f"The request body gives the key '{error.key}' more than once."
            ) from None
        except RecursionError:
            raise BadRequest("The request body is nested too deeply.") from None
        except ValueError:  # also UnicodeDecodeError, and NaN or Infinity
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        self._cached_json = (body, body)
        return body

    def _refuse_overlong_stream(self, data: bytes) -> None:
        """A body without Content-Length (chunked) is read up to the limit and silently
        cut there by Werkzeug; one byte more on the server's stream means it was longer."""
        limit = self.max_content_length
        if self.content_length is None and limit is not None and len(data) >= limit:
            if self.environ["wsgi.input"].read(1):
                raise RequestEntityTooLarge()


class DuplicateKey(ValueError):
    """A key given twice in one JSON object: its own type, so its message names the key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key[:100]


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON lets a key repeat and Python keeps the last value, so {"age": 500, "age": 40}
    passed validation while the same keys in the other order did not: refuse both."""
    body = dict(pairs)
    if len(body) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return body


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise ValueError(f"{name} is not valid JSON")
