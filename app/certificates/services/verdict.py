"""The words of an upload's verdict, in Indonesian and English side by side: like the page a
QR opens, the result is a bilingual document for whoever checks a certificate, whatever
language the site is shown in. Each check of services.verification.verify_upload names its
sentence by a code; its parameters fill the sentence."""

from __future__ import annotations

from typing import Any

CHECK_LABELS = {
    "pdf_signature": ("Tanda tangan PDF", "PDF signature"),
    "pdf_signer": ("Sertifikat penanda tangan PDF", "PDF signing certificate"),
    "credential": ("Bukti kredensial", "Credential proof"),
    "signer": ("Penanda tangan kredensial", "Credential signer"),
    "on_record": ("Sesuai catatan Kompeten", "On record at Kompeten"),
    "status": ("Status", "Status"),
}

DETAILS = {
    "pdf_sound": (
        "Tanda tangan PAdES utuh dan mencakup seluruh berkas.",
        "The PAdES signature is intact and covers the whole file.",
    ),
    "pdf_unreadable": ("Berkas PDF tidak dapat dibaca.", "The PDF cannot be read."),
    "pdf_unsigned": ("PDF ini tidak ditandatangani.", "The PDF is not signed."),
    "pdf_uncheckable": (
        "Tanda tangan PDF tidak dapat diperiksa.",
        "The PDF signature cannot be checked.",
    ),
    "pdf_changed": (
        "Dokumen diubah setelah ditandatangani.",
        "The document was changed after signing.",
    ),
    "pdf_bad_value": ("Nilai tanda tangan tidak sah.", "The signature value is invalid."),
    "pdf_partial": (
        "Ada isi yang ditambahkan ke berkas setelah ditandatangani.",
        "Content was added to the file after signing.",
    ),
    "pdf_signer_no_institution": (
        "Kredensial di dalamnya tidak ditandatangani oleh lembaga di Kompeten, jadi tidak ada "
        "sertifikat penanda tangan dokumen yang menjamin PDF ini.",
        "The embedded credential is not signed by an institution in Kompeten, so no "
        "document-signing certificate vouches for this PDF.",
    ),
    "pdf_signer_none": (
        "PDF tidak memiliki tanda tangan untuk diperiksa.",
        "The PDF has no signature to check.",
    ),
    "pdf_signer_foreign": (
        "PDF ditandatangani oleh {subject}, yang bukan sertifikat penanda tangan dokumen "
        "milik {name}, penerbit kredensialnya.",
        "The PDF is signed by {subject}, which is not a document-signing certificate of "
        "{name}, the issuer of its credential.",
    ),
    "pdf_signer_policy": (
        "Sertifikat penanda tangan {subject} tidak memenuhi kebijakan validasi.",
        "The signing certificate {subject} does not meet the validation policy.",
    ),
    "pdf_signer_institution": (
        "Ditandatangani dengan sertifikat penanda tangan dokumen milik {name} ({subject}).",
        "Signed with a document-signing certificate of {name} ({subject}).",
    ),
    "no_credential": ("PDF tidak memuat kredensial.", "The PDF carries no credential."),
    "credential_unreadable": (
        "Kredensial di dalam PDF tidak dapat dibaca: bukan JSON yang sah, terlalu besar, atau "
        "bersarang terlalu dalam.",
        "The embedded credential cannot be read: it is not valid JSON, too large or nested "
        "too deeply.",
    ),
    "credential_malformed": (
        "Kredensial di dalam PDF tidak memiliki bukti yang dapat diperiksa.",
        "The embedded credential has no proof that can be checked.",
    ),
    "proof_fails": (
        "Bukti kriptografis kredensial tidak valid.",
        "The credential's cryptographic proof does not verify.",
    ),
    "proof_verifies": (
        "Bukti kriptografis kredensial valid.",
        "The credential's cryptographic proof verifies.",
    ),
    "signer_institution": (
        "Kredensial ditandatangani oleh lembaga di Kompeten: {name} ({did}).",
        "The credential is signed by an institution in Kompeten: {name} ({did}).",
    ),
    "signer_unknown_key": (
        "Kredensial ditandatangani oleh kunci tak dikenal {did}, bukan oleh lembaga di Kompeten.",
        "The credential is signed by an unknown key {did}, not by an institution in Kompeten.",
    ),
    "signer_unverified": (
        "Tidak ada kunci yang memverifikasi kredensial ini, jadi penanda tangannya tidak "
        "diketahui.",
        "No key verifies this credential, so who signed it is unknown.",
    ),
    "credential_on_record": (
        "Kredensial ini sama persis dengan yang diterbitkan Kompeten.",
        "This credential is exactly the one Kompeten issued.",
    ),
    "credential_not_on_record": (
        "Kredensial ini bukan yang diterbitkan Kompeten.",
        "This credential is not one Kompeten issued.",
    ),
    "pdf_not_on_record": (
        "Kredensial di dalam PDF bukan yang diterbitkan Kompeten.",
        "The embedded credential is not one Kompeten issued.",
    ),
    "pdf_no_record": (
        "Kompeten tidak menyimpan PDF sertifikat ini untuk dibandingkan.",
        "Kompeten holds no PDF of this certificate to compare the file with.",
    ),
    "pdf_differs": (
        "Berkas ini berbeda dari PDF yang diterbitkan Kompeten.",
        "The file differs from the PDF Kompeten issued.",
    ),
    "pdf_on_record": (
        "Berkas ini sama persis dengan PDF yang diterbitkan Kompeten (SHA-256 tercatat).",
        "The file is exactly the PDF Kompeten issued (SHA-256 on record).",
    ),
    "status_valid": ("Sertifikat berlaku.", "The certificate is current."),
    "status_revoked": ("Sertifikat telah dicabut.", "The certificate has been revoked."),
    "status_suspended": ("Sertifikat sedang ditangguhkan.", "The certificate is suspended."),
    "status_superseded": (
        "Sertifikat telah diganti dengan yang baru.",
        "The certificate was replaced by a new one.",
    ),
    "status_expired": (
        "Sertifikat kedaluwarsa atau belum berlaku.",
        "The certificate has expired or is not yet valid.",
    ),
}


def label(check: dict[str, Any]) -> tuple[str, str]:
    return CHECK_LABELS[check["name"]]


def describe(check: dict[str, Any]) -> tuple[str, str]:
    """The check's sentence (Indonesian, English), its parameters filled in."""
    indonesian, english = DETAILS[check["detail"]]
    params = check["params"]
    return indonesian.format(**params), english.format(**params)
