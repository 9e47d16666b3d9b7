"""A valid request body for every write rule of the URL map that reads one: what the access
matrix sends, so that each role's answer is the access decision and never a validation error.

Each entry builds the keyword arguments for `FlaskClient.open` afresh (an uploaded file is
read once), from the world's ids: ids of real rows, the demo users, the demo certificate."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from PIL import Image
from sqlalchemy import text

from app.extensions import db
from app.seed import DEMO_PASSWORD
from tests.access.world import World

Body = Callable[[World], dict[str, Any]]


def _json(payload: dict[str, Any]) -> Body:
    return lambda world: {"json": payload}


def _upload(name: str, content: bytes, **fields: Any) -> Body:
    return lambda world: {"data": {"file": (io.BytesIO(content), name), **fields}}


def _png(world: World) -> dict[str, Any]:
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(image, "PNG")
    image.seek(0)
    return {"data": {"file": (image, "sampul.png")}}


def _ids(world: World, sql: str) -> list[int]:
    with world.app.app_context():
        found = [row[0] for row in db.session.execute(text(sql), world.params)]
        db.session.remove()
    return found


def _reversed_modules(world: World) -> dict[str, Any]:
    """The draft's modules, last first: the draft is opened first (its modules are copies with
    ids of their own), as an editor would before reordering."""
    client = world.app.test_client()
    opened = client.post(
        "/api/v1/courses/{course_id}/draft".format(**world.params), headers=world.headers("admin")
    )
    assert opened.status_code == 200
    sql = (
        "SELECT id FROM course_modules WHERE version_id = "
        "(SELECT max(id) FROM course_versions WHERE course_id = :course_id) ORDER BY position"
    )
    return {"json": {"ids": _ids(world, sql)[::-1]}}


def _reversed_lessons(world: World) -> dict[str, Any]:
    sql = "SELECT id FROM course_lessons WHERE module_id = :module_id ORDER BY position"
    return {"json": {"ids": _ids(world, sql)[::-1]}}


def _fetched(world: World, url: str) -> bytes:
    """A document the app serves to its admin: an export to import, a credential to verify."""
    client = world.app.test_client()
    response = client.get(url.format(**world.params), headers=world.headers("admin"))
    assert response.status_code == 200, url
    return response.get_data()


def _course_package(world: World) -> dict[str, Any]:
    package = _fetched(world, "/api/v1/courses/{course_id}/export")
    fields = {"institution_id": world.params["institution_id"]}
    return {"data": {"file": (io.BytesIO(package), "course.zip"), **fields}}


def _form(fields: dict[str, Any]) -> Body:
    return lambda world: {"data": {**fields}}


def _course_form(world: World) -> dict[str, Any]:
    package = _fetched(world, "/api/v1/courses/{course_id}/export")
    fields = {"institution": world.params["institution_id"], "code": "UJI-IMPOR"}
    return {"data": {"file": (io.BytesIO(package), "course.zip"), **fields}}


ASSESSMENT_FORM = {
    "title": "Ujian uji akses",
    "kind": "theory",
    "bank_id": "1",
    "requires_id": "0",
    "pass_mark": "70",
    "time_limit_minutes": "30",
    "max_attempts": "3",
    "grading_method": "highest",
    "review_marks": "after_submit",
    "review_answers": "after_submit",
    "review_feedback": "after_submit",
    "required": "y",
    "published": "y",
}
COURSE_FORM = {
    "title": "Uji akses",
    "sector": "tik",
    "level": "2",
    "hours": "40",
    "language": "id",
    "validity_months": "36",
    "unit_codes": "J.620100.004.02",
    "certificate_kind": "training",
}


def _credential(world: World) -> dict[str, Any]:
    return {
        "json": {"verifiableCredential": json.loads(_fetched(world, "/v/{code}/credential.json"))}
    }


UNITS_CSV = (
    b"code,title_id,title_en,element,criterion\n"
    b"J.620100.099.01,Unit uji akses,Access test unit,Menguji,Akses diuji\n"
)
GIFT = b"::Uji akses:: Ibu kota Indonesia adalah {=Jakarta ~Bandung}\n"
REASON = {"reason": "Uji matriks akses."}

BODIES: dict[str, Body] = {
    "POST /api/v1/assessments/<int:assessment_id>/assessors": lambda w: {
        "json": {"assessor_id": w.user_ids["assessor"]}
    },
    "POST /api/v1/assessments/<int:assessment_id>/judgements": lambda w: {
        "json": {
            "enrollment_id": w.params["enrollment_id"],
            "unit_id": w.params["unit_id"],
            "result": "K",
            "evidence": "Observasi langsung.",
            "judged_on": "2026-01-15",
            "place": "Bengkel",
        }
    },
    "POST /api/v1/assessments/banks/<int:bank_id>/import": lambda w: {
        "data": {"format": "gift", "dry_run": "true", "file": (io.BytesIO(GIFT), "soal.gift")}
    },
    "POST /api/v1/assessments/banks/<int:bank_id>/questions": _json(
        {"type": "true_false", "definition": {"stem": "Air mendidih pada 100 C.", "correct": True}}
    ),
    "POST /api/v1/assessments/courses/<int:course_id>": _json({"title": "Uji akses"}),
    "POST /api/v1/assessments/courses/<int:course_id>/banks": _json({"name": "Bank uji akses"}),
    "POST /api/v1/assessments/judgements/<int:judgement_id>/appeal": _json(REASON),
    "PUT /api/v1/assessments/questions/<int:question_id>": _json(
        {
            "definition": {
                "stem": "Struktur data FIFO adalah...",
                "choices": [
                    {"id": "stack", "text": "Stack", "correct": False},
                    {"id": "queue", "text": "Queue", "correct": True},
                ],
            }
        }
    ),
    "PUT /api/v1/attempts/<int:attempt_id>/answers/<int:question_id>": _json(
        {"value": "queue", "seq": 1}
    ),
    "POST /api/v1/attempts/<int:attempt_id>/answers/<int:question_id>/grade": _json({"score": 1}),
    "POST /api/v1/auth/tokens": lambda w: {
        "json": {"email": "peserta@demo.kompeten.id", "password": DEMO_PASSWORD}
    },
    "POST /api/v1/certificates": lambda w: {"json": {"enrollment_id": w.params["enrollment_id"]}},
    "POST /api/v1/certificates/<int:cert_id>/reinstate": _json(REASON),
    "POST /api/v1/certificates/<int:cert_id>/reissue": _json(REASON),
    "POST /api/v1/certificates/<int:cert_id>/revoke": _json(REASON),
    "POST /api/v1/certificates/<int:cert_id>/suspend": _json(REASON),
    "POST /api/v1/certificates/jobs": lambda w: {"json": {"cohort_id": w.params["cohort_id"]}},
    "POST /api/v1/courses": lambda w: {
        "json": {
            "code": "UJI-AKSES",
            "title": "Uji akses",
            "sector": "tik",
            "institution_id": w.params["institution_id"],
        }
    },
    "POST /api/v1/courses/<int:course_id>/attachments": _png,
    "POST /api/v1/courses/<int:course_id>/cohorts": _json(
        {"name": "Angkatan uji", "starts_on": "2027-01-04", "ends_on": "2027-02-26"}
    ),
    "POST /api/v1/courses/<int:course_id>/enrolments": lambda w: {
        "json": {"cohort_id": w.params["cohort_id"]}
    },
    "PUT /api/v1/courses/<int:course_id>/instructors": lambda w: {
        "json": {"user_ids": [w.user_ids["instructor"]]}
    },
    "POST /api/v1/courses/<int:course_id>/modules": _json({"title": "Modul uji"}),
    "POST /api/v1/courses/<int:course_id>/modules/<int:module_id>/lessons": _json(
        {"title": "Pelajaran uji"}
    ),
    "PUT /api/v1/courses/<int:course_id>/modules/<int:module_id>/lessons/order": _reversed_lessons,
    "PUT /api/v1/courses/<int:course_id>/modules/order": _reversed_modules,
    "POST /api/v1/courses/import": _course_package,
    "POST /api/v1/placement/applications/<int:application_id>/status": _json(
        {"status": "shortlisted"}
    ),
    "POST /api/v1/placement/counselling": _json(
        {
            "job_seeker_email": "peserta@demo.kompeten.id",
            "readiness": "ready",
            "route": "work_now",
        }
    ),
    "POST /api/v1/placement/surveys/<token>": _json({"status": "employed_formal", "relevance": 4}),
    "POST /api/v1/placement/vacancies": _json(
        {"title": "Pengembang web", "closes_on": "2027-06-30"}
    ),
    "POST /credentials/issue": _json(
        {
            "credential": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "credentialSubject": {"id": "did:example:uji"},
            }
        }
    ),
    "POST /credentials/verify": _credential,
    "POST /oauth/token": lambda w: {
        "data": {"grant_type": "client_credentials", "scope": "issue:credentials", **w.oauth}
    },
    "POST /api/v1/units": _json({"code": "J.620100.099.01", "title_id": "Unit uji akses"}),
    "POST /api/v1/units/import": _upload("units.csv", UNITS_CSV),
    "POST /account/password": _form(
        {"current_password": DEMO_PASSWORD, "new_password": "kata-sandi-uji-akses-2026"}
    ),
    "POST /assessments/<int:assessment_id>/edit": _form(ASSESSMENT_FORM),
    "POST /assessments/<int:assessment_id>/practical/<int:enrollment_id>/<int:unit_id>": _form(
        {"result": "K", "evidence": "Observasi.", "judged_on": "2026-01-15", "place": "Bengkel"}
    ),
    "POST /assessments/banks/<int:bank_id>/import": _form(
        {"format": "gift", "text": GIFT.decode()}
    ),
    "POST /assessments/banks/<int:bank_id>/import/confirm": _form(
        {"format": "gift", "content": GIFT.decode()}
    ),
    "POST /assessments/course/<int:course_id>/new": _form(ASSESSMENT_FORM),
    "POST /courses/<int:course_id>/cohorts": _form(
        {"name": "Angkatan uji", "starts_on": "2027-01-04", "ends_on": "2027-02-26"}
    ),
    "POST /courses/<int:course_id>/details": _form({**COURSE_FORM, "cover": ""}),
    "POST /courses/<int:course_id>/enrolments": lambda w: {
        "data": {"email": "lain.trainee@contoh.id", "cohort": w.params["cohort_id"]}
    },
    "POST /courses/<int:course_id>/modules/<int:module_id>/lessons/new": _form(
        {"title": "Pelajaran uji", "body": "Isi.", "duration_minutes": "10", "required": "y"}
    ),
    "POST /courses/import": _course_form,
    "POST /courses/new": lambda w: {
        "data": {**COURSE_FORM, "institution": w.params["institution_id"], "code": "UJI-BARU"}
    },
    "POST /login": _form({"email": "peserta@demo.kompeten.id", "password": DEMO_PASSWORD}),
    "POST /placement/counselling/new": _form(
        {"email": "peserta@demo.kompeten.id", "readiness": "ready", "route": "work_now"}
    ),
    "POST /placement/employer/vacancies/new": _form(
        {
            "title": "Pengembang web",
            "description": "Membangun aplikasi web.",
            "city": "Bandung",
            "province": "Jawa Barat",
            "sector": "tik",
            "openings": "1",
            "closes_on": "2027-06-30",
            "location_type": "domestic",
            "country": "",
        }
    ),
    "POST /placement/overseas/<int:programme_id>": _form({"email": "peserta@demo.kompeten.id"}),
    "POST /placement/overseas/new": _form(
        {
            "name": "Pemagangan uji",
            "country": "JP",
            "language": "ja",
            "min_language_level": "N4",
            "min_hours": "0",
            "stages": "documents",
        }
    ),
    "POST /placement/vacancies/<int:vacancy_id>": _form({"cover_note": "Saya berminat."}),
    "POST /register": _form(
        {
            "full_name": "Peserta Uji",
            "email": "peserta.uji@contoh.id",
            "password": "kata-sandi-uji-akses-2026",
            "role": "trainee",
        }
    ),
    "POST /staff": _form(
        {
            "full_name": "Staf Uji",
            "email": "staf.uji@contoh.id",
            "password": "kata-sandi-uji-akses-2026",
            "instructor": "y",
        }
    ),
    "POST /units/<int:unit_id>/edit": _form(
        {"title_id": "Unit uji", "title_en": "Test unit", "elements": "Menguji\n- Akses diuji\n"}
    ),
    "POST /units/import": _upload("units.csv", UNITS_CSV),
    "POST /units/new": _form(
        {"code": "J.620100.098.01", "title_id": "Unit uji", "elements": "Menguji\n- Akses diuji\n"}
    ),
}
