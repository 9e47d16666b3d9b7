"""Learners in the browser: catalogue, enrolment, cohorts and the waiting list, lessons,
progress, resuming, completion and moving to a newer version."""

from __future__ import annotations

from sqlalchemy import select

from app.courses.models import Cohort, Enrollment, LessonProgress
from app.courses.signals import course_completed
from app.extensions import db as _db
from tests.courses.conftest import enrollment


def test_catalogue_search_and_filters(app, client, make_course, make_institution, make_unit):
    jakarta = make_institution(province="DKI Jakarta", slug="lpk-jakarta")
    unit = make_unit("J.620100.025.02", title_id="Melakukan Debugging")
    make_course(title="Junior Web Developer", sector="tik", level=3, unit_ids=(unit.id,))
    make_course(
        title="Tukang Las Listrik", sector="las", level=2, institution=jakarta, code="LAS-1"
    )
    make_course(title="Draf Rahasia", publish=False)

    def titles(query: str) -> str:
        return client.get(f"/courses?{query}").get_data(as_text=True)

    page = titles("")
    assert "Junior Web Developer" in page and "Tukang Las Listrik" in page
    assert "Draf Rahasia" not in page
    assert "Tukang Las" not in titles("q=junior")
    assert "Junior Web" in titles("q=J.620100.025")  # by unit code
    assert "Junior Web" in titles("q=debugging")  # by unit title
    assert "Junior Web" not in titles("q=LAS-1") and "Tukang Las" in titles("q=las-1")  # code
    assert "Tukang Las" in titles("q=pengelasan") or "Tukang Las" in titles("q=welding")
    assert "Junior Web" not in titles("sector=las")
    assert "Junior Web" not in titles("province=DKI+Jakarta")
    assert "Tukang Las" in titles("institution=lpk-jakarta")
    assert "Tukang Las" not in titles("level=3")
    assert "No course matches" in titles("q=%25%25") or "Tidak ada kursus" in titles("q=%25%25")


def test_catalogue_is_paginated(app, client, make_course, make_institution):
    institution = make_institution()
    for n in range(23):
        make_course(title=f"Kursus {n:02d}", institution=institution, modules=1, lessons=1)
    first = client.get("/courses").get_data(as_text=True)
    second = client.get("/courses?page=2").get_data(as_text=True)
    assert "Kursus 00" in first and "Kursus 19" in first and "Kursus 20" not in first
    assert "Kursus 20" in second and "Kursus 22" in second
    assert 'rel="next"' in first


def test_catalogue_is_indonesian_by_default(client, make_course):
    make_course()
    page = client.get("/courses").get_data(as_text=True)
    assert "Katalog kursus" in page
    assert "Teknologi informasi dan komunikasi" in page


def test_self_paced_enrolment_study_and_completion(app, client_as, make_course):
    built = make_course(modules=2, lessons=2)
    trainee = client_as("trainee")
    url = f"/courses/{built.id}"
    page = trainee.get(url).get_data(as_text=True)
    assert "Daftar di kursus ini" in page
    assert trainee.post(f"{url}/enrol", data={"cohort": "0"}).status_code == 303
    sent = []

    def listener(sender, enrollment, **extra):
        sent.append(enrollment.id)

    course_completed.connect(listener)
    try:
        first, second, third, fourth = built.lesson_ids
        lesson_page = trainee.get(f"{url}/lessons/{first}")
        assert lesson_page.status_code == 200
        assert "<strong>Markdown</strong>" in lesson_page.get_data(as_text=True)
        response = trainee.post(f"{url}/lessons/{first}/complete", data={"next": second})
        assert response.headers["Location"].endswith(f"/lessons/{second}")
        page = trainee.get(url).get_data(as_text=True)
        assert "1 dari 4 pelajaran selesai (25%)" in page
        assert f'href="/courses/{built.id}/lessons/{second}"' in page  # resume link
        for lesson_id in (second, third):
            trainee.post(f"{url}/lessons/{lesson_id}/complete")
        assert sent == []
        trainee.post(f"{url}/lessons/{fourth}/complete")
        trainee.post(f"{url}/lessons/{fourth}/complete")  # again: nothing new
        assert len(sent) == 1
    finally:
        course_completed.disconnect(listener)
    with app.app_context():
        record = _db.session.scalar(select(Enrollment).where(Enrollment.course_id == built.id))
        assert record.status == "completed" and record.completed_at is not None
    assert "Selesai" in trainee.get(url).get_data(as_text=True)


