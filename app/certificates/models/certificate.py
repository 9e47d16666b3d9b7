"""Certificates, the institution keys that sign them, their numbering and bulk jobs.

A Certificate is unique per (enrolment, course version, generation): generation 1 is the
certificate a completion earns, a reissue makes generation n+1 and supersedes the old one.
Human numbers come from a counter row per (institution, year), incremented by a conditional
UPDATE inside the issuing transaction, so they are gapless whatever races.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.institutions.models import Institution

CERTIFICATE_STATES = ("pending_pdf", "issued")
JOB_STATES = ("queued", "running", "done", "failed")


class CredentialKey(db.Model):
    """An institution's Ed25519 key for Data Integrity proofs (`did#key-<number>`)."""

    __tablename__ = "certificate_credential_keys"
    __table_args__ = (UniqueConstraint("institution_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    public_key_multibase: Mapped[str] = mapped_column(String(64), unique=True)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Rotated out: no longer signs, still verifies what it signed.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Compromised from this moment: what it signed after it fails verification.
    compromised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    institution: Mapped[Institution] = relationship()

    @property
    def fragment(self) -> str:
        return self.fragment_for(self.number)

    @staticmethod
    def fragment_for(number: int) -> str:
        """The key's fragment in its issuer's DID document: `key-<number>`."""
        return f"key-{number}"

    @property
    def state(self) -> str:
        if self.compromised_at is not None:
            return "compromised"
        return "retired" if self.retired_at is not None else "active"


class DocumentSigningCert(db.Model):
    """An institution's document-signing certificate and encrypted key for PAdES."""

    __tablename__ = "certificate_document_certs"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    certificate_pem: Mapped[str] = mapped_column(Text)
    chain_pem: Mapped[str] = mapped_column(Text, default="")
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(12), default="generated")  # or "imported"
    subject: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CertificateCounter(db.Model):
    """The last certificate number used by an institution in a year."""

    __tablename__ = "certificate_counters"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "course_version_id", "generation"),
        UniqueConstraint("institution_id", "year", "serial"),
        UniqueConstraint("institution_id", "revocation_index"),
        UniqueConstraint("institution_id", "suspension_index"),
        CheckConstraint("state IN ('pending_pdf', 'issued')", name="state_known"),
        CheckConstraint("generation >= 1", name="generation_positive"),
        Index("ix_certificates_user_issued", "user_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    generation: Mapped[int] = mapped_column(default=1)
    year: Mapped[int] = mapped_column()
    serial: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    # The credential's `id` (urn:uuid:...), to find a certificate from an uploaded file.
    credential_uid: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="pending_pdf")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    credential_key_id: Mapped[int] = mapped_column(ForeignKey("certificate_credential_keys.id"))
    document_cert_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_document_certs.id")
    )
    revocation_index: Mapped[int] = mapped_column()
    suspension_index: Mapped[int] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pdf_name: Mapped[str | None] = mapped_column(String(80))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    institution: Mapped[Institution] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    credential_key: Mapped[CredentialKey] = relationship()
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    @property
    def holder_name(self) -> str:
        return self.snapshot.get("holder_name", "")

    @property
    def title(self) -> str:
        return self.snapshot.get("course_title", "")

    @property
    def unit_codes(self) -> list[str]:
        return [unit["code"] for unit in self.snapshot.get("units", [])]

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"


class BulkIssueJob(db.Model):
    """Issuing certificates for a cohort in the background; progress counts up."""

    __tablename__ = "certificate_bulk_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)
