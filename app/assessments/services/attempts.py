"""Attempts, judged on the server: start, save answers idempotently, submit once, close
what is overdue. Every rule that two requests can race on is held by the database:

- start inserts in a savepoint; the partial unique index (one attempt in progress per
  assessment and user) and UNIQUE (assessment, user, number) make a racing second start fail,
  and it then returns the attempt the first one made;
- save locks the attempt row (SELECT ... FOR UPDATE on PostgreSQL), so it serialises with
  submit, then upserts the answer only if its sequence number is newer than the stored one
  (the same number with another value is refused with 409 seq_conflict);
- submit is a conditional UPDATE ... WHERE status = 'in_progress': only one caller grades.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.assessments import permissions as perm
from app.assessments.models import Answer, Assessment, Attempt, Question, question_units
from app.assessments.questions import AnswerError, registry
from app.assessments.questions.values import item_token
from app.assessments.services.grading import after_grading, grade_attempt, questions_of
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db

log = logging.getLogger(__name__)


class AttemptClosed(Conflict):
    """The time is up: the attempt was closed and graded with what had been saved. That
    close is kept although the request answers with this error."""

    code = "time_up"
    keeps_changes = True


def time_up_message() -> str:
    return _(
        "The time is up. Your attempt was submitted with the answers saved before the deadline."
    )


def grace() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("ASSESSMENT_GRACE_SECONDS", 30)))


def get_attempt(user: User, attempt_id: int) -> Attempt:
    """The attempt, if this user may see it; someone else's is simply not found."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not perm.can_view_attempt(user, attempt):
        raise NotFound(_("That attempt was not found."))
    return attempt


def _own(user: User, attempt_id: int, *, lock: bool = False) -> Attempt:
    query = select(Attempt).where(Attempt.id == attempt_id)
    if lock:
        query = query.with_for_update()
    attempt = db.session.scalars(query.execution_options(populate_existing=True)).first()
    if attempt is None or attempt.user_id != getattr(user, "id", None):
        raise NotFound(_("That attempt was not found."))
    return attempt


def draw_questions(assessment: Assessment, rng: random.Random) -> list[int]:
    """The questions of a new attempt: drawn at random per competency unit, or the whole
    bank; shuffled when the assessment says so."""
    if assessment.bank_id is None:
        return []
    chosen: list[int] = []
    if assessment.draw:
        for rule in assessment.draw:
            pool = sorted(
                db.session.scalars(
                    select(Question.id)
                    .join(question_units, question_units.c.question_id == Question.id)
                    .where(
                        Question.bank_id == assessment.bank_id,
                        question_units.c.unit_id == rule["unit_id"],
                    )
                )
            )
            pool = [qid for qid in pool if qid not in chosen]
            chosen.extend(rng.sample(pool, min(int(rule["count"]), len(pool))))
    else:
        chosen = sorted(
            db.session.scalars(select(Question.id).where(Question.bank_id == assessment.bank_id))
        )
    if assessment.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _in_progress(assessment: Assessment, user_id: int) -> Attempt | None:
    return db.session.scalars(
        select(Attempt)
        .where(
            Attempt.assessment_id == assessment.id,
            Attempt.user_id == user_id,
            Attempt.status == "in_progress",
        )
        .execution_options(populate_existing=True)
    ).first()


def start_attempt(user: User, assessment: Assessment) -> tuple[Attempt, bool]:
    """Start an attempt, or return the one in progress. -> (attempt, created). The caller
    has checked `permissions.can_take`."""
    now = utcnow()
    current = _in_progress(assessment, user.id)
    if current is not None and not close_if_overdue(current, now):
        return current, False
    if assessment.opens_at and now < assessment.opens_at:
        raise Conflict(_("This assessment is not open yet."), code="not_open")
    if assessment.closes_at and now >= assessment.closes_at:
        raise Conflict(_("This assessment is closed."), code="closed")
    used = db.session.scalar(
        select(func.coalesce(func.max(Attempt.number), 0)).where(
            Attempt.assessment_id == assessment.id, Attempt.user_id == user.id
        )
    )
    if assessment.max_attempts is not None and used >= assessment.max_attempts:
        raise Conflict(_("You have used all your attempts."), code="no_attempts_left")
    seed = secrets.randbelow(2**31)
    question_ids = draw_questions(assessment, random.Random(seed))  # noqa: S311 - not security
    if not question_ids:
        raise Conflict(_("This assessment has no questions yet."), code="no_questions")
    deadline = None
    if assessment.time_limit_minutes:
        deadline = now + timedelta(minutes=assessment.time_limit_minutes)
    if assessment.closes_at and (deadline is None or assessment.closes_at < deadline):
        deadline = assessment.closes_at
    attempt = Attempt(
        assessment_id=assessment.id,
        user_id=user.id,
        number=used + 1,
        seed=seed,
        question_ids=question_ids,
        started_at=now,
        deadline=deadline,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        current = _in_progress(assessment, user.id)
        if current is None:
            raise Conflict(_("Another start is in progress. Please try again.")) from None
        return current, False
    log.info("user %s started attempt %s of assessment %s", user.id, attempt.number, assessment.id)
    return attempt, True


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace()


def close_if_overdue(attempt: Attempt, now: datetime) -> bool:
    if attempt.in_progress and is_overdue(attempt, now):
        _finish(attempt.id, "overdue")
        return True
    return False


def _finish(attempt_id: int, by: str) -> tuple[Attempt, bool]:
    """The conditional UPDATE that closes an attempt once; the winner grades it."""
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.status == "in_progress")
        .values(status="submitted", submitted_at=utcnow(), closed_by=by)
        .execution_options(synchronize_session=False)
    )
    attempt = db.session.scalars(
        select(Attempt).where(Attempt.id == attempt_id).execution_options(populate_existing=True)
    ).one()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return attempt, False
    grade_attempt(attempt)
    after_grading(attempt)
    log.info("attempt %s closed by %s: %s%%", attempt.id, by, attempt.percent)
    return attempt, True


