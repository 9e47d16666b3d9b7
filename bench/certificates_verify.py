"""Verification under gunicorn on loopback: requests per second and p99, vs /healthz.

Rounds are interleaved (healthz, API, page, healthz, ...) and medians reported, so that a
burst of load from a neighbour on this shared machine moves every endpoint, not one. Two
servers: the default one, where a worker checks a certificate's signature once and then
remembers the outcome for its stored content (repeat scans), and one with VERIFY_MEMO_SIZE=0,
where every scan checks the signature afresh (as the first scan of any certificate does).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.common import QUICK, bench_env, make_app, populate, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
THREADS = 8
ROUNDS = 3 if QUICK else 9
MAX_REQUESTS = 300 if QUICK else 800  # per endpoint and round
MAX_SECONDS = 4.0 if QUICK else 5.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _load(port: int, path: str) -> tuple[float, float, int]:
    """(requests per second, p99 latency in ms, errors) for `path`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + MAX_SECONDS

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) + errors[0] >= MAX_REQUESTS:
                    return
            started = time.perf_counter()
            ok = _get(port, path) == 200
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else 0.0
    return len(latencies) / elapsed, p99, errors[0]


def _scans(port: int, env: dict[str, str], code: str) -> tuple[float, float]:
    """Serve with `env`, print each endpoint's median figures; (API, page) ratios to healthz."""
    workers = str(os.cpu_count() or 2)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            *("-w", workers, "-b", f"127.0.0.1:{port}", "--log-level", "warning"),
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    paths = {
        "/healthz": "/healthz",
        "/api/v1/verify/<code>": f"/api/v1/verify/{code}",
        "/v/<code>": f"/v/{code}",
    }
    try:
        for _ in range(120):
            try:
                if _get(port, "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        print(
            f"   gunicorn, {workers} sync workers; {THREADS} client threads; {ROUNDS} "
            f"interleaved rounds of at most {MAX_REQUESTS} requests or {MAX_SECONDS:.0f} s each"
        )
        for path in paths.values():
            for _ in range(2 * int(workers)):
                _get(port, path)  # warm-up: imports, connections, the first signature check
        rounds: dict[str, list[tuple[float, float, int]]] = {name: [] for name in paths}
        for _ in range(ROUNDS):
            for name, path in paths.items():
                rounds[name].append(_load(port, path))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rps = {}
    for name, results in rounds.items():
        rps[name] = statistics.median(r[0] for r in results)
        p99 = statistics.median(r[1] for r in results)
        errors = sum(r[2] for r in results)
        print(
            f"   {name:24} {rps[name]:8.1f} req/s   p99 {p99:7.1f} ms"
            + (f"   ({errors} errors)" if errors else ""),
            flush=True,
        )
    return rps["/api/v1/verify/<code>"] / rps["/healthz"], rps["/v/<code>"] / rps["/healthz"]


def run() -> None:
    from app.certificates.services.issuance import issue_certificate
    from app.courses.models import Enrollment
    from app.extensions import db

    port = _free_port()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage, BASE_URL=f"http://127.0.0.1:{port}")
        _cohort, [enrollment_id] = populate(app, 1)
        with app.app_context():
            code = issue_certificate(db.session.get(Enrollment, enrollment_id)).code
            db.session.commit()
            db.engine.dispose()
        env = bench_env(url, storage, f"http://127.0.0.1:{port}")

        print("   repeat scans (each worker remembers a signature check per stored content):")
        api, page = _scans(port, env, code)
        print(f"   ratio verify API / healthz:  {api:5.2f}  (target >= 0.8)")
        print(f"   ratio verify page / healthz: {page:5.2f}  (target >= 0.6)")

        print("   first scans (VERIFY_MEMO_SIZE=0: every scan checks the signature afresh):")
        api, page = _scans(port, {**env, "VERIFY_MEMO_SIZE": "0"}, code)
        print(f"   ratio verify API / healthz:  {api:5.2f}")
        print(f"   ratio verify page / healthz: {page:5.2f}")
