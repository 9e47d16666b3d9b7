"""Attempts on the server: start, idempotent saves, one grade per submit, deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.assessments import permissions as perm
from app.assessments.models import Answer, Assessment, Attempt
from app.assessments.services import attempts as svc
from app.auth.models import User
from app.courses.models import Enrollment
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from tests.assessments.conftest import save_as_learner
from tests.conftest import count_rows


def _user(user):
    return db.session.get(User, user.id)


def _right_answers(attempt: Attempt) -> dict[int, object]:
    from app.assessments.models import Question

    answers = {}
    for qid in attempt.question_ids:
        question = db.session.get(Question, qid)
        answers[qid] = {"single_choice": "a", "true_false": True, "numeric": 4}[question.type_key]
    return answers


def test_start_draws_every_question_and_sets_deadline(ctx, world):
    exam = db.session.get(Assessment, world.exam_id)
    attempt, created = svc.start_attempt(_user(world.trainee), exam)
    assert created and attempt.number == 1
    assert sorted(attempt.question_ids) == sorted(world.question_ids)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    again, created = svc.start_attempt(_user(world.trainee), exam)
    assert again.id == attempt.id and not created


def test_draw_per_unit(ctx, world):
    exam = db.session.get(Assessment, world.exam_id)
    exam.draw = [
        {"unit_id": world.unit_ids[0], "count": 1},
        {"unit_id": world.unit_ids[1], "count": 1},
    ]
    attempt, _ = svc.start_attempt(_user(world.trainee), exam)
    assert len(attempt.question_ids) == 2
    assert world.question_ids[2] in attempt.question_ids


def test_full_marks_pass_and_units(ctx, world):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    for qid, value in _right_answers(attempt).items():
        save_as_learner(trainee, attempt.id, qid, value, 1)
    graded, now = svc.submit_attempt(trainee, attempt.id)
    assert now and graded.percent == 100.0 and graded.passed is True
    assert graded.unit_results[world.unit_codes[1]] == {"score": 1.0, "max_score": 1.0}
    again, now = svc.submit_attempt(trainee, attempt.id)
    assert not now and again.submitted_at == graded.submitted_at


def test_older_sequence_never_overwrites_newer(ctx, world):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    qid = world.question_ids[0]
    save_as_learner(trainee, attempt.id, qid, "b", 2)
    answer, applied = save_as_learner(trainee, attempt.id, qid, "a", 1)
    assert not applied and answer.value == "b" and answer.seq == 2
    answer, applied = save_as_learner(trainee, attempt.id, qid, "b", 2)
    assert applied and answer.value == "b"  # a replay is acknowledged, changes nothing
    answer, applied = save_as_learner(trainee, attempt.id, qid, "c", 3)
    assert applied and answer.value == "c"


@pytest.mark.parametrize(
    ("question_index", "value", "error"),
    [
        (None, "a", ValidationFailed),
        (0, ["a"], ValidationFailed),
        (0, "zz", ValidationFailed),
        (2, "four", ValidationFailed),
    ],
)
def test_bad_answers_write_nothing(app, ctx, world, question_index, value, error):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    qid = 999_999 if question_index is None else world.question_ids[question_index]
    before = db.session.query(Answer).count()
    with pytest.raises(error):
        save_as_learner(trainee, attempt.id, qid, value, 1)
    assert db.session.query(Answer).count() == before


def test_someone_elses_attempt_is_not_found(ctx, world, make_user):
    attempt, _ = svc.start_attempt(_user(world.trainee), db.session.get(Assessment, world.exam_id))
    other = make_user("trainee")
    with pytest.raises(NotFound):
        save_as_learner(_user(other), attempt.id, world.question_ids[0], "a", 1)
    with pytest.raises(NotFound):
        svc.submit_attempt(_user(other), attempt.id)


def test_late_answer_refused_and_attempt_closed_with_saved_answers(ctx, world):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    save_as_learner(trainee, attempt.id, world.question_ids[0], "a", 1)
    attempt.deadline = utcnow() - timedelta(seconds=31)
    db.session.flush()
    with pytest.raises(svc.AttemptClosed) as raised:
        save_as_learner(trainee, attempt.id, world.question_ids[1], True, 1)
    assert raised.value.status == 409
    closed = db.session.get(Attempt, attempt.id)
    assert closed.status == "submitted" and closed.closed_by == "overdue"
    assert closed.score == 1.0


def test_answer_within_grace_is_taken(ctx, world):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    attempt.deadline = utcnow() - timedelta(seconds=10)
    db.session.flush()
    _answer, applied = save_as_learner(trainee, attempt.id, world.question_ids[0], "a", 1)
    assert applied


def test_close_overdue_attempts(ctx, world):
    trainee = _user(world.trainee)
    attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    attempt.deadline = utcnow() - timedelta(minutes=5)
    db.session.flush()
    assert svc.close_overdue_attempts() == 1
    assert svc.close_overdue_attempts() == 0
    assert db.session.get(Attempt, attempt.id).status == "submitted"


def test_max_attempts_and_not_enrolled(ctx, make_world, make_user):
    world = make_world(max_attempts=1)
    trainee = _user(world.trainee)
    exam = db.session.get(Assessment, world.exam_id)
    attempt, _ = svc.start_attempt(trainee, exam)
    svc.submit_attempt(trainee, attempt.id)
    with pytest.raises(Conflict):
        svc.start_attempt(trainee, exam)
    assert not perm.can_take(_user(make_user("trainee")), exam)
    enrollment = db.session.get(Enrollment, world.enrollment_id)
    assert enrollment.user_id == world.trainee.id


def test_cli_closes_overdue(app, world):
    with app.app_context():
        trainee = _user(world.trainee)
        attempt, _ = svc.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
        attempt.deadline = utcnow() - timedelta(minutes=5)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["close-overdue-attempts"])
    assert "closed 1 overdue attempts" in result.output
    assert count_rows(app, Attempt) == 1