def submit_attempt(user: User, attempt_id: int) -> tuple[Attempt, bool]:
    """Submit and grade. A second submit changes nothing. -> (attempt, graded_now)."""
    _own(user, attempt_id)
    return _finish(attempt_id, "trainee")


def item_tokens(attempt: Attempt, question: Question) -> Callable[[str], str]:
    """The ids a learner sees for the items (choices) of one question in one attempt."""
    secret = current_app.config["SECRET_KEY"].encode()
    scope = f"attempt:{attempt.id}:{attempt.seed}:question:{question.id}"
    return lambda item_id: item_token(secret, scope, item_id)


def shown_answer(attempt: Attempt, question: Question, value: Any) -> Any:
    """A stored answer as the learner sees it (choice ids as their tokens)."""
    qtype = registry.get(question.type_key)
    return qtype.mask_answer(question.definition, value, item_tokens(attempt, question))


def save_answer(
    user: User, attempt_id: int, question_id: int, value: Any, seq: int
) -> tuple[Answer, bool]:
    """Keep an answer unless a newer one (higher seq) is already stored. `value` names
    choices by the tokens the learner was shown (see `item_tokens`).
    -> (the stored answer, whether this save was applied). The same seq again with the same
    value is a harmless resend (applied); with a different value it is a Conflict naming the
    stored seq and value, never silently dropped."""
    attempt = _own(user, attempt_id, lock=True)
    if not attempt.in_progress:
        raise Conflict(_("This attempt has already been submitted."), code="attempt_closed")
    if close_if_overdue(attempt, utcnow()):
        raise AttemptClosed(
            time_up_message(),
            details={"attempt_id": attempt.id},
        )
    if question_id not in attempt.question_ids:
        raise ValidationFailed(
            _("That question is not part of this attempt."), details={"question_id": [question_id]}
        )
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationFailed(
            _("The sequence number must be a positive whole number."), details={"seq": ["invalid"]}
        )
    question = db.session.get(Question, question_id)
    if value is not None:
        qtype = registry.get(question.type_key)
        try:
            value = qtype.unmask_answer(question.definition, value, item_tokens(attempt, question))
            value = qtype.validate_answer(question.definition, value)
        except AnswerError as error:
            raise ValidationFailed(
                _("The answer does not fit this question."), details={"value": [str(error)]}
            ) from None
    _upsert(attempt.id, question_id, value, seq)
    answer = db.session.scalars(
        select(Answer)
        .where(Answer.attempt_id == attempt.id, Answer.question_id == question_id)
        .execution_options(populate_existing=True)
    ).one()
    if answer.seq == seq and answer.value != value:
        raise Conflict(
            _("Another answer was already saved with this sequence number; send a newer one."),
            code="seq_conflict",
            details={"seq": answer.seq, "value": shown_answer(attempt, question, answer.value)},
        )
    return answer, answer.seq == seq


def _upsert(attempt_id: int, question_id: int, value: Any, seq: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Answer).values(
        attempt_id=attempt_id, question_id=question_id, value=value, seq=seq, saved_at=utcnow()
    )
    statement = statement.on_conflict_do_update(
        index_elements=["attempt_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "seq": statement.excluded.seq,
            "saved_at": statement.excluded.saved_at,
        },
        where=Answer.seq < statement.excluded.seq,
    )
    db.session.execute(statement)


def close_overdue_attempts(now: datetime | None = None) -> int:
    """Close and grade every attempt past its deadline and grace. For the scheduler/CLI."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(Attempt.id).where(
                Attempt.status == "in_progress",
                Attempt.deadline.is_not(None),
                Attempt.deadline < now - grace(),
            )
        )
    )
    closed = sum(1 for attempt_id in ids if _finish(attempt_id, "overdue")[1])
    log.info("closed %d overdue attempts", closed)
    return closed


def attempts_of(assessment: Assessment, user_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assessment_id == assessment.id, Attempt.user_id == user_id)
            .order_by(Attempt.number)
        )
    )


def questions_for_display(attempt: Attempt) -> list[tuple[Question, Answer | None]]:
    questions = questions_of(attempt)
    answers = {
        a.question_id: a
        for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    }
    return [(questions[qid], answers.get(qid)) for qid in attempt.question_ids]
