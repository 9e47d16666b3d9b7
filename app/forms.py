"""Form helpers shared by every feature's HTML handlers."""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash
from flask_wtf import FlaskForm

from app.errors import AppError


def form_error(form: FlaskForm, error: AppError, aliases: Mapping[str, str] | None = None) -> None:
    """Put a service error on the form fields it names, or show it as a message when it names
    none. `aliases` maps a name the service uses to the form's field (`password` to
    `new_password`). The caller answers with an error status, so the request rolls back."""
    placed = False
    for name in error.details:
        field = getattr(form, name, None) or getattr(form, (aliases or {}).get(name, ""), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), error.message]
            placed = True
    if not placed:
        flash(error.message, "error")
