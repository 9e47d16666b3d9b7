"""Competency units: both SKKNI code forms, upkeep on the web and through the API, and the
all-or-nothing CSV import."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.courses.models import CompetencyUnit
from app.courses.services.units import is_unit_code
from app.extensions import db as _db
from tests.conftest import count_rows


@pytest.mark.parametrize(
    "code",
    ["TIK.OP02.001.01", "TIK.PR02.005.01", "PAR.UM01.001.01", "J.620100.004.01", "C.101010.001.02"],
)
def test_both_code_forms_are_accepted(code):
    assert is_unit_code(code)


@pytest.mark.parametrize(
    "code",
    ["", "TIK.OP2.001.01", "TIK.OP02.1.01", "J.62010.004.01", "J.620100.004", "J620100.004.01",
     "TIKX.OP02.001.01.9", "J.620100.004.01 ", "j.620100.004.01x", "<script>"],
)  # fmt: skip
def test_malformed_codes_are_refused(code):
    assert not is_unit_code(code)


def test_create_a_unit_on_the_web(app, client_as, client):
    staff = client_as("instructor")
    response = staff.post(
        "/units/new",
        data={
            "code": " j.620100.004.02 ",
            "title_id": "Menggunakan Struktur Data",
            "title_en": "Using Data Structures",
            "elements": "Mengidentifikasi struktur data\n- Konsep data diidentifikasi\n"
            "- Alternatif dibandingkan\nMenerapkan struktur data\n- Diimplementasikan",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        unit = _db.session.scalar(select(CompetencyUnit))
        assert unit.code == "J.620100.004.02"
        assert unit.elements == [
            {
                "title": "Mengidentifikasi struktur data",
                "criteria": ["Konsep data diidentifikasi", "Alternatif dibandingkan"],
            },
            {"title": "Menerapkan struktur data", "criteria": ["Diimplementasikan"]},
        ]
        unit_id = unit.id
    page = client.get(f"/units/{unit_id}").get_data(as_text=True)
    assert "Konsep data diidentifikasi" in page
    assert "J.620100.004.02" in client.get("/units?q=struktur").get_data(as_text=True)


def test_malformed_and_duplicate_codes_write_nothing(app, client_as, make_unit):
    make_unit("J.620100.004.02")
    staff = client_as("instructor")
    # A malformed code fails the form (422); a duplicate passes it and the service refuses it
    # as a conflict (409).
    for code, status, message in (
        ("J-620100", 422, "TIK.OP02.001.01"),
        ("J.620100.004.02", 409, "sudah ada"),
    ):
        response = staff.post("/units/new", data={"code": code, "title_id": "Judul"})
        assert response.status_code == status
        assert message in response.get_data(as_text=True)
        assert count_rows(app, CompetencyUnit) == 1


def test_units_of_another_institution_cannot_be_edited(app, client_as, make_unit, make_institution):
    owner = make_institution()
    unit = make_unit("TIK.OP02.001.01", institution_id=owner.id)
    outsider = client_as("instructor")
    assert outsider.get(f"/units/{unit.id}/edit").status_code == 403
    insider = client_as("instructor", institution=owner)
    response = insider.post(
        f"/units/{unit.id}/edit", data={"title_id": "Judul baru", "title_en": "", "elements": ""}
    )
    assert response.status_code == 303
    assert client_as("trainee").get("/units/new").status_code == 403


def test_units_through_the_api(app, client, make_user, token_for):
    headers = token_for(make_user("institution_admin"))
    body = {
        "code": "J.620100.025.02",
        "title_id": "Melakukan Debugging",
        "elements": [{"title": "Mempersiapkan kode program", "criteria": ["Kode disiapkan"]}],
    }
    created = client.post("/api/v1/units", json=body, headers=headers)
    assert created.status_code == 201
    unit = created.get_json()
    assert unit["elements"][0]["criteria"] == ["Kode disiapkan"]
    again = client.post("/api/v1/units", json=body, headers=headers)
    assert again.status_code == 409
    bad = client.post("/api/v1/units", json={**body, "code": "J.6201.025"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["details"] == {"code": ["invalid"]}
    patched = client.patch(
        f"/api/v1/units/{unit['id']}", json={"title_en": "Debugging"}, headers=headers
    )
    assert patched.get_json()["title_en"] == "Debugging"
    listed = client.get("/api/v1/units?q=debug").get_json()
    assert listed["total"] == 1
    assert count_rows(app, CompetencyUnit) == 1


CSV = (
    "code,title_id,title_en,element,criterion\n"
    "J.620100.004.02,Menggunakan Struktur Data,Using Data Structures,Mengidentifikasi,Konsep data\n"
    "J.620100.004.02,,,Mengidentifikasi,Alternatif dibandingkan\n"
    "J.620100.004.02,,,Menerapkan,Diimplementasikan\n"
    "TIK.OP01.002.01,Kode Etik TIK,ICT Ethics,,\n"
)


def _import(browser, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return browser.post(
        "/units/import",
        data={"file": (io.BytesIO(data), "units.csv")},
        content_type="multipart/form-data",
    )


def test_csv_import_creates_and_updates(app, client_as):
    staff = client_as("instructor")
    assert _import(staff, "\ufeff" + CSV).status_code == 303
    with app.app_context():
        units = {u.code: u for u in _db.session.scalars(select(CompetencyUnit))}
        assert set(units) == {"J.620100.004.02", "TIK.OP01.002.01"}
        assert units["J.620100.004.02"].elements == [
            {"title": "Mengidentifikasi", "criteria": ["Konsep data", "Alternatif dibandingkan"]},
            {"title": "Menerapkan", "criteria": ["Diimplementasikan"]},
        ]
    changed = CSV.replace("Kode Etik TIK", "Kode Etik Profesi TIK")
    assert _import(staff, changed).status_code == 303
    with app.app_context():
        unit = _db.session.scalar(
            select(CompetencyUnit).where(CompetencyUnit.code == "TIK.OP01.002.01")
        )
        assert unit.title_id == "Kode Etik Profesi TIK"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CSV + "J-620,Salah,,,\n", "6"),  # the bad row is named
        (CSV + "J.620100.004.02,Judul Lain,,,\n", "6"),  # contradicting title
        (CSV + "J.620100.009.01,,,,\n", "6"),  # no title
        ("kode,judul\nJ.620100.004.02,x\n", "code,title_id"),
        (b"code,title_id,title_en,element,criterion\nJ.620100.004.02,\xff\xfe,,,\n", "UTF-8"),
        ("code,title_id,title_en,element,criterion\n", "tidak berisi unit"),
    ],
)
def test_bad_csv_writes_nothing(app, client_as, content, message):
    staff = client_as("instructor")
    response = _import(staff, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_rows(app, CompetencyUnit) == 0


def test_csv_import_through_the_api_refuses_other_institutions_units(
    app, client, make_user, token_for, make_unit, make_institution
):
    make_unit("TIK.OP01.002.01", institution_id=make_institution().id, title_id="Lama")
    headers = token_for(make_user("instructor"))
    response = client.post(
        "/api/v1/units/import",
        data={"file": (io.BytesIO(CSV.encode()), "units.csv")},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["details"] == {"codes": ["TIK.OP01.002.01"]}
    assert count_rows(app, CompetencyUnit) == 1


def test_an_empty_edit_form_is_a_clear_error(app, client_as, make_unit, make_institution):
    owner = make_institution()
    unit = make_unit("TIK.OP02.001.01", institution_id=owner.id, title_id="Judul lama")
    insider = client_as("instructor", institution=owner)
    response = insider.post(f"/units/{unit.id}/edit", data={})
    assert response.status_code == 422
    with app.app_context():
        assert _db.session.get(CompetencyUnit, unit.id).title_id == "Judul lama"


def test_unknown_unit_codes_answer_one_error_shape_in_courses_and_placement(
    app, client, make_user, make_unit, token_for
):
    """The course API and the vacancy API refuse unknown unit codes alike: the unknown
    codes under the field that named them, and nothing written."""
    from app.courses.models import Course
    from app.placement.models.employers import Company, Vacancy
    from tests.conftest import count_rows

    known = make_unit().code
    instructor = make_user("instructor")
    courses = count_rows(app, Course)
    course = client.post(
        "/api/v1/courses",
        json={
            "institution_id": instructor.institution_id,
            "code": "JWD-U",
            "title": "Junior Web Developer",
            "sector": "tik",
            "unit_codes": [known, "j.999999.999.99"],
        },
        headers=token_for(instructor),
    )
    assert course.status_code == 422, course.get_json()
    assert course.get_json()["error"]["details"] == {"unit_codes": {"unknown": ["J.999999.999.99"]}}
    assert count_rows(app, Course) == courses

    employer = make_user("employer")
    with app.app_context():
        from app.extensions import db

        db.session.add(Company(owner_id=employer.id, name="PT Uji"))
        db.session.commit()
    vacancies = count_rows(app, Vacancy)
    vacancy = client.post(
        "/api/v1/placement/vacancies",
        json={
            "title": "Web",
            "closes_on": (date.today() + timedelta(days=30)).isoformat(),
            "required_units": ["J.999999.999.99"],
        },
        headers=token_for(employer),
    )
    assert vacancy.status_code == 422, vacancy.get_json()
    assert vacancy.get_json()["error"]["details"]["required_units"] == {
        "unknown": ["J.999999.999.99"]
    }
    assert course.get_json()["error"]["message"] == vacancy.get_json()["error"]["message"]
    assert count_rows(app, Vacancy) == vacancies
