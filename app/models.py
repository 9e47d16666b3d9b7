"""Imports every model module so that SQLAlchemy's metadata and Alembic see all tables."""

from app.assessments.models import Assessment, Attempt, Judgement  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import ApiToken, User, UserRole  # noqa: F401
from app.certificates.models import (  # noqa: F401  # noqa: F401
    BulkIssueJob,
    Certificate,
    CredentialKey,
    OAuthClient,
    OAuthToken,
)
from app.courses.models import CompetencyUnit, Course, CourseVersion, Enrollment  # noqa: F401
from app.institutions.models import Institution  # noqa: F401
from app.placement.models import Company, EmploymentSurvey, Vacancy  # noqa: F401
