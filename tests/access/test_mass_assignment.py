"""Mass assignment: `role`, `roles`, `score`, `status`, `institution_id` or `is_admin` in a
JSON body is refused (422, naming the field) wherever the endpoint does not take it; where an
endpoint does take one, the caller may set it only within their rights."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from tests.access.matrix import FIXED_PARAMS
from tests.access.world import World, shared_world
from tests.conftest import make_test_app

PRIVILEGED = {
    "role": "admin",
    "roles": ["admin"],
    "score": 100,
    "status": "accepted",
    "institution_id": 1,
    "is_admin": True,
}
# Endpoints that take one of those fields on purpose, and the test below that shows who may.
TAKEN_ON_PURPOSE = {
    ("POST", "/api/v1/attempts/{attempt_id}/answers/{question_id}/grade", "score"): "grading",
    ("POST", "/api/v1/courses", "institution_id"): "admins choose the course's institution",
    ("POST", "/api/v1/placement/applications/{application_id}/status", "status"): "employer",
    ("POST", "/api/v1/placement/surveys/{token}", "status"): "the graduate's work status",
}
# Who sends the body where the admin may not call the endpoint at all (403 before the body
# is read): a caller with the endpoint's role, so that the body is what gets refused.
CALLER = {
    ("POST", "/api/v1/placement/counselling"): "placement_officer",
    ("PUT", "/api/v1/placement/profile"): "trainee",
    ("POST", "/api/v1/placement/vacancies"): "employer",
    ("POST", "/api/v1/placement/vacancies/{vacancy_id}/applications"): "trainee",
    ("POST", "/api/v1/assessments/judgements/{judgement_id}/appeal"): "trainee",
    ("PUT", "/api/v1/attempts/{attempt_id}/answers/{question_id}"): "trainee",
}


def _json_operations() -> list[tuple[str, str, set[str]]]:
    spec = make_test_app("sqlite://").test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}) if method != "parameters" else {}
            schema = body.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                continue
            while "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            found.append((method.upper(), path, set(schema.get("properties", {}))))
    return sorted(found, key=lambda op: (op[1], op[0]))


OPERATIONS = _json_operations()


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return shared_world(tmp_path_factory)


def _url(world: World, path: str) -> str:
    values = {**FIXED_PARAMS, **world.params}
    return re.sub(r"\{([^}]+)\}", lambda m: str(values[m.group(1)]), path)


def _caller_headers(world: World, method: str, path: str) -> dict[str, str]:
    """The bearer token of the endpoint's CALLER (the admin by default); for the VC-API's
    issue endpoint, which takes no user's token (and checks it before the body), the token of
    an OAuth 2.0 client of the demo institution."""
    if path != "/credentials/issue":
        return world.headers(CALLER.get((method, path), "admin"))
    from sqlalchemy import select

    from app.certificates.services.clients import create_client
    from app.extensions import db
    from app.institutions.models import Institution
    from app.transactions import transaction

    with world.app.app_context(), transaction():
        institution = db.session.scalar(select(Institution).order_by(Institution.id))
        client, secret = create_client(institution, "mass-assignment", None)
        basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    token = world.app.test_client().post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "issue:credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    return {"Authorization": f"Bearer {token.get_json()['access_token']}"}


def test_every_privileged_field_an_endpoint_takes_was_decided():
    taken = {
        (method, path, name)
        for method, path, fields in OPERATIONS
        for name in fields & set(PRIVILEGED)
    }
    assert taken == set(TAKEN_ON_PURPOSE)


@pytest.mark.parametrize(
    ("method", "path", "fields"), OPERATIONS, ids=[f"{m} {p}" for m, p, _f in OPERATIONS]
)
def test_privileged_fields_are_refused(world, method, path, fields):
    sent = {name: value for name, value in PRIVILEGED.items() if name not in fields}
    response = world.app.test_client().open(
        _url(world, path), method=method, json=sent, headers=_caller_headers(world, method, path)
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    details = json.dumps(response.get_json()["error"]["details"])
    assert [name for name in sent if f'"{name}"' not in details] == []


def _rows(world: World, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    from app.extensions import db

    with world.app.app_context():
        found = [tuple(row) for row in db.session.execute(text(sql), params)]
        db.session.remove()
    return found


def _post(world: World, url: str, who: str, body: dict[str, Any]) -> Any:
    return world.app.test_client().post(url, json=body, headers=world.headers(who))


def test_a_trainee_cannot_score_an_answer(world):
    world.reset()
    url = _url(world, "/api/v1/attempts/{attempt_id}/answers/{question_id}/grade")
    answers = "SELECT * FROM assessment_answers WHERE attempt_id = :a AND question_id = :q"
    ids = {"a": world.params["attempt_id"], "q": world.params["question_id"]}
    before = _rows(world, answers, **ids)
    response = _post(world, url, "trainee", {"score": 100})
    # Grading is for staff: the trainee role is refused before the attempt is loaded (403).
    assert response.status_code == 403, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "forbidden"
    assert _rows(world, answers, **ids) == before


def test_an_instructor_cannot_create_a_course_in_another_institution(world):
    from sqlalchemy import text

    from app.extensions import db

    world.reset()
    with world.app.app_context():
        other = db.session.execute(
            text("SELECT id FROM institutions WHERE slug = 'blk-bekasi'")
        ).scalar()
    body = {"institution_id": other, "title": "Las Listrik Dasar", "code": "LAS-01"}
    response = _post(world, "/api/v1/courses", "instructor", body)
    with world.app.app_context():
        placed = db.session.execute(
            text("SELECT count(*) FROM courses WHERE institution_id = :i"), {"i": other}
        ).scalar()
    assert placed == 0, f"{response.status_code}: a course was created in another institution"


def test_a_trainee_cannot_set_the_status_of_their_application(world):
    world.reset()
    application = world.params["application_id"]  # the other trainee's (tests/access/world.py)
    url = f"/api/v1/placement/applications/{application}/status"
    rows = "SELECT * FROM placement_applications WHERE id = :i"
    before = _rows(world, rows, i=application)
    response = _post(world, url, "other_trainee", {"status": "hired"})
    # The trainee may see their own application, so it is no secret: the role is refused
    # (403), not hidden (404).
    assert response.status_code == 403, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "forbidden"
    assert _rows(world, rows, i=application) == before
    shown = world.app.test_client().get(
        f"/api/v1/placement/applications/{application}",
        headers=world.headers("other_trainee"),
    )
    assert shown.get_json()["status"] == "applied"
