"""Companies, vacancies, applications with certificates, live status and states."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.extensions import db
from app.placement.models.employers import (
    Application,
    ApplicationCertificate,
    Placement,
    Vacancy,
    VacancyUnit,
)
from tests.conftest import count_rows

R1, R2, P1 = "J.620100.301.01", "J.620100.302.01", "J.620100.303.01"


def closes() -> str:
    return (utcnow() + timedelta(days=20)).date().isoformat()


@pytest.fixture
def employer(pf, make_user):
    owner = make_user("employer")
    company = pf.company(owner, city="Bandung")
    pf.unit(R1), pf.unit(R2), pf.unit(P1)
    return company


def test_post_vacancy_over_api(client, employer, token_for):
    response = client.post(
        "/api/v1/placement/vacancies",
        json={
            "title": "Junior Web Developer",
            "closes_on": closes(),
            "openings": 3,
            "city": "Bandung",
            "required_units": [R1, r2_lower()],
            "preferred_units": [P1],
        },
        headers=token_for(employer.owner),
    )
    assert response.status_code == 201, response.json
    assert response.json["required_units"] == [R1, R2]
    assert response.json["preferred_units"] == [P1]


def r2_lower() -> str:
    return R2.lower()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"required_units": [R1, "J.999999.999.99"]}, "required_units"),
        ({"preferred_units": ["TIK.XX99.999.99"]}, "preferred_units"),
        ({"preferred_units": [R1], "required_units": [R1]}, "preferred_units"),
        ({"openings": 0}, "openings"),
        ({"closes_on": "2020-01-01"}, "closes_on"),
        ({"location_type": "overseas", "country": "ID"}, "country"),
    ],
)
def test_bad_vacancy_is_422_and_writes_nothing(app, client, employer, token_for, body, field):
    payload = {"title": "Operator", "closes_on": closes(), **body}
    response = client.post(
        "/api/v1/placement/vacancies", json=payload, headers=token_for(employer.owner)
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_failed"
    assert field in response.json["error"]["details"]
    assert count_rows(app, Vacancy) == 0
    assert count_rows(app, VacancyUnit) == 0


def test_unknown_unit_message_names_the_codes(client, employer, token_for):
    response = client.post(
        "/api/v1/placement/vacancies",
        json={"title": "X", "closes_on": closes(), "required_units": ["J.999999.999.99"]},
        headers=token_for(employer.owner),
    )
    assert "J.999999.999.99" in response.json["error"]["message"]
    assert response.json["error"]["details"]["required_units"] == {"unknown": ["J.999999.999.99"]}


def test_vacancies_of_unverified_companies_are_not_public(client, pf, make_user):
    company = pf.company(make_user("employer"), verified=False)
    vacancy = pf.vacancy(company, (R1,))
    assert client.get("/api/v1/placement/vacancies").json == []
    assert client.get(f"/placement/vacancies/{vacancy.id}").status_code == 404


def test_admin_verifies_a_company_and_its_vacancies_go_public(app, client_as, pf, make_user):
    company = pf.company(make_user("employer"), verified=False)
    pf.vacancy(company, (R1,), title="Teknisi")
    admin = client_as("admin")
    assert admin.post(f"/placement/admin/companies/{company.id}/verify").status_code == 302
    assert [v["title"] for v in admin.get("/api/v1/placement/vacancies").json] == ["Teknisi"]


@pytest.fixture
def applied(pf, make_user, employer):
    seeker = make_user("trainee")
    course = pf.course(units=(R1, R2))
    cert = pf.certificate(seeker, course)
    vacancy = pf.vacancy(employer, (R1, R2), (P1,))
    return {"seeker": seeker, "cert": cert, "vacancy": vacancy, "employer": employer}


def test_apply_with_own_certificate_and_employer_sees_live_status(app, client, applied, token_for):
    seeker_auth = token_for(applied["seeker"])
    response = client.post(
        f"/api/v1/placement/vacancies/{applied['vacancy'].id}/applications",
        json={"certificate_ids": [applied["cert"].id]},
        headers=seeker_auth,
    )
    assert response.status_code == 201, response.json
    application_id = response.json["id"]
    employer_auth = token_for(applied["employer"].owner)
    seen = client.get(f"/api/v1/placement/applications/{application_id}", headers=employer_auth)
    assert [c["status"] for c in seen.json["certificates"]] == ["valid"]
    with app.app_context():
        row = db.session.get(type(applied["cert"]), applied["cert"].id)
        row.revoked_at = utcnow()
        db.session.commit()
    seen = client.get(f"/api/v1/placement/applications/{application_id}", headers=employer_auth)
    assert [c["status"] for c in seen.json["certificates"]] == ["revoked"]
    again = client.post(
        f"/api/v1/placement/vacancies/{applied['vacancy'].id}/applications",
        json={"certificate_ids": []},
        headers=seeker_auth,
    )
    assert again.status_code == 409


def test_someone_elses_certificate_is_refused_and_nothing_written(
    app, client, applied, pf, make_user, token_for
):
    other = make_user("trainee")
    theirs = pf.certificate(other, pf.course(units=(R1,)))
    response = client.post(
        f"/api/v1/placement/vacancies/{applied['vacancy'].id}/applications",
        json={"certificate_ids": [applied["cert"].id, theirs.id]},
        headers=token_for(applied["seeker"]),
    )
    assert response.status_code == 422
    assert response.json["error"]["details"]["certificate_ids"] == {"not_yours": [theirs.id]}
    assert count_rows(app, Application) == 0
    assert count_rows(app, ApplicationCertificate) == 0


def test_states_move_in_order_and_a_hire_records_a_placement(app, client, applied, token_for):
    seeker_auth, employer_auth = token_for(applied["seeker"]), token_for(applied["employer"].owner)
    created = client.post(
        f"/api/v1/placement/vacancies/{applied['vacancy'].id}/applications",
        json={"certificate_ids": [applied["cert"].id]},
        headers=seeker_auth,
    ).json
    url = f"/api/v1/placement/applications/{created['id']}/status"
    skip = client.post(url, json={"status": "hired"}, headers=employer_auth)
    assert skip.status_code == 409
    assert count_rows(app, Placement) == 0
    for status in ("shortlisted", "interviewed", "hired"):
        moved = client.post(url, json={"status": status}, headers=employer_auth)
        assert moved.status_code == 200, moved.json
        assert moved.json["status"] == status
    assert count_rows(app, Placement) == 1
    assert client.post(url, json={"status": "rejected"}, headers=employer_auth).status_code == 409
    # the applicant cannot move their own application
    assert client.post(url, json={"status": "rejected"}, headers=seeker_auth).status_code == 403


def test_employer_web_page_ranks_and_explains(client_as, applied, pf, make_user):
    consenting = make_user("trainee", full_name="Sari Setuju")
    pf.profile(
        consenting, open_to_offers=True, consents={"name": True, "skills": True}, skills="Las"
    )
    pf.certificate(consenting, pf.course(units=(R1,)))
    hidden = make_user("trainee", full_name="Tono Tertutup")
    pf.certificate(hidden, pf.course(units=(R1, R2, P1)))
    seeker = client_as(user=applied["seeker"])
    form = {"certificate_ids": [str(applied["cert"].id)], "cover_note": "Siap"}
    assert (
        seeker.post(f"/placement/vacancies/{applied['vacancy'].id}", data=form).status_code == 302
    )
    own = seeker.get(f"/placement/vacancies/{applied['vacancy'].id}").get_data(as_text=True)
    assert "Kecocokan saya" in own and "Anda melamar pada" in own and "Kirim lamaran" not in own
    page = client_as(user=applied["employer"].owner).get(
        f"/placement/employer/vacancies/{applied['vacancy'].id}"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sari Setuju" in text and "Tono Tertutup" not in text
    assert text.index("Pengguna Uji") < text.index("Sari Setuju")  # 100% before 50%
    assert R2 in text and "100%" in text and "50%" in text


def test_closed_vacancies_leave_the_public_list(app, client, pf, make_user):
    company = pf.company(make_user("employer"))
    closed = pf.vacancy(company, (R1,), title="Tutup")
    with app.app_context():
        row = db.session.get(Vacancy, closed.id)
        row.closes_on = utcnow().date() - timedelta(days=2)
        db.session.commit()
    assert client.get("/api/v1/placement/vacancies").json == []
    assert client.get(f"/placement/vacancies/{closed.id}").status_code == 404


def test_renaming_a_verified_company_needs_a_new_verification(client_as, pf, make_user):
    owner = make_user("employer")
    pf.company(owner, name="PT Lama")
    client = client_as(user=owner)
    assert client.post("/placement/employer/company", data={"name": "PT Baru"}).status_code == 302
    page = client.get("/placement/employer").get_data(as_text=True)
    assert "Menunggu verifikasi" in page


def test_pages_speak_english_on_request(client_as, applied):
    client = client_as(user=applied["seeker"])
    client.post("/language", data={"locale": "en"})
    page = client.get(f"/placement/vacancies/{applied['vacancy'].id}").get_data(as_text=True)
    assert "Required competency units" in page and "Send my application" in page


def test_openings_past_a_32_bit_column_are_refused_and_nothing_is_written(
    app, client, employer, token_for
):
    before = count_rows(app, Vacancy)
    response = client.post(
        "/api/v1/placement/vacancies",
        json={"title": "Operator", "closes_on": closes(), "openings": 2**31},
        headers=token_for(employer.owner),
    )
    assert response.status_code == 422
    assert list(response.get_json()["error"]["details"]["json"]) == ["openings"]
    assert count_rows(app, Vacancy) == before
