"""Across everything the demo data does (accounts, courses, grading, keys made and used,
certificates issued, placement), the audit log holds no password, token or key."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.seed import DEMO_PASSWORD
from tests.access.world import World, shared_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return shared_world(tmp_path_factory)


def test_no_secret_in_any_demo_event(world):
    world.reset()
    with world.app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
        dumps = [
            json.dumps(
                {c.name: getattr(e, c.name) for c in AuditEvent.__table__.columns}, default=str
            )
            for e in events
        ]
        db.session.remove()
    assert len(dumps) > 10
    actions = {json.loads(d)["action"] for d in dumps}
    assert "certificate.issue" in actions
    secrets = [DEMO_PASSWORD, "kpt_", "-----BEGIN", "$argon2", *world.tokens.values()]
    leaks = [(d[:120], s[:8]) for d in dumps for s in secrets if s in d]
    assert leaks == []
