"""Staff pages: import with a preview that stores nothing until confirmed, the hand-grading
queue, statistics and CSV, and the assessor's judgement form."""

from __future__ import annotations

import io

from app.assessments.models import Answer, Assessment, Judgement, Question
from app.assessments.services import attempts
from app.auth.models import User
from app.extensions import db
from tests.assessments.conftest import ESSAY, SINGLE
from tests.conftest import count_rows

GIFT_WITH_ERRORS = """::Salin::Perintah untuk menyalin? {=cp ~mv}

::Rusak::Tanpa jawaban benar {~a ~b}
"""


def test_import_preview_shows_errors_and_writes_nothing_until_confirmed(app, client_as, world):
    client = client_as(user=world.instructor)
    before = count_rows(app, Question)
    preview = client.post(
        f"/assessments/banks/{world.bank_id}/import",
        data={"format": "gift", "file": (io.BytesIO(GIFT_WITH_ERRORS.encode()), "soal.gift")},
    )
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "import-errors" in text and "Salin" in text
    assert count_rows(app, Question) == before  # cancelling is just not confirming
    confirm = client.post(
        f"/assessments/banks/{world.bank_id}/import/confirm",
        data={"format": "gift", "content": GIFT_WITH_ERRORS},
    )
    assert confirm.status_code == 302
    assert count_rows(app, Question) == before + 1


def test_questions_written_in_the_form_are_previewed_then_stored(app, client_as, world):
    client = client_as(user=world.instructor)
    url = f"/assessments/banks/{world.bank_id}/import"
    before = count_rows(app, Question)
    written = "::Kabel:: Warna kabel netral di Indonesia? {=biru ~merah ~hijau}"
    preview = client.post(url, data={"format": "gift", "text": written})
    assert preview.status_code == 200 and "Kabel" in preview.get_data(as_text=True)
    assert count_rows(app, Question) == before
    client.post(f"{url}/confirm", data={"format": "gift", "content": written})
    assert count_rows(app, Question) == before + 1
    empty = client.post(url, data={"format": "gift", "text": "  "})
    assert empty.status_code == 422
    assert "Pilih berkas atau tulis soalnya." in empty.get_data(as_text=True)
    assert count_rows(app, Question) == before + 1


def test_unreadable_file_is_refused(app, client_as, world):
    client = client_as(user=world.instructor)
    before = count_rows(app, Question)
    response = client.post(
        f"/assessments/banks/{world.bank_id}/import",
        data={"format": "moodle_xml", "file": (io.BytesIO(b"<quiz><question"), "x.xml")},
    )
    assert response.status_code == 422
    assert count_rows(app, Question) == before


def test_grading_queue_page_grades_an_essay(app, client_as, make_world):
    world = make_world(questions=[("single_choice", SINGLE, 0), ("essay", ESSAY, 1)])
    with app.test_request_context():
        trainee = db.session.get(User, world.trainee.id)
        attempt, _ = attempts.start_attempt(trainee, db.session.get(Assessment, world.exam_id))
        attempts.save_answer(trainee, attempt.id, world.question_ids[1], "Kumpulan data", 1)
        attempts.submit_attempt(trainee, attempt.id)
        db.session.commit()
        answer_id = db.session.scalar(
            db.select(Answer.id).where(Answer.question_id == world.question_ids[1])
        )
    client = client_as(user=world.instructor)
    queue = client.get(f"/assessments/{world.exam_id}/grading")
    assert "Kumpulan data" in queue.get_data(as_text=True)
    graded = client.post(
        f"/assessments/{world.exam_id}/grading/{answer_id}", data={"score": "1", "feedback": "ok"}
    )
    assert graded.status_code == 302
    with app.app_context():
        assert db.session.get(Answer, answer_id).score == 1.0
    stats = client.get(f"/assessments/{world.exam_id}/statistics")
    assert stats.status_code == 200
    csv = client.get(f"/assessments/{world.exam_id}/results.csv")
    assert csv.mimetype == "text/csv" and "Andi Peserta" in csv.get_data(as_text=True)


