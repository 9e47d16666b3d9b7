"""Guards that keep hostile input from reaching the database as an error the app did not
expect: a path id too large for any integer column is simply not found."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only values a BIGINT can hold: `/x/99999999999999999999999`
    is a 404, not an overflow inside the database driver (a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


def install(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converters when added."""
    app.url_map.converters["int"] = BoundedIntConverter
