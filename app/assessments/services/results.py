"""Results other features read: a trainee's standing per competency unit."""

from __future__ import annotations

from typing import Any

from app.assessments.services.grading import outcome
from app.assessments.services.hooks import required_assessments
from app.assessments.services.practical import practical_summary, units_of
from app.courses.models import Enrollment


def results_by_unit(enrollment: Enrollment) -> dict[str, dict[str, Any]]:
    """{unit_code: {"theory_percent": float | None, "practical": "K" | "BK" | None}} for every
    unit of the enrolment's version. `theory_percent` is the trainee's score on the unit's
    questions in the counted attempt of each required test (the lowest if several)."""
    result: dict[str, dict[str, Any]] = {
        unit.code: {"theory_percent": None, "practical": None} for unit in units_of(enrollment)
    }
    for assessment in required_assessments(enrollment):
        if assessment.is_practical:
            continue
        counted = outcome(assessment, enrollment.user_id)
        if counted is None:
            continue
        for code, entry in (counted.unit_results or {}).items():
            if code in result and entry["max_score"]:
                percent = round(100 * entry["score"] / entry["max_score"], 2)
                current = result[code]["theory_percent"]
                result[code]["theory_percent"] = (
                    percent if current is None else min(current, percent)
                )
    for code, judgement in practical_summary(enrollment).items():
        if code in result:
            result[code]["practical"] = judgement["result"]
    return result
