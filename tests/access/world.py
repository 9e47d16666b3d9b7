"""A seeded world for access tests: an app on its own SQLite file holding the demo data, a
second user of every role (in another institution where staff), bearer tokens, and the ids
of real objects. `reset()` puts the database back as seeded, so a request that changes
something cannot change the next test's answer.

It always runs on SQLite: who may do what does not depend on the database, and copying a file
back is what keeps a 1,700-request matrix fast."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from app.extensions import db
from tests.conftest import PASSWORD, make_test_app

ROLES = [
    None,
    "trainee",
    "instructor",
    "assessor",
    "placement_officer",
    "employer",
    "institution_admin",
    "admin",
]
DEMO = {
    "trainee": "peserta@demo.kompeten.id",
    "instructor": "instruktur@demo.kompeten.id",
    "assessor": "asesor@demo.kompeten.id",
    "placement_officer": "pengantar@demo.kompeten.id",
    "employer": "perusahaan@demo.kompeten.id",
    "institution_admin": "admin.bandung@demo.kompeten.id",
    "admin": "admin@demo.kompeten.id",
}
# The first row of these tables stands for `<name>` in a URL rule.
PARAM_TABLES = {
    "course_id": "courses",
    "module_id": "course_modules",
    "lesson_id": "course_lessons",
    "cohort_id": "cohorts",
    "unit_id": "competency_units",
    "assessment_id": "assessments",
    "attempt_id": "assessment_attempts",
    "question_id": "assessment_questions",
    "bank_id": "question_banks",
    "judgement_id": "practical_judgements",
    "enrollment_id": "enrollments",
    "answer_id": "assessment_answers",
    "cert_id": "certificates",
    "job_id": "certificate_bulk_jobs",
    "client_pk": "oauth_clients",
    "company_id": "placement_companies",
    "session_id": "counselling_sessions",
    "vacancy_id": "placement_vacancies",
    "application_id": "placement_applications",
    "programme_id": "overseas_programmes",
    "candidate_id": "overseas_candidates",
    "token_id": "api_tokens",
}
MISSING = 987654  # an id no table holds: the route answers 404
# Limits high enough never to answer 429 here, set per app: RATELIMIT_ENABLED=False would
# switch off the one shared limiter for every other test's app too.
NO_LIMITS = {
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "VERIFY_RATE_LIMIT": "100000 per minute",
}


@dataclass
class World:
    app: Flask
    db_file: Path
    pristine: Path
    params: dict[str, Any] = field(default_factory=dict)
    session_ids: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    oauth: dict[str, str] = field(default_factory=dict)

    def reset(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        shutil.copyfile(self.pristine, self.db_file)

    def client(self, who: str | None) -> FlaskClient:
        """A browser logged in as `who` (a role, or "other_<role>"), or anonymous."""
        client = self.app.test_client()
        if who:
            with client.session_transaction() as session:
                session["_user_id"] = self.session_ids[who]
                session["_fresh"] = True
        return client

    def headers(self, who: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}


def _other_users(institution_id: int) -> dict[str, Any]:
    from app.auth.models import User, UserRole
    from app.auth.passwords import hash_password

    made = {}
    password_hash = hash_password(PASSWORD)
    for role in DEMO:
        staff = role in ("instructor", "assessor", "placement_officer", "institution_admin")
        user = User(
            email=f"lain.{role}@contoh.id",
            full_name=f"Lain {role}",
            password_hash=password_hash,
            institution_id=institution_id if staff else None,
        )
        user.role_rows = [UserRole(role=role)]
        db.session.add(user)
        made[f"other_{role}"] = user
    db.session.flush()
    return made


def build_world(tmp: Path) -> World:
    from app.auth.models import User
    from app.auth.services import create_token
    from app.certificates.services.clients import create_client
    from app.institutions.models import Institution
    from app.seed import run as seed

    db_file = tmp / "world.db"
    app = make_test_app(f"sqlite:///{db_file}", STORAGE_DIR=str(tmp / "storage"), **NO_LIMITS)
    world = World(app=app, db_file=db_file, pristine=tmp / "pristine.db")
    with app.app_context():
        db.create_all()
        seed()
        other = db.session.scalar(select(Institution).where(Institution.slug == "blk-bekasi"))
        users = {r: db.session.scalar(select(User).where(User.email == e)) for r, e in DEMO.items()}
        users.update(_other_users(other.id))
        for who, user in users.items():
            _token, world.tokens[who] = create_token(user, "access", 1)
        # The demo institution's VC-API client: its secret, not a role, is what the token
        # endpoint checks.
        client, secret = create_client(users["institution_admin"].institution, "Uji akses", None)
        world.oauth = {"client_id": client.client_id, "client_secret": secret}
        db.session.commit()
        for who, user in users.items():
            world.session_ids[who] = user.get_id()
            world.user_ids[who] = user.id
        for name, table in PARAM_TABLES.items():
            found = db.session.execute(text(f'SELECT min(id) FROM "{table}"')).scalar()  # noqa: S608
            world.params[name] = found if found is not None else MISSING
        # The demo graduate's certificate: issued first, with its PDF stored.
        world.params["code"] = db.session.execute(
            text("SELECT code FROM certificates ORDER BY id")
        ).scalar()
        world.params["slug"] = "bbpvp-bandung"
        world.params["institution_id"] = db.session.execute(
            text("SELECT id FROM institutions WHERE slug = 'bbpvp-bandung'")
        ).scalar()
        db.session.remove()
        db.engine.dispose()
    _objects_of_the_demo_trainee(world)
    shutil.copyfile(db_file, world.pristine)
    return world


def _objects_of_the_demo_trainee(world: World) -> None:
    """What the seed leaves to others, made through the API: the other trainee's application
    to the demo vacancy, so that the rules on applications have a role that may act (the
    vacancy's employer), while the demo trainee may still apply. (Not an attempt in
    progress: its deadline would run out during a long test run.)"""
    url = "/api/v1/placement/vacancies/{vacancy_id}/applications".format(**world.params)
    made = world.app.test_client().post(url, json={}, headers=world.headers("other_trainee"))
    assert made.status_code == 201, made.get_data(as_text=True)
    world.params["application_id"] = made.get_json()["id"]
    with world.app.app_context():
        db.session.remove()
        db.engine.dispose()


_BUILT: dict[str, World] = {}


def shared_world(tmp_path_factory: Any) -> World:
    """One world per test run, whichever module asks first."""
    if "world" not in _BUILT:
        _BUILT["world"] = build_world(tmp_path_factory.mktemp("access"))
    return _BUILT["world"]
