"""Matching with the database: build specs from profiles, vacancies and valid certificates,
then rank with the pure functions of app.placement.matching."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from app.auth.models import User
from app.courses.models import CourseVersion
from app.extensions import db
from app.placement import verified
from app.placement.matching import (
    GapPlan,
    Match,
    SeekerSpec,
    VacancySpec,
    courses_closing,
    rank_seekers,
    rank_vacancies,
    score,
)
from app.placement.models.employers import Application, Vacancy
from app.placement.models.profile import JobSeekerProfile
from app.placement.permissions import (
    employer_may_see_identity,
    employer_may_see_seeker,
)
from app.placement.services.common import course_offers
from app.placement.services.vacancies import public_vacancies


def vacancy_spec(vacancy: Vacancy) -> VacancySpec:
    return VacancySpec(
        id=vacancy.id,
        required=frozenset(vacancy.unit_codes("required")),
        preferred=frozenset(vacancy.unit_codes("preferred")),
        city=vacancy.city,
        province=vacancy.province,
        sector=vacancy.sector,
    )


def seeker_spec(user_id: int, units: set[str], profile: JobSeekerProfile | None) -> SeekerSpec:
    return SeekerSpec(
        id=user_id,
        units=frozenset(units),
        city=profile.city if profile else "",
        province=profile.province if profile else "",
        sectors=frozenset(profile.desired_sectors or []) if profile else frozenset(),
    )


@dataclass
class CandidateMatch:
    """One ranked candidate. `user` is for the server only; what an employer may see is
    `user_id` and `name` (None without consent), `shown` and the match on consented units."""

    match: Match
    user: User
    applied: bool
    application: Application | None
    shown: dict  # the consented profile items
    user_id: int | None
    name: str | None


def _consented_spec(uid: int, units: set[str], profile: JobSeekerProfile | None) -> SeekerSpec:
    """What an employer's ranking may use: place and sectors only with their consent, since
    the explanation says whether they match."""
    spec = seeker_spec(uid, units, profile)
    if profile is None:
        return spec
    located = profile.consented("location")
    return replace(
        spec,
        city=spec.city if located else "",
        province=spec.province if located else "",
        sectors=spec.sectors if profile.consented("sectors") else frozenset(),
    )


def _consented_units(
    application: Application | None,
    profile: JobSeekerProfile | None,
    valid: dict[str, list[verified.CertificateRef]],
) -> set[str]:
    """The units an employer may match on: all valid ones for a seeker open to offers, only
    those of the certificates attached to the application otherwise."""
    if profile is not None and profile.open_to_offers:
        return set(valid)
    attached = set(application.certificate_ids) if application else set()
    return {code for code, refs in valid.items() if any(r.id in attached for r in refs)}


def matches_for_vacancy(viewer: User, vacancy: Vacancy) -> list[CandidateMatch]:
    """Applicants, and job seekers who agreed to be matched, ranked and explained. Nobody
    else: an employer never sees a job seeker who neither applied nor consented, and an
    employer whose company is not verified sees no one."""
    applications = {
        a.user_id: a
        for a in db.session.scalars(select(Application).where(Application.vacancy_id == vacancy.id))
    }
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(JobSeekerProfile).where(
                (JobSeekerProfile.open_to_offers.is_(True))
                | (JobSeekerProfile.user_id.in_(list(applications)))
            )
        )
    }
    user_ids = sorted(
        uid
        for uid in set(applications) | set(profiles)
        if employer_may_see_seeker(
            uid in applications, bool(profiles.get(uid) and profiles[uid].open_to_offers)
        )
    )
    units = verified.units_by_user(user_ids)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    specs = [
        _consented_spec(
            uid,
            _consented_units(applications.get(uid), profiles.get(uid), units[uid]),
            profiles.get(uid),
        )
        for uid in user_ids
    ]
    ranked = rank_seekers(vacancy_spec(vacancy), specs)
    out = []
    for m in ranked:
        uid = m.seeker_id
        profile = profiles.get(uid)
        identified = employer_may_see_identity(
            uid in applications, bool(profile and profile.consented("name"))
        )
        out.append(
            CandidateMatch(
                match=m,
                user=users[uid],
                applied=uid in applications,
                application=applications.get(uid),
                shown=profile.shown_to_employer() if profile else {},
                user_id=uid if identified else None,
                name=users[uid].full_name if identified else None,
            )
        )
    return out


@dataclass
class VacancyMatch:
    match: Match
    vacancy: Vacancy
    plan: GapPlan
    versions: dict[int, CourseVersion]

    @property
    def gap_courses(self) -> list[tuple[CourseVersion, tuple[str, ...]]]:
        return [(self.versions[cid], closes) for cid, closes in self.plan.courses]


def match_for(user: User, vacancy: Vacancy) -> Match:
    """How one job seeker matches one vacancy, explained."""
    profile = db.session.scalar(select(JobSeekerProfile).where(JobSeekerProfile.user_id == user.id))
    spec = seeker_spec(user.id, set(verified.verified_units(user)), profile)
    return score(vacancy_spec(vacancy), spec)


def matches_for_seeker(user: User) -> list[VacancyMatch]:
    """Open vacancies ranked for a job seeker, each with the courses closing its gaps."""
    profile = db.session.scalar(select(JobSeekerProfile).where(JobSeekerProfile.user_id == user.id))
    spec = seeker_spec(user.id, set(verified.verified_units(user)), profile)
    vacancies = {v.id: v for v in public_vacancies()}
    offers, versions = course_offers()
    out = []
    for m in rank_vacancies(spec, [vacancy_spec(v) for v in vacancies.values()]):
        missing = m.missing_required + m.missing_preferred
        out.append(
            VacancyMatch(m, vacancies[m.vacancy_id], courses_closing(missing, offers), versions)
        )
    return out
