"""seed-demo is idempotent and prints the demo accounts."""

from __future__ import annotations

from app.auth.models import User
from app.institutions.models import Institution
from tests.conftest import count_rows


def test_seed_demo_twice_creates_everything_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (count_rows(app, User), count_rows(app, Institution))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert (count_rows(app, User), count_rows(app, Institution)) == counts
    assert counts[1] == 4
    for role in ("trainee", "instructor", "assessor", "placement_officer", "employer"):
        assert role in second.output
    assert "peserta@demo.kompeten.id" in second.output
