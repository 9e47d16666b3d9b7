"""Certificate PDFs: QR, PDF/A-3b rendering with the embedded credential, PAdES signing,
and checks by independent tools (poppler's pdfsig/pdfdetach/pdftoppm and zbarimg)."""

import base64
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jinja2
import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from app.certificates.crypto import keys
from app.certificates.pdf import qr, render, sign

VERIFY_URL = "https://kompeten.example/v/7KQ4M2XD"
CREDENTIAL = json.dumps(
    {"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Juru Masak – Ñ"},
    ensure_ascii=False,
).encode("utf-8")
NOW = dt.datetime(2025, 1, 15, 3, 0, tzinfo=dt.UTC)


def _logo() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), "#1f4e79").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


LOGO = _logo()


def catalog(pdf: bytes) -> Any:
    return PdfFileReader(io.BytesIO(pdf), strict=False).root


def requires(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


def context(unit_count: int = 5, kind: str = "training") -> dict[str, Any]:
    assessed = {"result": "K", "method": "practical", "assessor": "Dewi Lestari"}
    return {
        "certificate_kind": kind,
        "institution_name": "Balai Pelatihan Vokasi dan Produktivitas Bandung",
        "institution_address": "Jl. Jenderal Gatot Subroto No. 170, Bandung",
        "institution_logo": LOGO,
        "certificate_number": "BPVP-BDG/2025/000123",
        "holder_name": "Ni Made Ayu Sri Wahyuni Ṡaputri",
        "qualification_title": "Juru Masak",
        "qualification_title_en": "Cook",
        "jp_hours": 240,
        "units": [
            {
                "code": f"I.55HDR00.{i:03d}.1",
                "title_id": f"Mengolah Hidangan {i}",
                "title_en": f"Preparing Dishes {i}",
                **(assessed if kind == "competency" else {}),
            }
            for i in range(1, unit_count + 1)
        ],
        "issued_on": "15 Januari 2025",
        "valid_until": "15 Januari 2028",
        "signing_place": "Bandung",
        "signatory_name": "Dr. Bambang Sutrisno <script>",
        "signatory_title": "Kepala BPVP Bandung",
        "qr_data_uri": qr.qr_data_uri(VERIFY_URL, "svg"),
        "verify_url": VERIFY_URL,
    }


@pytest.fixture(scope="module")
def renderer() -> render.CertificateRenderer:
    return render.CertificateRenderer()


@pytest.fixture(scope="module")
def material() -> keys.SigningMaterial:
    return keys.generate_document_signing_certificate("BPVP Bandung", now=NOW)


@pytest.fixture(scope="module")
def unsigned_pdf(renderer: render.CertificateRenderer) -> bytes:
    return renderer.render_pdf(render.render_certificate_html(context()), CREDENTIAL, NOW)


@pytest.fixture(scope="module")
def signed_pdf(unsigned_pdf: bytes, material: keys.SigningMaterial) -> bytes:
    return sign.sign_pdf(unsigned_pdf, material, reason="Sertifikat Kompetensi", location="ID")


def test_html_is_escaped_and_bilingual() -> None:
    html = render.render_certificate_html(context())
    assert "SERTIFIKAT PELATIHAN" in html and "Certificate of Training" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Ṡaputri" in html


def test_a_training_certificate_never_says_competent_nor_names_an_assessor() -> None:
    html = render.render_certificate_html(context())
    assert "has completed the training</em>" in html and "not assessed" in html
    for claim in ("KOMPETEN", "COMPETENT", "Competence", "Dewi Lestari", "Hasil"):
        assert claim not in html


def test_a_competency_certificate_names_each_units_assessment() -> None:
    html = render.render_certificate_html(context(kind="competency"))
    assert "SERTIFIKAT KOMPETENSI" in html and "Certificate of Competence" in html
    assert "assessed <strong>COMPETENT</strong>" in html
    # one compact result per unit; the assessor is named once, under the table
    assert html.count('<td class="result">K · Praktik</td>') == 5
    assert html.count("Dewi Lestari") == 1
    assert "Asesor <em>/ Assessor</em>: Dewi Lestari</p>" in html


def test_missing_context_key_is_an_error() -> None:
    incomplete = {k: v for k, v in context().items() if k != "holder_name"}
    with pytest.raises(jinja2.UndefinedError, match="holder_name"):
        render.render_certificate_html(incomplete)


def test_pdf_is_pdf_a_3b_with_credential_attached(unsigned_pdf: bytes) -> None:
    assert unsigned_pdf.startswith(b"%PDF-1.7")
    root = catalog(unsigned_pdf)
    xmp = root["/Metadata"].data
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    [filespec] = {ref.get_object()["/UF"]: ref.get_object() for ref in root["/AF"]}.values()
    assert filespec["/UF"] == "credential.json"
    assert filespec["/AFRelationship"] == "/Source"
    assert sign.extract_embedded_file(unsigned_pdf) == CREDENTIAL
    assert sign.extract_embedded_file(unsigned_pdf, "other.json") is None
    assert sign.extract_embedded_file(b"not a pdf") is None


def test_long_unit_lists_move_to_an_annex(renderer: render.CertificateRenderer) -> None:
    pdf = renderer.render_pdf(render.render_certificate_html(context(22)), CREDENTIAL, NOW)
    assert catalog(pdf)["/Pages"]["/Count"] == 2
    short = renderer.render_pdf(render.render_certificate_html(context(14)), CREDENTIAL, NOW)
    assert catalog(short)["/Pages"]["/Count"] == 1


def test_signed_pdf_validates(signed_pdf: bytes, material: keys.SigningMaterial) -> None:
    check = sign.verify_pdf_signature(signed_pdf, [material.certificate])
    assert check.intact and check.valid and check.covers_whole_document, check.reason
    assert "BPVP Bandung" in (check.signer_subject or "")
    assert signed_pdf.startswith(b"%PDF-1.7")
    assert b'pdfaid:part="3"' in catalog(signed_pdf)["/Metadata"].data
    assert sign.extract_embedded_file(signed_pdf) == CREDENTIAL


def test_one_changed_byte_breaks_the_signature(
    signed_pdf: bytes, material: keys.SigningMaterial
) -> None:
    position = signed_pdf.index(b"WeasyPrint")
    assert position < signed_pdf.index(b"/ByteRange")
    tampered = signed_pdf[:position] + b"w" + signed_pdf[position + 1 :]
    check = sign.verify_pdf_signature(tampered, [material.certificate])
    assert not check.intact and not check.valid
    assert check.reason == "the document was changed after signing"


def test_untrusted_signer_and_unsigned_pdf(signed_pdf: bytes, unsigned_pdf: bytes) -> None:
    stranger = keys.generate_document_signing_certificate("Someone Else", now=NOW)
    untrusted = sign.verify_pdf_signature(signed_pdf, [stranger.certificate])
    assert untrusted.intact and not untrusted.valid
    assert untrusted.reason == "the signer certificate is not trusted"
    unsigned = sign.verify_pdf_signature(unsigned_pdf, [stranger.certificate])
    assert not unsigned.valid and unsigned.reason == "the PDF is not signed"
    assert not sign.verify_pdf_signature(b"%PDF-1.7 junk", []).valid


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/font.woff2",
        "file:///etc/passwd",
        f"file://{render.STATIC_DIR}/../../../config.py",
        "file://evil.example/share/logo.png",
        "ftp://example.com/x",
    ],
)
def test_url_fetcher_refuses_outside_resources(
    renderer: render.CertificateRenderer, url: str
) -> None:
    with pytest.raises(render.ResourceRefused):
        renderer.url_fetcher.fetch(url)


