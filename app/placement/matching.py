"""Matching job seekers and vacancies by verified competency units. Pure functions: no Flask,
no database; callers pass plain specs built from the models.

A match is ranked by, in order:
1. the share of the vacancy's required units the seeker's currently valid certificates cover
   (a vacancy with no required units is covered fully);
2. the number of preferred units covered;
3. place: same city (2), same province (1), elsewhere (0);
4. sector: the vacancy's sector is one the seeker wants (1) or not (0);
then by id, ascending, so equal scores always come out in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class VacancySpec:
    id: int
    required: frozenset[str]
    preferred: frozenset[str] = frozenset()
    city: str = ""
    province: str = ""
    sector: str = ""


@dataclass(frozen=True)
class SeekerSpec:
    id: int
    units: frozenset[str]  # unit codes covered by currently valid certificates
    city: str = ""
    province: str = ""
    sectors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    vacancy_id: int
    seeker_id: int
    required_share: Fraction
    matched_required: tuple[str, ...]
    missing_required: tuple[str, ...]
    matched_preferred: tuple[str, ...]
    missing_preferred: tuple[str, ...]
    place: int
    sector: int

    @property
    def percent(self) -> int:
        return int(self.required_share * 100)

    @property
    def rank_key(self) -> tuple:
        return (-self.required_share, -len(self.matched_preferred), -self.place, -self.sector)

    def explain(self) -> dict:
        return {
            "required_share": float(self.required_share),
            "percent": self.percent,
            "matched_required": list(self.matched_required),
            "missing_required": list(self.missing_required),
            "matched_preferred": list(self.matched_preferred),
            "missing_preferred": list(self.missing_preferred),
            "place": self.place,
            "sector": self.sector,
        }


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def place_score(vacancy: VacancySpec, seeker: SeekerSpec) -> int:
    if vacancy.city and _norm(vacancy.city) == _norm(seeker.city):
        return 2
    if vacancy.province and _norm(vacancy.province) == _norm(seeker.province):
        return 1
    return 0


def score(vacancy: VacancySpec, seeker: SeekerSpec) -> Match:
    matched_required = tuple(sorted(vacancy.required & seeker.units))
    share = (
        Fraction(len(matched_required), len(vacancy.required)) if vacancy.required else Fraction(1)
    )
    return Match(
        vacancy_id=vacancy.id,
        seeker_id=seeker.id,
        required_share=share,
        matched_required=matched_required,
        missing_required=tuple(sorted(vacancy.required - seeker.units)),
        matched_preferred=tuple(sorted(vacancy.preferred & seeker.units)),
        missing_preferred=tuple(sorted(vacancy.preferred - seeker.units)),
        place=place_score(vacancy, seeker),
        sector=int(bool(vacancy.sector) and vacancy.sector in seeker.sectors),
    )


def rank_seekers(vacancy: VacancySpec, seekers: Iterable[SeekerSpec]) -> list[Match]:
    """Candidates for a vacancy, best first."""
    matches = [score(vacancy, seeker) for seeker in seekers]
    return sorted(matches, key=lambda m: (*m.rank_key, m.seeker_id))


def rank_vacancies(seeker: SeekerSpec, vacancies: Iterable[VacancySpec]) -> list[Match]:
    """Vacancies for a seeker, best first."""
    matches = [score(vacancy, seeker) for vacancy in vacancies]
    return sorted(matches, key=lambda m: (*m.rank_key, m.vacancy_id))


@dataclass(frozen=True)
class CourseOffer:
    id: int
    units: frozenset[str]
    hours: int = 0


@dataclass
class GapPlan:
    """The courses that close a set of missing units, and what stays open."""

    courses: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # (course, closes)
    uncovered: tuple[str, ...] = ()

    @property
    def course_ids(self) -> list[int]:
        return [course_id for course_id, _closes in self.courses]


def courses_closing(missing: Iterable[str], offers: Iterable[CourseOffer]) -> GapPlan:
    """Greedy cover of `missing` units: each step takes the course closing the most units
    still open, then the fewest hours, then the lowest id."""
    open_units = set(missing)
    candidates = sorted(offers, key=lambda c: c.id)
    plan = GapPlan()
    while open_units:
        best = min(
            candidates,
            key=lambda c: (-len(c.units & open_units), c.hours, c.id),
            default=None,
        )
        if best is None or not best.units & open_units:
            break
        closes = tuple(sorted(best.units & open_units))
        plan.courses.append((best.id, closes))
        open_units -= best.units
        candidates.remove(best)
    plan.uncovered = tuple(sorted(open_units))
    return plan
