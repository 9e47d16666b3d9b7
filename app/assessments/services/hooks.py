"""How assessments feed course completion: the requirement, the coverage and the unit
results of services/results.py, registered with the courses feature when the package is
imported. Grades and judgements re-evaluate completion through `results.reevaluate`."""

from __future__ import annotations

from app.assessments.services.results import assessments_met, unit_results, units_covered
from app.courses.services.completion import register_requirement
from app.courses.services.coverage import register_coverage, register_results

register_requirement("assessments", assessments_met)
register_coverage("assessments", units_covered)
register_results("assessments", unit_results)
