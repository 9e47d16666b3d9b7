"""Races on PostgreSQL, with threads on their own connections: simultaneous completions give
one certificate; simultaneous issuances give distinct, gapless numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.certificates.models import Certificate, CredentialKey
from app.certificates.services.issuance import issue_certificate
from app.certificates.services.keys import ensure_credential_key
from app.courses.models import Enrollment
from app.courses.signals import course_completed
from app.extensions import db
from app.institutions.models import Institution
from tests.certificates.conftest import build_course, complete
from tests.conftest import backend
from tests.races import failures, race

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if backend(app) != "postgresql":
        pytest.skip("thread races need PostgreSQL's row locks (SQLite serialises writers)")


def _setup(app, trainees: int) -> tuple[int, list[int]]:
    from app.auth.models import User, UserRole

    with app.app_context():
        institution = Institution(
            name="BLK Balapan",
            slug="blk-race",
            type="BLK",
            province="Jawa Barat",
            city="Bandung",
            number_prefix="RACE",
        )
        db.session.add(institution)
        db.session.flush()
        version_id = build_course(institution.id)
        ids = []
        for n in range(trainees):
            user = User(email=f"race{n}@contoh.id", full_name=f"Peserta {n}", password_hash="x")
            user.role_rows = [UserRole(role="trainee")]
            db.session.add(user)
            db.session.flush()
            ids.append(complete(user.id, version_id))
        db.session.commit()
        return institution.id, ids


def test_twenty_simultaneous_completions_give_exactly_one_certificate(app, committed_db):
    _institution_id, [enrollment_id] = _setup(app, 1)

    def complete_again(_n: int) -> None:
        course_completed.send(app, enrollment=db.session.get(Enrollment, enrollment_id))

    assert failures(race(app, 20, complete_again)) == []
    with app.app_context():
        certs = db.session.scalars(select(Certificate)).all()
        assert len(certs) == 1 and certs[0].state == "issued"
        assert certs[0].number.endswith("/000001")
        keys = db.session.scalar(select(func.count()).select_from(CredentialKey))
        assert keys == 1


def test_fifty_simultaneous_issuances_give_fifty_gapless_numbers(app, committed_db):
    institution_id, enrollment_ids = _setup(app, 50)
    with app.app_context():
        ensure_credential_key(db.session.get(Institution, institution_id))
        db.session.commit()

    def issue(n: int) -> None:
        enrollment = db.session.get(Enrollment, enrollment_ids[n])
        issue_certificate(enrollment, with_pdf=False)

    assert failures(race(app, 50, issue)) == []
    with app.app_context():
        serials = sorted(db.session.scalars(select(Certificate.serial)))
        numbers = set(db.session.scalars(select(Certificate.number)))
    assert serials == list(range(1, 51))
    assert len(numbers) == 50
