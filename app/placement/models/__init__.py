"""Placement models: job seeker profiles, counselling, employers and vacancies, overseas
programmes and the employment survey. Importing this package registers every table."""

import app.certificates.models  # noqa: F401  (placement rows refer to certificates)
from app.placement.models.counselling import CounsellingSession, Recommendation
from app.placement.models.employers import (
    Application,
    ApplicationCertificate,
    Company,
    Placement,
    Vacancy,
    VacancyUnit,
)
from app.placement.models.overseas import (
    OverseasCandidate,
    OverseasProgramme,
    ProgrammeCourse,
    StageResult,
)
from app.placement.models.profile import JobSeekerProfile
from app.placement.models.survey import EmploymentSurvey

__all__ = [
    "Application",
    "ApplicationCertificate",
    "Company",
    "CounsellingSession",
    "EmploymentSurvey",
    "JobSeekerProfile",
    "OverseasCandidate",
    "OverseasProgramme",
    "Placement",
    "ProgrammeCourse",
    "Recommendation",
    "StageResult",
    "Vacancy",
    "VacancyUnit",
]
