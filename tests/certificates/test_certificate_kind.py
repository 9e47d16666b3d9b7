"""A certificate says what was done: a training certificate that the training was completed
(never "Competent", never an assessor); a competency certificate each unit's assessment
result, and none is issued while a unit lacks a K."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.assessments.models import Assessment, Attempt, Judgement, Question, QuestionBank
from app.certificates.models import Certificate
from app.certificates.pdf.render import render_certificate_html
from app.certificates.services.issuance import issue_certificate, issue_on_completion
from app.certificates.services.pdfstore import render_context
from app.courses.models import Course, CourseVersion, Enrollment
from app.errors import Conflict
from app.extensions import db
from tests.certificates.conftest import build_course, complete, issue

COMPETENCE_CLAIMS = ("Kompeten", "KOMPETEN", "Competent", "COMPETENT", "asesor", "assessor")


def _competency_course(app, make_institution, make_user, judged: bool = True):
    """A competency course with a practical; its trainee judged K in every unit by
    "Dewi Asesor" when `judged`. Returns (enrollment id, assessment id)."""
    institution = make_institution()
    assessor = make_user("assessor", institution=institution, full_name="Dewi Asesor")
    trainee = make_user("trainee", full_name="Rina Kurniasih")
    with app.app_context():
        version = db.session.get(CourseVersion, build_course(institution.id))
        version.course.certificate_kind = "competency"
        practical = Assessment(
            course_id=version.course_id, title="Uji Praktik JWD", kind="practical", published=True
        )
        db.session.add(practical)
        db.session.flush()
        enrollment_id = complete(trainee.id, version.id)
        if judged:
            for unit in version.units:
                db.session.add(
                    Judgement(
                        assessment_id=practical.id,
                        enrollment_id=enrollment_id,
                        unit_id=unit.id,
                        result="K",
                        evidence="Observasi",
                        judged_on=date(2026, 11, 20),
                        place="Bengkel TIK",
                        assessor_id=assessor.id,
                    )
                )
        db.session.commit()
        return enrollment_id, practical.id


def _words(cert: Certificate) -> str:
    return json.dumps(cert.credential, ensure_ascii=False)


def test_a_course_without_assessments_gives_a_training_certificate(app, completed):
    """The reported case: published without assessments, completed, issued automatically."""
    cert = issue(app, completed(), with_pdf=False)

    achievement = cert.credential["credentialSubject"]["achievement"]
    assert cert.credential["name"].startswith("Sertifikat Pelatihan: ")
    assert achievement["achievementType"] == "Course"
    assert "Completed the training" in achievement["criteria"]["narrative"]
    assert "not assessed" in achievement["criteria"]["narrative"]
    assert cert.snapshot["certificate_kind"] == "training" and cert.snapshot["assessor"] is None
    for claim in COMPETENCE_CLAIMS:
        assert claim not in achievement["description"] + achievement["criteria"]["narrative"]
    with app.test_request_context():
        html = render_certificate_html(render_context(cert))
    assert "SERTIFIKAT PELATIHAN" in html
    for claim in ("KOMPETEN", "COMPETENT", "Competence", "Praktik", "Asesor"):
        assert claim not in html


def test_a_competency_certificate_names_each_units_assessment(app, make_institution, make_user):
    enrollment_id, _practical = _competency_course(app, make_institution, make_user)

    cert = issue(app, enrollment_id, with_pdf=False)

    achievement = cert.credential["credentialSubject"]["achievement"]
    assert cert.credential["name"].startswith("Sertifikat Kompetensi: ")
    assert achievement["achievementType"] == "Competency"
    narrative = achievement["criteria"]["narrative"]
    assert "judged Competent in every unit below by assessment" in narrative
    for unit in cert.snapshot["units"]:
        assert unit["result"] == "K" and unit["method"] == "practical"
        assert f"{unit['code']}: K, uji praktik “Uji Praktik JWD”, asesor Dewi Asesor" in narrative
    assert cert.snapshot["assessor"] == "Dewi Asesor"
    with app.test_request_context():
        html = render_certificate_html(render_context(cert))
    assert "SERTIFIKAT KOMPETENSI" in html
    assert html.count('<td class="result">K · Praktik</td>') == 3
    assert "Asesor <em>/ Assessor</em>: Dewi Asesor</p>" in html


def test_no_competency_certificate_while_a_unit_is_not_judged(
    app, make_institution, make_user, ctx
):
    enrollment_id, _practical = _competency_course(app, make_institution, make_user, judged=False)
    enrollment = db.session.get(Enrollment, enrollment_id)

    assert issue_on_completion(enrollment) is None
    with pytest.raises(Conflict) as refused:
        issue_certificate(enrollment, with_pdf=False)
    assert refused.value.code == "units_not_assessed"
    assert refused.value.details["units"] == [u.code for u in enrollment.course_version.units]
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_the_issue_api_refuses_an_unassessed_competency_certificate(
    app, client, make_institution, make_user, token_for
):
    enrollment_id, practical_id = _competency_course(app, make_institution, make_user)
    with app.app_context():
        db.session.get(Assessment, practical_id).published = False
        enrollment = db.session.get(Enrollment, enrollment_id)
        institution = db.session.get(Course, enrollment.course_id).institution
        db.session.commit()
    admin = make_user("institution_admin", institution=institution)

    response = client.post(
        "/api/v1/certificates", json={"enrollment_id": enrollment_id}, headers=token_for(admin)
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "units_not_assessed"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_a_passed_theory_test_judges_its_units_and_a_failed_one_does_not(
    app, make_institution, make_user
):
    institution = make_institution()
    trainee = make_user("trainee")
    with app.app_context():
        version = db.session.get(CourseVersion, build_course(institution.id, units=2))
        version.course.certificate_kind = "competency"
        bank = QuestionBank(course_id=version.course_id, name="Bank teori")
        db.session.add(bank)
        db.session.flush()
        for unit in version.units:
            question = Question(bank_id=bank.id, type_key="truefalse", name="q", definition={})
            question.units = [unit]
            db.session.add(question)
        theory = Assessment(
            course_id=version.course_id,
            bank_id=bank.id,
            title="Ujian Teori JWD",
            kind="theory",
            published=True,
        )
        db.session.add(theory)
        db.session.flush()
        enrollment_id = complete(trainee.id, version.id)
        attempt = Attempt(
            assessment_id=theory.id,
            user_id=trainee.id,
            number=1,
            status="submitted",
            seed=1,
            question_ids=[],
            percent=40.0,
            passed=False,
        )
        db.session.add(attempt)
        db.session.commit()
        codes = [unit.code for unit in version.units]

    with app.app_context(), pytest.raises(Conflict) as refused:
        issue_certificate(db.session.get(Enrollment, enrollment_id), with_pdf=False)
    assert refused.value.details["units"] == codes

    with app.app_context():
        db.session.get(Attempt, attempt.id).passed = True
        db.session.commit()
    cert = issue(app, enrollment_id, with_pdf=False)

    narrative = cert.credential["credentialSubject"]["achievement"]["criteria"]["narrative"]
    for code in codes:
        assert f"{code}: K, uji teori “Ujian Teori JWD” lulus" in narrative
    assert cert.snapshot["assessor"] is None


def _without_kind(app, cert_id: int) -> None:
    """As a certificate issued before the kind existed: its snapshot has no kind."""
    with app.app_context():
        cert = db.session.get(Certificate, cert_id)
        cert.snapshot = {k: v for k, v in cert.snapshot.items() if k != "certificate_kind"}
        db.session.commit()


def _document(page: str) -> str:
    return page.split('<dd class="document"', 1)[1].split("</dd>", 1)[0]


def test_the_verification_page_and_api_name_the_document(
    app, client, completed, make_institution, make_user
):
    training = issue(app, completed(), with_pdf=False)
    enrollment_id, _practical = _competency_course(app, make_institution, make_user)
    competency = issue(app, enrollment_id, with_pdf=False)
    old = issue(app, completed(full_name="Budi Lama", email="lama@contoh.id"), with_pdf=False)
    _without_kind(app, old.id)

    expected = {
        training.code: ("training", "Sertifikat Pelatihan"),
        competency.code: ("competency", "Sertifikat Kompetensi"),
        old.code: ("competency", "Sertifikat Kompetensi"),
    }
    for code, (kind, document) in expected.items():
        page = client.get(f"/v/{code}")
        assert page.status_code == 200
        shown = _document(page.get_data(as_text=True))
        assert f'data-kind="{kind}">{document} ' in shown
        other = "Sertifikat Kompetensi" if kind == "training" else "Sertifikat Pelatihan"
        assert other not in shown
        body = client.get(f"/api/v1/verify/{code}").get_json()
        assert (body["status"], body["certificate"]["kind"]) == ("valid", kind)
        assert body["certificate"]["document"] == document
