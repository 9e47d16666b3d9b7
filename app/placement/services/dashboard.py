"""Outcome figures for the dashboards: enrolments, completions, pass rates, certificates
issued, employment rate and time to employment, grouped by course, institution, sector and
province, and self-employment among BLK Komunitas graduates.

Definitions (the dashboard page states them too):
- pass rate: graded, submitted assessment attempts that passed / all graded, submitted ones;
- certificates issued: certificates not superseded by a reissue;
- employment: each certificate's latest answered survey wave counts once; employed formally,
  informally or self-employed counts as working; employment rate = working / respondents;
- time to employment: the mean of `months to first job` over working respondents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.assessments.models import Assessment, Attempt
from app.courses.models import Course, CourseVersion, Enrollment
from app.courses.vocab import sector_label
from app.extensions import db
from app.institutions.models import Institution
from app.placement import verified
from app.placement.models.survey import WORKING, EmploymentSurvey

GROUPINGS = ("course", "institution", "sector", "province")


@dataclass
class Figures:
    key: str
    label: str
    enrolments: int = 0
    completions: int = 0
    graded: int = 0
    passed: int = 0
    certificates: int = 0
    respondents: int = 0
    working: int = 0
    self_employed: int = 0
    months_total: int = 0
    months_count: int = 0

    @property
    def pass_rate(self) -> float | None:
        return _pct(self.passed, self.graded)

    @property
    def employment_rate(self) -> float | None:
        return _pct(self.working, self.respondents)

    @property
    def self_employment_rate(self) -> float | None:
        return _pct(self.self_employed, self.respondents)

    @property
    def months_to_job(self) -> float | None:
        return None if not self.months_count else round(self.months_total / self.months_count, 1)

    def row(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "enrolments": self.enrolments,
            "completions": self.completions,
            "pass_rate": self.pass_rate,
            "certificates": self.certificates,
            "respondents": self.respondents,
            "employment_rate": self.employment_rate,
            "months_to_job": self.months_to_job,
        }


def _pct(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class CourseInfo:
    id: int
    code: str
    title: str
    sector: str
    institution: Institution


@dataclass
class Dashboard:
    groups: dict[str, list[Figures]] = field(default_factory=dict)
    total: Figures = field(default_factory=lambda: Figures("all", "all"))
    blk_komunitas: Figures = field(
        default_factory=lambda: Figures("blk_komunitas", "BLK Komunitas")
    )


def _courses(institution_id: int | None) -> dict[int, CourseInfo]:
    latest = (
        select(CourseVersion.course_id, func.max(CourseVersion.number).label("number"))
        .group_by(CourseVersion.course_id)
        .subquery()
    )
    statement = (
        select(Course, CourseVersion, Institution)
        .join(latest, latest.c.course_id == Course.id)
        .join(
            CourseVersion,
            (CourseVersion.course_id == Course.id) & (CourseVersion.number == latest.c.number),
        )
        .join(Institution, Institution.id == Course.institution_id)
    )
    if institution_id is not None:
        statement = statement.where(Course.institution_id == institution_id)
    return {
        course.id: CourseInfo(course.id, course.code, version.title, version.sector, inst)
        for course, version, inst in db.session.execute(statement)
    }


def _keys(info: CourseInfo) -> dict[str, tuple[str, str]]:
    return {
        "course": (str(info.id), f"{info.code} · {info.title}"),
        "institution": (info.institution.slug, info.institution.name),
        "sector": (info.sector, sector_label(info.sector)),
        "province": (info.institution.province, info.institution.province),
    }


def compute(institution_id: int | None = None) -> Dashboard:
    courses = _courses(institution_id)
    per_course: dict[int, Figures] = {cid: Figures(str(cid), "") for cid in courses}
    for course_id, status, count in db.session.execute(
        select(Enrollment.course_id, Enrollment.status, func.count())
        .where(Enrollment.course_id.in_(list(courses)))
        .group_by(Enrollment.course_id, Enrollment.status)
    ):
        per_course[course_id].enrolments += count
        if status == "completed":
            per_course[course_id].completions += count
    for course_id, passed, count in db.session.execute(
        select(Assessment.course_id, Attempt.passed, func.count())
        .join(Assessment, Assessment.id == Attempt.assessment_id)
        .where(
            Assessment.course_id.in_(list(courses)),
            Attempt.status == "submitted",
            Attempt.passed.is_not(None),
        )
        .group_by(Assessment.course_id, Attempt.passed)
    ):
        per_course[course_id].graded += count
        if passed:
            per_course[course_id].passed += count
    for ref in verified.issued_certificates(institution_id):
        if ref.course_id in per_course and ref.status != "superseded":
            per_course[ref.course_id].certificates += 1
    for survey in _latest_answers(list(courses)):
        figures = per_course[survey.course_id]
        figures.respondents += 1
        if survey.status in WORKING:
            figures.working += 1
            if survey.months_to_job is not None:
                figures.months_total += survey.months_to_job
                figures.months_count += 1
        if survey.status == "self_employed":
            figures.self_employed += 1
    return _group(courses, per_course)


def _latest_answers(course_ids: list[int]) -> list[EmploymentSurvey]:
    """Each certificate's latest answered wave."""
    candidates = db.session.scalars(
        select(EmploymentSurvey).where(
            EmploymentSurvey.answered_at.is_not(None),
            EmploymentSurvey.course_id.in_(course_ids),
        )
    )
    best: dict[int, EmploymentSurvey] = {}
    for survey in candidates:
        kept = best.get(survey.certificate_id)
        if kept is None or (survey.wave_months, survey.id) > (kept.wave_months, kept.id):
            best[survey.certificate_id] = survey
    return [best[cid] for cid in sorted(best)]


FIELDS = (
    "enrolments",
    "completions",
    "graded",
    "passed",
    "certificates",
    "respondents",
    "working",
    "self_employed",
    "months_total",
    "months_count",
)


def _add(into: Figures, figures: Figures) -> None:
    for name in FIELDS:
        setattr(into, name, getattr(into, name) + getattr(figures, name))


def _group(courses: dict[int, CourseInfo], per_course: dict[int, Figures]) -> Dashboard:
    dashboard = Dashboard()
    buckets: dict[str, dict[str, Figures]] = {g: {} for g in GROUPINGS}
    for course_id in sorted(courses):
        info, figures = courses[course_id], per_course[course_id]
        for grouping, (key, label) in _keys(info).items():
            bucket = buckets[grouping].setdefault(key, Figures(key, label))
            _add(bucket, figures)
        _add(dashboard.total, figures)
        if info.institution.type == "BLK_KOMUNITAS":
            _add(dashboard.blk_komunitas, figures)
    dashboard.groups = {
        grouping: sorted(bucket.values(), key=lambda f: (f.label.lower(), f.key))
        for grouping, bucket in buckets.items()
    }
    return dashboard


def group_rows(dashboard: Dashboard, grouping: str) -> list[dict[str, Any]]:
    return [figures.row() for figures in dashboard.groups.get(grouping, [])]


def counts_by(dashboard: Dashboard) -> dict[str, Any]:
    """The whole dashboard as plain data (the JSON API's shape)."""
    blk = dashboard.blk_komunitas
    return {
        "total": dashboard.total.row(),
        "groups": {g: group_rows(dashboard, g) for g in GROUPINGS},
        "blk_komunitas": {
            "respondents": blk.respondents,
            "self_employed": blk.self_employed,
            "self_employment_rate": blk.self_employment_rate,
        },
    }
