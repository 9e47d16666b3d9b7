"""Guards that keep hostile input from reaching the database as an error the app did not
expect: a path id too large for any integer column is simply not found."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# Every id column is an INTEGER: 32 bits on PostgreSQL, where a larger value in a query is an
# error (SQLite takes 64 bits, and Python ints past that overflow its driver).
INTEGER_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only values an INTEGER column can hold: `/x/99999999999`
    is a 404, not an error inside the database driver."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INTEGER_MAX)
        super().__init__(map, *args, **kwargs)


def install(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
