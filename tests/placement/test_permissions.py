"""One permission table for placement: role x endpoint -> status; plus who sees whom."""

from __future__ import annotations

import pytest

ROLES = ("anonymous", "trainee", "employer", "placement_officer", "institution_admin", "admin")

# endpoint -> status per role, in ROLES order (302: sent to the login page)
PAGES = {
    "/placement/": (302, 200, 403, 403, 403, 403),
    "/placement/profile": (302, 200, 403, 403, 403, 403),
    "/placement/matches": (302, 200, 403, 403, 403, 403),
    "/placement/vacancies": (200, 200, 200, 200, 200, 200),
    "/placement/caseload": (302, 403, 403, 200, 403, 403),
    "/placement/counselling/new": (302, 403, 403, 200, 403, 403),
    "/placement/employer": (302, 403, 200, 403, 403, 403),
    "/placement/employer/company": (302, 403, 200, 403, 403, 403),
    "/placement/employer/vacancies/new": (302, 403, 200, 403, 403, 403),
    "/placement/overseas": (302, 200, 200, 200, 200, 200),
    "/placement/overseas/new": (302, 403, 403, 200, 200, 200),
    "/placement/dashboard": (302, 403, 403, 403, 200, 200),
    "/placement/dashboard/course.csv": (302, 403, 403, 403, 200, 200),
    "/placement/admin/companies": (302, 403, 403, 403, 403, 200),
}
API = {
    "/api/v1/placement/profile": (401, 404, 403, 403, 403, 403),
    "/api/v1/placement/plan": (401, 200, 403, 403, 403, 403),
    "/api/v1/placement/me/matches": (401, 200, 403, 403, 403, 403),
    "/api/v1/placement/caseload": (401, 403, 403, 200, 403, 403),
    "/api/v1/placement/dashboard": (401, 403, 403, 403, 200, 200),
    "/api/v1/placement/vacancies": (200, 200, 200, 200, 200, 200),
}


def _client(role, client, client_as):
    return client if role == "anonymous" else client_as(role)


@pytest.mark.parametrize("path", PAGES)
def test_pages(path, client, client_as):
    for role, expected in zip(ROLES, PAGES[path], strict=True):
        response = _client(role, client, client_as).get(path)
        assert response.status_code == expected, (role, path)


@pytest.mark.parametrize("path", API)
def test_api(path, client, client_as, token_for):
    for role, expected in zip(ROLES, API[path], strict=True):
        c = _client(role, client, client_as)
        headers = {} if role == "anonymous" else token_for(c.user)
        response = c.get(path, headers=headers)
        assert response.status_code == expected, (role, path, response.json)
        if expected >= 400:
            assert set(response.json["error"]) == {"code", "message", "details"}


def test_employers_see_only_their_own_vacancies(pf, make_user, client_as, token_for):
    vacancy = pf.vacancy(pf.company(make_user("employer")), ("J.620100.701.01",))
    other = client_as("employer")
    assert other.get(f"/placement/employer/vacancies/{vacancy.id}").status_code == 404
    api = other.get(
        f"/api/v1/placement/vacancies/{vacancy.id}/matches", headers=token_for(other.user)
    )
    assert api.status_code == 404


def test_matches_api_never_lists_a_seeker_who_neither_applied_nor_consented(
    pf, make_user, client_as, token_for
):
    unit = "J.620100.702.01"
    owner = make_user("employer")
    vacancy = pf.vacancy(pf.company(owner), (unit,))
    course = pf.course(units=(unit,))
    silent = make_user("trainee")
    pf.certificate(silent, course)
    pf.profile(silent, open_to_offers=False, consents={"skills": True}, skills="rahasia")
    willing = make_user("trainee")
    pf.certificate(willing, course)
    pf.profile(willing, open_to_offers=True, consents={"name": True, "skills": True}, skills="Las")
    response = client_as(user=owner).get(
        f"/api/v1/placement/vacancies/{vacancy.id}/matches", headers=token_for(owner)
    )
    assert [row["user_id"] for row in response.json] == [willing.id]
    assert response.json[0]["profile"] == {"skills": "Las"}
    assert response.json[0]["explanation"]["matched_required"] == [unit]


def test_application_is_private_to_applicant_and_employer(pf, make_user, client_as, token_for):
    unit = "J.620100.703.01"
    owner = make_user("employer")
    vacancy = pf.vacancy(pf.company(owner), (unit,))
    seeker = make_user("trainee")
    created = client_as(user=seeker).post(
        f"/api/v1/placement/vacancies/{vacancy.id}/applications",
        json={},
        headers=token_for(seeker),
    )
    url = f"/api/v1/placement/applications/{created.json['id']}"
    for user, expected in (
        (seeker, 200),
        (owner, 200),
        (make_user("employer"), 404),
        (make_user("trainee"), 404),
        (make_user("placement_officer"), 404),
    ):
        assert client_as(user=user).get(url, headers=token_for(user)).status_code == expected


def test_openapi_documents_placement(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/placement")]
    assert "/api/v1/placement/vacancies" in paths
    assert "/api/v1/placement/surveys/{token}" in paths
    post = spec["paths"]["/api/v1/placement/vacancies"]["post"]
    assert post["security"] == [{"bearerAuth": []}]
    assert "422" in post["responses"]
