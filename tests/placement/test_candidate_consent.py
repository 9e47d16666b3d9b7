"""Who an employer sees among a vacancy's candidates, and how much of each (issue 11, item 7).

Only a verified company sees candidates at all; each candidate shows only what they consented
to: name and user id if they applied or consented to `name`, the profile items they chose,
and units only of the certificates they attached unless they are open to offers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.placement.models.employers import Application, ApplicationCertificate
from app.placement.models.profile import JobSeekerProfile

R1, R2 = "J.620100.401.01", "J.620100.402.01"


def _url(vacancy: Any) -> str:
    return f"/api/v1/placement/vacancies/{vacancy.id}/matches"


def _page(vacancy: Any) -> str:
    return f"/placement/employer/vacancies/{vacancy.id}"


def _apply(app, vacancy, user, certificates=()) -> int:
    with app.app_context():
        application = Application(vacancy_id=vacancy.id, user_id=user.id)
        application.certificate_links = [
            ApplicationCertificate(certificate_id=c.id) for c in certificates
        ]
        db.session.add(application)
        db.session.commit()
        return application.id


@pytest.fixture
def world(app, pf, make_user):
    """An unverified and a verified company with one vacancy each; an open-to-offers seeker
    holding R1 and R2, who applied to neither."""
    course = pf.course(units=(R1, R2))
    seeker = make_user("trainee", full_name="Rina Rahasia")
    pf.certificate(seeker, course)
    pf.profile(
        seeker,
        open_to_offers=True,
        consents={"skills": True},
        skills="Jaringan",
        education="SMK",
        city="Garut",
    )
    unverified = pf.company(make_user("employer"), verified=False, name="PT Belum")
    verified = pf.company(make_user("employer"), name="PT Sudah")
    return {
        "seeker": seeker,
        "unverified": pf.vacancy(unverified, (R1, R2)),
        "unverified_owner": unverified.owner,
        "verified": pf.vacancy(verified, (R1, R2)),
        "verified_owner": verified.owner,
    }


def test_an_unverified_company_sees_no_candidate_over_the_api(world, client, token_for):
    vacancy = world["unverified"]
    response = client.get(_url(vacancy), headers=token_for(world["unverified_owner"]))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert "memverifikasi perusahaan Anda" in response.json["error"]["message"]
    assert "Rina" not in response.get_data(as_text=True)


def test_an_unverified_company_sees_a_clear_page_and_no_candidate(world, client_as):
    vacancy = world["unverified"]
    page = client_as(user=world["unverified_owner"]).get(_page(vacancy))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "setelah admin platform memverifikasi perusahaan Anda" in text
    assert "Rina Rahasia" not in text and "Jaringan" not in text


def test_an_unverified_company_does_not_see_even_its_applicants(world, app, client, token_for):
    vacancy = world["unverified"]
    _apply(app, vacancy, world["seeker"])
    response = client.get(_url(vacancy), headers=token_for(world["unverified_owner"]))
    assert response.status_code == 403
    assert "Rina" not in response.get_data(as_text=True)


def test_a_verified_company_sees_no_name_or_id_without_consent(world, client, token_for):
    vacancy = world["verified"]
    response = client.get(_url(vacancy), headers=token_for(world["verified_owner"]))
    assert response.status_code == 200
    [row] = response.json
    assert row["name"] is None and row["user_id"] is None
    assert row["profile"] == {"skills": "Jaringan"}
    assert row["explanation"]["matched_required"] == sorted([R1, R2])
    body = response.get_data(as_text=True)
    assert "Rina" not in body and "SMK" not in body and "Garut" not in body


def test_a_verified_company_sees_the_name_the_seeker_consented_to(world, app, client, token_for):
    with app.app_context():
        profile = db.session.scalar(
            select(JobSeekerProfile).where(JobSeekerProfile.user_id == world["seeker"].id)
        )
        profile.consents = {"name": True, "education": True}
        db.session.commit()
    vacancy = world["verified"]
    [row] = client.get(_url(vacancy), headers=token_for(world["verified_owner"])).json
    assert row["name"] == "Rina Rahasia" and row["user_id"] == world["seeker"].id
    assert row["profile"] == {"education": "SMK"}


def test_the_web_page_hides_the_name_without_consent(world, client_as):
    vacancy = world["verified"]
    text = client_as(user=world["verified_owner"]).get(_page(vacancy)).get_data(as_text=True)
    assert "Pencari kerja (nama tidak ditampilkan)" in text
    assert "Rina Rahasia" not in text and "Jaringan" in text and "SMK" not in text


def test_an_applicant_not_open_to_offers_shows_only_the_attached_certificates_units(
    app, pf, make_user, client, client_as, token_for
):
    seeker = make_user("trainee", full_name="Budi Pelamar")
    shown = pf.certificate(seeker, pf.course(units=(R1,)))
    pf.certificate(seeker, pf.course(units=(R2,)))
    pf.profile(seeker, open_to_offers=False, consents={})
    owner = make_user("employer")
    vacancy = pf.vacancy(pf.company(owner), (R1, R2))
    _apply(app, vacancy, seeker, [shown])
    [row] = client.get(_url(vacancy), headers=token_for(owner)).json
    assert row["name"] == "Budi Pelamar" and row["user_id"] == seeker.id
    assert row["explanation"]["matched_required"] == [R1]
    assert row["explanation"]["missing_required"] == [R2]
    assert row["profile"] == {}
    text = client_as(user=owner).get(_page(vacancy)).get_data(as_text=True)
    assert "Budi Pelamar" in text and R2 in text


def test_a_platform_admin_sees_candidates_of_an_unverified_company(
    world, client, make_user, token_for
):
    response = client.get(_url(world["unverified"]), headers=token_for(make_user("admin")))
    assert response.status_code == 200
    assert [row["profile"] for row in response.json] == [{"skills": "Jaringan"}]


def test_the_name_consent_is_saved_from_the_api(client, make_user, token_for):
    seeker = make_user("trainee")
    response = client.put(
        "/api/v1/placement/profile",
        json={"consents": {"name": True}, "open_to_offers": True},
        headers=token_for(seeker),
    )
    assert response.status_code == 200
    assert response.json["consents"]["name"] is True


def test_place_and_sector_count_only_with_their_consent(app, pf, make_user, client, token_for):
    seeker = make_user("trainee")
    pf.certificate(seeker, pf.course(units=(R1,)))
    pf.profile(
        seeker, open_to_offers=True, consents={}, city="Garut", desired_sectors=["manufaktur"]
    )
    owner = make_user("employer")
    vacancy = pf.vacancy(pf.company(owner), (R1,), city="Garut", sector="manufaktur")
    [row] = client.get(_url(vacancy), headers=token_for(owner)).json
    assert (row["explanation"]["place"], row["explanation"]["sector"]) == (0, 0)
    with app.app_context():
        profile = db.session.scalar(
            select(JobSeekerProfile).where(JobSeekerProfile.user_id == seeker.id)
        )
        profile.consents = {"location": True, "sectors": True}
        db.session.commit()
    [row] = client.get(_url(vacancy), headers=token_for(owner)).json
    assert (row["explanation"]["place"], row["explanation"]["sector"]) == (2, 1)
