"""Start-up: a loud warning when WeasyPrint would fall back to fontTools."""

from __future__ import annotations

import logging

from tests.conftest import make_test_app


def test_startup_warns_when_harfbuzz_subset_is_missing(monkeypatch, caplog, tmp_path):
    import app.certificates.pdf.render as render

    monkeypatch.setattr(render, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="app.certificates"):
        make_test_app(f"sqlite:///{tmp_path}/x.db")
    assert any("libharfbuzz-subset is MISSING" in r.getMessage() for r in caplog.records)
