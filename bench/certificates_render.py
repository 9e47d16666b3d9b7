"""Certificate PDFs: harfbuzz-subset vs fontTools, and issuance cost vs a bare render."""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any

from bench.common import QUICK, make_app, populate, throwaway_database

ROUNDS = 3 if QUICK else 10


def _sample_html() -> str:
    from app.certificates.pdf.qr import qr_data_uri
    from app.certificates.pdf.render import render_certificate_html

    url = "http://127.0.0.1:5000/v/4Hq8dE7xYcN2mVtPz9LrKa"
    return render_certificate_html(
        {
            "institution_name": "Balai Besar Pelatihan Vokasi dan Produktivitas Bandung",
            "institution_address": "Jl. Jenderal Gatot Subroto No. 170, Bandung",
            "certificate_number": "BBPVPBDG/2026/000123",
            "holder_name": "Ni Luh Putu Ayu Lestari Ñoman",
            "qualification_title": "Junior Web Developer",
            "jp_hours": 160,
            "units": [
                {
                    "code": f"J.620100.{n:03d}.01",
                    "title_id": f"Menulis Kode {n}",
                    "title_en": f"Writing Code {n}",
                }
                for n in range(1, 7)
            ],
            "issued_on": "30 November 2026",
            "valid_until": "30 November 2029",
            "signatory_name": "Siti Rahmawati",
            "signatory_title": "Pimpinan Lembaga",
            "signing_place": "Bandung",
            "qr_data_uri": qr_data_uri(url),
            "verify_url": url,
        }
    )


def _bare_render(html: str) -> bytes:
    """WeasyPrint called the default way: a new font configuration and stylesheet each time."""
    from weasyprint import CSS, HTML

    from app.certificates.pdf.render import STATIC_DIR

    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/").write_pdf(
        stylesheets=[CSS(filename=str(STATIC_DIR / "certificate.css"))]
    )


def _time(fn: Any, rounds: int = ROUNDS) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _harfbuzz_vs_fonttools(html: str) -> None:
    import weasyprint.pdf.fonts as fonts

    from app.certificates.pdf.render import harfbuzz_subset_available

    if not harfbuzz_subset_available() or fonts.harfbuzz_subset is None:
        print("   libharfbuzz-subset is missing: cannot compare (install libharfbuzz-subset0)")
        return
    with_hb = _time(lambda: _bare_render(html))
    saved = fonts.harfbuzz_subset
    fonts.harfbuzz_subset = None  # WeasyPrint then falls back to fontTools
    try:
        without = _time(lambda: _bare_render(html))
    finally:
        fonts.harfbuzz_subset = saved
    print(f"   render with harfbuzz-subset: {with_hb * 1000:7.1f} ms")
    print(f"   render with fontTools:       {without * 1000:7.1f} ms")
    print(f"   ratio fontTools / harfbuzz:  {without / with_hb:7.2f}  (issue: 5-6x)")


def _issuance_cost(html: str) -> None:
    from app.certificates.services.issuance import issue_certificate
    from app.courses.models import Enrollment
    from app.extensions import db

    bare = _time(lambda: _bare_render(html))
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage)
        _cohort, ids = populate(app, ROUNDS + 1)
        with app.app_context():
            samples = []
            for enrollment_id in ids:
                started = time.perf_counter()
                issue_certificate(db.session.get(Enrollment, enrollment_id))
                db.session.commit()
                samples.append(time.perf_counter() - started)
            db.session.remove()
            db.engine.dispose()
    issuance = statistics.median(samples[1:])
    print(f"   bare WeasyPrint render:      {bare * 1000:7.1f} ms")
    print(f"   issuance per certificate:    {issuance * 1000:7.1f} ms  (render, QR, sign, store)")
    print(f"   ratio issuance / bare:       {issuance / bare:7.2f}  (target <= 1.25)")


def run() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = _sample_html()
    _harfbuzz_vs_fonttools(html)
    _issuance_cost(html)
