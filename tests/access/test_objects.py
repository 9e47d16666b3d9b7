"""Object-level access: for each resource a user owns, its owner (or the staff it belongs to)
sees it, and another user of the same role gets 404, never the data."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from app.extensions import db
from tests.access.world import World, shared_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return shared_world(tmp_path_factory)


@pytest.fixture
def fresh(world: World) -> World:
    world.reset()
    return world


def _scalar(world: World, sql: str, **params: Any) -> Any:
    with world.app.app_context():
        value = db.session.execute(text(sql), params).scalar()
        db.session.remove()
    return value


def _rows(world: World, sql: str) -> list[tuple[Any, ...]]:
    with world.app.app_context():
        found = [tuple(row) for row in db.session.execute(text(sql))]
        db.session.remove()
    return found


def _token_of(world: World, user_id: int) -> dict[str, str]:
    from app.auth.models import User
    from app.auth.services import create_token

    with world.app.app_context():
        _token, raw = create_token(db.session.get(User, user_id), "owner", 1)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _session_of(world: World, user_id: int):
    from app.auth.models import User

    with world.app.app_context():
        session_id = db.session.get(User, user_id).get_id()
    client = world.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    return client


def _get(world: World, url: str, headers: dict[str, str]) -> int:
    response = world.app.test_client().get(url, headers=headers)
    return response.status_code


def test_enrolments(fresh):
    enrolment = _scalar(
        fresh, "SELECT id FROM enrollments WHERE user_id = :u", u=fresh.user_ids["trainee"]
    )
    url = f"/api/v1/enrolments/{enrolment}"
    assert _get(fresh, url, fresh.headers("trainee")) == 200
    assert _get(fresh, url, fresh.headers("other_trainee")) == 404
    assert _get(fresh, url, fresh.headers("other_instructor")) == 404
    assert _get(fresh, url, fresh.headers("other_institution_admin")) == 404


@pytest.mark.parametrize("path", ["/api/v1/attempts/{id}", "/attempts/{id}/result"])
def test_attempts_and_results(fresh, path):
    attempt, owner = _row(fresh, "SELECT id, user_id FROM assessment_attempts")
    url = path.format(id=attempt)
    if path.startswith("/api/"):
        assert _get(fresh, url, _token_of(fresh, owner)) == 200
        assert _get(fresh, url, fresh.headers("other_trainee")) == 404
        assert _get(fresh, url, fresh.headers("other_instructor")) == 404
    else:
        assert _session_of(fresh, owner).get(url).status_code == 200
        assert fresh.client("other_trainee").get(url).status_code == 404
        assert fresh.client("other_instructor").get(url).status_code == 404


def _row(world: World, sql: str) -> tuple[Any, ...]:
    with world.app.app_context():
        row = db.session.execute(text(sql + " ORDER BY id LIMIT 1")).one()
        db.session.remove()
    return tuple(row)


def test_certificates(fresh):
    cert, owner = _row(fresh, "SELECT id, user_id FROM certificates")
    url = f"/api/v1/certificates/{cert}"
    assert _get(fresh, url, _token_of(fresh, owner)) == 200
    assert _get(fresh, url, fresh.headers("institution_admin")) == 200
    assert _get(fresh, url, fresh.headers("other_trainee")) == 404
    assert _get(fresh, url, fresh.headers("other_institution_admin")) == 404


def test_applications(fresh):
    # The other trainee's application to the demo vacancy (tests/access/world.py).
    url = f"/api/v1/placement/applications/{fresh.params['application_id']}"
    assert _get(fresh, url, fresh.headers("other_trainee")) == 200
    assert _get(fresh, url, fresh.headers("employer")) == 200  # the vacancy's employer
    assert _get(fresh, url, fresh.headers("trainee")) == 404
    assert _get(fresh, url, fresh.headers("other_employer")) == 404


def test_counselling_records(fresh):
    record, seeker = _row(fresh, "SELECT id, job_seeker_id FROM counselling_sessions")
    url = f"/placement/counselling/{record}"
    assert fresh.client("placement_officer").get(url).status_code == 200
    assert _session_of(fresh, seeker).get(url).status_code == 200
    assert fresh.client("other_placement_officer").get(url).status_code == 404
    assert fresh.client("other_trainee").get(url).status_code == 404
    assert fresh.client("other_institution_admin").get(url).status_code == 404


def test_survey_answers_need_the_surveys_own_link(fresh):
    from app.placement.models import EmploymentSurvey
    from app.placement.services.survey import token_for

    with fresh.app.app_context():
        survey = db.session.scalars(select(EmploymentSurvey).order_by(EmploymentSurvey.id)).first()
        token = token_for(survey)
        db.session.remove()
    surveys = "SELECT * FROM employment_surveys ORDER BY id"
    before = _rows(fresh, surveys)
    # The demo's first survey is answered already: its own link reaches it and says so (409),
    # where a forged link finds nothing (404).
    assert fresh.app.test_client().get(f"/survey/{token}").status_code == 409
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for client in (fresh.client("other_trainee"), fresh.app.test_client()):
        assert client.get(f"/survey/{forged}").status_code == 404
    # A valid answer, so that what is refused is the link and not the body.
    answer = {"status": "employed_formal", "relevance": 4}
    answered = fresh.app.test_client().post(f"/api/v1/placement/surveys/{forged}", json=answer)
    assert answered.status_code == 404
    assert answered.get_json()["error"]["code"] == "not_found"
    assert _rows(fresh, surveys) == before
