"""The placement seed step: idempotent, and the demo graduate matches the demo vacancy."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.placement.models import (
    CounsellingSession,
    EmploymentSurvey,
    OverseasProgramme,
    Vacancy,
)
from app.placement.services import dashboard, matches
from tests.conftest import count_rows

MODELS = (Vacancy, CounsellingSession, OverseasProgramme, EmploymentSurvey)


def test_seed_twice_creates_placement_data_once(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = [count_rows(app, model) for model in MODELS]
    assert all(counts), counts
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert [count_rows(app, model) for model in MODELS] == counts
    assert "/placement/dashboard" in result.output
    with app.test_request_context():
        vacancy = db.session.scalar(select(Vacancy))
        graduate = db.session.scalar(
            select(User).where(User.email == "lulusan@demo.kompeten.id")
        ) or db.session.scalar(select(User).where(User.email == "peserta@demo.kompeten.id"))
        ranked = matches.matches_for_vacancy(vacancy.company.owner, vacancy)
        top = next(m for m in ranked if m.user.id == graduate.id)
        assert top.match.percent == 100
        figures = dashboard.compute()
        assert figures.total.respondents >= 6
        assert figures.blk_komunitas.self_employed == 2
