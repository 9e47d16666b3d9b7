"""Counselling: sessions with recommended courses for missing units, caseload, plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.auth.models import User
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.i18n import local_today
from app.placement.models.counselling import CounsellingSession, Recommendation
from app.placement.services import counselling
from tests.conftest import count_rows

U1, U2, U3 = "J.620100.201.01", "J.620100.202.01", "J.620100.203.01"


@pytest.fixture
def world(pf, make_user, make_institution):
    institution = make_institution()
    officer = make_user("placement_officer", institution=institution)
    seeker = make_user("trainee", email="pencari@contoh.id")
    have = pf.course(institution, (U1,), title="Dasar")
    pf.certificate(seeker, have)
    wide = pf.course(institution, (U2, U3), title="Lanjutan", hours=80)
    narrow = pf.course(institution, (U2,), title="Sempit", hours=20)
    return {
        "officer": officer,
        "seeker": seeker,
        "wide": wide,
        "narrow": narrow,
        "inst": institution,
    }


def test_session_recommends_courses_closing_the_missing_units(app, world):
    with app.test_request_context():
        officer = db.session.merge(world["officer"])
        seeker = counselling.find_job_seeker("PENCARI@contoh.id")
        session = counselling.record_session(
            officer,
            seeker,
            readiness="partly_ready",
            route="training_first",
            target_units=[U1, U2, U3],
            follow_up_on=local_today() + timedelta(days=14),
        )
        db.session.commit()
        assert session.missing_units == [U2, U3]  # U1 is certified already
        assert [(r.course_id, r.closes_units) for r in session.recommendations] == [
            (world["wide"].id, [U2, U3])
        ]
        assert counselling.plan_of(seeker)[0].id == session.id


def test_officer_may_choose_the_courses(app, world):
    with app.test_request_context():
        session = counselling.record_session(
            db.session.merge(world["officer"]),
            db.session.merge(world["seeker"]),
            readiness="ready",
            route="certification_first",
            target_units=[U2],
            course_ids=[world["narrow"].id],
        )
        assert [r.course_id for r in session.recommendations] == [world["narrow"].id]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target_units": ["J.999999.999.99"]}, "units"),
        ({"route": "emigrate"}, "route"),
        ({"readiness": "maybe"}, "readiness"),
        ({"course_ids": [987654]}, "courses"),
        ({"follow_up_on": date(2020, 1, 1)}, "follow_up_on"),
    ],
)
def test_bad_session_input_writes_nothing(app, world, fields, field):
    values = {"readiness": "ready", "route": "work_now", **fields}
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as raised:
            counselling.record_session(
                db.session.merge(world["officer"]), db.session.merge(world["seeker"]), **values
            )
        db.session.rollback()
    assert field in raised.value.details
    assert count_rows(app, CounsellingSession) == 0
    assert count_rows(app, Recommendation) == 0


def test_unknown_job_seeker_is_a_clear_error(app, world):
    with app.test_request_context(), pytest.raises(ValidationFailed):
        counselling.find_job_seeker("nobody@contoh.id")


def test_caseload_shows_overdue_first_and_only_own_institution(app, world, make_user):
    other_officer = make_user("placement_officer")
    with app.test_request_context():
        officer = db.session.merge(world["officer"])
        seeker = db.session.merge(world["seeker"])
        late = counselling.record_session(officer, seeker, readiness="ready", route="work_now")
        late.follow_up_on = local_today() - timedelta(days=3)
        second = db.session.merge(make_user("trainee"))
        counselling.record_session(
            officer,
            second,
            readiness="ready",
            route="business_now",
            follow_up_on=local_today() + timedelta(days=3),
        )
        db.session.commit()
        rows = counselling.caseload(officer)
        assert [r.overdue for r in rows] == [True, False]
        assert rows[0].session.job_seeker_id == seeker.id
        assert counselling.caseload(db.session.merge(other_officer)) == []
        with pytest.raises(NotFound):
            counselling.get_session(db.session.merge(other_officer), late.id)
        counselling.complete_follow_up(officer, late)
        assert not counselling.caseload(officer)[0].overdue


def test_only_placement_officers_of_an_institution_counsel(app, world, make_user, token_for):
    """The handler refuses (403) before anything is read or written: an instructor, and a
    placement officer who belongs to no institution, on the page and on the API."""
    instructor = make_user("instructor")
    homeless = make_user("placement_officer")
    with app.app_context():
        db.session.get(User, homeless.id).institution_id = None
        db.session.commit()
    before = count_rows(app, CounsellingSession)
    body = {"job_seeker_email": world["seeker"].email, "readiness": "ready", "route": "work_now"}
    client = app.test_client()
    for who in (instructor, homeless):
        response = client.post("/api/v1/placement/counselling", json=body, headers=token_for(who))
        assert response.status_code == 403, response.get_data(as_text=True)
        assert response.get_json()["error"]["code"] == "forbidden"
    caseload = client.get("/api/v1/placement/caseload", headers=token_for(homeless))
    assert caseload.status_code == 403
    assert caseload.get_json()["error"]["code"] == "forbidden"
    assert count_rows(app, CounsellingSession) == before


def test_web_form_suggests_then_saves(world, client_as):
    client = client_as(user=world["officer"])
    form = {
        "email": "pencari@contoh.id",
        "readiness": "partly_ready",
        "route": "training_first",
        "target_units": f"{U2}, {U3}",
    }
    suggested = client.post("/placement/counselling/new", data={**form, "action": "suggest"})
    assert suggested.status_code == 200
    assert "Lanjutan" in suggested.get_data(as_text=True)
    saved = client.post(
        "/placement/counselling/new",
        data={**form, "action": "save", "courses": [str(world["wide"].id)]},
    )
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Pelatihan dahulu" in page and "Lanjutan" in page
    assert f'href="/courses/{world["wide"].id}"' in page
    seeker_page = client_as(user=world["seeker"]).get("/placement/").get_data(as_text=True)
    assert "Pelatihan dahulu" in seeker_page


def test_follow_up_is_marked_done_once_from_the_caseload(app, world, client_as, make_user):
    with app.test_request_context():
        session = counselling.record_session(
            db.session.merge(world["officer"]),
            db.session.merge(world["seeker"]),
            readiness="ready",
            route="work_now",
            follow_up_on=local_today() + timedelta(days=1),
        )
        db.session.commit()
        url = f"/placement/counselling/{session.id}/follow-up"
    officer = client_as(user=world["officer"])
    assert "Tindak lanjut selesai" in officer.get("/placement/caseload").get_data(as_text=True)
    assert officer.post(url).status_code == 302
    assert officer.post(url).status_code == 409
    stranger = client_as("placement_officer")
    assert stranger.post(url).status_code == 404
