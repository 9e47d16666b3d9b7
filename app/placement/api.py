"""JSON API under /api/v1/placement: profile, counselling, vacancies, applications, matches,
overseas progress, dashboards and the survey answer."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _

from app.api import BEARER, ApiBlueprint, current_api_user, token_required
from app.errors import Forbidden, NotFound
from app.extensions import limiter
from app.placement import schemas as s
from app.placement.models.counselling import CounsellingSession
from app.placement.models.employers import Application, Vacancy
from app.placement.models.overseas import OverseasCandidate
from app.placement.models.profile import JobSeekerProfile
from app.placement.models.survey import EmploymentSurvey
from app.placement.permissions import (
    can_counsel,
    can_post_vacancies,
    can_see_dashboard,
    dashboard_scope,
    may_see_candidates,
)
from app.placement.services import applications, counselling, matches, overseas, vacancies
from app.placement.services import dashboard as figures
from app.placement.services import survey as surveys
from app.placement.services.counselling import CaseloadRow
from app.placement.services.profile import profile_of, save_profile

blp = ApiBlueprint(
    "placement_api", __name__, url_prefix="/api/v1/placement", description="Placement"
)


def _application_out(application: Application) -> dict[str, Any]:
    return {
        "id": application.id,
        "vacancy_id": application.vacancy_id,
        "user_id": application.user_id,
        "status": application.status,
        "created_at": application.created_at,
        "certificates": applications.live_certificates(application),
    }


@blp.route("/profile")
class Profile(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.ProfileSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a trainee")
    @blp.alt_response(404, description="No profile yet")
    @token_required("trainee")
    def get(self) -> JobSeekerProfile:
        """Your job seeker profile."""
        profile = profile_of(current_api_user())
        if profile is None:
            raise NotFound(_("You have no job seeker profile yet."))
        return profile

    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.arguments(s.ProfileSchema, required=False)
    @blp.response(200, s.ProfileSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a trainee")
    @blp.alt_response(422, description="Invalid profile")
    def put(self, body: dict) -> JobSeekerProfile:
        """Create or update your profile, with each item's consent."""
        profile = save_profile(current_api_user(), **body)
        return profile


