"""The JSON API: an attempt from start to result, bad input with clear errors and nothing
written, question import, and correcting a key (regrade + audit)."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from app.assessments.models import Answer, Assessment, Attempt, Question
from app.audit.models import AuditEvent
from app.db import utcnow
from app.extensions import db
from tests.assessments.conftest import choice_token, token_of
from tests.conftest import count_rows

GIFT = """
::Salin::Perintah untuk menyalin berkas? {=cp ~mv ~rm}

::Port::HTTP memakai port 80. {TRUE}
"""
BROKEN_GIFT = "::Rusak:: Pertanyaan tanpa kurung tutup {=a ~b\n"


def _start(client, world, headers):
    return client.post(f"/api/v1/assessments/{world.exam_id}/attempts", headers=headers)


def test_attempt_from_start_to_result(client, world, token_for):
    headers = token_for(world.trainee)
    started = _start(client, world, headers)
    assert started.status_code == 201
    body = started.get_json()
    assert body["deadline"] and body["now"] and len(body["questions"]) == 3
    assert _start(client, world, headers).status_code == 200  # the same attempt back
    answers = {"true_false": True, "numeric": "4"}
    for question in body["questions"]:
        if question["type"] == "single_choice":
            answers["single_choice"] = choice_token(question, "cp")
        saved = client.put(
            f"/api/v1/attempts/{body['id']}/answers/{question['id']}",
            json={"value": answers[question["type"]], "seq": 1},
            headers=headers,
        )
        assert saved.status_code == 200 and saved.get_json()["applied"] is True
    submitted = client.post(f"/api/v1/attempts/{body['id']}/submit", headers=headers)
    result = submitted.get_json()["result"]
    assert result["percent"] == 100.0 and result["passed"] is True
    assert {u["code"] for u in result["units"]} == set(world.unit_codes)
    assert "review" not in result  # answers and feedback only after close
    again = client.post(f"/api/v1/attempts/{body['id']}/submit", headers=headers)
    assert again.get_json()["result"]["submitted_at"] == result["submitted_at"]


def test_bad_answers_get_clear_errors_and_write_nothing(app, client, world, token_for, make_user):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    url = f"/api/v1/attempts/{attempt['id']}/answers"
    qid = world.question_ids[0]
    before = count_rows(app, Answer)
    cases = [
        (f"{url}/999999", {"value": "a", "seq": 1}, 422, "validation_failed"),
        (f"{url}/{qid}", {"value": ["a"], "seq": 1}, 422, "validation_failed"),
        (f"{url}/{qid}", {"value": "a"}, 422, "validation_failed"),
        (f"{url}/{qid}", {"value": "a", "seq": "x"}, 422, "validation_failed"),
    ]
    for path, body, status, code in cases:
        response = client.put(path, json=body, headers=headers)
        assert response.status_code == status, (path, body, response.get_json())
        assert response.get_json()["error"]["code"] == code
    other = token_for(make_user("trainee"))
    response = client.put(f"{url}/{qid}", json={"value": "a", "seq": 1}, headers=other)
    assert response.status_code == 404
    assert client.get(f"/api/v1/attempts/{attempt['id']}", headers=other).status_code == 404
    assert count_rows(app, Answer) == before


def test_late_answer_is_refused_and_attempt_graded(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    qid = world.question_ids[0]
    client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{qid}",
        json={"value": token_of(app, attempt["id"], qid, "a"), "seq": 1},
        headers=headers,
    )
    with app.app_context():
        row = db.session.get(Attempt, attempt["id"])
        row.deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    late = client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{world.question_ids[1]}",
        json={"value": True, "seq": 1},
        headers=headers,
    )
    assert late.status_code == 409
    assert late.get_json()["error"]["code"] == "time_up"
    with app.app_context():
        row = db.session.get(Attempt, attempt["id"])
        assert row.status == "submitted" and row.score == 1.0 and row.closed_by == "overdue"


def test_import_gift_and_syntax_errors(app, client, world, token_for):
    headers = token_for(world.instructor)
    url = f"/api/v1/assessments/banks/{world.bank_id}/import"
    before = count_rows(app, Question)
    broken = client.post(
        url,
        data={"format": "gift", "file": (io.BytesIO(BROKEN_GIFT.encode()), "rusak.gift")},
        headers=headers,
    )
    assert broken.status_code == 422
    assert broken.get_json()["error"]["details"]["errors"]
    assert count_rows(app, Question) == before
    dry = client.post(
        url,
        data={"format": "gift", "dry_run": "true", "file": (io.BytesIO(GIFT.encode()), "a.gift")},
        headers=headers,
    )
    assert dry.status_code == 201 and dry.get_json()["imported"] == 0
    assert count_rows(app, Question) == before
    done = client.post(
        url, data={"format": "gift", "file": (io.BytesIO(GIFT.encode()), "a.gift")}, headers=headers
    )
    assert done.status_code == 201 and done.get_json()["imported"] == 2
    assert count_rows(app, Question) == before + 2


def test_import_too_large_is_413(app, client, world, token_for, monkeypatch):
    headers = token_for(world.instructor)
    monkeypatch.setitem(app.config, "ASSESSMENT_IMPORT_MAX_BYTES", 2048)
    big = b"x" * 2049
    response = client.post(
        f"/api/v1/assessments/banks/{world.bank_id}/import",
        data={"format": "gift", "file": (io.BytesIO(big), "big.gift")},
        headers=headers,
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_correcting_a_key_regrades_and_audits(app, client, world, token_for):
    trainee = token_for(world.trainee)
    attempt = _start(client, world, trainee).get_json()
    qid = world.question_ids[0]
    client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/{qid}",
        json={"value": token_of(app, attempt["id"], qid, "b"), "seq": 1},
        headers=trainee,
    )
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=trainee)
    with app.app_context():
        assert db.session.get(Attempt, attempt["id"]).score == 0.0
        definition = dict(db.session.get(Question, qid).definition)
    definition["choices"] = [
        {**c, "correct": c["id"] == "b", "weight": 1.0 if c["id"] == "b" else 0.0}
        for c in definition["choices"]
    ]
    response = client.put(
        f"/api/v1/assessments/questions/{qid}",
        json={"definition": definition},
        headers=token_for(world.instructor),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    with app.app_context():
        assert db.session.get(Attempt, attempt["id"]).score == 1.0
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"assessment.question_corrected", "assessment.attempt_regraded"} <= actions


def test_trainee_cannot_grade_or_author(client, world, token_for):
    headers = token_for(world.trainee)
    assert (
        client.post(
            f"/api/v1/attempts/1/answers/{world.question_ids[0]}/grade",
            json={"score": 1},
            headers=headers,
        ).status_code
        == 403
    )
    response = client.post(
        f"/api/v1/assessments/banks/{world.bank_id}/questions",
        json={"type": "true_false", "definition": {"stem": "x", "correct": True}},
        headers=headers,
    )
    assert response.status_code == 403


def test_openapi_documents_the_endpoints(client, db):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/attempts/{attempt_id}/answers/{question_id}" in spec["paths"]
    assert "/api/v1/assessments/{assessment_id}/attempts" in spec["paths"]


def test_assign_assessor_and_results_by_unit(app, client, world, token_for, make_user):
    from app.assessments.models import AssessorAssignment
    from app.assessments.services.results import results_by_unit
    from app.courses.models import Enrollment

    headers = token_for(world.instructor)
    other = make_user("assessor", institution=None)
    url = f"/api/v1/assessments/{world.practical_id}/assessors"
    before = count_rows(app, AssessorAssignment)
    refused = client.post(url, json={"assessor_id": other.id}, headers=headers)
    assert refused.status_code == 422
    theory = client.post(
        f"/api/v1/assessments/{world.exam_id}/assessors",
        json={"assessor_id": world.assessor.id},
        headers=headers,
    )
    assert theory.status_code == 422
    assert count_rows(app, AssessorAssignment) == before
    trainee = token_for(world.trainee)
    attempt = _start(client, world, trainee).get_json()
    answers = {"true_false": True, "numeric": 4}
    for question in attempt["questions"]:
        if question["type"] == "single_choice":
            answers["single_choice"] = choice_token(question, "cp")
        client.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
            json={"value": answers[question["type"]], "seq": 1},
            headers=trainee,
        )
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=trainee)
    with app.test_request_context():
        enrollment = db.session.get(Enrollment, world.enrollment_id)
        assert results_by_unit(enrollment) == {
            code: {"theory_percent": 100.0, "practical": None} for code in world.unit_codes
        }


def test_assessment_settings_are_checked(app, client, world, token_for):
    headers = token_for(world.instructor)
    url = f"/api/v1/assessments/courses/{world.course_id}"
    before = count_rows(app, Assessment)
    bad = client.post(
        url, json={"title": "Kuis", "module_id": 999999, "bank_id": 999999}, headers=headers
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]) == {"module_id", "bank_id"}
    assert count_rows(app, Assessment) == before
    good = client.post(
        url, json={"title": "Kuis 1", "bank_id": world.bank_id, "published": True}, headers=headers
    )
    assert good.status_code == 201 and good.get_json()["kind"] == "quiz"


def _saved(app, attempt_id: int, question_id: int) -> tuple[object, int]:
    with app.app_context():
        answer = db.session.scalar(
            select(Answer).where(Answer.attempt_id == attempt_id, Answer.question_id == question_id)
        )
        return answer.value, answer.seq


def test_the_same_seq_with_another_value_is_a_conflict_that_names_the_stored_answer(
    app, client, world, token_for
):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    qid = world.question_ids[2]  # numeric
    url = f"/api/v1/attempts/{attempt['id']}/answers/{qid}"
    assert client.put(url, json={"value": "4", "seq": 2}, headers=headers).status_code == 200
    conflict = client.put(url, json={"value": "5", "seq": 2}, headers=headers)
    assert conflict.status_code == 409
    error = conflict.get_json()["error"]
    assert error["code"] == "seq_conflict"
    assert error["details"] == {"seq": 2, "value": 4}
    assert _saved(app, attempt["id"], qid) == (4, 2)


def test_the_same_seq_with_the_same_value_is_an_idempotent_resend(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    qid = world.question_ids[2]
    url = f"/api/v1/attempts/{attempt['id']}/answers/{qid}"
    first = client.put(url, json={"value": "4", "seq": 2}, headers=headers)
    again = client.put(url, json={"value": "4", "seq": 2}, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["applied"] is True and again.get_json()["seq"] == 2
    assert again.get_json()["saved_at"] == first.get_json()["saved_at"]
    assert _saved(app, attempt["id"], qid) == (4, 2)


def test_an_older_seq_is_not_applied_and_says_so(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    qid = world.question_ids[2]
    url = f"/api/v1/attempts/{attempt['id']}/answers/{qid}"
    client.put(url, json={"value": "4", "seq": 3}, headers=headers)
    older = client.put(url, json={"value": "7", "seq": 2}, headers=headers)
    assert older.status_code == 200
    assert older.get_json()["applied"] is False and older.get_json()["seq"] == 3
    assert _saved(app, attempt["id"], qid) == (4, 3)
    newer = client.put(url, json={"value": "7", "seq": 4}, headers=headers)
    assert newer.get_json()["applied"] is True
    assert _saved(app, attempt["id"], qid) == (7, 4)


def test_an_integer_past_its_column_is_a_422_naming_the_field(app, client, world, token_for):
    headers = token_for(world.trainee)
    attempt = _start(client, world, headers).get_json()
    url = f"/api/v1/attempts/{attempt['id']}/answers/{world.question_ids[2]}"
    before = count_rows(app, Answer)
    for seq in (2**31, 2**63):
        response = client.put(url, json={"value": "4", "seq": seq}, headers=headers)
        assert response.status_code == 422, seq
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed" and list(error["details"]["json"]) == ["seq"]
    assert count_rows(app, Answer) == before
    largest = client.put(url, json={"value": "4", "seq": 2**31 - 1}, headers=headers)
    assert largest.status_code == 200 and largest.get_json()["seq"] == 2**31 - 1
