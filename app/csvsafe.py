"""The one CSV writer of every export. Cells a spreadsheet would run as a formula (CSV
injection) are shown as text: a text starting with =, +, -, @, tab or carriage return gets a
leading apostrophe. Dates are ISO 8601; dicts and lists are JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | date | datetime | dict | list | None


def defuse(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Cell) -> str | int | float:
    """One cell as the export writes it."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return defuse(str(value))


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The export one line at a time (CRLF, as RFC 4180 says), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Sequence[Cell]) -> str:
        writer.writerow([cell(value) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(headers)
    for row in rows:
        yield line(row)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    return "".join(csv_lines(headers, rows))