@blp.route("/counselling")
class Counselling(MethodView):
    @blp.doc(security=BEARER)
    @token_required("placement_officer")
    @blp.arguments(s.CounsellingInSchema)
    @blp.response(201, s.SessionSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a placement officer")
    @blp.alt_response(422, description="Invalid session, unknown units or courses")
    def post(self, body: dict) -> CounsellingSession:
        """Record a counselling session; courses default to those closing the missing units."""
        officer = current_api_user()
        if not can_counsel(officer):
            raise Forbidden(_("Only placement officers of an institution record counselling."))
        seeker = counselling.find_job_seeker(body.pop("job_seeker_email"))
        session = counselling.record_session(officer, seeker, **body)
        return session


@blp.route("/caseload")
class Caseload(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.CaseloadRowSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not a placement officer")
    @token_required("placement_officer")
    def get(self) -> list[CaseloadRow]:
        """Your institution's caseload, overdue follow-ups first."""
        officer = current_api_user()
        if not can_counsel(officer):
            raise Forbidden(_("Only placement officers of an institution have a caseload."))
        return counselling.caseload(officer)


@blp.route("/plan")
class Plan(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.SessionSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @token_required("trainee")
    def get(self) -> list[CounsellingSession]:
        """Your counselling sessions and recommended courses, newest first."""
        return counselling.plan_of(current_api_user())


@blp.route("/vacancies")
class Vacancies(MethodView):
    @blp.response(200, s.VacancySchema(many=True))
    def get(self) -> list[Vacancy]:
        """Open vacancies of verified companies."""
        return vacancies.public_vacancies()

    @blp.doc(security=BEARER)
    @token_required("employer")
    @blp.arguments(s.VacancyInSchema)
    @blp.response(201, s.VacancySchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an employer with a company profile")
    @blp.alt_response(422, description="Invalid vacancy or unknown unit codes; nothing written")
    def post(self, body: dict) -> Vacancy:
        """Post a vacancy with required and preferred competency units."""
        user = current_api_user()
        company = vacancies.company_of(user)
        if not can_post_vacancies(user, company):
            raise Forbidden(_("Create your company profile before posting vacancies."))
        vacancy = vacancies.create_vacancy(user, company, **body)
        return vacancy


@blp.route("/vacancies/<int:vacancy_id>/matches")
class VacancyMatches(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.CandidateMatchSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Your company is not verified yet")
    @blp.alt_response(404, description="Not your vacancy")
    @token_required("employer", "admin")
    def get(self, vacancy_id: int) -> list[dict[str, Any]]:
        """Applicants and consenting job seekers, ranked, each score explained.

        Only for a verified company. Each seeker shows only what they consented to: name and
        user id if they applied or consented to `name`, the profile items they chose, and
        units of the certificates they attached (all valid units if open to offers)."""
        user = current_api_user()
        vacancy = vacancies.get_own_vacancy(user, vacancy_id)
        if not may_see_candidates(user, vacancy.company):
            raise Forbidden(
                _("Candidates are shown once a platform admin has verified your company.")
            )
        return [
            {
                "rank": rank,
                "user_id": c.user_id,
                "name": c.name,
                "applied": c.applied,
                "application_id": c.application.id if c.application else None,
                "status": c.application.status if c.application else None,
                "profile": c.shown,
                "explanation": c.match.explain(),
            }
            for rank, c in enumerate(matches.matches_for_vacancy(user, vacancy), start=1)
        ]


@blp.route("/vacancies/<int:vacancy_id>/applications")
class Apply(MethodView):
    @blp.doc(security=BEARER)
    @token_required("trainee")
    @blp.arguments(s.ApplyInSchema, required=False)
    @blp.response(201, s.ApplicationSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such open vacancy")
    @blp.alt_response(409, description="Already applied")
    @blp.alt_response(422, description="A certificate that is not yours; nothing written")
    def post(self, body: dict, vacancy_id: int) -> dict[str, Any]:
        """Apply with the certificates you choose."""
        user = current_api_user()
        vacancy = vacancies.get_public_vacancy(vacancy_id)
        application = applications.apply(user, vacancy, body["certificate_ids"], body["cover_note"])
        return _application_out(application)


@blp.route("/applications/<int:application_id>")
class ApplicationItem(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.ApplicationSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such application of yours")
    @token_required()
    def get(self, application_id: int) -> dict[str, Any]:
        """An application with each certificate's live verification status."""
        return _application_out(applications.get_application(current_api_user(), application_id))


@blp.route("/applications/<int:application_id>/status")
class ApplicationStatus(MethodView):
    @blp.doc(security=BEARER)
    @token_required("employer", "admin")
    @blp.arguments(s.StatusInSchema)
    @blp.response(200, s.ApplicationSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="No such application of yours")
    @blp.alt_response(409, description="Not a permitted move")
    def post(self, body: dict, application_id: int) -> dict[str, Any]:
        """Move an application: applied, shortlisted, interviewed, hired or rejected."""
        user = current_api_user()
        application = applications.get_application(user, application_id)
        applications.move(user, application, body["status"])
        return _application_out(application)


@blp.route("/me/matches")
class MyMatches(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.VacancyMatchSchema(many=True))
    @blp.alt_response(401, description="No valid token")
    @token_required("trainee")
    def get(self) -> list[dict[str, Any]]:
        """Open vacancies ranked for you, and the courses that would close each gap."""
        return [
            {
                "rank": rank,
                "vacancy": m.vacancy,
                "explanation": m.match.explain(),
                "gap_courses": [
                    {"course_id": v.course_id, "title": v.title, "closes_units": list(closes)}
                    for v, closes in m.gap_courses
                ],
                "uncovered_units": list(m.plan.uncovered),
            }
            for rank, m in enumerate(matches.matches_for_seeker(current_api_user()), start=1)
        ]


@blp.route("/overseas/candidates/<int:candidate_id>")
class Candidate(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.CandidateSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(404, description="Not your candidacy or caseload")
    @token_required()
    def get(self, candidate_id: int) -> OverseasCandidate:
        """A candidate's progress through the programme's stages."""
        return overseas.get_candidate(current_api_user(), candidate_id)


@blp.route("/dashboard")
class Dashboard(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.DashboardSchema)
    @blp.alt_response(401, description="No valid token")
    @blp.alt_response(403, description="Not an institution or platform admin")
    @token_required("institution_admin", "admin")
    def get(self) -> dict[str, Any]:
        """Outcome figures: yours as an institution admin, the platform's as an admin."""
        user = current_api_user()
        if not can_see_dashboard(user):
            raise Forbidden(_("Your account may not do this."))
        scope = dashboard_scope(user)
        data = figures.counts_by(figures.compute(scope))
        data["response_rates"] = surveys.response_rates(scope)
        return data


@blp.route("/surveys/<token>")
class SurveyAnswer(MethodView):
    decorators = [limiter.limit("30 per minute")]

    @blp.arguments(s.SurveyAnswerSchema)
    @blp.response(201, s.SurveyAnsweredSchema)
    @blp.alt_response(404, description="Not a valid survey link")
    @blp.alt_response(409, description="Already answered; nothing written")
    @blp.alt_response(410, description="The link has expired; nothing written")
    @blp.alt_response(422, description="Invalid answer")
    def post(self, body: dict, token: str) -> EmploymentSurvey:
        """Answer the employment survey with the e-mailed link's token (no login)."""
        survey = surveys.answer(token, **body)
        return survey
