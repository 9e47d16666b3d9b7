"""Role x endpoint -> status, for the web pages and the JSON API of assessments. Staff of
another institution see nothing (404); trainees see only their own attempts; a trainee can
never grade, author or judge."""

from __future__ import annotations

import pytest

from app.assessments.models import Assessment
from app.assessments.services import attempts as svc
from app.auth.models import User
from app.extensions import db

ROLES = (
    "anonymous",
    "trainee",
    "other_trainee",
    "instructor",
    "foreign_instructor",
    "assessor",
    "admin",
)

# (method, path template, {role: status})
WEB = [
    (
        "GET",
        "/assessments/{exam}",
        {
            "anonymous": 302,
            "trainee": 200,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/attempts/{attempt}",
        {
            "anonymous": 302,
            "trainee": 200,
            "other_trainee": 404,
            "instructor": 404,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 404,
        },
    ),
    (
        "GET",
        "/attempts/{attempt}/result",
        {
            "anonymous": 302,
            "trainee": 302,
            "other_trainee": 404,
            "instructor": 302,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 302,
        },
    ),
    (
        "GET",
        "/assessments/{exam}/grading",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/{exam}/statistics",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/{exam}/results.csv",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/{practical}/practical",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 404,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/{practical}/practical/{enrollment}/{unit}",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 404,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/banks/{bank}",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 200,
        },
    ),
    (
        "GET",
        "/assessments/course/{course}",
        {
            "anonymous": 302,
            "trainee": 404,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 200,
        },
    ),
]
API = [
    (
        "GET",
        "/api/v1/attempts/{attempt}",
        None,
        {
            "anonymous": 401,
            "trainee": 200,
            "other_trainee": 404,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 404,
            "admin": 200,
        },
    ),
    (
        "POST",
        "/api/v1/attempts/{attempt}/answers/{question}/grade",
        {"score": 1},
        {
            "anonymous": 401,
            "trainee": 403,
            "other_trainee": 403,
            "instructor": 404,
            "foreign_instructor": 404,
            "assessor": 403,
            "admin": 404,
        },
    ),
    (
        "GET",
        "/api/v1/assessments/{exam}/statistics",
        None,
        {
            "anonymous": 401,
            "trainee": 403,
            "other_trainee": 403,
            "instructor": 200,
            "foreign_instructor": 404,
            "assessor": 200,
            "admin": 200,
        },
    ),
    (
        "POST",
        "/api/v1/assessments/banks/{bank}/questions",
        {"type": "true_false", "definition": {"stem": "s", "correct": True}},
        {
            "anonymous": 401,
            "trainee": 403,
            "other_trainee": 403,
            "instructor": 201,
            "foreign_instructor": 403,
            "assessor": 403,
            "admin": 201,
        },
    ),
    (
        "POST",
        "/api/v1/assessments/{practical}/judgements",
        {
            "enrollment_id": "{enrollment}",
            "unit_id": "{unit}",
            "result": "BK",
            "evidence": "e",
            "judged_on": "2026-11-02",
            "place": "p",
        },
        {
            "anonymous": 401,
            "trainee": 403,
            "other_trainee": 403,
            "instructor": 403,
            "foreign_instructor": 403,
            "assessor": 201,
            "admin": 201,
        },
    ),
]


@pytest.fixture
def setup(app, world, make_user, make_institution):
    foreign = make_institution()
    users = {
        "trainee": world.trainee,
        "other_trainee": make_user("trainee"),
        "instructor": world.instructor,
        "foreign_instructor": make_user("instructor", institution=foreign),
        "assessor": world.assessor,
        "admin": make_user("admin"),
    }
    with app.test_request_context():
        trainee = db.session.get(User, world.trainee.id)
        attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
        db.session.commit()
        attempt_id = attempt.id
    ids = {
        "exam": world.exam_id,
        "practical": world.practical_id,
        "attempt": attempt_id,
        "enrollment": world.enrollment_id,
        "unit": world.unit_ids[0],
        "bank": world.bank_id,
        "course": world.course_id,
        "question": world.question_ids[0],
    }
    return users, ids


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
def test_web_permission_table(app, client_as, setup, role):
    users, ids = setup
    client = app.test_client() if role == "anonymous" else client_as(user=users[role])
    for method, path, expected in WEB:
        response = client.open(path.format(**ids), method=method)
        assert response.status_code == expected[role], (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_table(app, setup, token_for, role):
    users, ids = setup
    client = app.test_client()
    headers = {} if role == "anonymous" else token_for(users[role])
    for method, path, body, expected in API:
        response = client.open(
            path.format(**ids), method=method, json=_fill(body, ids), headers=headers
        )
        assert response.status_code == expected[role], (role, path, response.get_json())
