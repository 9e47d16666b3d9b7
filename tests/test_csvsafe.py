"""The one rule every CSV export uses against formula injection."""

import pytest

from app.csvsafe import defuse


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
