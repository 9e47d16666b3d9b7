"""Helpers shared by the placement pages."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from app.errors import AppError
from app.extensions import db


def form_error(form: FlaskForm, error: AppError) -> None:
    """Roll back, then put a service's error on the form fields it names (or flash it)."""
    db.session.rollback()
    placed = False
    for name in error.details:
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), error.message]
            placed = True
    if not placed:
        flash(error.message, "error")


def template_labels() -> dict:
    """Label helpers for the placement templates."""
    from functools import partial

    from app.courses.vocab import sector_label
    from app.placement import vocab

    return {
        "route_label": partial(vocab.label, vocab.ROUTE_LABELS),
        "readiness_label": partial(vocab.label, vocab.READINESS_LABELS),
        "application_label": partial(vocab.label, vocab.APPLICATION_LABELS),
        "certificate_label": partial(vocab.label, vocab.CERTIFICATE_LABELS),
        "stage_label": partial(vocab.label, vocab.STAGE_LABELS),
        "stage_result_label": partial(vocab.label, vocab.STAGE_RESULT_LABELS),
        "candidate_label": partial(vocab.label, vocab.CANDIDATE_LABELS),
        "employment_label": partial(vocab.label, vocab.EMPLOYMENT_LABELS),
        "country_label": lambda code: vocab.COUNTRY_LABELS.get(code, code),
        "sector_label": sector_label,
        "item_label": partial(vocab.label, vocab.ITEM_LABELS),
        "shown_value": shown_value,
        "course_url": course_url,
        "pct": lambda value: "–" if value is None else f"{value:g}%",
    }


def shown_value(value: object) -> str:
    """A consented profile item as plain text."""
    if isinstance(value, dict):
        return ", ".join(shown_value(v) for v in value.values() if v not in ("", None, [], {}))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "–"
    return str(value)


def course_url(course_id: int) -> str | None:
    """The catalogue page of a course, if the courses feature serves one."""
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for("courses.course_page", course_id=course_id)
    except BuildError:
        return None
