"""The attempt page as a plain form (no JavaScript), its JSON autosave, the result page,
and a walk over every learner response for answer keys, correctness and feedback."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.assessments.models import Answer, Assessment, Attempt
from app.db import utcnow
from app.extensions import db
from tests.assessments.conftest import token_of
from tests.conftest import count_rows

SECRET_KEYS = {
    "correct",
    "correct_ids",
    "correct_answer",
    "accepted",
    "weight",
    "match",
    "feedback",
    "feedback_html",
    "general_feedback",
    "general_feedback_html",
    "feedback_true",
    "feedback_false",
    "feedback_incorrect",
    "definition",
    "review",
}
SECRET_TEXTS = ("mv memindahkan", "Tepat, cp menyalin", '"correct"')


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _start_web(client, world) -> int:
    response = client.post(f"/assessments/{world.exam_id}/start")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_plain_form_save_and_submit(app, client_as, world):
    client = client_as(user=world.trainee)
    attempt_id = _start_web(client, world)
    page = client.get(f"/attempts/{attempt_id}")
    assert page.status_code == 200
    assert b'src="/assessments/static/attempt.js"' in page.data and b"data-deadline" in page.data
    q1, q2, q3 = world.question_ids
    cp = token_of(app, attempt_id, q1, "a")
    saved = client.post(f"/attempts/{attempt_id}", data={f"q{q1}": cp, "action": f"q{q1}"})
    assert saved.status_code == 302
    with app.app_context():
        answer = db.session.scalar(db.select(Answer).where(Answer.question_id == q1))
        assert (answer.value, answer.seq) == ("a", 1)
    done = client.post(
        f"/attempts/{attempt_id}",
        data={f"q{q1}": cp, f"q{q2}": "true", f"q{q3}": "4", "action": "submit"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    result = client.get(f"/attempts/{attempt_id}/result")
    assert result.status_code == 200 and b"100.0%" in result.data
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).passed is True


def test_plain_form_wrong_type_is_flagged_and_not_saved(app, client_as, world):
    client = client_as(user=world.trainee)
    attempt_id = _start_web(client, world)
    before = count_rows(app, Answer)
    response = client.post(
        f"/attempts/{attempt_id}",
        data={f"q{world.question_ids[2]}": "empat", "action": "submit"},
        follow_redirects=True,
    )
    assert b"Soal 3" in response.data or b"Question 3" in response.data
    assert count_rows(app, Answer) == before
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).in_progress


def test_json_autosave_keeps_newest(app, client_as, world):
    client = client_as(user=world.trainee)
    attempt_id = _start_web(client, world)
    qid = world.question_ids[0]
    url = f"/attempts/{attempt_id}/save"
    b, a = (token_of(app, attempt_id, qid, choice) for choice in ("b", "a"))
    newer = client.post(url, json={"question_id": qid, "seq": 5, "fields": {f"q{qid}": [b]}})
    assert newer.get_json()["applied"] is True
    older = client.post(url, json={"question_id": qid, "seq": 4, "fields": {f"q{qid}": [a]}})
    assert older.get_json() | {"now": None} == {
        "question_id": qid,
        "seq": 5,
        "applied": False,
        "now": None,
    }
    bad = client.post(url, json={"question_id": 999999, "seq": 1, "fields": {}})
    assert bad.status_code == 404 and bad.get_json()["error"]["code"] == "not_found"


def test_someone_elses_attempt_page_is_404(client_as, world):
    owner = client_as(user=world.trainee)
    attempt_id = _start_web(owner, world)
    stranger = client_as("trainee")
    assert stranger.get(f"/attempts/{attempt_id}").status_code == 404
    assert stranger.get(f"/attempts/{attempt_id}/result").status_code == 404
    assert stranger.post(f"/attempts/{attempt_id}/save", json={}).status_code == 404


def test_no_learner_response_leaks_keys_before_review(app, client, client_as, world, token_for):
    headers = token_for(world.trainee)
    responses = []
    started = client.post(f"/api/v1/assessments/{world.exam_id}/attempts", headers=headers)
    responses.append(started.get_json())
    attempt_id = started.get_json()["id"]
    responses.append(client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json())
    for qid in world.question_ids:
        saved = client.put(
            f"/api/v1/attempts/{attempt_id}/answers/{qid}",
            json={"value": None, "seq": 1},
            headers=headers,
        )
        responses.append(saved.get_json())
    responses.append(client.get(f"/api/v1/assessments/{world.exam_id}", headers=headers).get_json())
    web = client_as(user=world.trainee)
    html = [web.get(f"/attempts/{attempt_id}").get_data(as_text=True)]
    html.append(web.get(f"/assessments/{world.exam_id}").get_data(as_text=True))
    responses.append(
        client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers).get_json()
    )
    html.append(web.get(f"/attempts/{attempt_id}/result").get_data(as_text=True))
    for body in responses:
        assert not (_keys(body) & SECRET_KEYS), body
    for text in html:
        for secret in SECRET_TEXTS:
            assert secret not in text
    with app.app_context():
        db.session.get(Assessment, world.exam_id).closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    after = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).get_json()
    assert "correct_ids" in _keys(after) and "feedback_html" in _keys(after)
    assert "mv memindahkan" in web.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)


def test_overdue_attempt_is_closed_when_opened(app, client, client_as, world, token_for):
    web = client_as(user=world.trainee)
    attempt_id = _start_web(web, world)
    with app.app_context():
        db.session.get(Attempt, attempt_id).deadline = utcnow() - timedelta(minutes=2)
        db.session.commit()
    page = web.get(f"/attempts/{attempt_id}")
    assert page.status_code == 302 and page.headers["Location"].endswith("/result")
    body = client.get(f"/api/v1/attempts/{attempt_id}", headers=token_for(world.trainee))
    assert body.get_json()["status"] == "submitted"
    assert body.get_json()["result"]["closed_by"] == "overdue"
    late = web.post(
        f"/attempts/{attempt_id}/save",
        json={"question_id": world.question_ids[0], "seq": 9, "fields": {}},
    )
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "attempt_closed"
