"""Named access predicates for placement, used by routes, the API, templates and tests.

- Employers see candidates only once their company is verified, and a job seeker only if the
  person applied to one of their vacancies or agreed to be matched (`open_to_offers`); even
  then only the profile items they consented to, their name and id only if they applied or
  consented to `name`, and units only of the certificates they attached unless open to offers.
- Placement officers see only their own institution's caseload and candidates.
- Survey links are checked in services/survey.py: signed, single-use, own survey only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.models import User
    from app.placement.models.counselling import CounsellingSession
    from app.placement.models.employers import Application, Company
    from app.placement.models.overseas import OverseasCandidate, OverseasProgramme


def can_apply(user: User) -> bool:
    """Job seekers (trainees) apply for vacancies and keep a job seeker profile."""
    return user.has_role("trainee")


def can_post_vacancies(user: User, company: Company | None) -> bool:
    """An employer posts vacancies for the company profile they keep."""
    return company is not None and can_manage_company(user, company)


def can_create_programme(user: User) -> bool:
    return user.is_admin or (
        user.has_any_role("placement_officer", "institution_admin")
        and user.institution_id is not None
    )


def can_add_candidates(user: User, programme: OverseasProgramme) -> bool:
    return can_manage_overseas(user, programme) and user.institution_id is not None


def can_counsel(user: User) -> bool:
    return user.has_role("placement_officer") and user.institution_id is not None


def can_see_session(user: User, session: CounsellingSession) -> bool:
    if user.id == session.job_seeker_id or user.is_admin:
        return True
    return (
        user.has_any_role("placement_officer", "institution_admin")
        and user.institution_id == session.institution_id
    )


def can_manage_company(user: User, company: Company) -> bool:
    return user.is_admin or (user.has_role("employer") and company.owner_id == user.id)


def can_verify_companies(user: User) -> bool:
    return user.is_admin


def can_see_application(user: User, application: Application) -> bool:
    return (
        user.id == application.user_id
        or user.is_admin
        or can_manage_company(user, application.vacancy.company)
    )


def employer_may_see_seeker(applied: bool, open_to_offers: bool) -> bool:
    return applied or open_to_offers


def employer_may_see_identity(applied: bool, consented_to_name: bool) -> bool:
    """An applicant chose to be known to the employer; a seeker found by matching only when
    they consented to show their name."""
    return applied or consented_to_name


def may_see_candidates(user: User, company: Company) -> bool:
    """Candidates of a vacancy: its company's owner once a platform admin verified the
    company, and platform admins."""
    return user.is_admin or (can_manage_company(user, company) and company.is_verified)


def can_manage_overseas(user: User, programme: OverseasProgramme) -> bool:
    if user.is_admin:
        return True
    return (
        user.has_any_role("placement_officer", "institution_admin")
        and user.institution_id is not None
        and programme.institution_id in (None, user.institution_id)
    )


def can_see_candidate(user: User, candidate: OverseasCandidate) -> bool:
    if user.id == candidate.user_id or user.is_admin:
        return True
    return (
        user.has_any_role("placement_officer", "institution_admin")
        and user.institution_id == candidate.institution_id
    )


def can_see_dashboard(user: User) -> bool:
    return user.is_admin or (user.has_role("institution_admin") and user.institution_id is not None)


def dashboard_scope(user: User) -> int | None:
    """None: the whole platform; otherwise the one institution the user runs."""
    return None if user.is_admin else user.institution_id
