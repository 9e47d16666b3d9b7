"""Hostile credential input under gunicorn on loopback: each one's cost beside /healthz's.

Each hostile body goes to the public `POST /credentials/verify` (no account needed) in
interleaved rounds (healthz, input, healthz, input, ...), then three at once, one per
worker, while /healthz is asked: the bound is visible when every input answers its 4xx (or
`verified: false`) in milliseconds and /healthz stays as fast under the attack. Before the
bounds a 600,000-character proofValue held a worker over 30 s and three took the site down.
The gzip-bomb status list is not reachable over HTTP (no request decodes a status list from
outside), so its bound is timed in-process. Bounded in requests and seconds."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from bench.common import QUICK, bench_env, make_app, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
WORKERS = 3  # as in the attack that found the hole
ROUNDS = 2 if QUICK else 4
TIMEOUT = 40.0  # seconds a request may take (gunicorn kills a worker after 30)
MAX_SECONDS = 240.0

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
SIGNATURE = "z" + "2" * 86


def _credential(**fields: object) -> dict:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "verificationMethod": f"{DID}#{DID[8:]}",
        "proofPurpose": "assertionMethod",
        "proofValue": SIGNATURE,
        **fields.pop("proof", {}),  # type: ignore[dict-item]
    }
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": DID,
        "credentialSubject": {"id": "did:example:alice"},
        "proof": proof,
        **fields,
    }


def _body(credential: dict) -> bytes:
    return json.dumps({"verifiableCredential": credential}).encode()


def _inputs() -> dict[str, tuple[bytes, bool]]:
    """name -> (body, chunked)."""
    huge_did = "did:key:z6Mk" + "2" * 60_000
    zeros = b'{"verifiableCredential": {"a": [' + b"0," * 7_000_000 + b"0]}}"
    deep = b'{"verifiableCredential": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    bigint = b'{"verifiableCredential": {"a": 1' + b"0" * 4_999 + b"}}"
    long_proof = _credential(proof={"proofValue": "z" + "2" * 600_000})
    proof = _credential(proof={"proofValue": "z" + "2" * 60_000})
    multikey = _credential(issuer=huge_did, proof={"verificationMethod": huge_did})
    return {
        "proofValue 600,000 chars": (_body(long_proof), False),
        "proofValue 60,000 chars": (_body(proof), False),
        "14 MB array of zeros": (zeros, False),
        "nested 100,000 deep": (deep, False),
        "multikey 60,000 chars": (_body(multikey), False),
        "1 MiB body, chunked": (_body(_credential(note="x" * 1_048_576)), True),
        "validFrom year 99999": (_body(_credential(validFrom="99999-01-01T00:00:00Z")), False),
        "integer of 5,000 digits": (bigint, False),
    }


def _send(sock: socket.socket, head: bytes, body: bytes, chunked: bool) -> None:
    try:
        sock.sendall(head)
        if chunked:
            for start in range(0, len(body), 65_536):
                piece = body[start : start + 65_536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        else:
            sock.sendall(body)
    except OSError:
        pass  # the server answered and closed before reading it all: what it should do


def _request(port: int, method: str, path: str, body: bytes = b"", chunked: bool = False):
    """(seconds, status, what the answer says) of one request on a fresh connection."""
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\n{length}\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sender = threading.Thread(target=_send, args=(sock, head, body, chunked))
        sender.start()
        received = b""
        try:
            while chunk := sock.recv(65_536):
                received += chunk
        except OSError as exc:
            if not received:
                return time.perf_counter() - started, 0, exc.__class__.__name__
        elapsed = time.perf_counter() - started
        sender.join()
    status_line, _, rest = received.partition(b"\r\n")
    status = int(status_line.split()[1]) if status_line.startswith(b"HTTP/") else 0
    return elapsed, status, _summary(rest.partition(b"\r\n\r\n")[2])


def _summary(payload: bytes) -> str:
    try:
        document = json.loads(payload)
    except ValueError:
        return payload[:40].decode("latin-1")
    if "error" in document:
        return document["error"]["code"]
    if "verified" in document:
        return f"verified: {str(document['verified']).lower()}"
    return document.get("status", "")


def _healthz(port: int) -> float:
    return _request(port, "GET", "/healthz")[0]


def _in_parallel(port: int, body: bytes, chunked: bool) -> tuple[list[float], list[float]]:
    """Three hostile requests at once (one per worker) while /healthz is asked five times."""
    hostile: list[float] = []
    threads = [
        threading.Thread(
            target=lambda: hostile.append(
                _request(port, "POST", "/credentials/verify", body, chunked)[0]
            )
        )
        for _ in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    health = []
    for _ in range(5):
        health.append(_healthz(port))
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    return hostile, health


def _status_list_bomb() -> tuple[float, str]:
    from app.certificates.crypto.multibase import encode_base64url
    from app.certificates.crypto.statuslist import StatusListError, decode_list

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # GZIP
    megabyte = bytes(1024 * 1024)
    bomb = encode_base64url(
        b"".join(packer.compress(megabyte) for _ in range(256)) + packer.flush()
    )
    started = time.perf_counter()
    try:
        decode_list(bomb)
        outcome = "decoded"
    except StatusListError as exc:
        outcome = str(exc)
    return time.perf_counter() - started, f"{len(bomb) // 1024} KB of text: {outcome}"


def _wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            if _request(port, "GET", "/healthz")[1] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")


def _ms(values: list[float], pick: Callable[[list[float]], float] = statistics.median) -> str:
    return f"{pick(values) * 1000:8.1f}"


def run() -> None:
    from app.extensions import db

    port = _free_port()
    inputs = _inputs()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage)
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        env = bench_env(url, storage, f"http://127.0.0.1:{port}")
        server = subprocess.Popen(
            [GUNICORN, "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        deadline = time.perf_counter() + MAX_SECONDS
        try:
            _wait_until_up(port)
            health: list[float] = []
            costs: dict[str, list[float]] = {name: [] for name in inputs}
            answers: dict[str, set[str]] = {name: set() for name in inputs}
            for _ in range(ROUNDS):
                for name, (body, chunked) in inputs.items():
                    if time.perf_counter() > deadline:
                        break
                    health.append(_healthz(port))
                    seconds, status, said = _request(
                        port, "POST", "/credentials/verify", body, chunked
                    )
                    costs[name].append(seconds)
                    answers[name].add(f"{status} {said}")
            attack: dict[str, tuple[list[float], list[float]]] = {}
            for name, (body, chunked) in inputs.items():
                if time.perf_counter() < deadline:
                    attack[name] = _in_parallel(port, body, chunked)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"   gunicorn, {WORKERS} sync workers; {ROUNDS} interleaved rounds; then {WORKERS} of "
        "each at once with /healthz asked 5 times meanwhile (times in ms, loopback)"
    )
    print(
        f"   {'input':26} {'median':>8} {'max':>8}   answer{'':22} under attack: each, healthz max"
    )
    print(f"   {'/healthz':26} {_ms(health)} {_ms(health, max)}   200")
    for name in inputs:
        if not costs[name]:
            continue
        said = ", ".join(sorted(answers[name]))
        line = f"   {name:26} {_ms(costs[name])} {_ms(costs[name], max)}   {said:28}"
        if name in attack:
            hostile, probes = attack[name]
            line += f" {_ms(hostile, max)}, {_ms(probes, max)}"
        print(line, flush=True)
    seconds, outcome = _status_list_bomb()
    print(
        f"   status-list gzip bomb (in-process, 256 MiB of zeros): {seconds * 1000:.1f} ms, "
        + outcome
    )
    worst = max(max(values) for values in costs.values() if values)
    print(f"   slowest hostile answer / median healthz: {worst / statistics.median(health):.1f}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
