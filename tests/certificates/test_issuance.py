"""Issuance: one certificate per enrolment, gapless numbers, the credential's shape, the
snapshot, the stored PDF, and nothing left behind when issuance fails."""

from __future__ import annotations

import hashlib

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.certificates.crypto.dataintegrity import verify_proof
from app.certificates.models import Certificate
from app.certificates.services import pdfstore
from app.certificates.services.issuance import issue_certificate
from app.certificates.services.verification import key_resolver
from app.courses.models import Enrollment
from app.courses.signals import course_completed
from app.errors import Conflict
from app.extensions import db
from tests.certificates.conftest import build_course, complete, issue


def _count(app, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(Certificate)
        for name, value in where.items():
            query = query.where(getattr(Certificate, name) == value)
        return db.session.scalar(query)


def test_completion_signal_issues_exactly_one_certificate_with_its_pdf(app, completed):
    enrollment_id = completed(full_name="Siti Nurhaliza", email="siti@contoh.id")
    with app.app_context():
        enrollment = db.session.get(Enrollment, enrollment_id)
        course_completed.send(app, enrollment=enrollment)
        course_completed.send(app, enrollment=enrollment)
        db.session.commit()
        cert = db.session.scalar(
            select(Certificate).where(Certificate.enrollment_id == enrollment_id)
        )
        assert cert.state == "issued"
        stored = pdfstore.read_pdf(cert)
        assert stored is not None and stored.startswith(b"%PDF")
        assert hashlib.sha256(stored).hexdigest() == cert.pdf_sha256
        assert not list(pdfstore.storage_dir().glob("*.tmp"))
        snap = cert.snapshot
        assert snap["holder_name"] == "Siti Nurhaliza"
        assert snap["hours"] == 120 and len(snap["units"]) == 3
        assert snap["issuer"]["name"] == cert.institution.name
        assert len(cert.code) >= 20  # 128 random bits in base58
        assert cert.valid_until == cert.valid_from + relativedelta(months=36)
    assert _count(app, enrollment_id=enrollment_id) == 1


def test_the_credential_is_an_open_badge_signed_with_the_institution_key(app, completed):
    cert = issue(app, completed(email="budi@contoh.id"), with_pdf=False)
    credential = cert.credential
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    issuer = credential["issuer"]
    assert issuer["id"] == f"did:web:kompeten.test:institutions:{cert.institution.slug}"
    assert issuer["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    identity = subject["identifier"][0]
    salted = hashlib.sha256(("budi@contoh.id" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${salted}"
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    assert "budi@contoh.id" not in str(credential)
    codes = [a["targetCode"] for a in subject["achievement"]["alignment"]]
    assert codes == cert.unit_codes
    assert all(a["targetFramework"] == "SKKNI" for a in subject["achievement"]["alignment"])
    purposes = [entry["statusPurpose"] for entry in credential["credentialStatus"]]
    assert purposes == ["revocation", "suspension"]
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert credential["proof"]["verificationMethod"].endswith("#key-1")
    with app.app_context():
        assert verify_proof(credential, key_resolver(cert.issued_at)).verified


def test_numbers_are_gapless_per_institution_and_year(app, completed, make_institution):
    first, second = make_institution(number_prefix="BLKA"), make_institution(number_prefix="BLKB")
    numbers = [issue(app, completed(institution=first), with_pdf=False).number for _ in range(3)]
    other = issue(app, completed(institution=second), with_pdf=False).number
    year = numbers[0].split("/")[1]
    assert numbers == [f"BLKA/{year}/00000{i}" for i in (1, 2, 3)]
    assert other == f"BLKB/{year}/000001"


def test_an_incomplete_enrolment_gets_no_certificate(app, completed, ctx):
    enrollment = db.session.get(Enrollment, completed())
    enrollment.status, enrollment.completed_at = "active", None
    with pytest.raises(Conflict):
        issue_certificate(enrollment)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_validity_comes_from_the_course_version(app, make_institution, make_user, ctx):
    institution, user = make_institution(), make_user()
    enrollment_id = complete(user.id, build_course(institution.id, validity_months=12))
    cert = issue_certificate(db.session.get(Enrollment, enrollment_id), with_pdf=False)
    assert cert.valid_until == cert.valid_from + relativedelta(months=12)
    assert cert.credential["validUntil"].startswith(str(cert.valid_until.year))


def test_a_failed_render_leaves_the_certificate_pending_and_no_file(app, completed, monkeypatch):
    def broken(cert):
        raise RuntimeError("fonts are gone")

    monkeypatch.setattr(pdfstore, "render_signed_pdf", broken)
    enrollment_id = completed()
    with app.app_context():
        course_completed.send(app, enrollment=db.session.get(Enrollment, enrollment_id))
        db.session.commit()
        cert = db.session.scalar(
            select(Certificate).where(Certificate.enrollment_id == enrollment_id)
        )
        assert cert.state == "pending_pdf" and cert.pdf_name is None
        before = set(pdfstore.storage_dir().iterdir())
    monkeypatch.undo()
    with app.app_context():
        from app.certificates.services.issuance import retry_pending_pdfs

        assert [c.id for c in retry_pending_pdfs()] == [cert.id]
        db.session.commit()
        cert = db.session.get(Certificate, cert.id)
        assert cert.state == "issued" and pdfstore.read_pdf(cert) is not None
        assert len(set(pdfstore.storage_dir().iterdir()) - before) == 1


def test_a_rolled_back_issuance_deletes_its_pdf(app, completed):
    enrollment_id = completed()
    with app.app_context():
        before = set(pdfstore.storage_dir().iterdir())
        issue_certificate(db.session.get(Enrollment, enrollment_id))
        assert len(set(pdfstore.storage_dir().iterdir()) - before) == 1  # the temporary file
        db.session.rollback()
        assert set(pdfstore.storage_dir().iterdir()) == before
    assert _count(app, enrollment_id=enrollment_id) == 0
