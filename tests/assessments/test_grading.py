"""Hand grading of essays, the grading method, item statistics and the CSV export."""

from __future__ import annotations

import pytest

from app.assessments.models import Answer, Assessment
from app.assessments.services import attempts, grading, results, stats
from app.auth.models import User
from app.errors import ValidationFailed
from app.extensions import db
from tests.assessments.conftest import ESSAY, SINGLE, TRUE_FALSE, save_as_learner


def _user(user):
    return db.session.get(User, user.id)


def _sit(world, user, answers):
    trainee = _user(user)
    exam = db.session.get(Assessment, world.exam_id)
    attempt, _ = attempts.start_attempt(trainee, exam)
    for question, _answer in attempts.questions_for_display(attempt):
        value = answers.get(question.type_key)
        if value is not None:
            save_as_learner(trainee, attempt.id, question.id, value, 1)
    return attempts.submit_attempt(trainee, attempt.id)[0]


def test_essay_waits_for_a_hand_grade(ctx, make_world):
    world = make_world(questions=[("single_choice", SINGLE, 0), ("essay", ESSAY, 1)])
    attempt = _sit(world, world.trainee, {"single_choice": "a", "essay": "Kumpulan data."})
    assert attempt.passed is None and attempt.needs_manual
    exam = db.session.get(Assessment, world.exam_id)
    queue = grading.manual_queue(exam)
    assert len(queue) == 1
    with pytest.raises(ValidationFailed):
        grading.grade_manually(_user(world.instructor), queue[0], 5, None)
    grading.grade_manually(_user(world.instructor), queue[0], 1, "Bagus")
    assert attempt.passed is True and attempt.percent == 100.0
    assert grading.manual_queue(exam) == []
    assert attempt.unit_results[world.unit_codes[1]] == {"score": 1.0, "max_score": 1.0}


def test_grading_method_highest_or_last(ctx, world, make_user):
    first = _sit(world, world.trainee, {"single_choice": "a", "true_false": True, "numeric": 4})
    second = _sit(world, world.trainee, {})
    exam = db.session.get(Assessment, world.exam_id)
    assert results.outcome(exam, world.trainee.id).id == first.id
    exam.grading_method = "last"
    assert results.outcome(exam, world.trainee.id).id == second.id
    assert not results.passed(exam, world.trainee.id)


def test_item_statistics_and_csv(ctx, make_world, make_user):
    world = make_world(questions=[("single_choice", SINGLE, 0), ("true_false", TRUE_FALSE, 1)])
    from app.courses.models import Enrollment

    scores = [("a", True), ("a", False), ("b", False)]
    for choice, truth in scores:
        user = make_user("trainee", full_name="=cmd()")
        db.session.add(
            Enrollment(
                user_id=user.id,
                course_id=world.course_id,
                course_version_id=world.version_id,
                status="active",
            )
        )
        db.session.flush()
        _sit(world, user, {"single_choice": choice, "true_false": truth})
    exam = db.session.get(Assessment, world.exam_id)
    items = {i["name"]: i for i in stats.item_statistics(exam)}
    assert items["single_choice"]["facility"] == pytest.approx(2 / 3, abs=1e-3)
    assert items["true_false"]["facility"] == pytest.approx(1 / 3, abs=1e-3)
    assert items["single_choice"]["discrimination"] == pytest.approx(0.5, abs=1e-3)
    rates = {u["code"]: u for u in stats.unit_pass_rates(exam)}
    assert rates[world.unit_codes[0]]["passed"] == 2
    csv = stats.results_csv(exam)
    assert csv.splitlines()[0].startswith("name,email,attempt")
    assert "'=cmd()" in csv  # no formula injection
    assert db.session.query(Answer).count() == 6
