"""Practical judgements: K/BK per unit with evidence, appeals, a second assessor's
reassessment (both kept), the theory prerequisite, completion and the summary for
certificates."""

from __future__ import annotations

from datetime import date

import pytest

from app.assessments import permissions as perm
from app.assessments.models import Assessment, Judgement
from app.assessments.services import attempts, practical, results
from app.auth.models import User
from app.courses.models import Enrollment
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from tests.assessments.conftest import save_as_learner

EVIDENCE = {
    "evidence": "Observasi: memasang jaringan LAN",
    "judged_on": date(2026, 11, 2),
    "place": "Bengkel TIK",
}


def _objs(world):
    return (
        db.session.get(Assessment, world.practical_id),
        db.session.get(Enrollment, world.enrollment_id),
    )


def _user(user):
    return db.session.get(User, user.id)


def _pass_theory(world):
    trainee = _user(world.trainee)
    attempt, _ = attempts.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
    answers = {"single_choice": "a", "true_false": True, "numeric": 4}
    for question, _answer in attempts.questions_for_display(attempt):
        save_as_learner(trainee, attempt.id, question.id, answers[question.type_key], 1)
    attempts.submit_attempt(trainee, attempt.id)


def test_appeal_and_reassessment_keep_both_judgements(ctx, world):
    assessment, enrollment = _objs(world)
    unit = world.unit_ids[0]
    first = practical.record_judgement(
        _user(world.assessor), assessment, enrollment, unit, result="BK", **EVIDENCE
    )
    practical.appeal(_user(world.trainee), first, "Saya sudah kompeten")
    with pytest.raises(Conflict):
        practical.record_judgement(
            _user(world.assessor), assessment, enrollment, unit, result="K", **EVIDENCE
        )
    second = practical.record_judgement(
        _user(world.assessor2), assessment, enrollment, unit, result="K", **EVIDENCE
    )
    assert (second.round, second.supersedes_id) == (2, first.id)
    assert db.session.get(Judgement, first.id).result == "BK"  # never updated
    assert first.appeal.resolved_by_id == second.id
    with pytest.raises(Conflict):
        practical.appeal(_user(world.trainee), second, "lagi")


def test_trainee_and_foreign_assessor_cannot_judge(ctx, world, make_user):
    assessment, enrollment = _objs(world)
    for user in (world.trainee, make_user("assessor"), world.instructor):
        assert not perm.can_judge(_user(user), assessment, enrollment)
    assert perm.can_judge(_user(world.assessor), assessment, enrollment)
    with pytest.raises(ValidationFailed):
        practical.record_judgement(
            _user(world.assessor),
            assessment,
            enrollment,
            world.unit_ids[0],
            result="K",
            evidence="ok",
            judged_on=date(2099, 1, 1),
            place="Lab",
        )
    with pytest.raises(ValidationFailed):
        practical.record_judgement(
            _user(world.assessor),
            assessment,
            enrollment,
            world.unit_ids[0],
            result="K",
            evidence="",
            judged_on=date(2026, 11, 2),
            place="",
        )
    assert db.session.query(Judgement).count() == 0


def test_theory_must_be_passed_before_practical(ctx, make_world):
    world = make_world(require_theory=True)
    assessment, enrollment = _objs(world)
    with pytest.raises(Conflict) as raised:
        practical.record_judgement(
            _user(world.assessor), assessment, enrollment, world.unit_ids[0], result="K", **EVIDENCE
        )
    assert raised.value.code == "prerequisite_missing"
    _pass_theory(world)
    practical.record_judgement(
        _user(world.assessor), assessment, enrollment, world.unit_ids[0], result="K", **EVIDENCE
    )


def test_course_completes_when_theory_passed_and_every_unit_k(ctx, world):
    from app.courses.signals import course_completed

    sent = []

    def listen(sender, enrollment, **extra):
        sent.append(enrollment.id)

    course_completed.connect(listen)
    try:
        assessment, enrollment = _objs(world)
        _pass_theory(world)
        assert enrollment.status == "active"
        for unit in world.unit_ids:
            practical.record_judgement(
                _user(world.assessor), assessment, enrollment, unit, result="K", **EVIDENCE
            )
        db.session.refresh(enrollment)
        assert enrollment.status == "completed" and sent == [enrollment.id]
        summary = results.practical_summary(enrollment)
        assert summary[world.unit_codes[0]] == {
            "result": "K",
            "assessor": "Dewi Asesor",
            "date": date(2026, 11, 2),
        }
    finally:
        course_completed.disconnect(listen)
