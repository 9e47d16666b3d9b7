"""Which competency units of a course version are covered by an assessment, and what an
enrolment's assessments concluded about each unit.

A course leading to a competency certificate (Sertifikat Kompetensi) may be published only
when every unit of the version is covered, and its certificate names each unit's result.
The courses feature does not know assessments; the assessments feature registers its
providers at import time (app/assessments/services/hooks.py):

    from app.courses.services.coverage import register_coverage, register_results
    register_coverage("assessments", units_covered)
    register_results("assessments", unit_results)

A coverage provider is `fn(version) -> set of unit ids`; a unit is covered when any
provider covers it. A results provider is `fn(enrollment) -> {unit code: UnitResult}`.
With no provider registered nothing is covered and nothing assessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from flask_babel import gettext as _

from app.courses.models import CompetencyUnit, CourseVersion, Enrollment
from app.errors import ValidationFailed


class UnitResult(TypedDict):
    """What assessed a unit: "K" or "BK", by a "practical" (with its assessor and date) or a
    "theory" test, and the assessment's title."""

    result: str
    method: str
    assessment: str
    assessor: str | None
    date: str | None


Coverage = Callable[[CourseVersion], set[int]]
Results = Callable[[Enrollment], dict[str, UnitResult]]
_PROVIDERS: dict[str, Coverage] = {}
_RESULTS: dict[str, Results] = {}


def register_coverage(name: str, fn: Coverage) -> None:
    """Add (or replace, by name) a provider of covered units."""
    _PROVIDERS[name] = fn


def register_results(name: str, fn: Results) -> None:
    """Add (or replace, by name) a provider of an enrolment's unit results."""
    _RESULTS[name] = fn


def unit_results(enrollment: Enrollment) -> dict[str, UnitResult]:
    """Each assessed unit's result for the enrolment (later providers win a tie)."""
    results: dict[str, UnitResult] = {}
    for provider in _RESULTS.values():
        results.update(provider(enrollment))
    return results


def uncovered_units(version: CourseVersion) -> list[CompetencyUnit]:
    """The version's units no assessment covers, in the version's order."""
    covered: set[int] = set()
    for provider in _PROVIDERS.values():
        covered |= provider(version)
    return [unit for unit in version.units if unit.id not in covered]


def competency_problems(version: CourseVersion) -> list[str]:
    """Why `version` cannot lead to a competency certificate (empty: it can)."""
    if not version.units:
        return [_("A course leading to a competency certificate needs competency units.")]
    missing = uncovered_units(version)
    if not missing:
        return []
    return [
        _(
            "A competency certificate needs every unit assessed; no published, required "
            "assessment covers: %(codes)s",
            codes=", ".join(unit.code for unit in missing),
        )
    ]


def require_covered(version: CourseVersion) -> None:
    """Raise ValidationFailed naming the units of `version` no assessment covers."""
    problems = competency_problems(version)
    if problems:
        missing = [unit.code for unit in uncovered_units(version)]
        raise ValidationFailed(
            problems[0], details={"certificate_kind": problems, "uncovered_units": missing}
        )
