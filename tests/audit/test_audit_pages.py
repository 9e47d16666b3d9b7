"""Who sees which audit events, filters, pages, the CSV export and the JSON API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from app.audit.models import AuditEvent
from app.extensions import db as _db


@pytest.fixture
def events(app, db, make_institution):
    """Two institutions with events of their own, and one platform-wide event."""
    mine, other = make_institution(), make_institution()
    rows = [
        ("course.publish", mine.id, datetime(2026, 11, 1, 3, tzinfo=UTC), None),
        ("auth.login", mine.id, datetime(2026, 11, 10, 3, tzinfo=UTC), None),
        ("certificate.revoke", other.id, datetime(2026, 11, 10, 4, tzinfo=UTC), None),
        ("auth.login_failed", None, datetime(2026, 11, 12, 4, tzinfo=UTC), "=HYPERLINK(1)"),
    ]
    with app.app_context():
        for action, institution_id, at, email in rows:
            _db.session.add(
                AuditEvent(action=action, institution_id=institution_id, at=at, actor_email=email)
            )
        _db.session.commit()
    return mine, other


def test_institution_admin_sees_only_their_institutions_events(client_as, events):
    mine, _other = events
    page = client_as("institution_admin", institution=mine).get("/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "course.publish" in text and "auth.login" in text
    assert "certificate.revoke" not in text and "auth.login_failed" not in text


def test_platform_admin_sees_every_event(client_as, events):
    text = client_as("admin").get("/audit").get_data(as_text=True)
    for action in ("course.publish", "certificate.revoke", "auth.login_failed"):
        assert action in text


@pytest.mark.parametrize("role", ["trainee", "instructor", "employer", "assessor"])
def test_other_roles_may_not_read_the_log(client_as, make_user, token_for, role, events):
    browser = client_as(role)
    assert browser.get("/audit").status_code == 403
    assert browser.get("/audit/export.csv").status_code == 403
    assert browser.get("/api/v1/audit", headers=token_for(browser.user)).status_code == 403


def test_anonymous_is_sent_to_login_and_refused_by_the_api(client):
    assert client.get("/audit").status_code == 302
    response = client.get("/api/v1/audit")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_filter_by_action_and_day(client_as, events):
    admin = client_as("admin")
    text = admin.get("/audit?action=auth.login&since=2026-11-10&until=2026-11-10").get_data(
        as_text=True
    )
    assert "<code>auth.login</code>" in text
    assert "<code>course.publish</code>" not in text
    assert "<code>certificate.revoke</code>" not in text


def test_a_bad_filter_is_a_clear_422(client_as, events):
    assert client_as("admin").get("/audit?since=yesterday").status_code == 422


def test_pages(client_as, app, events):
    mine, _ = events
    with app.app_context():
        for i in range(60):
            _db.session.add(AuditEvent(action=f"bulk.{i}", institution_id=mine.id))
        _db.session.commit()
    admin = client_as("institution_admin", institution=mine)
    first = admin.get("/audit").get_data(as_text=True)
    assert "Halaman 1 dari 2 (62 peristiwa)" in first
    second = admin.get("/audit?page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second and "course.publish" in second


def test_csv_export_is_scoped_and_neutralises_formulas(client_as, events):
    response = client_as("admin").get("/audit/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 4
    assert {row["actor_email"] for row in rows} >= {"'=HYPERLINK(1)"}
    mine, _ = events
    scoped = client_as("institution_admin", institution=mine).get("/audit/export.csv?action=auth.")
    rows = list(csv.DictReader(io.StringIO(scoped.get_data(as_text=True))))
    assert [row["action"] for row in rows] == ["auth.login"]


def test_json_api_pages_and_scopes(client, make_user, token_for, events):
    mine, _ = events
    admin = make_user("institution_admin", institution=mine)
    body = client.get("/api/v1/audit?per_page=1", headers=token_for(admin)).get_json()
    # token_for records its own auth.token_created event in the admin's institution
    assert body["total"] == 3 and body["per_page"] == 1 and len(body["items"]) == 1
    assert body["items"][0]["action"] == "auth.token_created"
    everything = client.get("/api/v1/audit?action=auth.", headers=token_for(make_user("admin")))
    actions = {item["action"] for item in everything.get_json()["items"]}
    assert {"auth.login", "auth.login_failed"} <= actions
    assert "course.publish" not in actions


def test_json_api_rejects_unknown_and_bad_filters(client, make_user, token_for, events):
    headers = token_for(make_user("admin"))
    for query in ("per_page=0", "since=nope", "role=admin"):
        response = client.get(f"/api/v1/audit?{query}", headers=headers)
        assert response.status_code == 422, query
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_nav_shows_the_log_to_admins_only(client_as, events):
    assert 'href="/audit"' in client_as("admin").get("/").get_data(as_text=True)
    assert 'href="/audit"' not in client_as("trainee").get("/").get_data(as_text=True)


def test_export_batches_reach_every_event(ctx, events):
    from app.audit.queries import AuditFilter, events_query, in_batches

    ids = [event.id for event in in_batches(events_query(None, AuditFilter()), size=3)]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True)