def test_optional_lessons_are_not_needed_to_complete(app, client_as, make_course, enrol):
    built = make_course(modules=1, lessons=2)
    with app.app_context():
        from app.courses.models import Lesson

        _db.session.get(Lesson, built.lesson_ids[1]).required = False
        _db.session.commit()
    trainee = client_as("trainee")
    enrol(trainee.user, built)
    trainee.post(f"/courses/{built.id}/lessons/{built.lesson_ids[0]}/complete")
    with app.app_context():
        record = _db.session.scalar(select(Enrollment).where(Enrollment.course_id == built.id))
        assert record.status == "completed"


def test_resume_where_the_trainee_left_off(app, client_as, make_course, enrol):
    built = make_course(modules=2, lessons=3)
    trainee = client_as("trainee")
    enrol(trainee.user, built)
    target = built.lesson_ids[4]
    trainee.get(f"/courses/{built.id}/lessons/{target}")
    page = trainee.get(f"/courses/{built.id}").get_data(as_text=True)
    assert "Lanjutkan: Pelajaran 2.2" in page


def test_cohort_waiting_list_and_promotion(app, client_as, make_course, make_cohort):
    built = make_course(self_paced=False)
    cohort_id = make_cohort(built.id, capacity=1)
    first, second = client_as("trainee"), client_as("trainee")
    url = f"/courses/{built.id}"
    page = first.get(url).get_data(as_text=True)
    assert "Sisa kursi: 1" in page
    first.post(f"{url}/enrol", data={"cohort": cohort_id})
    response = second.post(f"{url}/enrol", data={"cohort": cohort_id}, follow_redirects=True)
    assert "daftar tunggu" in response.get_data(as_text=True)
    with app.app_context():
        statuses = dict(
            _db.session.execute(
                select(Enrollment.user_id, Enrollment.status).where(
                    Enrollment.course_id == built.id
                )
            ).all()
        )
        assert statuses == {first.user.id: "active", second.user.id: "waiting"}
    # the waiting trainee cannot open lessons yet
    assert second.get(f"{url}/lessons/{built.lesson_ids[0]}").status_code == 403
    first.post(f"{url}/withdraw")
    with app.app_context():
        rows = _db.session.execute(
            select(Enrollment.user_id, Enrollment.status).where(Enrollment.course_id == built.id)
        ).all()
        assert sorted(rows) == sorted([(first.user.id, "withdrawn"), (second.user.id, "active")])
        assert _db.session.get(Cohort, cohort_id).seats_taken == 1
    assert second.get(f"{url}/lessons/{built.lesson_ids[0]}").status_code == 200


def test_cohort_course_needs_a_cohort_and_closed_cohorts_refuse(
    app, client_as, make_course, make_cohort
):
    built = make_course(self_paced=False)
    closed = make_cohort(built.id, enrolment_open=False)
    trainee = client_as("trainee")
    url = f"/courses/{built.id}"
    trainee.post(f"{url}/enrol", data={"cohort": "0"})
    trainee.post(f"{url}/enrol", data={"cohort": closed})
    with app.app_context():
        assert (
            _db.session.scalar(select(Enrollment.id).where(Enrollment.course_id == built.id))
            is None
        )


def test_self_enrolment_can_be_turned_off(app, client_as, make_course):
    built = make_course(self_enrolment=False)
    trainee = client_as("trainee")
    page = trainee.get(f"/courses/{built.id}").get_data(as_text=True)
    assert "Daftar di kursus ini" not in page
    trainee.post(f"/courses/{built.id}/enrol", data={"cohort": "0"})
    with app.app_context():
        assert _db.session.scalar(select(Enrollment.id)) is None


