"""CSV downloads with spreadsheet formula injection neutralised: a text cell starting with
=, +, -, @, tab or carriage return gets a leading apostrophe, so Excel or LibreOffice shows
it as text instead of running it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from app.csvsafe import defuse


def neutralise(value: Any) -> Any:
    if value is None:
        return ""
    return defuse(value) if isinstance(value, str) else value


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
