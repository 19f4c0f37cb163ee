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
        data = self.get_data(cache=True)
        self._refuse_overlong_stream(data)
        try:
            body = json.loads(data, parse_constant=_refuse_constant)
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


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise ValueError(f"{name} is not valid JSON")
