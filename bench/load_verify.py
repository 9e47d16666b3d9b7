"""The verification page hammered by many distinct clients, and one abusive client limited.

Many clients (distinct addresses, through a trusted proxy's X-Forwarded-For) each open the
page a few times: throughput and p99. Then one client sends far more than VERIFY_RATE_LIMIT
allows: the limiter must answer 429 past the limit, with the counts shared by every worker
through Redis (a private redis-server on loopback; without one, a single worker). Bounded in
requests and seconds."""

from __future__ import annotations

import http.client
import os
import shutil
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
CLIENTS = 100 if QUICK else 500
PER_CLIENT = 3
THREADS = 16
ABUSIVE_REQUESTS = 150
LIMIT = "60 per minute"
MAX_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, address: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"} if address else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    quiet = subprocess.DEVNULL if command[0] == "redis-server" else None
    return subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=quiet, stderr=quiet
    )


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def _many_clients(port: int, path: str) -> tuple[float, float, int]:
    addresses = [f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in range(CLIENTS)]
    work = [a for a in addresses for _ in range(PER_CLIENT)]
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + MAX_SECONDS

    def worker() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if not work:
                    return
                address = work.pop()
            started = time.perf_counter()
            status = _get(port, path, address)
            with lock:
                if status == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    failures[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else 0.0
    return len(latencies) / elapsed, p99, failures[0]


def run() -> None:
    from app.certificates.services.issuance import issue_certificate
    from app.courses.models import Enrollment
    from app.extensions import db

    port, redis_port = _free_port(), _free_port()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage, BASE_URL=f"http://127.0.0.1:{port}")
        _cohort, [enrollment_id] = populate(app, 1)
        with app.app_context():
            code = issue_certificate(db.session.get(Enrollment, enrollment_id)).code
            db.session.commit()
            db.engine.dispose()
        redis = None
        env = bench_env(url, storage, f"http://127.0.0.1:{port}")
        env.update(
            KOMPETEN_ENV="production",  # trusts one proxy hop: X-Forwarded-For is the client
            SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret",
            KEY_ENCRYPTION_KEY="ZGV2LW9ubHkta2V5LWVuY3J5cHRpb24ta2V5LTMyYiE=",
            RATELIMIT_ENABLED="1",
            VERIFY_RATE_LIMIT=LIMIT,
        )
        workers = str(os.cpu_count() or 2)
        if shutil.which("redis-server"):
            redis = _start(
                ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"]
            )
            env["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{redis_port}/0"
        else:
            workers = "1"  # in-memory counts are per process
        server = _start(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", workers, "--threads", "4", "-b",
             f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            env,
        )  # fmt: skip
        try:
            for _ in range(120):
                try:
                    if _get(port, "/healthz") == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            path = f"/v/{code}"
            rate, p99, failures = _many_clients(port, path)
            statuses = [_get(port, path, "192.0.2.66") for _ in range(ABUSIVE_REQUESTS)]
        finally:
            _stop(server)
            if redis is not None:
                _stop(redis)
        storage_name = "Redis" if redis is not None else "memory, 1 worker"
        print(f"   {CLIENTS} clients x {PER_CLIENT}, {workers} workers, limits in {storage_name}")
        print(f"   verification page: {rate:.0f} requests/s, p99 {p99:.0f} ms, not 200: {failures}")
        allowed, limited = statuses.count(200), statuses.count(429)
        print(f"   one abusive client: {allowed} answered, {limited} refused (429)")
        holds = allowed <= 60 and allowed + limited == ABUSIVE_REQUESTS
        print(f"   limiter holds at {LIMIT} for one client of {ABUSIVE_REQUESTS} requests: {holds}")
