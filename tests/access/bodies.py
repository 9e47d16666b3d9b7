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
    sql = (
        "SELECT id FROM course_modules WHERE version_id = "
        "(SELECT version_id FROM course_modules WHERE id = :module_id) ORDER BY position"
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
        "data": {"grant_type": "client_credentials", "client_id": "tidak-ada", "client_secret": "x"}
    },
    "POST /api/v1/units": _json({"code": "J.620100.099.01", "title_id": "Unit uji akses"}),
    "POST /api/v1/units/import": _upload("units.csv", UNITS_CSV),
}
