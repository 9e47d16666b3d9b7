"""The certificate PDF: rendered once at issuance, signed, stored, served as stored.

The file is written under a temporary name first; the row is updated in a savepoint; the
rename to the final name happens when the transaction commits, and a rollback deletes the
temporary file. So no certificate is left without its PDF and no PDF without its row
(a crash between commit and rename is repaired when the PDF is first served).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import current_app
from pyhanko.sign.signers import Signer
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.certificates.crypto.keys import SigningMaterial
from app.certificates.models import Certificate, DocumentSigningCert
from app.certificates.pdf.qr import qr_data_uri
from app.certificates.pdf.render import CertificateRenderer, render_certificate_html
from app.certificates.pdf.sign import make_signer, sign_pdf
from app.certificates.services.credential import stored_kind
from app.certificates.services.keys import ensure_document_cert, signing_material
from app.extensions import db

log = logging.getLogger(__name__)

_renderer: CertificateRenderer | None = None
_renderer_lock = threading.Lock()
_MOVES = "certificate_pdf_moves"


def renderer() -> CertificateRenderer:
    """One renderer per process: it reuses its font configuration and parsed stylesheet."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = CertificateRenderer()
        return _renderer


def storage_dir() -> Path:
    path = Path(current_app.config["STORAGE_DIR"]) / "certificates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def verify_url(code: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/v/{code}"


def credential_bytes(credential: dict[str, Any]) -> bytes:
    return json.dumps(credential, ensure_ascii=False, indent=2).encode("utf-8")


def _print_date(moment: Any) -> str:
    return format_date(moment, "d MMMM y", locale="id")


def render_context(cert: Certificate) -> dict[str, Any]:
    snap = cert.snapshot
    url = verify_url(cert.code)
    return {
        "institution_name": snap["issuer"]["name"],
        "institution_address": snap["issuer"].get("address", ""),
        "certificate_number": cert.number,
        "holder_name": snap["holder_name"],
        "qualification_title": snap["course_title"],
        "jp_hours": snap["hours"],
        "certificate_kind": stored_kind(snap),
        "units": snap["units"],
        "issued_on": _print_date(cert.issued_at),
        "valid_until": _print_date(cert.valid_until),
        "signatory_name": snap.get("signatory_name") or snap["issuer"]["name"],
        "signatory_title": "Pimpinan Lembaga / Head of Institution",
        "signing_place": snap["issuer"].get("city", ""),
        "qr_data_uri": qr_data_uri(url),
        "verify_url": url,
    }


_signers: dict[tuple[int, str], tuple[SigningMaterial, Signer]] = {}


def _signer(doc_cert: DocumentSigningCert) -> tuple[SigningMaterial, Signer]:
    """Decrypt and load a document-signing key once per process (RSA loading is slow)."""
    cache_key = (doc_cert.id, hashlib.sha256(doc_cert.certificate_pem.encode()).hexdigest())
    if cache_key not in _signers:
        material = signing_material(doc_cert)
        _signers[cache_key] = (material, make_signer(material))
    return _signers[cache_key]


def render_signed_pdf(cert: Certificate) -> bytes:
    """Render, embed the credential and sign PAdES with the institution's certificate."""
    doc_cert = ensure_document_cert(cert.institution)
    cert.document_cert_id = doc_cert.id
    context = render_context(cert)
    html = render_certificate_html(context)
    pdf = renderer().render_pdf(html, credential_bytes(cert.credential), created=cert.issued_at)
    material, signer = _signer(doc_cert)
    return sign_pdf(
        pdf,
        material,
        signer=signer,
        reason=(
            "Sertifikat Kompetensi / Certificate of Competence"
            if context["certificate_kind"] == "competency"
            else "Sertifikat Pelatihan / Certificate of Training"
        ),
        location=cert.snapshot["issuer"].get("city") or None,
        signer_name=cert.snapshot["issuer"]["name"],
    )


def attach_pdf(cert: Certificate) -> Certificate:
    """Render and store the PDF of a pending certificate; on failure nothing is left."""
    pdf = render_signed_pdf(cert)
    name = secrets.token_hex(16) + ".pdf"
    final = storage_dir() / name
    temporary = final.with_suffix(".pdf.tmp")
    temporary.write_bytes(pdf)
    try:
        with db.session.begin_nested():
            cert.pdf_name = name
            cert.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            cert.state = "issued"
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    db.session().info.setdefault(_MOVES, []).append((str(temporary), str(final)))
    log.info("stored PDF of certificate %s (%d bytes)", cert.number, len(pdf))
    return cert


@event.listens_for(Session, "after_commit")
def _finish_moves(session: Session) -> None:
    for temporary, final in session.info.pop(_MOVES, []):
        os.replace(temporary, final)


@event.listens_for(Session, "after_transaction_end")
def _discard_moves(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for temporary, _final in session.info.pop(_MOVES, []):
            Path(temporary).unlink(missing_ok=True)


def pdf_path(cert: Certificate) -> Path | None:
    """The stored PDF, finishing a rename a crash interrupted; None if there is none."""
    if cert.state != "issued" or not cert.pdf_name:
        return None
    final = storage_dir() / cert.pdf_name
    temporary = final.with_suffix(".pdf.tmp")
    if not final.exists() and temporary.exists():
        os.replace(temporary, final)
    return final if final.exists() else None


def read_pdf(cert: Certificate) -> bytes | None:
    """The stored PDF, or None when there is none or it no longer matches its SHA-256."""
    path = pdf_path(cert)
    if path is None:
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != cert.pdf_sha256:
        log.error("stored PDF of certificate %s does not match its SHA-256", cert.number)
        return None
    return data
