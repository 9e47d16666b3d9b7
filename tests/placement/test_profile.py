"""The job seeker profile: per-item consent decides what an employer may see."""

from __future__ import annotations

import pytest

from app.placement.models.profile import JobSeekerProfile
from tests.conftest import count_rows


def test_profile_round_trip_and_consents(client_as, token_for):
    client = client_as("trainee")
    auth = token_for(client.user)
    body = {
        "education": "SMK Teknik",
        "skills": "Pengelasan SMAW",
        "city": "Bekasi",
        "province": "Jawa Barat",
        "desired_sectors": ["las"],
        "willing_abroad": True,
        "abroad_countries": ["jp"],
        "languages": {"ja": "n4"},
        "consents": {"skills": True, "location": True},
        "open_to_offers": True,
    }
    saved = client.put("/api/v1/placement/profile", json=body, headers=auth)
    assert saved.status_code == 200, saved.json
    assert saved.json["languages"] == {"ja": "N4"}
    assert saved.json["abroad_countries"] == ["JP"]
    assert saved.json["consents"]["skills"] is True
    assert saved.json["consents"]["education"] is False


def test_employer_view_holds_only_consented_items():
    profile = JobSeekerProfile(
        education="SMK",
        skills="Las",
        city="Bekasi",
        province="Jawa Barat",
        consents={"skills": True},
        languages={},
        desired_sectors=[],
        abroad_countries=[],
    )
    assert profile.shown_to_employer() == {"skills": "Las"}


@pytest.mark.parametrize(
    "bad",
    [
        {"languages": {"japanese": "fluent"}},
        {"abroad_countries": ["XX"]},
        {"consents": {"salary": True}},
        {"education": "x" * 201},
    ],
)
def test_bad_profile_is_422_and_writes_nothing(app, client_as, token_for, bad):
    client = client_as("trainee")
    response = client.put("/api/v1/placement/profile", json=bad, headers=token_for(client.user))
    assert response.status_code == 422
    assert count_rows(app, JobSeekerProfile) == 0


def test_profile_web_form(client_as):
    client = client_as("trainee")
    response = client.post(
        "/placement/profile",
        data={"education": "SMK", "languages": "ja:N4, en:B1", "consents": ["education"]},
    )
    assert response.status_code == 302
    page = client.get("/placement/profile").get_data(as_text=True)
    assert "ja:N4, en:B1" in page
    bad = client.post("/placement/profile", data={"languages": "klingon"})
    assert bad.status_code == 422
