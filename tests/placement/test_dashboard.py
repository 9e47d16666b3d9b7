"""Outcome dashboards: figures equal a hand computation on a fixed data set; SVG charts;
CSV downloads with formula injection neutralised."""

from __future__ import annotations

import csv
import io
import secrets

import pytest

from app.assessments.models import Assessment, Attempt
from app.db import utcnow
from app.extensions import db
from app.placement.models.survey import EmploymentSurvey
from app.placement.services import dashboard
from app.placement.services.survey import response_rates

EVIL = '=HYPERLINK("http://evil")'


def attempts(app, course, user, results):
    with app.app_context():
        assessment = Assessment(course_id=course.id, title="Ujian", kind="quiz")
        db.session.add(assessment)
        db.session.flush()
        for number, passed in enumerate(results, start=1):
            db.session.add(
                Attempt(
                    assessment_id=assessment.id,
                    user_id=user.id,
                    number=number,
                    status="submitted",
                    seed=1,
                    question_ids=[],
                    passed=passed,
                    submitted_at=utcnow(),
                )
            )
        db.session.commit()


def survey(app, cert, wave, status=None, months=None):
    with app.app_context():
        row = EmploymentSurvey(
            user_id=cert.user_id,
            certificate_id=cert.id,
            institution_id=cert.institution_id,
            course_id=cert_course(cert),
            wave_months=wave,
            nonce=secrets.token_urlsafe(32),
            email="x@contoh.id",
            expires_at=utcnow(),
            answered_at=utcnow() if status else None,
            status=status,
            relevance=3 if status else None,
            months_to_job=months,
        )
        db.session.add(row)
        db.session.commit()


def cert_course(cert):
    from app.courses.models import CourseVersion

    return db.session.get(CourseVersion, cert.course_version_id).course_id


@pytest.fixture
def data(app, pf, make_user, make_institution):
    a = make_institution(name="BLK Alfa", type="BLK", province="Jawa Barat")
    b = make_institution(name=EVIL, type="BLK_KOMUNITAS", province="Jawa Timur")
    c1 = pf.course(a, ("J.620100.501.01",), sector="tik", code="C1", title="Web")
    c2 = pf.course(a, ("J.620100.502.01",), sector="las", code="C2", title="Las")
    c3 = pf.course(b, ("J.620100.503.01",), sector="garmen", code="C3", title="Jahit")
    u = [make_user("trainee") for _ in range(9)]
    certs = {
        1: pf.certificate(u[0], c1),
        2: pf.certificate(u[1], c1),
        3: pf.certificate(u[2], c1),
        5: pf.certificate(u[4], c2),
        7: pf.certificate(u[6], c3),
        8: pf.certificate(u[7], c3),
    }
    pf.enrol(u[3], c1, status="active")
    pf.enrol(u[5], c2, status="active")
    pf.enrol(u[8], c3, status="active")
    attempts(app, c1, u[0], [True, True, True, False])
    attempts(app, c2, u[4], [True, False, None])
    survey(app, certs[1], 3, "unemployed")
    survey(app, certs[1], 6, "employed_formal", 4)
    survey(app, certs[2], 3, "employed_informal", 1)
    survey(app, certs[3], 3)
    survey(app, certs[5], 3, "studying")
    survey(app, certs[7], 3, "self_employed", 2)
    survey(app, certs[8], 6, "unemployed")
    return {"a": a, "b": b}


def rows_by_label(data_, grouping):
    return {row["label"]: row for row in dashboard.group_rows(data_, grouping)}


def test_figures_equal_the_hand_computation(app, data):
    with app.app_context():
        result = dashboard.compute()
        rates = response_rates()
    assert result.total.row() | {"key": None} == {
        "key": None,
        "label": "all",
        "enrolments": 9,
        "completions": 6,
        "pass_rate": 66.7,  # 4 of 6 graded attempts
        "certificates": 6,
        "respondents": 5,
        "employment_rate": 60.0,  # 3 of 5 latest answers
        "months_to_job": 2.3,  # (4 + 1 + 2) / 3
    }
    courses = rows_by_label(result, "course")
    assert [
        (r["enrolments"], r["completions"], r["pass_rate"], r["certificates"])
        for r in courses.values()
    ] == [(4, 3, 75.0, 3), (2, 1, 50.0, 1), (3, 2, None, 2)]  # C1, C2, C3
    assert courses["C1 · Web"]["employment_rate"] == 100.0
    assert courses["C1 · Web"]["months_to_job"] == 2.5
    assert courses["C2 · Las"]["employment_rate"] == 0.0
    assert courses["C3 · Jahit"]["employment_rate"] == 50.0
    institutions = rows_by_label(result, "institution")
    assert institutions["BLK Alfa"]["enrolments"] == 6
    assert institutions["BLK Alfa"]["pass_rate"] == 66.7
    assert institutions["BLK Alfa"]["employment_rate"] == 66.7
    assert institutions[EVIL]["employment_rate"] == 50.0
    provinces = rows_by_label(result, "province")
    assert provinces["Jawa Barat"]["respondents"] == 3
    assert provinces["Jawa Timur"]["months_to_job"] == 2.0
    sectors = {row["key"]: row for row in dashboard.group_rows(result, "sector")}
    assert sectors["tik"]["certificates"] == 3 and sectors["garmen"]["respondents"] == 2
    assert (result.blk_komunitas.respondents, result.blk_komunitas.self_employed) == (2, 1)
    assert result.blk_komunitas.self_employment_rate == 50.0
    assert rates == [
        {"wave": 3, "sent": 5, "answered": 4, "rate": 80.0},
        {"wave": 6, "sent": 2, "answered": 2, "rate": 100.0},
    ]


def test_institution_admin_sees_only_their_institution(app, data, client_as, token_for):
    admin = client_as("institution_admin", institution=data["a"])
    response = admin.get("/api/v1/placement/dashboard", headers=token_for(admin.user))
    assert response.status_code == 200
    assert response.json["total"]["enrolments"] == 6
    assert [r["label"] for r in response.json["groups"]["institution"]] == ["BLK Alfa"]
    platform = client_as("admin")
    whole = platform.get("/api/v1/placement/dashboard", headers=token_for(platform.user))
    assert whole.json["total"]["enrolments"] == 9
    assert whole.json["blk_komunitas"]["self_employment_rate"] == 50.0


def test_dashboard_page_draws_svg_without_scripts(data, client_as):
    page = client_as("admin").get("/placement/dashboard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count("<svg") == 4 and "<script" not in text
    assert EVIL not in text  # escaped in tables and charts alike


@pytest.mark.parametrize("grouping", ["course", "institution", "sector", "province"])
def test_every_table_downloads_as_csv(data, client_as, grouping):
    response = client_as("admin").get(f"/placement/dashboard/{grouping}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "label" and len(rows) > 1


def test_csv_neutralises_formulas(data, client_as):
    body = client_as("admin").get("/placement/dashboard/institution.csv").get_data(as_text=True)
    labels = [row[0] for row in csv.reader(io.StringIO(body))]
    assert "'" + EVIL in labels and EVIL not in labels
    for other in ("response-rates", "blk-komunitas"):
        assert client_as("admin").get(f"/placement/dashboard/{other}.csv").status_code == 200
    assert client_as("admin").get("/placement/dashboard/nothing.csv").status_code == 404
