"""Bulk issuance: certificates per second with 1 and with 2 worker processes."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from typing import Any

from bench.common import QUICK, make_app, populate, throwaway_database

N = int(os.environ.get("BENCH_N") or (100 if QUICK else 1000))


def _worker(url: str, storage: str, ids: list[int], barrier: Any, results: Any) -> None:
    import logging

    logging.disable(logging.WARNING)
    from app.certificates import jobs
    from app.certificates.services.pdfstore import renderer
    from app.extensions import db
    from bench.certificates_render import _sample_html

    app = make_app(url, storage)
    with app.app_context():
        renderer().render_pdf(_sample_html(), b"{}")  # warm-up: fonts and stylesheet
        barrier.wait()
        failed = 0
        for enrollment_id in ids:
            try:
                jobs.issue_one(enrollment_id)
            except Exception:
                db.session.rollback()
                failed += 1
        db.session.remove()
        db.engine.dispose()
    results.put(failed)


def _throughput(workers: int) -> float:
    context = multiprocessing.get_context("spawn")
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage)
        _cohort, ids = populate(app, N)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        barrier = context.Barrier(workers + 1)
        results = context.Queue()
        processes = [
            context.Process(target=_worker, args=(url, storage, ids[i::workers], barrier, results))
            for i in range(workers)
        ]
        for process in processes:
            process.start()
        barrier.wait(timeout=600)
        started = time.perf_counter()
        failed = sum(results.get(timeout=7200) for _ in processes)
        elapsed = time.perf_counter() - started
        for process in processes:
            process.join(timeout=60)
    rate = (N - failed) / elapsed
    print(
        f"   {workers} worker(s): {N} certificates in {elapsed:6.1f} s = {rate:5.2f}/s"
        + (f" ({failed} failed)" if failed else ""),
        flush=True,
    )
    return rate


def run() -> None:
    print(f"   N = {N} (BENCH_N; BENCH_QUICK=1 gives 100); {os.cpu_count()} CPUs")
    one = _throughput(1)
    two = _throughput(2)
    print(f"   ratio 2 workers / 1 worker: {two / one:5.2f}  (target >= 1.8)")