def test_judgement_form_records_and_refuses_incomplete(app, client_as, world):
    client = client_as(user=world.assessor)
    url = f"/assessments/{world.practical_id}/practical/{world.enrollment_id}/{world.unit_ids[0]}"
    incomplete = client.post(url, data={"result": "K", "evidence": "", "place": ""})
    assert incomplete.status_code == 422
    assert count_rows(app, Judgement) == 0
    done = client.post(
        url,
        data={"result": "BK", "evidence": "Belum rapi", "judged_on": "2026-11-02", "place": "Lab"},
    )
    assert done.status_code == 302
    assert count_rows(app, Judgement) == 1
    page = client_as(user=world.trainee).get(f"/assessments/{world.practical_id}")
    assert "reason-" in page.get_data(as_text=True)  # the trainee may appeal the BK


def test_index_lists_what_each_user_may_see(client_as, world, make_user):
    trainee = client_as(user=world.trainee).get("/assessments/").get_data(as_text=True)
    assert "Ujian Teori" in trainee and "Praktik" in trainee
    stranger = client_as("trainee").get("/assessments/").get_data(as_text=True)
    assert "Ujian Teori" not in stranger
    instructor = client_as(user=world.instructor).get("/assessments/").get_data(as_text=True)
    assert f"/assessments/course/{world.course_id}/new" in instructor
    foreign = client_as("instructor").get("/assessments/").get_data(as_text=True)
    assert "Ujian Teori" not in foreign


def test_create_assessment_form(app, client_as, world):
    client = client_as(user=world.instructor)
    url = f"/assessments/course/{world.course_id}/new"
    assert client.get(url).status_code == 200
    before = count_rows(app, Assessment)
    bad = client.post(url, data={"title": "", "kind": "quiz", "bank_id": "0", "requires_id": "0"})
    assert bad.status_code == 422 and count_rows(app, Assessment) == before
    created = client.post(
        url,
        data={
            "title": "Kuis Modul 1",
            "kind": "quiz",
            "bank_id": str(world.bank_id),
            "requires_id": "0",
            "pass_mark": "60",
            "time_limit_minutes": "15",
            "opens_at": "2026-12-01T08:00",
            "grading_method": "last",
            "review_marks": "after_submit",
            "review_answers": "never",
            "review_feedback": "after_submit",
            "published": "y",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    with app.app_context():
        quiz = db.session.scalar(db.select(Assessment).where(Assessment.title == "Kuis Modul 1"))
        assert quiz.opens_at.isoformat() == "2026-12-01T01:00:00+00:00"  # 08:00 WIB
        assert (quiz.grading_method, quiz.time_limit_minutes, quiz.published) == ("last", 15, True)
    assert client_as("trainee").get(url).status_code == 404


def test_question_edit_page_corrects_the_key(app, client_as, world):
    import json

    client = client_as(user=world.instructor)
    url = f"/assessments/questions/{world.question_ids[1]}"
    page = client.get(url)
    assert page.status_code == 200 and "correct" in page.get_data(as_text=True)
    assert client.post(url, data={"definition": "{not json"}).status_code == 422
    assert client.post(url, data={"definition": json.dumps({"stem": ""})}).status_code == 422
    with app.app_context():
        assert db.session.get(Question, world.question_ids[1]).version == 1
    saved = client.post(
        url, data={"definition": json.dumps({"stem": "HTTP memakai port 80.", "correct": False})}
    )
    assert saved.status_code == 302
    with app.app_context():
        question = db.session.get(Question, world.question_ids[1])
        assert (question.version, question.definition["correct"]) == (2, False)
    assert client_as("trainee").get(url).status_code == 404


def test_assigning_an_assessor_from_the_practical_page(app, client_as, world, make_user):
    from app.assessments.models import AssessorAssignment
    from app.institutions.models import Institution

    with app.app_context():
        institution = db.session.get(Institution, world.institution_id)
    newcomer = make_user("assessor", institution=institution, full_name="Rudi Asesor Baru")
    client = client_as(user=world.instructor)
    page = client.get(f"/assessments/{world.practical_id}").get_data(as_text=True)
    assert "Rudi Asesor Baru" in page
    before = count_rows(app, AssessorAssignment)
    done = client.post(
        f"/assessments/{world.practical_id}/assessors",
        data={"assessor_id": str(newcomer.id), "cohort_id": "0"},
    )
    assert done.status_code == 302
    assert count_rows(app, AssessorAssignment) == before + 1
    trainee = client_as(user=world.trainee)
    response = trainee.post(
        f"/assessments/{world.practical_id}/assessors",
        data={"assessor_id": str(newcomer.id), "cohort_id": "0"},
    )
    assert response.status_code == 404
    assert count_rows(app, AssessorAssignment) == before + 1
