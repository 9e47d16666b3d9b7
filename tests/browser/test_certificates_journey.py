"""An employer at phone size opens the QR's URL, reads VALID and downloads the PDF; and the
same for a revoked certificate."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _demo_url(live_server) -> str:
    lines = live_server.app.config["SEED_REPORT"].lines
    [line] = [line for line in lines if line.startswith("Demo certificate: ")]
    return line.removeprefix("Demo certificate: ")


def test_employer_scans_the_qr_reads_valid_and_downloads_the_pdf(live_server, page):
    url = _demo_url(live_server)
    assert url.startswith(live_server.url + "/v/")
    page.goto(url)
    status = page.locator(".status")
    assert status.get_attribute("data-status") == "valid"
    assert " ".join(status.inner_text().split()) == "SAH / VALID"  # "SAH" is in "TIDAK SAH"
    assert page.locator(".checks li.status-ok").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "certificate-valid-phone")
    with page.expect_download() as download_info:
        page.click("a:has-text('Unduh PDF')")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_employer_sees_a_revoked_certificate(live_server, page):
    from app.auth.models import User, UserRole
    from app.certificates.services.issuance import issue_certificate
    from app.certificates.services.lifecycle import change
    from app.courses.models import Enrollment
    from app.extensions import db
    from app.institutions.models import Institution
    from tests.certificates.conftest import build_course, complete

    with live_server.app.app_context():
        institution = db.session.query(Institution).order_by(Institution.id).first()
        user = User(email="dicabut@contoh.id", full_name="Joko Widodo", password_hash="x")
        user.role_rows = [UserRole(role="trainee")]
        db.session.add(user)
        db.session.flush()
        enrollment_id = complete(user.id, build_course(institution.id))
        cert = issue_certificate(db.session.get(Enrollment, enrollment_id), with_pdf=False)
        change("revoke", cert, "Dokumen pendukung palsu", None)
        db.session.commit()
        code = cert.code
    page.goto(f"{live_server.url}/v/{code}")
    status = page.locator(".status")
    assert status.get_attribute("data-status") == "revoked"
    assert " ".join(status.inner_text().split()) == "DICABUT / REVOKED"
    assert page.locator("text=Joko Widodo").is_visible()
    screenshot(page, "certificate-revoked-phone")
