"""CSV cells a spreadsheet shows as text and never runs as a formula (CSV injection): a text
starting with =, +, -, @, tab or carriage return gets a leading apostrophe."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
