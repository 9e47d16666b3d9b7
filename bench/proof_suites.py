"""Signing and verifying one certificate credential: eddsa-rdfc-2022 beside eddsa-jcs-2022.

The credential is the one services/credential.py builds (six SKKNI units, two status
entries). Each figure is the median (and the fastest) of many runs in this process, after a
warm-up run that loads and resolves the JSON-LD contexts; that cold first run is printed
apart. Judged by the ratio rdfc / jcs for sign and for verify, since issuance and
verification will do both.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.common import QUICK, make_app

RUNS = 30 if QUICK else 200


def _timed_ms(action: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    """(median, fastest) in milliseconds: the fastest shows the cost on an idle machine."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, min(timings) * 1000


def _credential() -> dict[str, Any]:
    from app.certificates.services.credential import build_credential
    from app.institutions.models import Institution

    now = dt.datetime(2025, 1, 15, 3, 0, tzinfo=dt.UTC)
    snapshot = {
        "course_title": "Juru Las Listrik",
        "hours": 120,
        "units": [
            {"code": f"C.25LAS00.{n:03}.1", "title_id": f"Unit kompetensi {n}"} for n in range(6)
        ],
    }
    return build_credential(
        credential_id="urn:uuid:0b6f5a8e-6c1d-4c39-9a39-0c2f0e6b7a10",
        issuer_did="did:web:127.0.0.1%3A5000:institutions:blk-bandung",
        institution=Institution(slug="blk-bandung", name="BLK Bandung"),
        snapshot=snapshot,
        email="rina@contoh.id",
        salt="00" * 16,
        valid_from=now,
        valid_until=now.replace(year=2028),
        revocation_index=17,
        suspension_index=4242,
        achievement_id="http://127.0.0.1:5000/achievements/7/v1",
    )


def run() -> None:
    from app.certificates.crypto import dataintegrity, keys, rdfc

    with tempfile.TemporaryDirectory() as storage:
        app = make_app(f"sqlite:///{storage}/bench.db", storage)
        with app.app_context():
            credential = _credential()
    key = keys.generate_ed25519_key()
    method = "did:web:127.0.0.1%3A5000:institutions:blk-bandung#key-1"
    created = "2025-01-15T03:00:00Z"

    def resolve(_: str) -> Any:
        return key.public_key()

    started = time.perf_counter()
    signed_rdfc = rdfc.create_proof(credential, key, method, created)
    cold_sign = (time.perf_counter() - started) * 1000
    signed_jcs = dataintegrity.create_proof(credential, key, method, created)
    assert rdfc.verify_proof(signed_rdfc, resolve).verified
    assert dataintegrity.verify_proof(signed_jcs, resolve).verified

    figures = {
        "sign": (
            _timed_ms(lambda: dataintegrity.create_proof(credential, key, method, created)),
            _timed_ms(lambda: rdfc.create_proof(credential, key, method, created)),
        ),
        "verify": (
            _timed_ms(lambda: dataintegrity.verify_proof(signed_jcs, resolve)),
            _timed_ms(lambda: rdfc.verify_proof(signed_rdfc, resolve)),
        ),
    }
    print(f"   rdfc first sign in this process (contexts loaded): {cold_sign:.1f} ms")
    for name, ((jcs_ms, jcs_min), (rdfc_ms, rdfc_min)) in figures.items():
        print(
            f"   {name:6}  eddsa-jcs-2022 {jcs_ms:6.2f} ms (fastest {jcs_min:5.2f})"
            f"   eddsa-rdfc-2022 {rdfc_ms:6.2f} ms (fastest {rdfc_min:5.2f})"
            f"   ratio rdfc/jcs {rdfc_ms / jcs_ms:5.1f}   ({RUNS} runs, median)"
        )
