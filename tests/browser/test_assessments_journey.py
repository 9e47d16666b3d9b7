"""Assessments in Chromium at phone size: a timed exam and its result, an attempt that loses
its connection and loses nothing, and an assessor recording a practical judgement."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.assessments.models import Answer, Assessment, Attempt
from app.assessments.seed import QUESTIONS
from app.assessments.services import attempts
from app.assessments.services.practical import JAKARTA
from app.auth.services import create_user
from app.courses.models import Enrollment
from app.db import utcnow
from app.extensions import db
from app.seed import DEMO_PASSWORD
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _exam(app, kind: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Assessment.id).where(Assessment.kind == kind))


def _trainee(app, name: str, *, pass_theory: bool = False) -> str:
    """A fresh trainee enrolled in the demo course (each journey has its own)."""
    email = f"{uuid.uuid4().hex[:8]}@contoh.id"
    with app.test_request_context():
        exam = db.session.get(Assessment, _exam(app, "theory"))
        user = create_user(email=email, password=DEMO_PASSWORD, full_name=name, roles=["trainee"])
        version = exam.course.published_version
        db.session.add(
            Enrollment(
                user_id=user.id,
                course_id=exam.course_id,
                course_version_id=version.id,
                status="active",
                activated_at=utcnow(),
            )
        )
        db.session.flush()
        if pass_theory:
            attempt, _ = attempts.start_attempt(user, exam)
            answers = {qname: answer for _t, qname, _d, answer in QUESTIONS}
            for question, _saved in attempts.questions_for_display(attempt):
                shown = attempts.shown_answer(attempt, question, answers[question.name])
                attempts.save_answer(user, attempt.id, question.id, shown, 1)
            attempts.submit_attempt(user, attempt.id)
        db.session.commit()
    return email


def _answer(section) -> None:
    """Answer one question section, whatever its type."""
    if section.locator("input[type=radio]").count():
        section.locator("input[type=radio]").first.check()
    elif section.locator("input[type=checkbox]").count():
        section.locator("input[type=checkbox]").nth(0).check()
        section.locator("input[type=checkbox]").nth(1).check()
    elif section.locator("textarea").count():
        section.locator("textarea").fill("Jawaban uraian")
    else:
        section.locator("input[type=text]").fill("flowchart")


def _start(page, base: str, exam_id: int) -> None:
    page.goto(f"{base}/assessments/{exam_id}")
    page.click("#start-attempt")
    page.wait_for_selector("#attempt-form")


def test_timed_exam_and_result_at_phone_size(live_server, page):
    base, app = live_server.url, live_server.app
    email = _trainee(app, "Sari Ujian")
    log_in(page, base, email, DEMO_PASSWORD)
    _start(page, base, _exam(app, "theory"))
    assert ":" in page.locator("#time-left").inner_text()  # counted down by the server's clock
    sections = page.locator("section.question")
    for index in range(sections.count()):
        _answer(sections.nth(index))
    expect(page.locator("section.question.unsaved")).to_have_count(0, timeout=20_000)
    screenshot(page, "assessments-attempt-phone")
    page.click("#submit-attempt")
    page.wait_for_selector("#result-marks")
    assert page.locator("text=Nilai").first.is_visible()
    assert page.locator("text=Hasil per unit").is_visible()
    screenshot(page, "assessments-result-phone")


def test_connection_cut_mid_attempt_loses_nothing(live_server, page):
    base, app = live_server.url, live_server.app
    email = _trainee(app, "Joko Sinyal")
    log_in(page, base, email, DEMO_PASSWORD)
    _start(page, base, _exam(app, "theory"))
    sections = page.locator("section.question")
    _answer(sections.nth(0))
    page.wait_for_selector("section.question[data-saved='1']")
    page.context.set_offline(True)
    for index in range(1, sections.count()):
        _answer(sections.nth(index))
    page.wait_for_selector("#connection:has-text('Tidak ada koneksi')")
    assert page.locator("section.question.unsaved").count() >= 1
    screenshot(page, "assessments-offline")
    page.context.set_offline(False)
    expect(page.locator("section.question.unsaved")).to_have_count(0, timeout=20_000)
    with app.app_context():
        attempt = db.session.scalar(
            select(Attempt)
            .join(Attempt.user)
            .where(Attempt.status == "in_progress")
            .where(Attempt.user.has(email=email))
        )
        saved = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id)).all()
        assert len(saved) == len(attempt.question_ids)
        assert all(answer.value is not None for answer in saved)
    page.reload()
    assert page.locator("section.question .save-state:has-text('Belum tersimpan')").count() == 0


def test_assessor_records_a_practical_judgement(live_server, page):
    base, app = live_server.url, live_server.app
    _trainee(app, "Wati Praktik", pass_theory=True)
    log_in(page, base, "asesor@demo.kompeten.id", DEMO_PASSWORD)
    page.goto(f"{base}/assessments/{_exam(app, 'practical')}/practical")
    card = page.locator("section.card", has_text="Wati Praktik")
    card.locator("a.judge-link").first.click()
    page.check("input[name=result][value=K]")
    page.fill("textarea[name=evidence]", "Observasi: memasang dan menguji program sesuai KUK.")
    page.fill("input[name=judged_on]", utcnow().astimezone(JAKARTA).date().isoformat())
    page.fill("input[name=place]", "Bengkel TIK")
    screenshot(page, "assessments-judgement-form")
    page.click("form button[type=submit].button >> nth=-1")
    assert page.locator("text=Keputusan sudah dicatat.").is_visible()
    assert (
        page.locator("section.card", has_text="Wati Praktik").locator("strong.status-ok").count()
        == 1
    )
