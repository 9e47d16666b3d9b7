"""CSV cells a spreadsheet shows as text and never runs as a formula (CSV injection): a text
starting with =, +, -, @, tab or carriage return gets a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: object) -> object:
    """A value as a CSV cell: None is empty, text is defused, numbers stay numbers."""
    if value is None:
        return ""
    return defuse(value) if isinstance(value, str) else value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document, every cell through `cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(h) for h in headers])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()
