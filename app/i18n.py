"""Languages: Indonesian by default, English on request. Each feature package may keep its own
catalogue in <package>/translations; the build compiles them all (never committed as .mo)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, session
from flask_login import current_user

APP_DIR = Path(__file__).resolve().parent


def translation_dirs() -> list[Path]:
    return sorted(p for p in APP_DIR.glob("**/translations") if p.is_dir())


def compile_catalogs() -> list[Path]:
    """Compile every messages.po under app/**/translations whose .mo is missing or older."""
    written = []
    for po_path in APP_DIR.glob("**/translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path)
    return written


def local_today() -> date:
    """Today in the platform's time zone (WIB by default), for dates people see and choose."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta"))
    return datetime.now(zone).date()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
        chosen = session.get("locale")
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def babel_settings(app: Flask) -> dict:
    return {
        "locale_selector": select_locale,
        "default_translation_directories": ";".join(str(p) for p in translation_dirs()),
    }
