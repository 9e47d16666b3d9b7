"""Hostile numbers and lengths: an id too large for an id column is a 404, and a value the
input schema let through but no column can hold is a 422 in the envelope, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask

from app.errors import SQLITE_OVERFLOW
from tests.conftest import make_test_app


@pytest.mark.parametrize("token_id", ["2147483648", "9223372036854775807", "9" * 30])
def test_path_ids_past_64_bits_are_not_found(client, make_user, token_for, token_id):
    headers = token_for(make_user("trainee"))
    response = client.delete(f"/api/v1/auth/tokens/{token_id}", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.fixture
def raising_app(tmp_path) -> Flask:
    app = make_test_app(f"sqlite:///{tmp_path}/guards.db")

    @app.route("/api/v1/overflow")
    def overflow():
        raise OverflowError(SQLITE_OVERFLOW)

    @app.route("/api/v1/other-overflow")
    def other_overflow():
        raise OverflowError("math range error")

    @app.route("/api/v1/data-error")
    def data_error():
        from sqlalchemy.exc import DataError

        raise DataError("INSERT ...", {}, Exception("integer out of range"))

    return app


@pytest.mark.parametrize("path", ["/api/v1/overflow", "/api/v1/data-error"])
def test_values_no_column_can_hold_are_a_422(raising_app, path, caplog):
    response = raising_app.test_client().get(path)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"
    assert "INSERT" not in response.get_data(as_text=True)
    assert f"unvalidated input reached the database on GET {path}" in caplog.text


def test_other_overflows_stay_internal_errors(raising_app):
    assert raising_app.test_client().get("/api/v1/other-overflow").status_code == 500


def test_every_documented_error_is_the_envelope(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    missing = [
        (method, path, status)
        for path, item in spec["paths"].items()
        if not path.startswith("/oauth/")
        for method, operation in item.items()
        if method != "parameters"
        for status, response in operation["responses"].items()
        if status[:1] in ("4", "5")
        and "$ref" not in response
        and response.get("content", {}).get("application/json", {}).get("schema")
        != {"$ref": "#/components/schemas/Error"}
    ]
    assert missing == []
