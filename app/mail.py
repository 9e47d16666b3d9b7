"""Sending e-mail. MAIL_BACKEND chooses: `console` logs the message (the default),
`smtp` sends it with smtplib, `memory` appends it to an outbox list (tests read it)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)

OUTBOX_KEY = "mail_outbox"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def outbox() -> list[Mail]:
    """The messages sent through the memory backend of the current app."""
    return current_app.extensions.setdefault(OUTBOX_KEY, [])


def _smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as server:
        if config.get("MAIL_USE_TLS"):
            server.starttls()
        if config.get("MAIL_USERNAME"):
            server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        server.send_message(message)


def send(to: str, subject: str, body: str) -> Mail:
    mail = Mail(to=to, subject=subject, body=body)
    backend = current_app.config.get("MAIL_BACKEND", "console")
    if backend == "memory":
        outbox().append(mail)
    elif backend == "smtp":
        message = EmailMessage()
        message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        _smtp(message)
    else:
        log.info("mail to %s: %s\n%s", to, subject, body)
    return mail
