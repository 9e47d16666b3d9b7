"""Role x endpoint for the certificates pages and API: the expected status for each."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.certificates.conftest import issue

ROLES = [
    None,
    "trainee",
    "instructor",
    "assessor",
    "placement_officer",
    "employer",
    "institution_admin",
    "admin",
]
ADMINS_ONLY_404 = [401, 403, 403, 403, 403, 403, 404, 404]

PAGES = {
    ("GET", "/certificates/mine"): [302, 200, 200, 200, 200, 200, 200, 200],
    ("GET", "/certificates/admin/"): [302, 403, 403, 403, 403, 403, 200, 200],
    ("GET", "/certificates/admin/jobs/999999"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("POST", "/certificates/admin/999999/revoke"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("POST", "/certificates/admin/issue/999999"): [302, 403, 403, 403, 403, 403, 404, 404],
    ("GET", "/verify"): [200] * 8,
}
API = [
    ("GET", "/api/v1/certificates", None, [401] + [200] * 7),
    ("GET", "/api/v1/certificates/999999", None, [401] + [404] * 7),
    ("POST", "/api/v1/certificates", {"enrollment_id": 999999}, ADMINS_ONLY_404),
    ("POST", "/api/v1/certificates/jobs", {"cohort_id": 999999}, ADMINS_ONLY_404),
    ("GET", "/api/v1/certificates/jobs/999999", None, ADMINS_ONLY_404),
    ("POST", "/api/v1/certificates/999999/revoke", {"reason": "x"}, ADMINS_ONLY_404),
    ("POST", "/api/v1/certificates/999999/reissue", {"reason": "x"}, ADMINS_ONLY_404),
    ("POST", "/credentials/issue", {"credential": {}}, [401] * 8),
]


@pytest.mark.parametrize(
    ("method", "path", "role", "expected"),
    [(m, p, r, s[i]) for (m, p), s in PAGES.items() for i, r in enumerate(ROLES)],
)
def test_pages_by_role(client, client_as, make_institution, method, path, role, expected):
    make_institution()  # a platform admin manages the first institution by default
    browser = client_as(role) if role else client
    assert browser.open(path, method=method).status_code == expected


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [(m, p, b, r, s[i]) for m, p, b, s in API for i, r in enumerate(ROLES)],
)
def test_api_by_role(client, make_user, token_for, method, path, body, role, expected):
    headers = token_for(make_user(role)) if role else {}
    response = client.open(path, method=method, json=body, headers=headers)
    assert response.status_code == expected
    if expected >= 400:
        assert response.get_json()["error"]["code"]


def test_another_institutions_admin_cannot_touch_a_certificate(
    app, client, completed, make_user, token_for
):
    cert = issue(app, completed(), with_pdf=False)
    outsider = make_user("institution_admin")
    insider = make_user("institution_admin", institution=cert.institution)
    body = {"reason": "fraud"}
    url = f"/api/v1/certificates/{cert.id}/revoke"
    assert client.post(url, json=body, headers=token_for(outsider)).status_code == 404
    assert (
        client.get(f"/api/v1/certificates/{cert.id}", headers=token_for(outsider)).status_code
        == 404
    )
    revoked = client.post(url, json=body, headers=token_for(insider))
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert client.post(url, json=body, headers=token_for(insider)).status_code == 409
    empty = client.post(
        f"/api/v1/certificates/{cert.id}/suspend", json={"reason": ""}, headers=token_for(insider)
    )
    assert empty.status_code == 422


def test_the_holder_sees_their_certificates_with_share_and_linkedin_links(
    app, client_as, completed, make_user
):
    holder = make_user("trainee", full_name="Rina Kurniasih")
    cert = issue(app, completed(user=holder), with_pdf=False)
    page = client_as(user=holder).get("/certificates/mine").get_data(as_text=True)
    assert cert.number in page and f"http://kompeten.test/v/{cert.code}" in page
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert f"certId={cert.number.replace('/', '%2F')}" in page
    other = client_as("trainee").get("/certificates/mine").get_data(as_text=True)
    assert cert.number not in other


def test_the_admin_page_revokes_with_a_form(app, client_as, completed, make_user):
    cert = issue(app, completed(), with_pdf=False)
    admin = client_as(user=make_user("institution_admin", institution=cert.institution))
    page = admin.get("/certificates/admin/").get_data(as_text=True)
    assert cert.number in page and "key-1" in page
    response = admin.post(f"/certificates/admin/{cert.id}/revoke", data={"reason": "fraud"})
    assert response.status_code == 302
    verify = admin.get(f"/api/v1/verify/{cert.code}").get_json()
    assert verify["status"] == "revoked"


def test_a_second_revoke_on_the_page_says_it_is_already_revoked(
    app, client_as, completed, make_user
):
    cert = issue(app, completed(), with_pdf=False)
    admin = client_as(user=make_user("institution_admin", institution=cert.institution))
    url = f"/certificates/admin/{cert.id}/revoke"
    admin.post(url, data={"reason": "fraud"})

    page = admin.post(url, data={"reason": "again"}, follow_redirects=True)

    assert page.status_code == 200
    assert "Sertifikat ini sudah dicabut." in page.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "certificate.revoke")
        )
    assert rows == 1
