"""The `<id:...>` URL converter for record ids."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter


class RecordIdConverter(IntegerConverter):
    """One to ten ASCII digits, so no id can overflow Python's int parsing; ids outside
    the database's range are a 404 in get_or_404. (A range check here would turn PATCH
    /actors/0 into a 405, because routing would fall back to the GET rule.) Not `\\d`:
    in Python it also matches other scripts' digits, and int() reads '١' (Arabic-Indic)
    or '１' (full-width) as 1, so /actors/١ would be actor 1."""

    regex = r"[0-9]{1,10}"
