"""Home, health, headers, error pages, OpenAPI."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.conftest import make_test_app


def test_home_is_indonesian_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="id"' in page
    assert "Keterampilan yang dapat diverifikasi pemberi kerja" in page


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_gone(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/login", "/does-not-exist", "/api/v1/nothing", "/healthz"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_browser_gets_friendly_page_in_its_language(client):
    response = client.get("/does-not-exist", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Halaman atau data yang Anda cari tidak ditemukan." in response.get_data(as_text=True)


def _crashing_app(tmp_path) -> Flask:
    app = make_test_app(f"sqlite:///{tmp_path}/crash.db")

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    return app


def test_unexpected_errors_never_show_a_traceback(tmp_path):
    client = _crashing_app(tmp_path).test_client()
    html = client.get("/boom")
    assert html.status_code == 500
    assert "Traceback" not in html.get_data(as_text=True)
    assert "/etc/passwd" not in html.get_data(as_text=True)
    assert html.headers["X-Content-Type-Options"] == "nosniff"
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json()["error"]["code"] == "internal_error"
    assert "/etc/passwd" not in api.get_data(as_text=True)


def test_openapi_describes_every_json_endpoint(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {
        (re.sub(r"\{[^}]+\}", "{}", path), method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
    }
    undocumented = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs."):
            continue
        if rule.endpoint in {"main.api_docs"}:
            continue
        path = re.sub(r"<(?:[^:>]+:)?[^>]+>", "{}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (path, method) not in documented:
                undocumented.append((rule.rule, method))
    assert undocumented == []
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_api_docs_page_needs_no_internet(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/auth/tokens" in page
    assert not re.search(r'(src|href)="https?://', page)


def test_csrf_is_enforced_on_forms(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path}/csrf.db", WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"email": "a@contoh.id", "password": "x"})
    assert response.status_code == 400
