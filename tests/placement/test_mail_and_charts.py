"""Mail backends (memory, console, smtp) and the server-rendered SVG chart."""

from __future__ import annotations

import logging

import pytest

from app import mail
from app.placement.charts import bar_chart


@pytest.fixture
def backend(app):
    original = app.config["MAIL_BACKEND"]

    def use(name: str) -> None:
        app.config["MAIL_BACKEND"] = name

    yield use
    app.config["MAIL_BACKEND"] = original


def test_memory_backend_keeps_an_outbox(app, outbox):
    with app.app_context():
        mail.send("a@contoh.id", "Halo", "Isi")
    assert outbox == [mail.Mail("a@contoh.id", "Halo", "Isi")]


def test_console_backend_logs(app, backend, caplog, outbox):
    backend("console")
    with app.app_context(), caplog.at_level(logging.INFO, logger="app.mail"):
        mail.send("b@contoh.id", "Survei", "Tautan")
    assert "mail to b@contoh.id: Survei" in caplog.text
    assert outbox == []


def test_smtp_backend_sends_with_smtplib(app, backend, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"], message.get_content()))

    monkeypatch.setattr("app.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "kompeten")
    backend("smtp")
    with app.app_context():
        mail.send("c@contoh.id", "Subjek", "Badan")
    assert sent[0] == ("connect", app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    assert ("starttls",) in sent and ("login", "kompeten") in sent
    assert sent[-1] == ("send", "c@contoh.id", "Subjek", "Badan\n")


def test_bar_chart_is_escaped_svg_scaled_to_percent():
    svg = str(bar_chart("Rate <b>", [("<script>x</script>", 50.0), ("Kosong", None)]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'width="85.0"' in svg  # half of the 170-unit bar
    assert "50%" in svg and "–" in svg
    counts = str(bar_chart("Jumlah", [("A", 4), ("B", 2)], percent=False))
    assert 'width="170.0"' in counts and 'width="85.0"' in counts
