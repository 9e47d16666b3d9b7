"""Idempotent demo data. Each feature adds a step in its own `seed.py`; `run()` calls them in
order, and each step finds what exists before it creates anything."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db
from app.institutions.models import Institution

log = logging.getLogger(__name__)

DEMO_PASSWORD = "kompeten-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass
class SeedReport:
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


DEMO_INSTITUTIONS = [
    ("UPTP", "BBPVP Bandung", "bbpvp-bandung", "Jawa Barat", "Bandung", "BBPVPBDG"),
    ("BLK", "BLK Kabupaten Bekasi", "blk-bekasi", "Jawa Barat", "Bekasi", "BLKBKS"),
    ("LPK", "LPK Nusantara Digital", "lpk-nusantara", "DKI Jakarta", "Jakarta Selatan", "LPKND"),
    (
        "BLK_KOMUNITAS",
        "BLK Komunitas Pesantren Al-Ikhlas",
        "blkk-al-ikhlas",
        "Jawa Timur",
        "Jombang",
        "BLKKAI",
    ),
]

DEMO_USERS = [
    ("admin@demo.kompeten.id", "Admin Platform", ["admin"], None),
    ("admin.bandung@demo.kompeten.id", "Siti Rahmawati", ["institution_admin"], "bbpvp-bandung"),
    ("instruktur@demo.kompeten.id", "Budi Santoso", ["instructor"], "bbpvp-bandung"),
    ("asesor@demo.kompeten.id", "Dewi Lestari", ["assessor"], "bbpvp-bandung"),
    ("pengantar@demo.kompeten.id", "Agus Wijaya", ["placement_officer"], "bbpvp-bandung"),
    ("peserta@demo.kompeten.id", "Rina Kurniasih", ["trainee"], None),
    ("perusahaan@demo.kompeten.id", "PT Maju Bersama (HRD)", ["employer"], None),
]


def institution(slug: str) -> Institution:
    found = db.session.scalar(select(Institution).where(Institution.slug == slug))
    assert found is not None, slug  # noqa: S101 - seeded by the foundation step
    return found


def user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None, email  # noqa: S101 - seeded by the foundation step
    return found


def seed_foundation(report: SeedReport) -> None:
    for kind, name, slug, province, city, prefix in DEMO_INSTITUTIONS:
        if db.session.scalar(select(Institution).where(Institution.slug == slug)) is None:
            db.session.add(
                Institution(
                    type=kind,
                    name=name,
                    slug=slug,
                    province=province,
                    city=city,
                    address=f"Jl. Pendidikan No. 1, {city}",
                    number_prefix=prefix,
                )
            )
    db.session.flush()
    for email, full_name, roles, slug in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                roles=roles,
                institution=institution(slug) if slug else None,
            )
        report.accounts.append((", ".join(roles), email, DEMO_PASSWORD))


def steps() -> list[Callable[[SeedReport], None]]:
    from app.assessments.seed import seed_assessments
    from app.certificates.seed import seed_certificates
    from app.courses.seed import seed_courses
    from app.placement.seed import seed_placement

    return [seed_foundation, seed_courses, seed_assessments, seed_certificates, seed_placement]


def run() -> SeedReport:
    report = SeedReport()
    for step in steps():
        step(report)
        db.session.flush()
    db.session.commit()
    return report
