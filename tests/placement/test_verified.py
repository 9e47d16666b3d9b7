"""The certificates adapter: only currently valid certificates count; status is live."""

from __future__ import annotations

from datetime import timedelta

from app.db import utcnow
from app.extensions import db
from app.placement import verified

U1, U2, U3 = "J.620100.101.01", "J.620100.102.01", "J.620100.103.01"


def test_only_valid_certificates_give_units(app, pf, make_user):
    user = make_user("trainee")
    pf.certificate(user, pf.course(units=(U1,)))
    pf.certificate(user, pf.course(units=(U2,)), revoked=True)
    pf.certificate(user, pf.course(units=(U3,)), suspended=True)
    pf.certificate(
        user,
        pf.course(units=("J.620100.104.01",)),
        issued_at=utcnow() - timedelta(days=4 * 365),
    )
    with app.app_context():
        units = verified.verified_units(user)
        statuses = sorted(ref.status for ref in verified.user_certificates(user))
    assert list(units) == [U1]
    assert statuses == ["expired", "revoked", "suspended", "valid"]


def test_live_status_follows_revocation(app, pf, make_user):
    user = make_user("trainee")
    cert = pf.certificate(user, pf.course(units=(U1,)))
    with app.app_context():
        assert verified.certificate_live_status(cert.id) == "valid"
        row = db.session.get(type(cert), cert.id)
        row.revoked_at = utcnow()
        db.session.commit()
        assert verified.certificate_live_status(cert.id) == "revoked"
        assert verified.verified_units(user) == {}
        assert verified.certificate_live_status(999_999) is None


def test_units_by_user_in_one_call(app, pf, make_user):
    first, second, nobody = make_user("trainee"), make_user("trainee"), make_user("trainee")
    course = pf.course(units=(U1, U2))
    pf.certificate(first, course)
    pf.certificate(second, pf.course(units=(U3,)))
    with app.app_context():
        found = verified.units_by_user([first.id, second.id, nobody.id])
    assert sorted(found[first.id]) == [U1, U2]
    assert list(found[second.id]) == [U3]
    assert found[nobody.id] == {}
