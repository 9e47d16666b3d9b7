"""Idempotent demo data. This module seeds the foundation (institutions, demo accounts) and
runs the steps the features register with `register_step` (each in its own `seed.py`, added
by create_app in feature order); every step finds what exists before it creates anything
(`find_or_create`). It never commits: the `seed-demo` command wraps `run()` in one
transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db
from app.institutions.models import Institution

log = logging.getLogger(__name__)

M = TypeVar("M")

_STEPS = "kompeten.seed_steps"

DEMO_PASSWORD = "kompeten-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass
class SeedReport:
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


Step = Callable[[SeedReport], None]


def register_step(app: Flask, step: Step) -> None:
    """Add a feature's seed step; `run()` calls them in the order they were registered."""
    app.extensions.setdefault(_STEPS, [seed_foundation]).append(step)


def steps() -> list[Step]:
    return list(current_app.extensions.get(_STEPS, [seed_foundation]))


def find(model: type[M], **where: Any) -> M | None:
    """The first row of `model` whose columns equal `where`, or None."""
    return db.session.scalar(select(model).filter_by(**where).limit(1))  # type: ignore[arg-type]


def find_or_create(model: type[M], match: Mapping[str, Any], **values: Any) -> M:
    """The row of `model` whose columns equal `match`, or a new one made of `match` and
    `values` (added and flushed)."""
    found = find(model, **match)
    if found is not None:
        return found
    made = model(**match, **values)
    db.session.add(made)
    db.session.flush()
    return made


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


def find_user(email: str) -> User | None:
    return find(User, email=email)


def institution(slug: str) -> Institution:
    found = find(Institution, slug=slug)
    assert found is not None, slug  # noqa: S101 - seeded by the foundation step
    return found


def user(email: str) -> User:
    found = find(User, email=email)
    assert found is not None, email  # noqa: S101 - seeded by the foundation step
    return found


def seed_foundation(report: SeedReport) -> None:
    for kind, name, slug, province, city, prefix in DEMO_INSTITUTIONS:
        find_or_create(
            Institution,
            {"slug": slug},
            type=kind,
            name=name,
            province=province,
            city=city,
            address=f"Jl. Pendidikan No. 1, {city}",
            number_prefix=prefix,
        )
    for email, full_name, roles, slug in DEMO_USERS:
        if find(User, email=email) is None:
            create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                roles=roles,
                institution=institution(slug) if slug else None,
            )
        report.accounts.append((", ".join(roles), email, DEMO_PASSWORD))


def run() -> SeedReport:
    """Run every registered step in order; the caller commits (`with transaction():`)."""
    report = SeedReport()
    for step in steps():
        step(report)
        db.session.flush()
    return report
