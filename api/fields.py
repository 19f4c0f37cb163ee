"""Field types shared by request bodies and query strings: each carries its rule, its
error message and what the OpenAPI document says about it."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, StringConstraints
from pydantic_core import PydanticCustomError

from models import MAX_AGE, MAX_HEIGHT, MAX_ID, MIN_AGE, MIN_HEIGHT

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE, LATEST_DATE = date(1800, 1, 1), date(2200, 12, 31)


def _without_nul(value: str) -> str:
    """PostgreSQL cannot store NUL in text, so it is refused before it gets there."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain NUL characters")
    return value


def _calendar_date(value: Any) -> date:
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        raise PydanticCustomError("date_format", "must be a date string in YYYY-MM-DD format")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "is not a real calendar date") from None
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise PydanticCustomError("date_range", "must be between 1800-01-01 and 2200-12-31")
    return parsed


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    # urlsplit silently drops tabs and newlines, so control characters are checked here.
    unprintable = any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in value)
    if parts.scheme not in ("http", "https") or not parts.hostname or unprintable:
        raise PydanticCustomError("url", "must be an absolute http or https URL")
    return value


def _true_or_false(value: Any) -> Any:
    """Query strings say true or false; 'yes', '1' and 'on' are typos here, not booleans."""
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError("bool_parsing", "must be true or false")


def _ascii_digits(value: Any) -> Any:
    """A query string's integer is the digits 0-9 and nothing else. Python's int() and
    pydantic also read '1_0', '40.0', '+1', ' 1' and other scripts' digits; in a query
    string those are typos or probes, and a filter must not guess what was meant. (No
    query integer can be negative today; one that could would allow a leading minus.)"""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise PydanticCustomError("int_digits", "must be a whole number written in digits 0-9")
    return value


def trimmed(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


NoNul = AfterValidator(_without_nul)
# The patterns put the NUL and blank rules into the OpenAPI document for clients and
# fuzzers; the validators above enforce them with clearer messages.
NO_NUL = Field(json_schema_extra={"pattern": r"^[^\x00]*$"})
NOT_BLANK = Field(json_schema_extra={"pattern": r"^[^\x00]*[^\x00\s][^\x00]*$"})
Name = Annotated[str, trimmed(200, min_length=1), NoNul, NOT_BLANK]
ShortText = Annotated[str, trimmed(200), NoNul, NO_NUL]
LongText = Annotated[str, trimmed(5000), NoNul, NO_NUL]
Genre = Annotated[str, trimmed(50, min_length=1), NoNul, NOT_BLANK]
SearchText = Annotated[str, trimmed(200, min_length=1), NoNul, NOT_BLANK]
IsoDate = Annotated[
    date,
    BeforeValidator(_calendar_date),
    Field(json_schema_extra={"pattern": r"^(18\d\d|19\d\d|2[01]\d\d|2200)-\d\d-\d\d$"}),
]
Age = Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)]
Height = Annotated[int, Field(ge=MIN_HEIGHT, le=MAX_HEIGHT, description="centimetres")]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9 +\-().]{3,32}$")]
Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_url)]
Email = Annotated[EmailStr, StringConstraints(max_length=320)]
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
Digits = BeforeValidator(_ascii_digits)
QueryAge = Annotated[Age, Digits]
QueryHeight = Annotated[Height, Digits]
QueryRecordId = Annotated[RecordId, Digits]
