"""Overseas apprenticeship programmes: prerequisites, stages, who sees progress."""

from __future__ import annotations

import pytest

from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.placement.models.overseas import OverseasCandidate
from app.placement.services import overseas
from app.placement.services.overseas import level_at_least
from tests.conftest import count_rows
from tests.pages import elements


@pytest.mark.parametrize(
    ("have", "need", "ok"),
    [
        ("N4", "N4", True),
        ("N3", "N4", True),
        ("N5", "N4", False),
        (None, "N4", False),
        ("B2", "B1", True),
        ("A2", "B1", False),
        ("native", "N1", True),
        ("B2", "N4", False),
        (None, "", True),
    ],
)
def test_language_levels(have, need, ok):
    assert level_at_least(have, need) is ok


@pytest.fixture
def japan(app, pf, make_user, make_institution):
    institution = make_institution()
    officer = make_user("placement_officer", institution=institution)
    course = pf.course(institution, ("J.620100.601.01",), hours=300, code="JP-MFG")
    with app.test_request_context():
        programme = overseas.create_programme(
            db.session.merge(officer),
            name="Magang Jepang Manufaktur",
            country="JP",
            language="ja",
            min_language_level="N4",
            min_hours=200,
            course_ids=[course.id],
        )
        db.session.commit()
        programme_id = programme.id
    return {"officer": officer, "course": course, "programme_id": programme_id, "inst": institution}


def test_prerequisites_are_checked_before_a_candidate_joins(app, pf, make_user, japan):
    seeker = make_user("trainee")
    with app.test_request_context():
        officer = db.session.merge(japan["officer"])
        programme = overseas.get_programme(japan["programme_id"])
        with pytest.raises(ValidationFailed) as raised:
            overseas.add_candidate(officer, programme, db.session.merge(seeker))
        db.session.rollback()
    assert raised.value.details["missing_courses"] == ["JP-MFG"]
    assert raised.value.details["language"] == ["N4"]
    assert count_rows(app, OverseasCandidate) == 0
    pf.enrol(seeker, japan["course"])
    pf.profile(seeker, languages={"ja": "N3"})
    with app.test_request_context():
        programme = overseas.get_programme(japan["programme_id"])
        candidate = overseas.add_candidate(
            db.session.merge(japan["officer"]), programme, db.session.merge(seeker)
        )
        db.session.commit()
        assert candidate.progress()[0] == ("documents", "pending")


@pytest.fixture
def candidate(app, pf, make_user, japan):
    seeker = make_user("trainee")
    pf.enrol(seeker, japan["course"])
    pf.profile(seeker, languages={"ja": "N4"})
    with app.test_request_context():
        row = overseas.add_candidate(
            db.session.merge(japan["officer"]),
            overseas.get_programme(japan["programme_id"]),
            db.session.merge(seeker),
        )
        db.session.commit()
        return {"id": row.id, "seeker": seeker}


def test_stages_move_a_candidate_to_selected(app, japan, candidate):
    with app.test_request_context():
        officer = db.session.merge(japan["officer"])
        row = overseas.get_candidate(officer, candidate["id"])
        for stage in row.programme.stages:
            overseas.record_stage(officer, row, stage, "passed")
        assert row.status == "selected"
        overseas.record_stage(officer, row, "medical", "failed", "retest")
        assert row.status == "not_selected"
        with pytest.raises(ValidationFailed):
            overseas.record_stage(officer, row, "astronaut_training", "passed")


def test_candidate_and_own_officer_see_progress_others_do_not(
    app, japan, candidate, client_as, token_for, make_user
):
    url = f"/api/v1/placement/overseas/candidates/{candidate['id']}"
    mine = client_as(user=candidate["seeker"]).get(url, headers=token_for(candidate["seeker"]))
    assert mine.status_code == 200
    assert [p["stage"] for p in mine.json["progress"]][:2] == ["documents", "test"]
    officer = token_for(japan["officer"])
    assert client_as(user=japan["officer"]).get(url, headers=officer).status_code == 200
    stranger = make_user("placement_officer")
    assert client_as(user=stranger).get(url, headers=token_for(stranger)).status_code == 404
    other = make_user("trainee")
    assert client_as(user=other).get(url, headers=token_for(other)).status_code == 404
    with app.test_request_context(), pytest.raises(NotFound):
        row = db.session.get(OverseasCandidate, candidate["id"])
        overseas.record_stage(db.session.merge(candidate["seeker"]), row, "test", "passed")


def test_candidate_page_and_officer_records_a_stage(japan, candidate, client_as):
    officer = client_as(user=japan["officer"])
    url = f"/placement/overseas/candidates/{candidate['id']}"
    posted = officer.post(url, data={"stage": "documents", "result": "passed", "note": "lengkap"})
    assert posted.status_code == 302
    page = client_as(user=candidate["seeker"]).get(url).get_data(as_text=True)
    assert ("stage stage-passed", "Dokumen: Lulus") in elements(page, "class")
    programme = client_as(user=candidate["seeker"]).get(
        f"/placement/overseas/{japan['programme_id']}"
    )
    assert "Magang Jepang" in programme.get_data(as_text=True)
