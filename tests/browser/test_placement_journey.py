"""Placement in Chromium at phone size: a counsellor records a route with recommended
courses; an employer posts a vacancy and sees ranked, explained matches; a graduate answers
the employment survey from the e-mailed link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import mail
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.placement import verified
from app.placement.services import survey
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "kompeten-demo-2026"


def _graduate(app) -> tuple[str, str, list[str]]:
    with app.app_context():
        user = db.session.scalar(
            select(User).where(User.email == "lulusan@demo.kompeten.id")
        ) or db.session.scalar(select(User).where(User.email == "peserta@demo.kompeten.id"))
        return user.email, user.full_name, sorted(verified.verified_units(user))


def test_counsellor_records_a_route_with_recommended_courses(live_server, page):
    _email, _name, units = _graduate(live_server.app)
    log_in(page, live_server.url, "pengantar@demo.kompeten.id", PASSWORD)
    page.goto(live_server.url + "/placement/counselling/new")
    page.fill("input[name=email]", "peserta@demo.kompeten.id")
    page.fill("textarea[name=intake]", "Ingin bekerja sebagai pengembang web.")
    page.check("input[name=readiness][value=partly_ready]")
    page.check("input[name=route][value=training_first]")
    page.fill("input[name=target_units]", ", ".join(units[:3]))
    page.click("button[value=suggest]")
    assert page.locator("#suggestion").is_visible()
    assert page.locator("input[name=courses]:checked").count() >= 1
    screenshot(page, "placement-counselling-suggested")
    page.fill("input[name=follow_up_on]", (utcnow() + timedelta(days=14)).date().isoformat())
    page.click("button[value=save]")
    assert page.locator("text=Sesi konseling telah dicatat.").is_visible()
    assert page.locator(".route").inner_text() == "Pelatihan dahulu"
    assert page.locator(".recommendations li").count() >= 1
    assert "Junior Web Developer" in page.locator(".recommendations").inner_text()
    screenshot(page, "placement-counselling-recorded")
    page.goto(live_server.url + "/placement/caseload")
    assert page.locator("text=Daftar binaan").first.is_visible()


def test_employer_posts_a_vacancy_sees_ranked_explained_matches_and_hires(live_server, page):
    email, name, units = _graduate(live_server.app)
    log_in(page, live_server.url, "perusahaan@demo.kompeten.id", PASSWORD)
    page.goto(live_server.url + "/placement/employer/vacancies/new")
    page.fill("input[name=title]", "Pengembang Web Junior")
    page.fill("input[name=city]", "Bandung")
    page.fill("input[name=province]", "Jawa Barat")
    page.fill("input[name=required_units]", ", ".join(units[:2]))
    page.fill("input[name=preferred_units]", "J.620100.999.01")
    page.fill("input[name=closes_on]", (utcnow() + timedelta(days=30)).date().isoformat())
    page.click("form button[type=submit].button")
    assert page.locator("text=J.620100.999.01").first.is_visible()  # unknown unit: 422
    page.fill("input[name=preferred_units]", "")
    page.click("form button[type=submit].button")
    assert page.locator("text=Lowongan telah dipasang.").is_visible()
    first = page.locator("ol.ranked > li").first
    assert name in first.inner_text()
    assert first.locator(".match-score").inner_text() == "100%"
    assert units[0] in first.locator(".unit-ok").first.inner_text()
    screenshot(page, "placement-employer-matches")
    manage_url = page.url

    # the graduate applies with their certificate, and is hired step by step
    page.click("nav button:has-text('Keluar')")
    log_in(page, live_server.url, email, PASSWORD)
    page.goto(live_server.url + "/placement/vacancies")
    page.click("text=Pengembang Web Junior")
    page.locator("input[name=certificate_ids]").first.check()
    page.fill("textarea[name=cover_note]", "Saya siap bekerja di Bandung.")
    page.click("form button[type=submit].button")
    assert page.locator("text=Lamaran Anda telah dikirim.").is_visible()
    page.click("nav button:has-text('Keluar')")
    log_in(page, live_server.url, "perusahaan@demo.kompeten.id", PASSWORD)
    page.goto(manage_url)
    candidate = page.locator("ol.ranked > li", has_text=name)
    assert "Berlaku" in candidate.locator(".cert-valid").first.inner_text()
    for status in ("shortlisted", "interviewed", "hired"):
        candidate.locator("select[name=status]").select_option(status)
        candidate.locator("button:has-text('Perbarui')").click()
        assert page.locator("text=Lamaran telah diperbarui.").is_visible()
        candidate = page.locator("ol.ranked > li", has_text=name)
    assert "Diterima bekerja" in candidate.locator(".tag").first.inner_text()
    screenshot(page, "placement-employer-hired")


def test_graduate_answers_the_survey_from_the_emailed_link(live_server, page):
    email, _name, _units = _graduate(live_server.app)
    app = live_server.app
    with app.app_context():
        mail.outbox().clear()
        survey.dispatch(utcnow() + timedelta(days=95))  # the 3-month wave is due
        db.session.commit()
        letters = [m for m in mail.outbox() if m.to == email]
    assert letters, "no survey mail for the graduate"
    link = re.search(r"http://\S+/survey/\S+", letters[0].body).group(0)
    page.goto(link)
    assert page.locator("h1:has-text('Survei kebekerjaan')").is_visible()
    page.check("input[name=status][value=employed_formal]")
    page.fill("input[name=employer_name]", "PT Maju Bersama")
    page.select_option("select[name=sector]", "tik")
    page.select_option("select[name=wage_band]", "4m_6m")
    page.fill("input[name=months_to_job]", "2")
    page.check("input[name=relevance][value='4']")
    screenshot(page, "placement-survey")
    page.click("form button[type=submit].button")
    assert page.locator("text=Terima kasih!").is_visible()
    page.goto(link)
    assert page.locator("text=Survei ini sudah dijawab. Terima kasih.").is_visible()

    # months later, the institution sees how many of its graduates found work
    log_in(page, live_server.url, "admin.bandung@demo.kompeten.id", PASSWORD)
    page.goto(live_server.url + "/placement/dashboard")
    assert page.locator("svg.chart").count() == 4
    assert page.locator("#total-employment").inner_text().endswith("%")
    screenshot(page, "placement-dashboard")
    with page.expect_download() as download:
        page.click("a[href$='/placement/dashboard/course.csv']")
    assert download.value.suggested_filename == "outcomes-course.csv"
