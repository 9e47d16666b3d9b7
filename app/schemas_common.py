"""Marshmallow pieces every feature's schemas share.

`Int32` is the integer field of the JSON API: every integer column is a 32-bit INTEGER (see
app.ops.guards), so an integer field accepts only what such a column holds, and the bounds
are a validator, so the OpenAPI document publishes them as `minimum` / `maximum` and a
value past them is a 422 naming the field, never an error inside the database driver.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app.ops.guards import INTEGER_MAX

INTEGER_MIN = -INTEGER_MAX - 1


class Int32(ma.fields.Integer):
    """An integer a 32-bit INTEGER column holds; further `validate` rules narrow it."""

    def __init__(self, *, validate: Any = None, **kwargs: Any) -> None:  # noqa: ANN401
        if validate is None:
            rules = []
        elif callable(validate):
            rules = [validate]
        else:
            rules = list(validate)
        super().__init__(
            validate=[ma.validate.Range(min=INTEGER_MIN, max=INTEGER_MAX), *rules], **kwargs
        )
