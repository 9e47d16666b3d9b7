"""Races on PostgreSQL: ten simultaneous revokes (suspends, reinstates, reissues) of one
certificate through the API give exactly one 200 and one audit row; the nine others get a
409 in the error envelope and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User, UserRole
from app.auth.services import create_token
from app.certificates.models import Certificate
from app.certificates.services.issuance import issue_certificate
from app.courses.models import Enrollment
from app.extensions import db
from app.institutions.models import Institution
from tests.certificates.conftest import build_course, complete
from tests.conftest import backend
from tests.races import race_requests

pytestmark = pytest.mark.postgres_only

THREADS = 10


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if backend(app) != "postgresql":
        pytest.skip("thread races need PostgreSQL's row locks (SQLite serialises writers)")


def _certificate(app, suspended: bool = False) -> tuple[int, list[dict[str, str]]]:
    """A committed certificate and, per thread, an API header of its institution's admin
    (one token each: a shared token's use-stamp would serialise the requests)."""
    with app.app_context():
        institution = Institution(
            name="BLK Balapan",
            slug="blk-lifecycle",
            type="BLK",
            province="Jawa Barat",
            city="Bandung",
            number_prefix="LIFE",
        )
        db.session.add(institution)
        db.session.flush()
        trainee = User(email="peserta@contoh.id", full_name="Peserta Satu", password_hash="x")
        trainee.role_rows = [UserRole(role="trainee")]
        admin = User(
            email="admin@contoh.id",
            full_name="Admin BLK",
            password_hash="x",
            institution_id=institution.id,
        )
        admin.role_rows = [UserRole(role="institution_admin")]
        db.session.add_all([trainee, admin])
        db.session.flush()
        enrollment_id = complete(trainee.id, build_course(institution.id))
        cert = issue_certificate(db.session.get(Enrollment, enrollment_id), with_pdf=False)
        if suspended:
            cert.suspended_at = datetime.now(UTC)
            cert.suspension_reason = "checking"
        raws = [create_token(admin, f"race {n}", 1)[1] for n in range(THREADS)]
        db.session.commit()
        return cert.id, [{"Authorization": f"Bearer {raw}"} for raw in raws]


def _audit_rows(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


@pytest.mark.parametrize(
    ("action", "suspended", "code"),
    [
        ("revoke", False, "already_revoked"),
        ("suspend", False, "not_valid"),
        ("reinstate", True, "not_suspended"),
        ("reissue", False, "not_current"),
    ],
)
def test_ten_simultaneous_transitions_give_one_success_and_nine_conflicts(
    app, committed_db, action, suspended, code
):
    cert_id, headers = _certificate(app, suspended=suspended)
    url = f"/api/v1/certificates/{cert_id}/{action}"
    responses = race_requests(
        app,
        THREADS,
        lambda n, client: client.post(url, json={"reason": "race"}, headers=headers[n]),
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * (THREADS - 1)
    for response in responses:
        if response.status_code == 409:
            assert response.get_json()["error"]["code"] == code
    assert _audit_rows(app, f"certificate.{action}") == 1
    with app.app_context():
        certificates = db.session.scalar(select(func.count()).select_from(Certificate))
        assert certificates == (2 if action == "reissue" else 1)
        if action == "reissue":
            assert _audit_rows(app, "certificate.issue") == 2
