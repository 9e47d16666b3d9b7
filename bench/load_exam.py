"""A cohort sits one timed exam at once under gunicorn: save rate, p50/p99, exactly-once.

Each trainee starts an attempt, saves every answer twice (a weak connection retries) and
submits twice (a double tap); the database must hold each answer once and grade each attempt
once, with no 5xx. Bounded: TRAINEES trainees (40 with BENCH_QUICK=1), at most MAX_SECONDS."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import QUICK, bench_env, make_app, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
TRAINEES = 40 if QUICK else 200
MAX_SECONDS = 120.0  # the run stops by itself, finished or not


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(port: int, method: str, path: str, token: str = "", body: Any = None) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)
    finally:
        connection.close()


def _prepare(app: Any) -> tuple[int, dict[str, Any], list[str]]:
    """The demo data, TRAINEES enrolled trainees with tokens: (exam id, answers, tokens)."""
    from sqlalchemy import select

    from app.assessments.models import Assessment, Question
    from app.assessments.seed import QUESTIONS
    from app.auth.models import User, UserRole
    from app.auth.passwords import hash_password
    from app.auth.services import create_token
    from app.courses.models import Cohort, Course
    from app.courses.services.enrolment import enrol
    from app.extensions import db
    from app.seed import run as seed
    from app.transactions import transaction

    with app.app_context():
        db.create_all()
        with transaction():
            seed()
        exam = db.session.scalar(select(Assessment).where(Assessment.kind == "theory"))
        course = db.session.get(Course, exam.course_id)
        cohort = db.session.scalar(select(Cohort).where(Cohort.course_id == course.id))
        cohort.capacity, cohort.enrolment_open = None, True
        by_name = {name: answer for _t, name, _d, answer in QUESTIONS}
        answers = {
            str(q.id): by_name[q.name]
            for q in db.session.scalars(select(Question).where(Question.bank_id == exam.bank_id))
            if q.name in by_name
        }
        password_hash = hash_password("bench-password-2026")
        tokens = []
        for index in range(TRAINEES):
            user = User(
                email=f"peserta{index}@bench.kompeten.id",
                full_name=f"Peserta {index}",
                password_hash=password_hash,
            )
            user.role_rows = [UserRole(role="trainee")]
            db.session.add(user)
            db.session.flush()
            enrol(user, course, cohort)
            tokens.append(create_token(user, "bench", 1)[1])
        db.session.commit()
        exam_id = exam.id
        db.engine.dispose()
    return exam_id, answers, tokens


def _sit(port: int, exam: int, token: str, answers: dict[str, Any], out: dict[str, list]) -> None:
    status, attempt = _call(port, "POST", f"/api/v1/assessments/{exam}/attempts", token)
    if status not in (200, 201):
        out["errors"].append(("start", status))
        return
    for question in attempt["questions"]:
        value = answers.get(str(question["id"]))
        path = f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}"
        for _retry in range(2):  # a phone on a weak connection sends the same save twice
            started = time.perf_counter()
            status, _body = _call(port, "PUT", path, token, {"value": value, "seq": 1})
            out["latency"].append(time.perf_counter() - started)
            if status >= 500 or status not in (200, 201):
                out["errors"].append(("save", status))
    for _retry in range(2):  # and double-taps "submit"
        status, _body = _call(port, "POST", f"/api/v1/attempts/{attempt['id']}/submit", token)
        if status >= 500:
            out["errors"].append(("submit", status))
    out["attempts"].append(attempt["id"])


def _check(app: Any, attempt_ids: list[int]) -> dict[str, int]:
    from sqlalchemy import func, select

    from app.assessments.models import Answer, Attempt
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        answers = db.session.execute(
            select(Answer.attempt_id, Answer.question_id, func.count())
            .where(Answer.attempt_id.in_(attempt_ids))
            .group_by(Answer.attempt_id, Answer.question_id)
        ).all()
        attempts = db.session.scalars(select(Attempt).where(Attempt.id.in_(attempt_ids))).all()
        regrades = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "assessment.attempt_regraded")
        )
        db.engine.dispose()
    return {
        "answer rows": len(answers),
        "answers stored twice": sum(1 for *_k, n in answers if n != 1),
        "attempts submitted": sum(1 for a in attempts if a.submitted_at is not None),
        "attempts not graded": sum(1 for a in attempts if a.score is None),
        "regrades": regrades or 0,
    }


def run() -> None:
    port = _free_port()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as storage:
        app = make_app(url, storage, BASE_URL=f"http://127.0.0.1:{port}")
        exam, answers, tokens = _prepare(app)
        env = bench_env(url, storage, f"http://127.0.0.1:{port}")
        workers = str(2 * (os.cpu_count() or 2))
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", workers, "--threads", "4", "-b",
             f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(120):
                try:
                    if _call(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.5)
            out: dict[str, list] = {"latency": [], "errors": [], "attempts": []}
            threads = [
                threading.Thread(target=_sit, args=(port, exam, t, answers, out), daemon=True)
                for t in tokens
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0.0, MAX_SECONDS - (time.perf_counter() - started)))
            elapsed = time.perf_counter() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        saves = sorted(out["latency"])
        p50 = statistics.median(saves) * 1000 if saves else 0.0
        p99 = statistics.quantiles(saves, n=100)[98] * 1000 if len(saves) > 1 else 0.0
        print(f"   {len(tokens)} trainees, {workers} gunicorn workers x 4 threads, {elapsed:.1f} s")
        print(f"   answer saves: {len(saves)} ({len(saves) / elapsed:.0f}/s), "
              f"p50 {p50:.0f} ms, p99 {p99:.0f} ms")  # fmt: skip
        print(f"   errors (5xx or refused): {len(out['errors'])} {out['errors'][:5]}")
        checks = _check(app, out["attempts"])
        for name, value in checks.items():
            print(f"   {name}: {value}")
        whole = (
            not out["errors"]
            and len(out["attempts"]) == len(tokens)
            and checks["answers stored twice"] == 0
            and checks["attempts submitted"] == len(tokens)
            and checks["attempts not graded"] == 0
            and checks["regrades"] == 0
        )
        print(f"   every answer saved once, every attempt graded once, no 5xx: {whole}")
