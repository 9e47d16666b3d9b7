"""seed-demo is idempotent and prints the demo accounts."""

from __future__ import annotations

from app.auth.models import User
from app.institutions.models import Institution
from tests.conftest import count_rows


def test_seed_demo_twice_creates_everything_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (count_rows(app, User), count_rows(app, Institution))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert (count_rows(app, User), count_rows(app, Institution)) == counts
    assert counts[1] == 4
    for role in ("trainee", "instructor", "assessor", "placement_officer", "employer"):
        assert role in second.output
    assert "peserta@demo.kompeten.id" in second.output


def test_every_demo_certificate_is_issued_with_its_pdf(app, db):
    """The demo shows finished certificates: none is left waiting for its PDF."""
    from sqlalchemy import select

    from app.certificates.models import Certificate
    from app.extensions import db as database

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        states = database.session.scalars(select(Certificate.state)).all()
    assert len(states) >= 7
    assert set(states) == {"issued"}


def test_the_demo_graduate_holds_a_competency_certificate(app, db):
    """The demo course leads to a Sertifikat Kompetensi; its graduate's certificate says so
    and names every unit of the course, each judged Competent."""
    from sqlalchemy import select

    from app.certificates.models import Certificate
    from app.courses.models import Course
    from app.extensions import db as database

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        course = database.session.scalar(select(Course).where(Course.code == "JWD"))
        assert course.certificate_kind == "competency"
        graduate = database.session.scalar(
            select(User).where(User.email == "lulusan@demo.kompeten.id")
        )
        cert = database.session.scalar(
            select(Certificate).where(Certificate.user_id == graduate.id)
        )
        assert cert.state == "issued"
        assert cert.snapshot["certificate_kind"] == "competency"
        assert sorted(cert.unit_codes) == sorted(u.code for u in course.published_version.units)
        assert {unit["result"] for unit in cert.snapshot["units"]} == {"K"}


def test_the_features_register_their_seed_steps_in_feature_order(app):
    from app.seed import steps

    with app.app_context():
        names = [f"{step.__module__}.{step.__name__}" for step in steps()]
    assert names == [
        "app.seed.seed_foundation",
        "app.courses.seed.seed_courses",
        "app.assessments.seed.seed_assessments",
        "app.certificates.seed.seed_certificates",
        "app.placement.seed.seed_placement",
    ]
