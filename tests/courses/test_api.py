"""The courses JSON API: authoring, catalogue, enrolment and progress, and the error
envelope (with nothing written) for bad input."""

from __future__ import annotations

import io

import pytest

from app.courses.models import (
    Attachment,
    Cohort,
    CompetencyUnit,
    Course,
    CourseVersion,
    Enrollment,
    Lesson,
    Module,
)
from tests.conftest import count_rows
from tests.courses.conftest import PDF_BYTES, png_bytes

TABLES = (Course, CourseVersion, Module, Lesson, Attachment, Cohort, Enrollment, CompetencyUnit)


def counts(app):
    return {model.__name__: count_rows(app, model) for model in TABLES}


def error_of(response, status, code):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def author(make_user, token_for, make_unit):
    make_unit("J.620100.004.02")
    user = make_user("instructor")
    return user, token_for(user)


def test_author_builds_publishes_and_a_trainee_completes(app, client, author, make_user, token_for):
    _user, headers = author
    created = client.post(
        "/api/v1/courses",
        json={"code": "jwd", "title": "Junior Web Developer", "sector": "tik", "hours": 120,
              "unit_codes": ["J.620100.004.02"]},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.get_json()
    course = created.get_json()
    assert course["code"] == "JWD" and course["status"] == "draft"
    assert course["version"]["units"][0]["code"] == "J.620100.004.02"
    assert "password_hash" not in str(course)
    base = f"/api/v1/courses/{course['id']}"
    module = client.post(f"{base}/modules", json={"title": "Dasar"}, headers=headers).get_json()
    lessons = [
        client.post(
            f"{base}/modules/{module['id']}/lessons",
            json={"title": f"Pelajaran {n}", "body": f"Isi **{n}**", "duration_minutes": 10},
            headers=headers,
        ).get_json()
        for n in (1, 2)
    ]
    order = client.put(
        f"{base}/modules/{module['id']}/lessons/order",
        json={"ids": [lessons[1]["id"], lessons[0]["id"]]},
        headers=headers,
    )
    assert [item["title"] for item in order.get_json()] == ["Pelajaran 2", "Pelajaran 1"]
    published = client.post(f"{base}/publish", headers=headers)
    assert published.status_code == 200
    assert published.get_json()["status"] == "published"
    catalogue = client.get("/api/v1/courses?q=junior").get_json()
    assert catalogue["total"] == 1 and catalogue["items"][0]["code"] == "JWD"

    trainee = make_user("trainee")
    trainee_headers = token_for(trainee)
    enrolled = client.post(f"{base}/enrolments", json={}, headers=trainee_headers)
    assert enrolled.status_code == 201
    enrollment = enrolled.get_json()
    assert enrollment["status"] == "active" and enrollment["version"] == 1
    lesson = client.get(f"{base}/lessons/{lessons[0]['id']}", headers=trainee_headers).get_json()
    assert lesson["html"] == "<p>Isi <strong>1</strong></p>\n"
    progress = None
    for item in lessons:
        progress = client.post(
            f"/api/v1/enrolments/{enrollment['id']}/lessons/{item['id']}/complete",
            headers=trainee_headers,
        ).get_json()
    assert progress["percent"] == 100 and progress["newly_completed"] is True
    assert progress["enrollment"]["status"] == "completed"
    mine = client.get("/api/v1/enrolments", headers=trainee_headers).get_json()
    assert [e["status"] for e in mine] == ["completed"]


def test_editing_a_published_course_makes_a_draft(app, client, make_course, token_for):
    built = make_course()
    headers = token_for(built.instructor)
    response = client.patch(f"/api/v1/courses/{built.id}", json={"title": "Baru"}, headers=headers)
    body = response.get_json()
    assert body["version"]["number"] == 2 and body["version"]["title"] == "Baru"
    assert [v["status"] for v in body["versions"]] == ["published", "draft"]
    public = client.get(f"/api/v1/courses/{built.id}").get_json()
    assert public["version"]["number"] == 1 and public["version"]["title"] != "Baru"
    # the published module is frozen
    frozen = client.patch(
        f"/api/v1/courses/{built.id}/modules/{built.module_ids[0]}",
        json={"title": "X"},
        headers=headers,
    )
    error_of(frozen, 409, "conflict")


def test_settings_change_without_a_draft(client, make_course, token_for):
    built = make_course()
    headers = token_for(built.instructor)
    body = client.patch(
        f"/api/v1/courses/{built.id}", json={"self_enrolment": False}, headers=headers
    ).get_json()
    assert body["self_enrolment"] is False and len(body["versions"]) == 1


def test_upload_through_the_api(app, client, make_course, token_for, monkeypatch):
    monkeypatch.setitem(app.config, "COURSE_ATTACHMENT_MAX_BYTES", 4096)
    built = make_course(publish=False)
    headers = token_for(built.instructor)
    url = f"/api/v1/courses/{built.id}/attachments"
    ok = client.post(url, data={"file": (io.BytesIO(png_bytes()), "foto.png")}, headers=headers)
    assert ok.status_code == 201
    assert ok.get_json()["markdown"] == "![foto.png](attachment:foto.png)"
    before = counts(app)
    for data, name, status, code in [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.png", 422, "validation_failed"),
        (b"MZ\x90\x00 not a pdf", "a.pdf", 422, "validation_failed"),
        (png_bytes(), "a.pdf", 422, "validation_failed"),
        (PDF_BYTES + b"0" * 5000, "a.pdf", 413, "too_large"),
    ]:
        response = client.post(url, data={"file": (io.BytesIO(data), name)}, headers=headers)
        error_of(response, status, code)
    assert counts(app) == before


BAD_COURSES = [
    ({"code": "J", "title": "x", "sector": "tik"}, 422),
    ({"code": "JWD 01!", "title": "x", "sector": "tik"}, 422),
    ({"code": "JWD", "title": "", "sector": "tik"}, 422),
    ({"code": "JWD", "title": "x", "sector": "astrology"}, 422),
    ({"code": "JWD", "title": "x", "sector": "tik", "level": 12}, 422),
    ({"code": "JWD", "title": "x", "sector": "tik", "hours": "many"}, 422),
    ({"code": "JWD", "title": "x", "sector": "tik", "unit_codes": ["J.999999.999.99"]}, 422),
    ({"code": "JWD", "title": "x", "sector": "tik", "password_hash": "x"}, 422),
]


@pytest.mark.parametrize(("body", "status"), BAD_COURSES)
def test_bad_course_bodies_write_nothing(app, client, author, body, status):
    _user, headers = author
    before = counts(app)
    error_of(
        client.post("/api/v1/courses", json=body, headers=headers), status, "validation_failed"
    )
    assert counts(app) == before


def test_duplicate_code_is_a_conflict(app, client, make_course, token_for):
    built = make_course(code="JWD")
    headers = token_for(built.instructor)
    before = counts(app)
    response = client.post(
        "/api/v1/courses", json={"code": "jwd", "title": "x", "sector": "tik"}, headers=headers
    )
    error_of(response, 409, "conflict")
    assert counts(app) == before


def test_reordering_into_a_loop_is_refused(app, client, make_course, token_for):
    built = make_course(modules=3, publish=False)
    headers = token_for(built.instructor)
    first, second, third = built.module_ids
    url = f"/api/v1/courses/{built.id}/modules/order"
    for ids in ([first, second, first], [first, second], [first, second, third, 999999], []):
        error_of(client.put(url, json={"ids": ids}, headers=headers), 422, "validation_failed")
    ok = client.put(url, json={"ids": [third, first, second]}, headers=headers)
    assert [m["id"] for m in ok.get_json()] == [third, first, second]
    assert [m["position"] for m in ok.get_json()] == [1, 2, 3]


def test_publishing_an_empty_course_is_refused(app, client, make_course, token_for):
    built = make_course(modules=0, publish=False)
    headers = token_for(built.instructor)
    error = error_of(
        client.post(f"/api/v1/courses/{built.id}/publish", headers=headers),
        422,
        "validation_failed",
    )
    assert error["details"]["publish"]
    assert (
        client.get(f"/api/v1/courses/{built.id}", headers=headers).get_json()["status"] == "draft"
    )


def test_lesson_moves_between_modules(client, make_course, token_for):
    built = make_course(modules=2, lessons=1, publish=False)
    headers = token_for(built.instructor)
    url = f"/api/v1/courses/{built.id}/lessons/{built.lesson_ids[0]}"
    moved = client.patch(url, json={"module_id": built.module_ids[1]}, headers=headers).get_json()
    assert moved["position"] == 2


def test_cohorts_and_waiting_list_through_the_api(app, client, make_course, make_user, token_for):
    built = make_course(self_paced=False)
    staff = token_for(built.instructor)
    base = f"/api/v1/courses/{built.id}"
    cohort = client.post(
        f"{base}/cohorts",
        json={
            "name": "Angkatan 1",
            "starts_on": "2030-01-05",
            "ends_on": "2030-03-01",
            "capacity": 1,
        },
        headers=staff,
    ).get_json()
    bad = client.post(
        f"{base}/cohorts",
        json={"name": "Terbalik", "starts_on": "2030-03-01", "ends_on": "2030-01-05"},
        headers=staff,
    )
    error_of(bad, 422, "validation_failed")
    people = [make_user("trainee") for _ in range(3)]
    statuses = []
    for person in people:
        response = client.post(
            f"{base}/enrolments", json={"cohort_id": cohort["id"]}, headers=token_for(person)
        )
        statuses.append(response.get_json()["status"])
    assert statuses == ["active", "waiting", "waiting"]
    again = client.post(
        f"{base}/enrolments", json={"cohort_id": cohort["id"]}, headers=token_for(people[0])
    )
    error_of(again, 409, "conflict")
    grown = client.patch(f"{base}/cohorts/{cohort['id']}", json={"capacity": 2}, headers=staff)
    assert grown.get_json()["seats_taken"] == 2
    listed = client.get(f"{base}/enrolments", headers=staff).get_json()
    assert sorted(e["status"] for e in listed) == ["active", "active", "waiting"]
    shrink = client.patch(f"{base}/cohorts/{cohort['id']}", json={"capacity": 1}, headers=staff)
    error_of(shrink, 422, "validation_failed")


def test_staff_enrol_someone_else(client, make_course, make_user, token_for):
    built = make_course(self_enrolment=False)
    trainee = make_user("trainee")
    response = client.post(
        f"/api/v1/courses/{built.id}/enrolments",
        json={"user_id": trainee.id},
        headers=token_for(built.instructor),
    )
    assert response.status_code == 201 and response.get_json()["user_id"] == trainee.id
    closed = client.post(
        f"/api/v1/courses/{built.id}/enrolments", json={}, headers=token_for(make_user("trainee"))
    )
    error_of(closed, 403, "forbidden")


def test_enrolments_of_others_are_not_found(client, make_course, make_user, token_for, enrol):
    built = make_course()
    owner = make_user("trainee")
    enrollment_id = enrol(owner, built)
    stranger = token_for(make_user("trainee"))
    error_of(client.get(f"/api/v1/enrolments/{enrollment_id}", headers=stranger), 404, "not_found")
    mine = client.get(f"/api/v1/enrolments/{enrollment_id}", headers=token_for(owner)).get_json()
    assert mine["total"] == 4 and mine["resume_lesson_id"] == built.lesson_ids[0]
    staff = client.get(f"/api/v1/enrolments/{enrollment_id}", headers=token_for(built.instructor))
    assert staff.status_code == 200


def test_withdraw_and_move_to_latest_errors(client, make_course, make_user, token_for, enrol):
    built = make_course()
    owner = make_user("trainee")
    headers = token_for(owner)
    enrollment_id = enrol(owner, built)
    error_of(
        client.post(f"/api/v1/enrolments/{enrollment_id}/move-to-latest", headers=headers),
        409,
        "conflict",
    )
    done = client.post(f"/api/v1/enrolments/{enrollment_id}/withdraw", headers=headers)
    assert done.get_json()["status"] == "withdrawn"
    error_of(
        client.post(f"/api/v1/enrolments/{enrollment_id}/withdraw", headers=headers),
        409,
        "conflict",
    )


def test_unauthenticated_and_malformed_requests(app, client, make_course, author):
    _user, headers = author
    built = make_course()
    error_of(client.post("/api/v1/courses", json={}), 401, "unauthorized")
    error_of(client.get("/api/v1/courses?level=99"), 422, "validation_failed")
    error_of(client.get("/api/v1/courses/999999"), 404, "not_found")
    before = count_rows(app, Course)
    response = client.post(
        "/api/v1/courses", data="{not json", headers={**headers, "Content-Type": "application/json"}
    )
    # JSON that does not parse is malformed (400), not invalid (422).
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert count_rows(app, Course) == before
    error_of(
        client.delete(f"/api/v1/courses/{built.id}/lessons/{built.lesson_ids[0]}", headers=headers),
        403,
        "forbidden",
    )


def test_every_courses_endpoint_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ours = {
        path: ops
        for path, ops in spec["paths"].items()
        if path.startswith(("/api/v1/courses", "/api/v1/enrolments", "/api/v1/units"))
    }
    assert len(ours) >= 20
    for path, operations in ours.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary") or operation.get("description"), (method, path)
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (method, path)
            assert any(s.startswith("4") for s in statuses), (method, path)
            if "security" in operation and operation["security"] == [{"bearerAuth": []}]:
                assert "401" in statuses, (method, path)


def test_publishing_a_lesson_that_names_a_missing_file_is_refused(
    app, client, make_course, token_for
):
    built = make_course(modules=1, lessons=1, publish=False, body="![Denah](attachment:denah.png)")
    headers = token_for(built.instructor)
    response = client.post(f"/api/v1/courses/{built.id}/publish", headers=headers)
    error = error_of(response, 422, "validation_failed")
    assert any("denah.png" in problem for problem in error["details"]["publish"])
    upload = client.post(
        f"/api/v1/courses/{built.id}/attachments",
        data={"file": (io.BytesIO(png_bytes()), "denah.png")},
        headers=headers,
    )
    assert upload.status_code == 201
    assert client.post(f"/api/v1/courses/{built.id}/publish", headers=headers).status_code == 200
