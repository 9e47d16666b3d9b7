"""The assessments demo step: idempotent, and the graduate completes his course."""

from __future__ import annotations

from sqlalchemy import func, select

from app.assessments.models import Assessment, Attempt, Judgement
from app.assessments.services.results import practical_summary
from app.auth.models import User
from app.courses.models import Enrollment
from app.extensions import db
from app.seed import SeedReport, seed_foundation


def test_seed_is_idempotent_and_graduate_completes(ctx):
    from app.assessments.seed import seed_assessments

    report = SeedReport()
    seed_foundation(report)
    seed_assessments(report)
    seed_assessments(SeedReport())
    graduate = db.session.scalar(select(User).where(User.email == "lulusan@demo.kompeten.id"))
    assert graduate.full_name == "Andi Pratama"
    assert ("trainee", "lulusan@demo.kompeten.id", "kompeten-demo-2026") in report.accounts
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == graduate.id))
    assert enrollment.status == "completed"
    assert {v["result"] for v in practical_summary(enrollment).values()} == {"K"}
    assert {v["assessor"] for v in practical_summary(enrollment).values()} == {"Dewi Lestari"}
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    units = len(practical_summary(enrollment))
    assert db.session.scalar(select(func.count()).select_from(Judgement)) == units
