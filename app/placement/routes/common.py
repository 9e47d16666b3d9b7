"""Helpers shared by the placement pages."""

from __future__ import annotations

from functools import partial

from flask import url_for
from werkzeug.routing import BuildError

from app.courses.vocab import sector_label
from app.placement import vocab


def template_labels() -> dict:
    """Label helpers for the placement templates."""
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
    try:
        return url_for("courses.course_page", course_id=course_id)
    except BuildError:
        return None