def test_staff_enrol_a_trainee_and_see_progress(
    app, client_as, make_course, make_cohort, make_user
):
    built = make_course(self_paced=False, modules=1, lessons=2)
    cohort_id = make_cohort(built.id, capacity=10, name="Angkatan 7")
    student = make_user("trainee", full_name='=HYPERLINK("http://evil")')
    staff = client_as(user=built.instructor)
    url = f"/courses/{built.id}"
    response = staff.post(f"{url}/enrolments", data={"email": student.email, "cohort": cohort_id})
    assert response.status_code == 303
    learner = client_as(user=student)
    learner.post(f"{url}/lessons/{built.lesson_ids[0]}/complete")
    table = staff.get(f"{url}/progress?cohort={cohort_id}").get_data(as_text=True)
    assert "Pelajaran 1.1" in table and "50" in table
    csv = staff.get(f"{url}/progress.csv?cohort={cohort_id}")
    assert csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Nama,E-mail,Status")
    assert lines[1].startswith("\"'=HYPERLINK")  # a formula is defused
    assert lines[1].endswith(",1,0")
    # a stranger e-mail is a clear error and nothing is written
    before = _count(app)
    bad = staff.post(f"{url}/enrolments", data={"email": "nobody@contoh.id", "cohort": cohort_id})
    assert bad.status_code == 422
    assert "Tidak ada akun" in bad.get_data(as_text=True)
    assert _count(app) == before


def _count(app):
    from tests.conftest import count_rows

    return count_rows(app, Enrollment)


def test_trainee_moves_to_the_latest_version_with_progress(app, client_as, make_course, enrol):
    built = make_course(modules=1, lessons=2)
    trainee = client_as("trainee")
    enrollment_id = enrol(trainee.user, built)
    url = f"/courses/{built.id}"
    trainee.post(f"{url}/lessons/{built.lesson_ids[0]}/complete")
    author = client_as(user=built.instructor)
    author.post(f"{url}/modules", data={"title": "Modul tambahan"})
    with app.app_context():
        from app.courses.models import Course

        draft = _db.session.get(Course, built.id).draft_version
        new_module = draft.modules[-1].id
    author.post(
        f"{url}/modules/{new_module}/lessons/new",
        data={"title": "Baru", "body": "x", "duration_minutes": "5", "required": "y"},
    )
    author.post(f"{url}/publish")
    page = trainee.get(url).get_data(as_text=True)
    assert "Versi baru kursus ini (versi 2) tersedia" in page
    # still on version 1 until they choose
    assert enrollment(app, enrollment_id).course_version_id == built.version_id
    trainee.post(f"{url}/move-to-latest")
    moved = enrollment(app, enrollment_id)
    assert moved.course_version_id != built.version_id
    page = trainee.get(url).get_data(as_text=True)
    assert "1 dari 3 pelajaran selesai (33%)" in page
    with app.app_context():
        assert _db.session.scalar(
            select(LessonProgress.id).where(LessonProgress.lesson_id == built.lesson_ids[0])
        )


def test_my_courses_lists_enrolments_with_progress(app, client_as, make_course, enrol):
    built = make_course(title="Operator Komputer", modules=1, lessons=4)
    trainee = client_as("trainee")
    enrol(trainee.user, built)
    trainee.post(f"/courses/{built.id}/lessons/{built.lesson_ids[0]}/complete")
    page = trainee.get("/my/courses").get_data(as_text=True)
    assert "Operator Komputer" in page and "25%" in page


def test_lessons_are_for_enrolled_trainees_and_editors(app, client, client_as, make_course):
    built = make_course()
    lesson_url = f"/courses/{built.id}/lessons/{built.lesson_ids[0]}"
    assert client.get(lesson_url).status_code == 302  # to the login page
    assert client_as("trainee").get(lesson_url).status_code == 403
    assert client_as(user=built.instructor).get(lesson_url).status_code == 200
    assert client.get(f"/courses/{built.id}/lessons/999999").status_code == 404


def test_draft_courses_are_invisible_to_others(client, client_as, make_course):
    built = make_course(publish=False)
    assert client.get(f"/courses/{built.id}").status_code == 404
    assert client_as("trainee").get(f"/courses/{built.id}").status_code == 404
    editor = client_as(user=built.instructor)
    response = editor.get(f"/courses/{built.id}")
    assert response.status_code == 302 and "/versions/1" in response.headers["Location"]
