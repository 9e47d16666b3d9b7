"""The one CSV writer every export uses, and its rule against formula injection."""

from datetime import UTC, datetime

import pytest

from app.csvsafe import cell, csv_lines, defuse, to_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Rina", "Rina"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_defuse(text, expected):
    assert defuse(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("-1", "'-1"),
        ("plain", "plain"),
        (-3, -3),
        (2.5, 2.5),
        (None, ""),
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "2026-12-01T23:30:00+00:00"),
        ({"b": 1, "a": "=x"}, '{"a": "=x", "b": 1}'),
        (["=x"], '["=x"]'),
    ],
)
def test_cell(value, expected):
    assert cell(value) == expected


def test_csv_lines_streams_one_crlf_line_per_row_and_to_csv_joins_them():
    rows = [["Rina", "=HYPERLINK(1)"], ["Budi", None]]
    lines = list(csv_lines(["name", "note"], rows))
    assert lines == ["name,note\r\n", "Rina,'=HYPERLINK(1)\r\n", "Budi,\r\n"]
    assert to_csv(["name", "note"], rows) == "".join(lines)