def test_url_fetcher_serves_own_assets_and_data_uris(
    renderer: render.CertificateRenderer,
) -> None:
    css = renderer.url_fetcher.fetch((render.STATIC_DIR / "certificate.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    css.close()
    data = renderer.url_fetcher.fetch("data:text/plain;base64,aGFsbw==")
    assert data.read() == b"halo"
    data.close()


def test_render_stops_on_a_network_resource(renderer: render.CertificateRenderer) -> None:
    html = '<p>x</p><img src="http://127.0.0.1:9/tracker.png">'
    with pytest.raises(render.ResourceRefused):
        renderer.render_pdf(html, CREDENTIAL, NOW)


def test_qr_png_is_a_square_image() -> None:
    image = Image.open(io.BytesIO(qr.qr_png(VERIFY_URL)))
    assert image.size[0] == image.size[1] >= 29 * qr.BOX_SIZE
    assert qr.qr_data_uri(VERIFY_URL).startswith("data:image/png;base64,")


def test_harfbuzz_subset_check_returns_bool() -> None:
    assert isinstance(render.harfbuzz_subset_available(), bool)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


@requires("pdfsig")
def test_pdfsig_reports_signature_valid(signed_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)
    output = _run("pdfsig", str(path)).stdout
    assert re.search(r"Signature Validation: Signature is Valid\.", output), output
    assert "Total document signed" in output
    # Self-signed, so poppler cannot chain it to a trusted root; only the signature counts.
    assert "Certificate Validation:" in output


@requires("pdftoppm")
@requires("zbarimg")
def test_qr_on_printed_page_decodes_to_url(signed_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)
    _run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p"))
    [page] = tmp_path.glob("p*.png")
    result = _run("zbarimg", "--raw", "-q", str(page))
    assert result.stdout.strip().splitlines() == [VERIFY_URL]


@requires("pdfdetach")
def test_pdfdetach_extracts_the_credential(signed_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)
    out = tmp_path / "attachments"
    out.mkdir()
    assert _run("pdfdetach", "-saveall", "-o", str(out), str(path)).returncode == 0
    assert (out / "credential.json").read_bytes() == CREDENTIAL
