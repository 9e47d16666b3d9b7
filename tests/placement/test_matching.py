"""The pure matching functions: ranking order, deterministic ties, explanations, gaps."""

from __future__ import annotations

from fractions import Fraction

from app.placement.matching import (
    CourseOffer,
    SeekerSpec,
    VacancySpec,
    courses_closing,
    rank_seekers,
    rank_vacancies,
    score,
)

A, B, C, D, P = "A.000001.001.01", "A.000001.002.01", "A.000001.003.01", "A.000001.004.01", "P"

VACANCY = VacancySpec(
    id=1,
    required=frozenset({A, B, C, D}),
    preferred=frozenset({P}),
    city="Bandung",
    province="Jawa Barat",
    sector="tik",
)


def seeker(id: int, units: set[str], city: str = "", province: str = "", sectors=()) -> SeekerSpec:
    return SeekerSpec(id, frozenset(units), city, province, frozenset(sectors))


def test_required_share_then_preferred_then_place_then_sector_then_id():
    seekers = [
        seeker(1, {A, B}),  # 1/2
        seeker(2, {A, B, C}),  # 3/4
        seeker(3, {A, B, C, P}),  # 3/4 + preferred
        seeker(4, {A, B, C}, city="bandung"),  # 3/4, same city
        seeker(5, {A, B, C}, province="Jawa Barat", sectors={"tik"}),  # province + sector
        seeker(6, {A, B, C}, province="Jawa Barat"),  # province
        seeker(7, {A, B}),  # tie with 1: id decides
    ]
    ranked = rank_seekers(VACANCY, seekers)
    assert [m.seeker_id for m in ranked] == [3, 4, 5, 6, 2, 1, 7]


def test_explanation_names_matched_and_missing_units():
    match = score(VACANCY, seeker(9, {A, C, "X"}))
    assert match.required_share == Fraction(1, 2)
    assert match.percent == 50
    assert match.explain() == {
        "required_share": 0.5,
        "percent": 50,
        "matched_required": [A, C],
        "missing_required": [B, D],
        "matched_preferred": [],
        "missing_preferred": [P],
        "place": 0,
        "sector": 0,
    }


def test_no_required_units_is_full_cover():
    assert score(VacancySpec(2, frozenset()), seeker(1, set())).required_share == 1


def test_ranking_is_deterministic_whatever_the_input_order():
    seekers = [seeker(i, {A} if i % 2 else {B}) for i in range(1, 20)]
    first = [m.seeker_id for m in rank_seekers(VACANCY, seekers)]
    second = [m.seeker_id for m in rank_seekers(VACANCY, list(reversed(seekers)))]
    assert first == second


def test_vacancies_for_a_seeker_ranked_the_same_way():
    vacancies = [
        VacancySpec(10, frozenset({A, B})),
        VacancySpec(11, frozenset({A})),
        VacancySpec(12, frozenset({C})),
        VacancySpec(9, frozenset({A})),
    ]
    ranked = rank_vacancies(seeker(1, {A}), vacancies)
    assert [m.vacancy_id for m in ranked] == [9, 11, 10, 12]


def test_courses_closing_is_a_greedy_cover_with_stable_ties():
    offers = [
        CourseOffer(3, frozenset({A}), hours=10),
        CourseOffer(1, frozenset({A, B}), hours=80),
        CourseOffer(2, frozenset({A, B}), hours=40),
        CourseOffer(4, frozenset({C}), hours=5),
    ]
    plan = courses_closing([A, B, C, D], offers)
    assert plan.courses == [(2, (A, B)), (4, (C,))]
    assert plan.uncovered == (D,)
    assert plan.course_ids == [2, 4]
    assert courses_closing([], offers).courses == []
