"""Every user-facing string has an Indonesian translation: Indonesian is the default language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

APP = Path(__file__).resolve().parents[1] / "app"
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _translated() -> dict[str, str]:
    found: dict[str, str] = {}
    for po_path in APP.glob("**/translations/id/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    found[key] = message.string if isinstance(message.string, str) else ""
    return found


def test_every_message_has_an_indonesian_translation():
    translated = _translated()
    missing = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(APP), method_map=METHODS, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid not in translated:
            missing.append(f"{filename}:{lineno}: {msgid}")
    assert missing == []


def test_placeholders_survive_translation():
    import re

    for msgid, msgstr in _translated().items():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid
