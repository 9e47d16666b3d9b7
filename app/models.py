"""Imports every model module so that SQLAlchemy's metadata and Alembic see all tables."""

from app.assessments.models import Assessment, Attempt, Judgement  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import ApiToken, User, UserRole  # noqa: F401
from app.certificates.models import BulkIssueJob, Certificate, CredentialKey  # noqa: F401
from app.certificates.oauth import OAuthClient, OAuthToken  # noqa: F401
from app.courses.models import CompetencyUnit, Course, CourseVersion, Enrollment  # noqa: F401
from app.institutions.models import Institution  # noqa: F401
from app.placement.models import Company, EmploymentSurvey, Vacancy  # noqa: F401
